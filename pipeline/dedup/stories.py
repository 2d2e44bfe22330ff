"""Story and thread level: different full texts (any of es/pt/en) about one event, and the
stories of one developing conflict over weeks and months.

In the spirit of Miranda et al. 2018 ("Multilingual Clustering of Streaming News"):

 - every article becomes TF-IDF vectors of its **title**, its **body** (the whole text) and its
   **entities**: capitalised names (``e:``), numbers (``n:``), countries in any language or form
   (``c:``; "Irã", "Irán", "Iran" -> ``c:IR``). Tokens are content-word stems folded and cut to
   five letters so cognates meet (``w:prote`` for "protestos", "protestas", "protests") and event
   concepts shared by the three languages (``k:``; ``story_lexicon``). Document frequencies are
   kept by the store as articles are written (``StoryOptions`` says how they are smoothed);
 - a new article is compared with the stories of its candidates (articles sharing its rarest
   terms and entities, from an index): cosines of title, body, both and entities, and Gaussian
   time features against the story's newest, oldest and mean dates;
 - a small logistic model (``pipeline/data/story_model.json``, trained offline by
   ``scripts/train_stories.py``) turns those into the probability that the article reports the
   story's event. At or above ``StoryOptions.join`` it joins the best story;
 - otherwise it starts a story, and that story joins the **thread** of the most similar article of
   the last months when their texts are close enough (``StoryOptions.thread``): a strike that lasts
   a month, a trial, a wave of protests.

An article without a published date is placed by its content alone: its time features are unknown
(zero, with ``undated`` set, which the model learned from every training example given undated
too), and its candidates come from any time (its fetch or ingest time only dates its index keys).
"""

from __future__ import annotations

import gettext
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from importlib import resources

from pipeline.dedup.story_lexicon import concept, country_alias
from vocabulary.folding import fold

_TOKEN = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])|\d[\d.,]*\d|\d|[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»()\n]")
METHOD = "tfidf-1"  # stored in articles.story_method: a regroup redoes rows of another method


@dataclass(frozen=True, kw_only=True)
class StoryOptions:
    """How articles are grouped into stories and threads. Tuned with ``benchmarks/stories.py``."""

    # Articles further apart than this are never the same story (reports of one event span up to
    # 16 days, 90% within 10); threads (developing stories) look back this far.
    window_days: float = 10.0
    thread_days: float = 400.0
    # Probability (story model) at or above which an article joins a story.
    join: float = 0.5
    # Probability (thread model) at or above which a new story joins an earlier thread, and the
    # least cosine (texts or entities, ``thread_evidence``) a thread must show to be considered.
    thread: float = 0.5
    thread_evidence: float = 0.2
    # Probability at or above which an article of one thread's story also pulls in another thread
    # (the two become one): a single bridging article is weak evidence, so this is stricter.
    thread_merge: float = 0.9
    # Body words read (a long article's tail is background; the cap bounds the cost).
    body_words: int = 1000
    # Terms kept per vector (the strongest): stored features stay small.
    body_terms: int = 80
    entity_terms: int = 40
    # Index keys an article is stored under and looked up by: its rarest, strongest terms.
    index_terms: int = 16
    # Candidate articles compared in full per new article (those sharing the most keys), and
    # rows read per key (the latest in the window): a common term costs no more than a rare one.
    max_candidates: int = 40
    rows_per_key: int = 60
    # The weight of the background corpus's document frequencies, in articles (``idf``).
    prior_documents: float = 1000.0

    def __post_init__(self) -> None:
        if self.window_days <= 0 or self.thread_days < self.window_days or not 0 < self.join < 1 or not 0 < self.thread < 1:
            raise ValueError("window_days must be positive, thread_days >= window_days, join and thread in (0, 1)")

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)

    @property
    def thread_window(self) -> timedelta:
        return timedelta(days=self.thread_days)


DEFAULT_STORY = StoryOptions()

# Function words and newsroom words of es, pt and en, folded. Words that only start a
# sentence capitalised are not names; neither are wire agencies or weekdays and months.
_STOP = set("""
a al algo algun alguna algunas alguno algunos ante antes aquel aquella aqui asi aun cada como con contra cual cuando
de del desde donde dos durante e el ella ellas ellos en entre era eran es esa esas ese eso esos esta estaba estan
estas este esto estos fue fueron ha habia han hasta hay la las le les lo los mas me mi mientras muy ni no nos nosotros
o os otra otras otro otros para pero poco por porque que quien se segun ser sera si sido sin sobre su sus tambien
tan tanto tiene tienen todo todos tras tu un una uno unos unas ya yo ao aos as com da das do dos ela elas ele eles
em essa essas esse esses esta estao este estes foi foram isso isto ja lhe mais mas na nas nem no nos num numa o os
ou pela pelas pelo pelos quando sao seu seus sua suas tem tambem ate apos nao sim uma umas um uns vai vao ser
the of and to in on at by for with from as is are was were be been has have had it its this that these those
an or but not after before over under into about than then there their they he she his her we our you your will
would can could said says say also more most who which what when where while new first last other during against
dijo dice afirmo senalo segun informo disse afirmou segundo informou told according
lunes martes miercoles jueves viernes sabado domingo segunda terca quarta quinta sexta sabado domingo feira
monday tuesday wednesday thursday friday saturday sunday
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
janeiro fevereiro marco maio junho julho setembro outubro novembro dezembro
january february march april may june july august september october november december
efe afp ap reuters ansa dpa agencia agence press associated news noticias foto imagem imagen pictured image
hoy ayer hoje ontem today yesterday
""".split())
# Numbers read as calendar years (and so not telling one story from another).
_YEAR = re.compile(r"^(19|20)\d\d$")


@lru_cache(maxsize=1)
def _country_names() -> dict[tuple[str, ...], str]:
    """Folded country names in en, es and pt (pycountry's own translations) -> alpha-2 code."""
    import pycountry

    translators = [gettext.NullTranslations()]
    for language in ("es", "pt", "pt_BR"):
        try:
            translators.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language]))
        except OSError:
            continue
    names: dict[tuple[str, ...], str] = {}
    for country in pycountry.countries:
        variants = {country.name, getattr(country, "common_name", country.name)}
        for translator in translators:
            variants.add(translator.gettext(country.name))
        for variant in variants:
            words = tuple(fold(variant.split(",")[0]).replace("-", " ").split())
            if words:
                names[words] = country.alpha_2
    # Everyday short forms the standard names miss.
    for short, code in (("eua", "US"), ("eeuu", "US"), ("ee uu", "US"), ("usa", "US"), ("estados unidos", "US"),
                        ("united states", "US"), ("uk", "GB"), ("reino unido", "GB"), ("iran", "IR"),
                        ("russia", "RU"), ("rusia", "RU"), ("venezuela", "VE"), ("bolivia", "BO")):
        names[tuple(short.split())] = code
    return names


@lru_cache(maxsize=1)
def _name_starts() -> frozenset[str]:
    """First words of the country names of two or three words ("reino", "estados", "united")."""
    return frozenset(words[0] for words in _country_names() if len(words) > 1)


def _countries(folded_words: list[str]) -> set[str]:
    """Countries named in two or three words (one-word names are read token by token)."""
    names, starts = _country_names(), _name_starts()
    found = set()
    for index, word in enumerate(folded_words):
        if word in starts:
            for size in (3, 2):
                code = names.get(tuple(folded_words[index:index + size]))
                if code:
                    found.add(code)
                    break
    return found


@lru_cache(maxsize=200_000)
def _word_meaning(word: str) -> tuple[str | None, str | None]:
    """(country code, concept) of a folded word, either None."""
    return _country_names().get((word,)) or country_alias(word), concept(word)


def _number(token: str) -> str | None:
    digits = re.sub(r"[.,  ](?=\d{3}\b)", "", token).replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return None
    if value < 2 or _YEAR.match(digits):
        return None
    return f"{value:g}"


@dataclass(frozen=True)
class StoryTerms:
    """Term counts of one article: title and body tokens (``w:``, ``k:``), entities of both."""

    title: Counter[str]
    body: Counter[str]
    entities: Counter[str]

    def distinct(self) -> set[str]:
        return set(self.title) | set(self.body) | set(self.entities)


@dataclass(frozen=True)
class _Token:
    """What one written token contributes (cached: a newspaper's vocabulary repeats)."""

    word: str  # folded ("" for numbers)
    skip: bool  # a stop word, too short, or a number
    number: str | None
    country: str | None  # "c:XX"
    concept: str | None  # "k:..."
    stem: str | None  # "w:....."
    name: str | None  # "e:...", when written capitalised away from a sentence start


@lru_cache(maxsize=200_000)
def _token(token: str) -> _Token:
    if token[0].isdigit():
        number = _number(token)
        return _Token("", True, "n:" + number if number else None, None, None, None, None)
    word = fold(_POSSESSIVE.sub("", token))
    if word in _STOP or len(word) < 3:
        return _Token(word, True, None, None, None, None, None)
    country, idea = _word_meaning(word)
    return _Token(word, False, None, "c:" + country if country else None, "k:" + idea if idea else None,
                  "w:" + word[:5], "e:" + word if token[0].isupper() else None)


def _read(part: str, tokens: Counter[str], entities: Counter[str], folded_words: list[str]) -> None:
    sentence_start = True
    for match in _TOKEN.finditer(part):
        start = match.start()
        if _SENTENCE_END.search(part, max(0, start - 3), start):
            sentence_start = True
        info = _token(match.group())
        if info.number:
            entities[info.number] += 1
        if info.word:
            folded_words.append(info.word)
        if not info.skip:
            if info.country:
                entities[info.country] += 1
            elif info.name and not sentence_start:
                entities[info.name] += 1
            if info.concept:
                tokens[info.concept] += 1
            tokens[info.stem] += 1  # type: ignore[index]
        sentence_start = False
    folded_words.append("")  # no country name across parts


def story_terms(title: str, body: str, options: StoryOptions = DEFAULT_STORY) -> StoryTerms:
    """The title, body and entity terms of an article (see the module docstring)."""
    body = " ".join(body.split()[: options.body_words])
    title_tokens: Counter[str] = Counter()
    body_tokens: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    title_words: list[str] = []
    body_words: list[str] = []
    _read(title, title_tokens, entities, title_words)
    _read(body, body_tokens, entities, body_words)
    for code in _countries(title_words + body_words):
        entities["c:" + code] += 0 if ("c:" + code) in entities else 1
    return StoryTerms(title_tokens, body_tokens, entities)


Vector = dict[str, float]


def _normalised(weights: Mapping[str, float], keep: int | None = None) -> Vector:
    items = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    if keep is not None:
        items = items[:keep]
    norm = math.sqrt(sum(w * w for _, w in items))
    return {k: round(w / norm, 4) for k, w in items} if norm else {}


PRIOR_FILE = "story_prior.json.gz"


@lru_cache(maxsize=1)
def background_frequencies() -> tuple[dict[str, int], int]:
    """Document frequencies of a background corpus (``scripts/build_story_prior.py``) and its size."""
    import gzip

    data = json.loads(gzip.decompress(resources.files("pipeline").joinpath("data", PRIOR_FILE).read_bytes()))
    return data["df"], int(data["documents"])


def idf(term: str, df: int, documents: int, options: StoryOptions = DEFAULT_STORY) -> float:
    """Inverse document frequency over the store's articles and the background corpus (scaled to
    ``options.prior_documents``): a young store does not take its first common words as rare."""
    prior, prior_documents = background_frequencies()
    scale = options.prior_documents / prior_documents
    return math.log((documents + options.prior_documents + 1) / (df + prior.get(term, 0) * scale + 1)) + 1.0


@dataclass(frozen=True)
class StoryVectors:
    """An article's normalised TF-IDF vectors, as stored in ``articles.story_features``."""

    language: str | None
    title: Vector
    body: Vector
    entities: Vector
    keys: tuple[str, ...] = ()  # the index terms (rarest first)

    def encode(self) -> str:
        return json.dumps({"l": self.language, "t": self.title, "b": self.body, "e": self.entities,
                           "k": list(self.keys)}, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def decode(stored: str | None) -> StoryVectors | None:
        if not stored or not stored.startswith("{"):
            return None  # empty, or features of the older headline method
        data = json.loads(stored)
        return StoryVectors(data.get("l"), data.get("t", {}), data.get("b", {}), data.get("e", {}),
                            tuple(data.get("k", ())))

    @cached_property
    def both(self) -> Vector:
        """Title and body together (computed once: every candidate story compares it)."""
        return _both(self)

    @cached_property
    def title_entities(self) -> Vector:
        """The entities also written in the title."""
        return {k: w for k, w in self.entities.items() if k[2:] and ("w:" + k[2:7]) in self.title}


def _unit(weights: Mapping[str, float]) -> Vector:
    """``weights`` scaled to length one (for comparisons only: not sorted, not rounded)."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k: w / norm for k, w in weights.items()} if norm else {}


def _both(vectors: StoryVectors) -> Vector:
    merged: dict[str, float] = dict(vectors.body)
    for key, weight in vectors.title.items():
        merged[key] = merged.get(key, 0.0) + weight
    return _unit(merged)


def story_vectors(terms: StoryTerms, language: str | None, frequencies: Mapping[str, int], documents: int,
                  options: StoryOptions = DEFAULT_STORY) -> StoryVectors:
    """Weigh ``terms`` by the store's document ``frequencies`` (term -> articles) of ``documents``."""
    def weigh(counts: Counter[str], keep: int | None) -> Vector:
        return _normalised({t: (1 + math.log(c)) * idf(t, frequencies.get(t, 0), documents, options)
                            for t, c in counts.items() if c > 0}, keep)

    title, body, entities = weigh(terms.title, None), weigh(terms.body, options.body_terms), weigh(
        terms.entities, options.entity_terms)
    # Index keys: the terms of the article a report of the same event most likely shares and
    # few other articles have: strong in this article (tf-idf), names and numbers first among equals.
    strength: dict[str, float] = {}
    for vector in (title, body, entities):
        for term, weight in vector.items():
            if not term.startswith("k:"):
                strength[term] = max(strength.get(term, 0.0), weight)
    keys = tuple(sorted(strength, key=lambda t: (-strength[t], t))[: options.index_terms])
    return StoryVectors(language, title, body, entities, keys)


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two normalised vectors (their dot product)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b)


@lru_cache(maxsize=500_000)
def key_hash(term: str) -> int:
    """Signed 64-bit key of a term (index keys and document frequencies)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


# Story model ------------------------------------------------------------------------------------

FEATURES = ("bias", "title", "body", "both", "entities", "title_entities", "cross_language", "cross_both",
            "cross_entities", "near_newest", "near_oldest", "near_mean", "undated", "other_countries")


@dataclass(frozen=True)
class Member:
    """A stored article of a candidate story: its vectors and its time (None: undated)."""

    article_id: int
    story_id: int
    thread_id: int
    vectors: StoryVectors
    when: datetime | None


def _named_countries(vectors: StoryVectors) -> set[str]:
    return {k for k in vectors.entities if k.startswith("c:")}


def other_countries(vectors: StoryVectors, members: Sequence[Member]) -> float:
    """1 when the article and every member name countries and none in common: reports placing an
    event in different countries are rarely about one event or one conflict."""
    mine = _named_countries(vectors)
    if not mine:
        return 0.0
    for member in members:
        theirs = _named_countries(member.vectors)
        if not theirs or theirs & mine:
            return 0.0
    return 1.0


def _gauss(gap_days: float, sigma_days: float) -> float:
    return math.exp(-0.5 * (gap_days / sigma_days) ** 2)


TIME_SIGMA_DAYS = 3.0


def similarity_features(vectors: StoryVectors, when: datetime | None, members: Sequence[Member]) -> list[float]:
    """The model's inputs for an article against one story (its ``members`` among the candidates):
    the best cosine of each kind over the members, and time against the story's dates."""
    best = dict.fromkeys(("title", "body", "both", "entities", "title_entities"), 0.0)
    mine_both, mine_title_entities = vectors.both, vectors.title_entities
    cross = 1.0
    for member in members:
        other = member.vectors
        best["title"] = max(best["title"], cosine(vectors.title, other.title))
        best["body"] = max(best["body"], cosine(vectors.body, other.body))
        best["both"] = max(best["both"], cosine(mine_both, other.both))
        best["entities"] = max(best["entities"], cosine(vectors.entities, other.entities))
        best["title_entities"] = max(best["title_entities"], cosine(mine_title_entities, other.entities))
        if vectors.language is None or other.language is None or other.language == vectors.language:
            cross = 0.0
    dated = sorted(m.when for m in members if m.when is not None)
    if when is None or not dated:
        near = [0.0, 0.0, 0.0]
        undated = 1.0
    else:
        mean = dated[0] + sum((d - dated[0] for d in dated), timedelta()) / len(dated)
        near = [_gauss(abs((when - moment).total_seconds()) / 86400, TIME_SIGMA_DAYS)
                for moment in (dated[-1], dated[0], mean)]
        undated = 0.0
    return [1.0, best["title"], best["body"], best["both"], best["entities"], best["title_entities"], cross,
            cross * best["both"], cross * best["entities"], *near, undated, other_countries(vectors, members)]


def _logistic(weights: Sequence[float], features: Sequence[float]) -> float:
    z = sum(w * x for w, x in zip(weights, features))
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@dataclass(frozen=True)
class StoryModel:
    """Logistic weights over ``FEATURES`` (same event) and ``THREAD_FEATURES`` (same developing
    story), trained by ``scripts/train_stories.py``."""

    story: tuple[float, ...]
    thread: tuple[float, ...]

    def probability(self, features: Sequence[float]) -> float:
        return _logistic(self.story, features)

    def thread_probability(self, features: Sequence[float]) -> float:
        return _logistic(self.thread, features)


MODEL_FILE = "story_model.json"


@lru_cache(maxsize=1)
def default_model() -> StoryModel:
    data = json.loads(resources.files("pipeline").joinpath("data", MODEL_FILE).read_text(encoding="utf-8"))
    if tuple(data["story"]["features"]) != FEATURES or tuple(data["thread"]["features"]) != THREAD_FEATURES:
        raise ValueError(f"{MODEL_FILE} was trained on other features: retrain with scripts/train_stories.py")
    return StoryModel(tuple(float(w) for w in data["story"]["weights"]),
                      tuple(float(w) for w in data["thread"]["weights"]))


THREAD_FEATURES = ("bias", "both", "entities", "title", "top3_both", "top3_entities", "near_newest", "undated",
                   "other_countries", "centroid_both", "centroid_entities")
THREAD_SIGMA_DAYS = 30.0


def thread_features(vectors: StoryVectors, when: datetime | None, members: Sequence[Member]) -> list[float]:
    """The thread model's inputs for an article against one thread (its ``members`` among the
    candidates): best and mean-of-three cosines (one close article is weaker evidence than
    several), and time to its nearest member (weeks, not days)."""
    mine_both = vectors.both
    both = sorted((cosine(mine_both, m.vectors.both) for m in members), reverse=True)
    entities = sorted((cosine(vectors.entities, m.vectors.entities) for m in members), reverse=True)
    title = max(cosine(vectors.title, m.vectors.title) for m in members)
    dated = [m.when for m in members if m.when is not None]
    if when is None or not dated:
        near, undated = 0.0, 1.0
    else:
        near = _gauss(min(abs((when - d).total_seconds()) for d in dated) / 86400, THREAD_SIGMA_DAYS)
        undated = 0.0
    return [1.0, both[0], entities[0], title, sum(both[:3]) / 3, sum(entities[:3]) / 3, near, undated,
            other_countries(vectors, members), cosine(mine_both, _centroid([m.vectors.both for m in members])),
            cosine(vectors.entities, _centroid([m.vectors.entities for m in members]))]


def _centroid(vectors: Sequence[Vector]) -> Vector:
    """The normalised sum of ``vectors``: what a thread's articles have in common weighs most."""
    total: dict[str, float] = {}
    for vector in vectors:
        for key, weight in vector.items():
            total[key] = total.get(key, 0.0) + weight
    return _unit(total)


@dataclass(frozen=True)
class Decision:
    """Where an article goes: the story it joins (None: its own) and the threads it links.

    ``thread_id`` is the thread of the joined story, else the thread the new story joins (None:
    its own). ``merge``: another thread the article also belongs to (the thread model says so),
    so that thread and ``thread_id`` become one (a developing story seen from two ends)."""

    story_id: int | None
    thread_id: int | None
    probability: float = 0.0
    merge: int | None = None


def decide(vectors: StoryVectors, when: datetime | None, candidates: Iterable[Member],
           options: StoryOptions = DEFAULT_STORY, model: StoryModel | None = None) -> Decision:
    """The story and thread an article joins among its candidates (the one decision of the store,
    the regroup and the benchmarks)."""
    model = model or default_model()
    pool = list(candidates)
    by_story: dict[int, list[Member]] = {}
    by_thread: dict[int, list[Member]] = {}
    for member in pool:
        by_thread.setdefault(member.thread_id, []).append(member)
        if when is None or member.when is None or abs(member.when - when) <= options.window:
            by_story.setdefault(member.story_id, []).append(member)
    story, story_probability = _best(by_story, lambda members: model.probability(
        similarity_features(vectors, when, members)))
    own_thread = by_story[story][0].thread_id if story is not None and story_probability >= options.join else None
    thread, thread_probability = _best(
        {t: m for t, m in by_thread.items() if t != own_thread},
        lambda members: model.thread_probability(thread_features(vectors, when, members))
        if thread_evidence(vectors, members) >= options.thread_evidence else 0.0)
    linked = thread if thread is not None and thread_probability >= options.thread else None
    if own_thread is not None:
        merge = thread if thread is not None and thread_probability >= options.thread_merge else None
        return Decision(story, own_thread, story_probability, merge)
    return Decision(None, linked, story_probability)


def thread_evidence(vectors: StoryVectors, members: Sequence[Member]) -> float:
    """The closest text or set of names of the thread: without enough of either, events of one
    week and one kind (two strikes) would be linked by their time alone."""
    mine_both = vectors.both
    return max(max(cosine(mine_both, m.vectors.both), cosine(vectors.entities, m.vectors.entities)) for m in members)


def _best(groups: Mapping[int, list[Member]], score: Callable[[list[Member]], float]) -> tuple[int | None, float]:
    best, best_score = None, 0.0
    for group_id, members in groups.items():
        value = score(members)
        if value > best_score:
            best, best_score = group_id, value
    return best, best_score
