"""Extraction: a fetched page's bytes to an ``ExtractedArticle``. Pure: no network, no store, no state.

In: the raw bytes (or text) of one page, its URL, the HTTP Content-Type and Last-Modified when
known, the crawl time, and ``FeedHints`` (what the feed item and the sources registry said: title,
date, authors, language, the outlet's country and domains).
Out: ``page.extract_article`` gives an ``ExtractedArticle`` (title, standfirst and body, authors,
dates with their source, confidence and offset, language, canonical URL, site name, image, tags),
or raises ``Dropped`` with the reason and whatever the page did give; ``normalise.normalise_article``
then cleans it for storage (canonical URL, repaired and cleaned text, UTC dates).

Open ``page.py`` for the body (decode, parse once, prune, trafilatura, standfirst, promotion
lines, paywall teasers), title and authors; ``metadata.py`` for JSON-LD, OpenGraph, ``<meta>`` and
bylines; ``dates.py`` for which date a page means and on whose clock (``date_text.py`` reads the
stamps themselves, ``timezones.py`` holds the newsrooms' zones); ``language.py`` for the language;
``normalise.py`` for URLs, text and titles. Import a name from the module that defines it.
"""
