"""Scrapy settings for protestwire crawls. Every protestwire-specific setting is declared here once."""

BOT_NAME = "protestwire"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# An honest crawler: names itself, reads robots.txt, slows down when a site does.
USER_AGENT = "protestwire/0.1 (+https://github.com/protestwire/protestwire; research crawler of protest news)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks for every response's output, however little it yields
# (the default, 100, was ~100 tasks per article page: ~15% of the Scrapy process's time in the
# crawl benchmark's profile). An article page yields one item; sitemaps yield requests, which
# need no parallelism to be scheduled.
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
# A news page over 16 MiB is broken or hostile; warn at 4 MiB.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_TIMES = 2
# 429 and 503 are retried after a wait by crawlers.middlewares.RetryAfterMiddleware.
RETRY_HTTP_CODES = [500, 502, 504, 522, 524, 408]
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawlers.logformatter.ProtestwireLogFormatter"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.RetryAfterMiddleware": 560,
    # Below HttpCompressionMiddleware (590): sees bodies already decompressed.
    "crawlers.middlewares.ConditionalGetMiddleware": 580,
    # Above RedirectMiddleware (600): sees a redirect before it is followed.
    "crawlers.middlewares.RedirectLoopMiddleware": 610,
    # Scrapy's own (580), with a cheap test first; after decompression (590) like it.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawlers.middlewares.QuickMetaRefreshMiddleware": 581,
}

ITEM_PIPELINES = {
    # Extract, normalise, classify, geotag and fingerprint: the pure stages, in worker processes.
    "crawlers.pipelines.ProcessPipeline": 100,
    "crawlers.pipelines.RelevancePipeline": 300,
    "crawlers.pipelines.DeduplicatePipeline": 400,
    "crawlers.pipelines.StorePipeline": 500,
}

EXTENSIONS = {"crawlers.extensions.LiveProgress": 500}

# --- protestwire settings ---
# Database URL of the store; None means PROTESTWIRE_DB or ./protestwire.db (see storage.db).
PROTESTWIRE_DB = None
# Path of the sources registry; None means sources/sources.toml.
PROTESTWIRE_SOURCES = None
# Keep only articles scored as protest coverage (default: keep every article).
PROTESTWIRE_PROTEST_ONLY = False
# Show a live status line (pages, articles, errors) on standard error while crawling.
PROTESTWIRE_PROGRESS = False
# Ask feeds, sitemaps and robots.txt "changed since?" (ETag, Last-Modified): unchanged ones cost a 304.
PROTESTWIRE_CONDITIONAL_GET = True
# Article URLs already stored are not fetched again; "always" re-fetches them (to catch corrections).
PROTESTWIRE_REFETCH = "never"
# Feed items and sitemap entries older than this many days are skipped (0: no limit).
PROTESTWIRE_MAX_ARTICLE_AGE_DAYS = 30
# Sources without sitemaps of their own: look for news sitemaps in their robots.txt.
PROTESTWIRE_ROBOTS_SITEMAPS = True
# Waits before retrying a 429/503: the server's Retry-After, else BASE * 2**attempt; at most MAX.
PROTESTWIRE_BACKOFF_BASE_SECONDS = 2.0
PROTESTWIRE_RETRY_AFTER_MAX_SECONDS = 120.0
# Keep every fetched article page in WARC files (one per crawl run and worker process) in
# PROTESTWIRE_WARC_DIR; None: "warc" beside the SQLite store (or in the working directory).
PROTESTWIRE_CAPTURE = True
PROTESTWIRE_WARC_DIR = None
# Worker processes for extraction, the CPU-heavy stage (0: extract in the crawler's own process).
PROTESTWIRE_EXTRACT_WORKERS = 2
# Articles are committed in batches of this many, or after this many seconds, whichever comes first.
PROTESTWIRE_STORE_BATCH = 50
PROTESTWIRE_STORE_BATCH_SECONDS = 1.0
# Let trafilatura compare its result with its fallback extractors: ~0.01 better body F1 for
# ~35% more extraction time (benchmarks/extraction.py); `protestwire reextract` can redo it later.
PROTESTWIRE_EXTRACT_THOROUGH = False
