"""Deduplicate stage (near-duplicate level): the same text re-published with changes.

A wire story comes back with another headline, an added intro line, a trimmed ending,
related-links inserted or other dates. Two bodies are near-duplicates when most word
shingles of the shorter one occur in the longer one (containment, not only Jaccard, so
a trimmed copy still matches its full original).

Finding candidates must not read every stored article: each body gets a MinHash
signature (datasketch) cut into ``bands`` of ``rows`` values; each band hashes to one
64-bit key stored in ``article_bands``. Two bodies sharing any band key are candidates,
then verified exactly on their shingles. A lookup costs the same with a thousand or a
million stored articles: one indexed ``IN`` over ``bands`` keys.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from vocabulary.folding import fold

_WORDS = re.compile(r"[^\W_]+")
_ASCII_WORDS = re.compile(r"[a-z0-9]+")
# Below this share of characters left after dropping non-ASCII, text is not in Latin script.
LATIN_SHARE = 0.8
# datasketch's 2.x scheme: inputs (CRC-32 of each shingle) pre-mixed, then a*h+b mod 2^32.
# Stored band keys depend on it: changing it means recomputing article_bands.
MINHASH_SCHEME = "affine32"


@dataclass(frozen=True, kw_only=True)
class NearDupOptions:
    """How bodies are compared. Calibrated with ``benchmarks/dedup.py`` (see each field)."""

    # Words per shingle. 5 keeps unrelated articles of one outlet/topic apart (they share
    # phrases, rarely five words in a row); a changed date word breaks at most 5 shingles.
    shingle_words: int = 5
    # Bands of 3 MinHash values (48 permutations), for the lede and for the whole body: a pair
    # whose sets have Jaccard 0.5 becomes a candidate with probability 0.88, at 0.7 with 0.999;
    # pairs under 0.15 almost never do, so few candidates need the exact check.
    bands: int = 16
    rows: int = 3
    # Shingle positions that make the lede (about the first two paragraphs).
    lede_shingles: int = 100
    # Share of the shorter body's shingles found in the longer one for a near-duplicate.
    # Wire copies with intro, links and dates changed score >= 0.75 on the development
    # set; different articles of the same outlet and topic stay under 0.2.
    min_containment: float = 0.6
    # The shorter body must hold at least this share of the longer one's shingles, so a
    # quoted paragraph does not make a long article a copy of a short note.
    min_size_ratio: float = 0.2
    # Bodies with fewer shingles carry too little text to call a copy by shingles alone.
    min_shingles: int = 8
    seed: int = 1

    def __post_init__(self) -> None:
        if self.shingle_words < 1 or self.bands < 1 or self.rows < 1:
            raise ValueError("shingle_words, bands and rows must be at least 1")
        if not 0 < self.min_containment <= 1 or not 0 <= self.min_size_ratio <= 1:
            raise ValueError("min_containment must be in (0, 1] and min_size_ratio in [0, 1]")

    @property
    def num_perm(self) -> int:
        return self.bands * self.rows


DEFAULT_NEARDUP = NearDupOptions()


# Odd 64-bit multipliers combining word hashes into a shingle hash (any fixed odd values do).
_MIXERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x2545F4914F6CDD1D, 0x94D049BB133111EB],
                   dtype=np.uint64)


def words_of(text: str) -> list[str]:
    """The text's words, accent- and case-folded ("Bogotá," -> "bogota")."""
    # Latin-script text: decompose and drop what is not ASCII (accents, quotes, dashes) in C,
    # ten times faster than fold(); other scripts keep their letters through fold().
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    if len(ascii_text) < LATIN_SHARE * len(text):
        return fold(" ".join(_WORDS.findall(text))).split()
    return _ASCII_WORDS.findall(ascii_text)


# Word hashes already computed (a news vocabulary is a few hundred thousand words); emptied
# when full. A cache of a pure function: it changes no result.
_WORD_HASHES: dict[str, int] = {}
WORD_CACHE_SIZE = 500_000


def _word_hashes(words: list[str]) -> np.ndarray:
    """CRC-32 of each word (as uint64), through the cache."""
    missing = [w for w in set(words) if w not in _WORD_HASHES]
    if len(_WORD_HASHES) + len(missing) > WORD_CACHE_SIZE:
        _WORD_HASHES.clear()
        missing = list(set(words))
    for word in missing:
        _WORD_HASHES[word] = zlib.crc32(word.encode("utf-8"))
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))


def shingles(body: str, options: NearDupOptions = DEFAULT_NEARDUP) -> np.ndarray:
    """Sorted unique 32-bit hashes of the body's overlapping word n-grams (folded words)."""
    return np.unique(_shingle_sequence(body, options))


def lede_and_all(body: str, options: NearDupOptions = DEFAULT_NEARDUP) -> tuple[np.ndarray, np.ndarray]:
    """Shingles of the body's first ``lede_shingles`` positions, and of the whole body (sorted unique)."""
    sequence = _shingle_sequence(body, options)
    return np.unique(sequence[: options.lede_shingles]), np.unique(sequence)


# Lines that only point at other articles ("Lea también: ...", "Leia mais: ...", "Read more: ..."):
# outlets insert them into copies, so they are left out of the shingles.
RELATED_LINE = re.compile(
    r"^\s*(lea|lee|leia|read|see|ver|veja|mira|vea) (tambi[eé]n|tamb[eé]m|mais|m[aá]s|more|also)\b"
    r"|^\s*(te puede interesar|puede interesarte|le puede interesar|relacionad[oa]s?|related( stories| articles)?"
    r"|saiba mais|tambi[eé]n te puede interesar|you may also like|more on this)\s*[:|]",
    re.IGNORECASE,
)


def _shingle_sequence(body: str, options: NearDupOptions) -> np.ndarray:
    if "\n" in body:
        body = "\n".join(line for line in body.split("\n") if not RELATED_LINE.match(line))
    words = words_of(body)
    if not words:
        return np.empty(0, dtype=np.uint32)
    hashed = _word_hashes(words)
    k = min(options.shingle_words, len(words), len(_MIXERS))
    count = len(words) - k + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(k):
        combined += hashed[offset:offset + count] * _MIXERS[offset]
    return (combined >> np.uint64(32)).astype(np.uint32)


def _minhash_class() -> Any:
    # Imported when first needed: datasketch imports scipy (0.3 s), and only fingerprinting
    # (the crawl's workers, ingest) needs it, not the store's comparisons, search or the web page.
    from datasketch import MinHash

    return MinHash


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    return _minhash_class()(num_perm=num_perm, seed=seed, scheme=MINHASH_SCHEME).permutations


def band_keys(lede: np.ndarray, whole: np.ndarray, options: NearDupOptions = DEFAULT_NEARDUP) -> list[int]:
    """Signed 64-bit LSH band keys: ``bands`` of the lede's MinHash, then ``bands`` of the whole
    body's. [] when the body is too short to call copies by shingles.

    The lede's bands find trimmed copies, whose whole-body Jaccard can fall to 0.2 while their
    first paragraphs are the same; the whole body's bands find copies with a changed start.
    """
    if len(whole) < options.min_shingles:
        return []
    keys = []
    for part, shingle_set in enumerate((lede, whole)):
        minhash = _minhash_class()(num_perm=options.num_perm, seed=options.seed, hashfunc=int,
                          permutations=_permutations(options.num_perm, options.seed), scheme=MINHASH_SCHEME)
        minhash.update_batch(shingle_set.tolist())
        values = minhash.hashvalues.astype(np.uint32)
        for band in range(options.bands):
            chunk = values[band * options.rows:(band + 1) * options.rows].tobytes()
            person = (part * options.bands + band).to_bytes(4, "little")
            digest = hashlib.blake2b(chunk, digest_size=8, person=person).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


@dataclass(frozen=True)
class Overlap:
    containment: float  # shared shingles / shingles of the shorter body
    jaccard: float
    size_ratio: float  # shingles of the shorter / of the longer body


def overlap(a: np.ndarray, b: np.ndarray) -> Overlap:
    """Exact overlap of two sorted unique shingle arrays."""
    if not len(a) or not len(b):
        return Overlap(0.0, 0.0, 0.0)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    small, large = sorted((len(a), len(b)))
    return Overlap(shared / small, shared / (len(a) + len(b) - shared), small / large)


def is_near_duplicate(a: np.ndarray, b: np.ndarray, options: NearDupOptions = DEFAULT_NEARDUP) -> bool:
    """Whether two shingle sets are the same text re-published (verified exactly, no estimate)."""
    if min(len(a), len(b)) < options.min_shingles:
        return False
    found = overlap(a, b)
    return found.containment >= options.min_containment and found.size_ratio >= options.min_size_ratio
