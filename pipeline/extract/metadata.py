"""Page metadata from the parts publishers fill in for machines: JSON-LD, OpenGraph, <meta>, <time>.

Read from the lxml tree that ``pipeline.extract.page`` parses once per page for trafilatura too,
before that tree loses its scripts: a second parse of the page, even of only its metadata
tags with beautifulsoup4, cost ~3 ms of the ~20 ms a crawled page may take (the crawl
benchmark). The article body is trafilatura's job in ``pipeline.extract.page``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from pipeline.extract.normalise import names_site

ARTICLE_TYPES = {
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
    "LiveBlogPosting", "OpinionNewsArticle", "BackgroundNewsArticle", "WebPage",
}
# Bylines that name the newsroom rather than a person; kept only when they are all there is.
DESK_BYLINES = re.compile(
    r"^(redacci[oó]n|reda[cç][aã]o|staff|newsroom|editorial|agencias?|ag[eê]ncias?|desk|admin|noticias|"
    r"not[ií]cias|news|r[ée]daction|redaktion|nachrichten|redazione)\b", re.I
)


@dataclass(kw_only=True)
class PageMetadata:
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    published_source: str | None = None
    # Every publication date the publisher's metadata gives, (value, source) in the order above:
    # a republished story's JSON-LD may keep the first date while its meta tag and byline show
    # the new one (pipeline.extract.dates settles it with the byline).
    published_candidates: list[tuple[str, str]] = field(default_factory=list)
    modified: str | None = None
    modified_source: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    article_body: str | None = None
    paywalled: bool = False
    page_type: str | None = None  # og:type, lower case: "article", "website"...
    ld_types: frozenset[str] = frozenset()  # every JSON-LD @type on the page: "NewsArticle", "CollectionPage"...
    # Distinct pages its headings link to, and the text of those teaser cards (pipeline.extract.page.teaser_cards).
    headline_links: int = 0
    teaser_text: str = ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _name_of(value: Any) -> str | None:
    """A text value of JSON-LD (a string or an object's name); templates often leave HTML
    entities in it ("&quot;", "&#8216;"), which are decoded."""
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str) or not value.strip():
        return None
    return html.unescape(value.strip()) if "&" in value else value.strip()


def _url_of(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            url = item.get("url") or item.get("contentUrl")
            if isinstance(url, str) and url.strip():
                return url.strip()
    return None


def _json_ld_objects(raw: str) -> list[dict[str, Any]]:
    """Every object in a JSON-LD script, flattening lists and @graph; malformed JSON yields nothing."""
    try:
        data = json.loads(raw.strip().rstrip(";"))
    except (ValueError, RecursionError):
        return []
    found: list[dict[str, Any]] = []
    stack = _as_list(data)
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            found.append(item)
            stack.extend(_as_list(item.get("@graph")))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _article_object(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The most article-like JSON-LD object: a *Article type beats a WebPage."""
    best, best_rank = None, 0
    for obj in objects:
        types = {t for t in _as_list(obj.get("@type")) if isinstance(t, str)}
        if not types & ARTICLE_TYPES:
            continue
        rank = 1 if types <= {"WebPage"} else 2 + bool(obj.get("articleBody"))
        if rank > best_rank:
            best, best_rank = obj, rank
    return best


# <meta> names that carry bylines, most specific first (dc.creator and citation_author are
# repeated once per author, often as "Last, First").
AUTHOR_META = ("author", "article:author", "dc.creator", "citation_author", "parsely-author", "sailthru.author",
               "dcsext.author", "byl")
MULTI_META = frozenset({"article:tag", *AUTHOR_META})
_BYLINE_XPATH = (
    "//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
    " | //*[@itemprop='author'][not(.//*[@itemprop='name'])] | //*[@itemprop='author']//*[@itemprop='name']"
)
_BY = re.compile(r"^(?:by|por|de|par)\s+", re.I)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\||\s&\s|\sand\s|\sy\s|\se\s)\s*", re.I)
MAX_NAME_WORDS = 5


def _names(candidates: list[str | None]) -> list[str]:
    """People's names from byline strings: "By A and B" -> [A, B]; "Last, First" (one name in a
    repeated meta tag) -> "First Last"; URLs, handles and long phrases are not names."""
    names: list[str] = []
    for raw in candidates:
        if not raw:
            continue
        text = " ".join(_BY.sub("", html.unescape(raw).strip()).split())
        if not text or "://" in text or text.startswith(("@", "www.")):
            continue
        parts = _NAME_SEPARATORS.split(text)
        if text.count(",") == 1 and len(parts) == 2 and all(len(p.split()) == 1 for p in parts):
            parts = [f"{parts[1]} {parts[0]}"]  # "Lenharo, Mariana"
        for part in parts:
            part = part.strip(" .")
            if _looks_like_name(part) and part not in names:
                names.append(part)
    return names


def _looks_like_name(text: str) -> bool:
    # Photo credits "(Image: Getty)", slugs "emma-mackenzie", dates and job titles are not names.
    return (bool(text) and len(text.split()) <= MAX_NAME_WORDS and not text.islower()
            and not any(c.isdigit() or c in "()[]:/=<>{}" for c in text))


def _byline_names(tree: HtmlElement) -> list[str | None]:
    """Names in the page's own byline markup (rel=author links, schema.org itemprop=author)."""
    return [" ".join(el.text_content().split()) for el in tree.xpath(_BYLINE_XPATH)]


# Words that introduce a byline rather than being part of a name ("Publicado por", "Post author",
# "Texto:", "Erstellt von"), in the languages of our outlets and the evaluation pages.
BYLINE_LABELS = frozenset({
    "author", "autor", "autora", "auteur", "post", "posted", "published", "publicado", "publicada", "publié",
    "escrito", "escrita", "written", "by", "por", "von", "vom", "par", "texto", "text", "reportagem",
    "reportaje", "redactado", "redigido", "editado", "edited", "eingestellt", "erstellt", "geschrieben",
    "verfasst", "artikel", "interview", "entrevista", "sobre", "about", "über",
})
# Lower-case words a person's name may hold ("María de la Cruz", "Ludwig van Beethoven").
NAME_PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "del", "la", "las", "los", "y", "e", "van", "von", "der", "den", "di", "du",
    "le", "bin", "al",
})
# Inside a byline element: dates, pictures and buttons are not the name.
_NOT_BYLINE_TEXT = frozenset({"time", "figure", "script", "style", "button", "svg", "img"})
_BYLINE_PARTS = re.compile(r"\s[|·•]\s")
# Class, id or itemprop of a byline element. Tested in Python on a walk of the tree (~0.6 ms a
# page without authors): an XPath of contains() tests costs ~2.5 ms, trafilatura's author XPaths
# with regular expressions ~2 ms.
_BYLINE_HINTS = re.compile(r"author|byline|writer|journalist|autor|firma")
BYLINE_MAX_CHARS = 120


def byline_authors(tree: HtmlElement, site_name: str | None) -> list[str]:
    """People named in the page's byline elements (class, id or itemprop naming an author, byline
    or writer; rel="author") when the metadata names nobody, or only the outlet. Stricter than
    trafilatura's author reading, since a junk name is worse than none: only full names (two to
    five capitalised words), labels ("Publicado por") dropped, dates inside the byline skipped,
    the outlet's own name left out. The first byline element, in page order, that names someone
    decides.
    """
    for element in _byline_elements(tree):
        text = " ".join(_byline_text(element).split())
        if not 2 < len(text) < BYLINE_MAX_CHARS:
            continue
        names = [name for name in _names([_without_labels(part) for part in _BYLINE_PARTS.split(text)])
                 if _is_full_name(name) and not names_site(name, site_name)]
        if names:
            return people_only(names)
    return []


def _byline_elements(tree: HtmlElement) -> Iterator[HtmlElement]:
    for element in tree.iter():
        attributes = element.attrib
        if not attributes or not isinstance(element.tag, str) or element.tag in _NOT_BYLINE_TEXT:
            continue
        names = f"{attributes.get('class', '')} {attributes.get('id', '')} {attributes.get('itemprop', '')}"
        if _BYLINE_HINTS.search(names.lower()) or attributes.get("rel") == "author":
            yield element


def _byline_text(element: HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _NOT_BYLINE_TEXT and not _is_date_box(child):
            parts.append(_byline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_date_box(element: HtmlElement) -> bool:
    names = (element.get("class") or "").lower()
    return "date" in names or "time" in names


def _without_labels(text: str) -> str:
    words = text.replace(":", " ").split()
    while words and words[0].casefold().strip(".,") in BYLINE_LABELS:
        words.pop(0)
    return " ".join(words)


def _is_full_name(name: str) -> bool:
    words = name.split()
    return (2 <= len(words) <= MAX_NAME_WORDS and words[0][0].isupper()
            and all(word[0].isupper() or word.casefold() in NAME_PARTICLES for word in words))


def people_only(names: list[str]) -> list[str]:
    """Drop newsroom bylines ("Redacción") unless nothing else is left."""
    people = [n for n in names if not DESK_BYLINES.match(n)]
    return people or names


# Some CMSs (Condé Nast's among them) put their Markdown source in JSON-LD articleBody: layout
# directives on lines of their own ("+++dropcap", "+++") and links as [text](https://...).
_LAYOUT_DIRECTIVE = re.compile(r"^\+\+\+[\w-]*[ \t]*$\n?", re.M)
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]+)\]\((?:https?:)?/[^)\s]*\)")


def plain_article_body(body: str) -> str | None:
    """The text of a JSON-LD articleBody, without the Markdown some CMSs leave in it."""
    if "+++" in body:
        body = _LAYOUT_DIRECTIVE.sub("", body)
    if "](" in body:
        body = _MARKDOWN_LINK.sub(r"\1", body)
    return body.strip() or None


# Share of words (of the longer text) an <h1> must have in common with the metadata title to be
# the same story's headline rather than the site's name, a section or a blog's title.
HEADLINE_WORD_OVERLAP = 0.4
_WORD = re.compile(r"\w+")


def visible_headline(tree: HtmlElement, title: str | None) -> str | None:
    """The headline the page shows its readers, when it is a version of the metadata title.

    JSON-LD and og:title often carry the SEO headline ("Woman who lost 130lb: seven unexpected
    changes") while the <h1> readers see and cite says it differently; on trafilatura's
    evaluation pages the <h1> matches the annotated title on 0.83 of pages against 0.73 for the
    metadata title. When one contains the other, the shorter wins: an <h1> may add a kicker or
    the site's name, a metadata title the site's name or the standfirst."""
    if not title:
        return title
    title_words = set(_WORD.findall(title.casefold()))
    best, best_overlap = None, 0.0
    for heading in tree.iter("h1"):
        text = " ".join(heading.text_content().split())
        words = set(_WORD.findall(text.casefold()))
        if len(text) < 10 or not words or not title_words:
            continue
        overlap = len(words & title_words) / max(len(words), len(title_words))
        if overlap > best_overlap:
            best, best_overlap = text, overlap
    if best is None or best_overlap < HEADLINE_WORD_OVERLAP:
        return title
    folded_heading = " ".join(_WORD.findall(best.casefold()))
    folded_title = " ".join(_WORD.findall(title.casefold()))
    if folded_heading in folded_title or folded_title in folded_heading:
        return best if len(folded_heading) < len(folded_title) else title
    return best


def headline_element(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The story's headline element: an <h1> (else <h2>) whose text is in the title or holds it,
    else the first <h1> with words (the byline dates and the standfirst are looked for after it)."""
    headings = [h for h in tree.iter("h1", "h2") if len(h.text_content().strip()) >= 10]
    if title:
        title_key = " ".join(html.unescape(html.unescape(title)).split()).casefold()
        for level in ("h1", "h2"):
            for heading in (h for h in headings if h.tag == level):
                text = " ".join(heading.text_content().split()).casefold()
                if text[:60] in title_key or title_key[:60] in text:
                    return heading
    return next((h for h in headings if h.tag == "h1"), None)


def read_metadata(tree: HtmlElement) -> PageMetadata:
    """The publisher's metadata of a page, from its unpruned lxml tree (``pipeline.extract.page.read_page``
    parses a page once and calls this)."""
    meta = PageMetadata()
    props: dict[str, str] = {}
    multi: dict[str, list[str]] = {}  # keys a page may repeat: one author or tag each
    for tag in tree.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        content = html.unescape((tag.get("content") or "").strip())
        if key and content and key not in props:
            props[key] = content
        if key in MULTI_META and content:
            multi.setdefault(key, []).append(content)
    tags = multi.get("article:tag", [])
    objects: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" in (script.get("type") or "").lower():
            objects.extend(_json_ld_objects(script.text or ""))
    article = _article_object(objects) or {}
    meta.page_type = (props.get("og:type") or "").strip().lower() or None
    meta.ld_types = frozenset(t for obj in objects for t in _as_list(obj.get("@type")) if isinstance(t, str))

    meta.title = _name_of(article.get("headline")) or props.get("og:title") or props.get("twitter:title")
    if meta.title is None:
        # The document's own <title>, not one of an inline SVG icon's.
        title = tree.find("head/title")
        title = title if title is not None else tree.find(".//title")
        meta.title = " ".join((title.text_content() if title is not None else "").split()) or None
    meta.title = visible_headline(tree, meta.title)
    meta.description = _name_of(article.get("description")) or props.get("og:description") or props.get("description")
    meta.authors = people_only(
        _names([_name_of(a) for a in _as_list(article.get("author"))])
        or _names([value for key in AUTHOR_META for value in multi.get(key, [])])
        or _names(_byline_names(tree))
    )
    for value, source in (
        (article.get("datePublished"), "json-ld"),
        (props.get("article:published_time"), "meta"),
        (props.get("og:published_time") or props.get("pubdate") or props.get("publishdate"), "meta"),
        # Generic "date" tags are often the page's last change: pipeline.extract.dates ranks them lower.
        (props.get("date") or props.get("dc.date") or props.get("dcterms.created"), "meta-date"),
    ):
        if isinstance(value, str) and value.strip():
            meta.published_candidates.append((value.strip(), source))
    if meta.published_candidates:
        meta.published, meta.published_source = meta.published_candidates[0]
    # <time> elements are read by pipeline.extract.dates, which tells the article's own from a related list's.
    for value, source in ((article.get("dateModified"), "json-ld"),
                          (props.get("article:modified_time") or props.get("og:updated_time"), "meta")):
        if isinstance(value, str) and value.strip():
            meta.modified, meta.modified_source = value.strip(), source
            break
    in_language = article.get("inLanguage")
    meta.language = (_name_of(in_language) if in_language else None) or props.get("og:locale") or props.get("language")
    if meta.language is None:
        html_tag = tree if tree.tag == "html" else tree.find(".//html")
        if html_tag is not None and html_tag.get("lang"):
            meta.language = html_tag.get("lang")
    section = article.get("articleSection")
    meta.section = _name_of(_as_list(section)[0]) if section else props.get("article:section")
    keywords = article.get("keywords") or props.get("keywords") or props.get("news_keywords")
    if isinstance(keywords, str):
        keywords = [k for k in re.split(r"[,;]", keywords)]
    meta.tags = [k.strip() for k in _as_list(keywords) if isinstance(k, str) and k.strip()]
    meta.tags += [t for t in tags if t not in meta.tags]
    meta.image = _url_of(article.get("image")) or props.get("og:image")
    meta.site_name = props.get("og:site_name") or _name_of(article.get("publisher"))
    canonical = next((link.get("href") for link in tree.iter("link")
                      if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")), None)
    meta.canonical_url = canonical or props.get("og:url") or _url_of(article.get("url"))
    body = article.get("articleBody")
    meta.article_body = plain_article_body(body) if isinstance(body, str) else None
    meta.paywalled = article.get("isAccessibleForFree") in (False, "False", "false")
    return meta

