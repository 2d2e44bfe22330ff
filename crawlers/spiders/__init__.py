"""Spiders: one base per discovery kind; outlets are data in the sources registry, not classes."""
