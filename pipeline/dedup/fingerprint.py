"""Deduplicate stage: the fingerprints that find copies and stories in the store.

Three levels, each looked up through indexed keys so the cost per article does not grow
with the store:
 1. exact: ``content_hash``, the body's words hashed (case, accents, punctuation and
    spacing ignored);
 2. near-duplicate: LSH band keys of the body's MinHash (``pipeline.dedup.neardup``), candidates
    verified on their shingles;
 3. story and thread: title, body and entity terms (``pipeline.dedup.stories``), weighed and indexed
    by the store, which keeps their document frequencies.
The store (``pipeline.store``) does the lookups; this module is pure.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from pipeline.dedup.neardup import DEFAULT_NEARDUP, NearDupOptions, band_keys, lede_and_all
from pipeline.dedup.stories import DEFAULT_STORY, StoryOptions, StoryTerms, story_terms
from vocabulary.folding import fold

_WORDS = re.compile(r"[^\W_]+")


def content_hash(body: str) -> str:
    """SHA-256 of the body's words, accent- and case-folded, joined by single spaces."""
    words = " ".join(_WORDS.findall(fold(body)))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True, eq=False)
class Fingerprint:
    """What the store needs to find an article's copies and its story."""

    shingles: np.ndarray  # sorted unique 32-bit shingle hashes of the body
    band_keys: tuple[int, ...]  # LSH band keys ((), when the body is too short to call copies)
    story_terms: StoryTerms


def fingerprint(
    title: str, body: str, language: str | None = None, *, neardup: NearDupOptions = DEFAULT_NEARDUP, story: StoryOptions = DEFAULT_STORY
) -> Fingerprint:
    lede, whole = lede_and_all(body, neardup)
    return Fingerprint(shingles=whole, band_keys=tuple(band_keys(lede, whole, neardup)),
                       story_terms=story_terms(title, body, story))
