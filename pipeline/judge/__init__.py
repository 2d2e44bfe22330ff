"""Learned judges of stored articles: relevance and protest event records."""
