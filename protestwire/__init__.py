"""protestwire: Latin American protest news, crawled, extracted, classified, searchable and in feeds.

This package is the application layer, above the crawlers and the pipeline stages. ``cli.py`` holds
the commands (thin click wrappers; ``tables.py`` prints their results), ``demo.py`` and ``replay/``
the demo and its local outlets. The drivers run the stages over files, stores and captures: they may
read the sources registry, open the store and call the stages, which take plain values and never
import them. ``files.py`` (`extract`: pages on disk to JSON Lines), ``ingest.py`` (`ingest`: JSON Lines
into the store), ``reextract.py`` (`reextract`: the WARC captures through the pipeline again),
``rejudge.py`` (`classify --store`), ``story_events.py`` (`events`), and for `init` ``upgrade.py``
with ``backfill.py`` (fingerprints of older stores) and ``regroup.py`` (stories and threads again).
"""

__version__ = "0.1.0"
