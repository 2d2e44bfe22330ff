"""protestwire: Latin American protest news, crawled, extracted, classified, searchable and in feeds."""

__version__ = "0.1.0"
