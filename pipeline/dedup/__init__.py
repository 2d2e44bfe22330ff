"""Deduplication: the fingerprints that find an article's copies, its story and its thread.

In: an article's title, body and language (plain strings; no page, no store).
Out: ``fingerprint.fingerprint`` gives a ``Fingerprint`` (the body's shingles, its LSH band keys,
its story terms) and ``fingerprint.content_hash`` the exact-copy hash. The store
(``pipeline/store.py``) looks those up through indexed key tables and decides; the functions that
decide (``neardup.is_near_duplicate``, ``stories.decide``) are pure and live here.

Open ``fingerprint.py`` for the three levels together (exact, near-duplicate, story);
``neardup.py`` for MinHash, shingles, bands and the containment check; ``stories.py`` for story and
thread terms, vectors and the join decision (weights in ``pipeline/data/story_model.json``,
background counts in ``pipeline/data/story_prior.json.gz``); ``story_lexicon.py`` for the es/pt/en
event concepts and country aliases. Import a name from the module that defines it.
"""
