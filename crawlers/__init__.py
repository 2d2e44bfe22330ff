"""The Scrapy project: sources registry, spiders, item pipelines (thin adapters), settings."""
