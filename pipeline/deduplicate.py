"""Deduplicate stage (exact level): the fingerprint that says two bodies are the same text.

Two copies of a wire story differ in whitespace, case, punctuation and quotes;
the hash ignores those. Near-duplicates and stories come in later levels.
"""

from __future__ import annotations

import hashlib
import re

from pipeline.classify import fold

_WORDS = re.compile(r"[^\W_]+")


def content_hash(body: str) -> str:
    """SHA-256 of the body's words, accent- and case-folded, joined by single spaces."""
    words = " ".join(_WORDS.findall(fold(body)))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()
