"""Language of an article from its text, for the languages protestwire covers (es, pt, en).

Counts frequent function words that tell the three apart; fast (a set lookup per
word) and needs no model. Markup hints (``lang``, ``inLanguage``) break ties.
"""

from __future__ import annotations

import re

# Words frequent in one language and rare in the other two. "de", "a", "o", "que"
# are shared by Spanish and Portuguese, so they are left out on purpose.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset("el los las del por una con para sus pero también según fue hay muy este esta ese esa y lo le les ya desde hasta cuando".split()),
    "pt": frozenset("os das dos pelo pela uma com para seus mas também segundo foi há muito este esta isso não são em no na nos nas ao aos é".split()),
    "en": frozenset("the of and to in is that for on with was were by at from this have has are said their which".split()),
}
# A language must lead the runner-up by this share of counted words to beat a markup hint.
CLEAR_LEAD = 0.2
_WORD = re.compile(r"[^\W\d_]+")


def language_scores(text: str, max_words: int = 600) -> dict[str, int]:
    words = _WORD.findall(text[:8000].lower())[:max_words]
    return {lang: sum(1 for w in words if w in vocab) for lang, vocab in FUNCTION_WORDS.items()}


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``; the markup ``hint`` (e.g. "pt-BR") wins when the text is unclear."""
    hint_code = hint.strip().lower().replace("_", "-").split("-")[0][:2] if hint and hint.strip() else None
    scores = language_scores(text)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, best_count), (_, second_count) = ranked[0], ranked[1]
    total = sum(scores.values())
    if total >= 5 and (best_count - second_count) / total >= CLEAR_LEAD:
        return best
    return hint_code or (best if best_count else None)
