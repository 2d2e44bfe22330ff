"""The Scrapy project: spiders, middlewares, item pipelines (thin adapters), settings.

The outlets come from the sources registry (``sources/``, readable without Scrapy)."""
