"""Extract stage: raw HTML in, an ``ExtractedArticle`` out; no network, no state.

Cascade:
 1. decode the bytes (BOM, HTTP header, <meta charset>, then a guess) with w3lib;
 2. parse the page once (lxml) and read the publisher's metadata (JSON-LD, OpenGraph, <meta>,
    <time>, bylines) from that tree with ``pipeline.extract.metadata``;
 3. prune what is never article text: code, captions, "related", sign-up and cookie boxes,
    other stories' teaser cards, subscription and donation appeals, readers' comment threads;
    a ``<div>`` of prose between the story's paragraphs, or a div's loose opening text, is read
    as a paragraph;
 4. extract the main text with trafilatura; the publisher's JSON-LD ``articleBody`` (without
    the Markdown some CMSs leave in it) stands in when trafilatura finds too little; drop the
    "read also" and "follow us" lines between the paragraphs; put back the standfirst that
    sits above the story's container, so it opens the body; a short text beside a paywall box
    is flagged as a teaser;
 5. choose each field from the most trustworthy place that has it (JSON-LD, meta tags,
    the feed item, then htmldate's reading of the page) and record where the date came from
    (``pipeline.extract.dates``). The title is the ``<h1>`` readers see when it is a version of
    the metadata headline; authors come from JSON-LD, meta bylines and byline markup, else from
    the page's byline elements (full names only).
A page with no article text raises ``Dropped`` with what it did give (title, dates, authors)
attached, so `protestwire extract` still shows them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from urllib.parse import urljoin, urlsplit

import trafilatura
from courlan import extract_domain
from lxml import etree
import lxml.html
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from trafilatura.utils import is_dubious_html, repair_faulty_html
from w3lib.encoding import html_to_unicode

from pipeline.extract.dates import DateOptions, decide_dates
from pipeline.extract.language import detect_language
from pipeline.extract.metadata import (
    ARTICLE_TYPES, DESK_BYLINES, PageMetadata, byline_authors, headline_element, people_only, read_metadata,
)
from pipeline.extract.normalise import names_site
from pipeline.types import Dropped, ExtractedArticle, FeedHints

# Raised whenever what the extractor gives for the same page changes (stored with each article,
# so a store shows which articles an older extractor made): 2 = titles from the visible <h1>,
# byline authors, the standfirst kept, page-clock and byline-arbiter dates.
EXTRACTOR_VERSION = f"protestwire-2+trafilatura-{trafilatura.__version__}"


@dataclass(frozen=True, kw_only=True)
class ExtractOptions:
    # Shorter bodies are link lists, teasers or error pages rather than articles.
    min_body_chars: int = 200
    # Pages over this size are not news articles (or are hostile); Scrapy's DOWNLOAD_MAXSIZE is larger.
    max_html_bytes: int = 8 * 1024 * 1024
    # trafilatura's fallback extractors (readability, jusText) compared against its own result:
    # slower, and only sometimes better; see benchmarks/extraction.py for the figures.
    thorough: bool = True

    def __post_init__(self) -> None:
        if self.min_body_chars < 0 or self.max_html_bytes <= 0:
            raise ValueError("min_body_chars must be >= 0 and max_html_bytes > 0")


DEFAULT_OPTIONS = ExtractOptions()
DEFAULT_DATE_OPTIONS = DateOptions()
# Crawling (thorough=False): on the pages with no date anywhere else (feed items usually carry
# one), htmldate reads the tree already parsed, without its free-text search, rather than
# parsing the page again: ~10 pages of 200 fewer right on the date benchmark, ~2 ms a page less.
QUICK_DATE_OPTIONS = DateOptions(htmldate_reparses=False, extensive_search=False)
# Class-name fragments of boxes that templates put in or after the story ("Lee también",
# "Leia também", "Más noticias", newsletter sign-ups, recommendation widgets); trafilatura
# otherwise keeps their headlines as if they were paragraphs of the story.
BOILERPLATE_CLASSES = (
    "related", "relacionad", "lee-tambien", "leia-tambem", "read-more", "mas-leidas", "more-news",
    "mas-noticias", "mais-noticias", "newsletter", "outbrain", "taboola", "subscribe", "suscri", "cookie",
    "popular", "most-read", "mais-lidas", "trending", "author-bio",
)
# Readers' comments and their forms (class or id): dropped whatever their length, as they are
# prose too, unless the element is the story's frame after all ("post has-comments").
COMMENT_NAMES = ("comments", "comment-list", "comment_list", "commentlist", "comment-form", "comment_form",
                 "comentarios", "disqus")
# The author's biography under the story ("author-bio", "author__biography", "sobre-el-autor"):
# prose, so it goes whatever its length, like a comment thread.
_AUTHOR_BIO = re.compile(
    r"(?:^|[\s_-])(?:author|autor)[-_]*(?:bio|biography|biografia|about|description)\w*(?:[\s_-]|$)|"
    r"about[-_]?the[-_]?author|sobre[-_]?(?:el|la|o|a)[-_]?autor")
# "live-comments", "match-comments": a live blog's or a match's running commentary is the story.
_COMMENTS = re.compile(r"(?<!live)(?<!match)(?:^|[\s_-])(?:" + "|".join(COMMENT_NAMES) + r")(?:[\s_-]|$)")
# A class token containing one of the names between word separators: "link-related",
# "story-contents__related", "related-posts", "widget_taboola" (not "unrelated").
_BOILERPLATE_CLASS = re.compile(r"(?:^|[\s_-])(?:" + "|".join(BOILERPLATE_CLASSES) + r")\w*(?:[\s_-]|$)")
# Templates also put such flags on the page's frame (<body class="single related-on">);
# those elements hold the article and are never pruned, nor is any holding most of the text.
FRAME_TAGS = frozenset({"html", "body", "main", "article"})
CODE_SCRIPTS_XPATH = (
    "//script[not(@type) or contains(@type, 'javascript') or contains(@type, 'json') or @type='module']"
)
# schema.org JSON-LD: trafilatura's last resort reads the text of script-rendered pages from it
# (a HowTo's or recipe's steps, FAQ answers, reviews) and tells forum threads by it. Blocks with
# an articleBody stay out: pipeline.extract.metadata reads that, and _publisher_body_is_better judges it
# (a teaser, another story's text, the CMS's Markdown) before it stands in for the page's text.
JSON_LD_XPATH = "//script[@type='application/ld+json'][not(contains(., 'articleBody'))]"


# Elements trafilatura deletes from its own copy of the tree anyway (its MANUALLY_CLEANED list)
# that never hold article text; removing them once from the shared tree spares trafilatura
# ~10% of the elements it copies and walks several times. <nav>, <aside>, <noscript> and <form>
# stay: on some real pages the article sits inside one of them and trafilatura rescues it there.
NEVER_TEXT_TAGS = (
    "footer", "button", "input", "select", "option", "textarea", "label", "fieldset", "iframe",
    "object", "embed", "video", "audio", "canvas", "map", "picture", "source", "dialog", "menu",
)


def prune_page(tree: HtmlElement) -> HtmlElement:
    """Remove from ``tree`` (in place) what is never article text: code, styles, inline SVG,
    captions, NEVER_TEXT_TAGS and the boxes in BOILERPLATE_CLASSES.

    One Python pass over the class attributes costs ~1 ms; an XPath ``contains()`` per class
    name costs ~5 ms on a 160 KiB page.
    """
    # Code, styles and inline SVG are a large part of a modern page and never article text;
    # dropping them first makes trafilatura's many tree walks ~20% cheaper. Scripts of other
    # types (text/template...) and <noscript> can hold the story on script-rendered sites, so
    # they stay. JSON-LD has been read by pipeline.extract.metadata before this; it goes back at the end.
    etree.strip_elements(tree, "style", "svg", *NEVER_TEXT_TAGS, with_tail=False)
    structured_data = tree.xpath(JSON_LD_XPATH)
    for script in tree.xpath(CODE_SCRIPTS_XPATH):
        script.drop_tree()  # keeps the text after it
    doomed, comments = [], []
    for element in tree.xpath("//*[@class or @id]"):
        if element.tag in FRAME_TAGS:
            continue
        names = element.get("class") or ""
        if names and _BOILERPLATE_CLASS.search(names):
            doomed.append(element)
            continue
        names = f"{names} {element.get('id') or ''}"
        # Substring tests first: a regular expression on every element's names costs ~0.4 ms a page.
        if ("omment" in names or "omentario" in names or "disqus" in names) and _COMMENTS.search(names.lower()):
            comments.append(element)
        elif ("uthor" in names or "utor" in names) and _AUTHOR_BIO.search(names.lower()):
            comments.append(element)
    # Captions describe pictures; a gallery of them is not an article, and in a story they
    # interrupt the text.
    doomed += tree.xpath("//figcaption")
    if doomed or comments:
        page_chars = len(tree.text_content())
        for element in doomed:
            if element.getparent() is not None and _is_box(element, page_chars):
                element.drop_tree()  # keeps the element's tail text in its parent
        for element in comments:
            if element.getparent() is not None and _is_comment_thread(element, page_chars):
                element.drop_tree()
    _drop_teaser_cards(tree)
    _drop_subscription_boxes(tree)
    _prose_divs_as_paragraphs(_drop_headline_links(tree))
    _restore_in_head(tree, structured_data)
    return tree


def _restore_in_head(tree: HtmlElement, scripts: list[HtmlElement]) -> None:
    """Put the JSON-LD scripts back for trafilatura, after the pruning rules have measured the
    page's text without them, and in <head>, where no reading of the page's visible text
    (``_publisher_body_is_better``) takes their articleBody for the page's own words."""
    if not scripts or tree.tag != "html":
        return  # a fragment, not a page
    head = tree.find("head")
    if head is None:
        head = tree.makeelement("head")
        tree.insert(0, head)
    for script in scripts:
        script.tail = None
        head.append(script)


# Boxes asking the reader to subscribe, become a member or donate ("Hazte miembro", "Apoya a El
# Faro", "Tu suscripción se está usando en otro dispositivo"): the smallest element around a
# link to the outlet's subscription, membership or donation pages that has some text of its own.
# Templates show them inside the article, where trafilatura keeps them as paragraphs. The link's
# path segment or host label must be the word, so that ".../organ-donation-facts" is not one.
_SUBSCRIPTION_HREF = re.compile(
    r"(?:^|[/.])(?:suscri\w*|subscri\w*|assin\w*|membres[ií]as?|memberships?|miembros?|apoy[ao]|donat\w*|donar|"
    r"doa[cç]\w*)"
    r"(?:[/.?#]|$)", re.IGNORECASE)
BOX_TAGS = frozenset({"div", "section", "aside", "form"})
SUBSCRIPTION_BOX_MIN_CHARS = 100
SUBSCRIPTION_BOX_MAX_CHARS = 1500
SUBSCRIPTION_BOX_MAX_PAGE_SHARE = 1 / 3


def _drop_subscription_boxes(tree: HtmlElement) -> None:
    links = [link for link in tree.iter("a")
             if _SUBSCRIPTION_HREF.search((link.get("href") or "").partition("//")[2])]
    if not links:
        return
    page_chars = len(tree.text_content())
    boxes = []
    for link in links:
        box = link.getparent()
        while box is not None and len(box.text_content().strip()) < SUBSCRIPTION_BOX_MIN_CHARS:
            box = box.getparent()
        # A paragraph or list item linking to such a page is the story's text (or a reference).
        if box is None or box.tag not in BOX_TAGS or next(box.iter("h1"), None) is not None:
            continue
        chars = len(box.text_content())
        if chars <= SUBSCRIPTION_BOX_MAX_CHARS and chars < SUBSCRIPTION_BOX_MAX_PAGE_SHARE * page_chars:
            boxes.append(box)
    for box in boxes:
        if box.getparent() is not None:
            box.drop_tree()


# Other stories' teasers ("More from ...", a section's stream): cards of a linked headline and
# its standfirst. trafilatura drops the link-only headlines but keeps the standfirsts as if
# they were paragraphs of the story. A story's own sub-headings are seldom links, a heading that
# is one but heads a long section is not a card, and a live blog's updates link their headings
# to anchors on the same page.
HEADLINE_TAGS = ("h2", "h3", "h4")
HEADLINE_MIN_CHARS = 15
HEADLINE_LINK_SHARE = 0.5
CARD_MAX_CHARS = 800
MIN_TEASER_CARDS = 3


# Headings over a box of other stories ("More from The Nation", "Más noticias", "Lo más leído",
# "Mais lidas", "You may also like"): the box the title opens goes when it is short or a fifth
# links (``_is_story_list``), so a section of the story under a similar title stays. Templates name such boxes in
# every way, so their visible title is the sign that recurs across outlets.
MORE_STORIES_LABELS = (
    r"more (?:[\w'’-]+ )?from\b.*", r"more (?:stories|news|articles|coverage)\b.*", r"most (?:read|popular|viewed)\b.*",
    r"(?:you|we think you) (?:may|might|will) (?:also )?(?:like|enjoy)", r"recommended(?: for you| stories| reading)?",
    r"related (?:stories|articles|coverage|news|content)", r"(?:read|see) (?:also|more)", r"also read",
    r"m[aá]s (?:noticias|le[ií]d[oa]s|vist[oa]s|populares)\b.*", r"lo m[aá]s (?:le[ií]do|visto|popular)\b.*",
    r"(?:te|le) (?:puede|podr[ií]a) interesar", r"te recomendamos", r"recomendad[oa]s(?: para (?:ti|usted))?",
    r"(?:noticias|notas|art[ií]culos) relacionad[oa]s", r"otras noticias\b.*", r"lee (?:tambi[eé]n|m[aá]s)",
    r"mais (?:not[ií]cias|lidas|vistas|populares)\b.*", r"(?:not[ií]cias|mat[eé]rias) relacionadas",
    r"outras not[ií]cias\b.*", r"leia (?:tamb[eé]m|mais)", r"veja (?:tamb[eé]m|mais)",
    r"voc[eê] (?:tamb[eé]m )?(?:pode|vai) gostar\b.*",
)
_MORE_STORIES_HEADING = re.compile(r"[\W_]*(?:" + "|".join(MORE_STORIES_LABELS) + r")[\W_]*", re.IGNORECASE)
MORE_STORIES_HEADING_MAX_CHARS = 60


def _drop_teaser_cards(tree: HtmlElement) -> None:
    cards, story_boxes = [], []
    for heading in tree.iter(*HEADLINE_TAGS):
        title = heading.text_content().strip()
        chars = len(title)
        if (chars <= MORE_STORIES_HEADING_MAX_CHARS and heading.getprevious() is None
                and _MORE_STORIES_HEADING.fullmatch(title)):
            # The title opens its box; one further down a wiki's flat text heads only a section.
            story_boxes.append(heading.getparent())
            continue
        if chars < HEADLINE_MIN_CHARS:
            continue
        link_chars = sum(len(link.text_content().strip()) for link in heading.iter("a")
                         if link.get("href") and "#" not in link.get("href", ""))
        if link_chars < HEADLINE_LINK_SHARE * chars:
            continue
        card = heading.getparent()
        if card is None or card.tag in FRAME_TAGS or len(card.text_content()) > CARD_MAX_CHARS:
            continue
        if next(card.iter("h1"), None) is None:
            cards.append(card)
    if len(cards) >= MIN_TEASER_CARDS:
        for card in cards:
            if card.getparent() is not None:
                card.drop_tree()
    if story_boxes:
        page_chars = len(tree.text_content())
        for box in story_boxes:
            if (box is not None and box.tag not in FRAME_TAGS and box.getparent() is not None
                    and next(box.iter("h1"), None) is None and _is_story_list(box, page_chars)):
                box.drop_tree()


# Under such a title, teaser cards (headline link, standfirst, author) are a fifth to a third links.
STORY_LIST_LINK_SHARE = 0.2


def _is_story_list(box: HtmlElement, page_chars: int) -> bool:
    chars = len(box.text_content())
    if chars >= page_chars / 2:
        return False
    return chars < BOX_MAX_PROSE_CHARS or sum(len(link.text_content()) for link in box.iter("a")) >= (
        STORY_LIST_LINK_SHARE * chars)


# Elements that make a <div> a container rather than a paragraph (readability's rule).
BLOCK_TAGS = frozenset({
    "div", "p", "table", "ul", "ol", "dl", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "section",
    "article", "aside", "nav", "header", "main", "figure", "form", "li", "hr", "address", "noscript",
})
PROSE_DIV_MIN_CHARS = 60
PROSE_DIV_MAX_LINK_SHARE = 0.5
PROSE_DIV_MIN_SIBLINGS = 2  # paragraphs of at least PROSE_DIV_MIN_CHARS beside it


def _prose_divs_as_paragraphs(paragraphs_under: Counter[HtmlElement | None]) -> None:
    """Turn a <div> of inline prose standing between the story's paragraphs into a <p>:
    trafilatura reads bare <div> text only on pages with little <p> text, so a translation or a
    quote written as a <div> was lost. Short and link-heavy ones (dates, bylines, link boxes) and
    those with no paragraph beside them (teaser cards, notices) stay as they are."""
    for parent, count in paragraphs_under.items():
        if parent is None or count < PROSE_DIV_MIN_SIBLINGS:
            continue
        if sum(_is_paragraph(child) for child in parent) < PROSE_DIV_MIN_SIBLINGS:
            continue
        for div in parent.iterchildren("div"):
            chars = len(div.text_content().strip())
            if chars < PROSE_DIV_MIN_CHARS:
                continue
            if next(div.iterdescendants(*BLOCK_TAGS), None) is not None:
                _leading_text_as_paragraph(div)
            elif sum(len(link.text_content()) for link in div.iter("a")) <= PROSE_DIV_MAX_LINK_SHARE * chars:
                div.tag = "p"


def _drop_headline_links(tree: HtmlElement) -> Counter[HtmlElement | None]:
    """Drop the paragraphs that are another story's headline (``_is_headline_link``); the
    count of the remaining paragraphs under each parent, from the same walk."""
    paragraphs_under: Counter[HtmlElement | None] = Counter()
    headline_links = []
    for paragraph in tree.iter("p"):
        if _is_headline_link(paragraph):
            headline_links.append(paragraph)
        else:
            paragraphs_under[paragraph.getparent()] += 1
    for paragraph in headline_links:
        paragraph.drop_tree()
    return paragraphs_under


# A paragraph that is nothing but a link in capitals ("SENADO APRUEBA LA REFORMA", "CLICK HERE TO
# GET THE APP") is another story's headline or a promotion set between the story's paragraphs.
# Sentence-case link paragraphs stay: on many pages they are the story's own references.
HEADLINE_LINK_MIN_WORDS = 4


def _is_headline_link(paragraph: HtmlElement) -> bool:
    if next(paragraph.iter("a"), None) is None:
        return False
    text = paragraph.text_content()
    if not text.isupper():
        return False
    links = [link for link in paragraph.iter("a") if not (link.get("href") or "#").startswith("#")]
    words = text.split()
    return (len(links) == 1 and len(words) >= HEADLINE_LINK_MIN_WORDS
            and links[0].text_content().split() == words)


def _leading_text_as_paragraph(div: HtmlElement) -> None:
    """Give a <div>'s own opening text a <p> of its own. Unclosed markup such as
    ``<div>translation...</p><p>more</div>`` puts a paragraph's text straight in the div before
    its first block child, and trafilatura skips such loose text beside blocks."""
    if len((div.text or "").strip()) < PROSE_DIV_MIN_CHARS:
        return
    paragraph = div.makeelement("p")
    paragraph.text, div.text = div.text, None
    # Inline elements after the text (links, emphasis) belong to the same paragraph.
    while len(div) and div[0].tag not in BLOCK_TAGS:
        paragraph.append(div[0])
    div.insert(0, paragraph)


def _is_paragraph(element: HtmlElement) -> bool:
    return element.tag == "p" and len(element.text_content()) >= PROSE_DIV_MIN_CHARS


# A thread of readers' comments may outweigh a short story; an element named so that holds the
# headline or nearly all the text is the story's frame.
COMMENTS_MAX_PAGE_SHARE = 2 / 3


def _is_comment_thread(element: HtmlElement, page_chars: int) -> bool:
    if next(element.iter("h1"), None) is not None:
        return False
    return len(element.text_content()) < COMMENTS_MAX_PAGE_SHARE * page_chars


# A box is a list of links ("Lee también") or a short widget (newsletter sign-up). An element
# named like one but holding prose is the story's own container ("single_content read-more" on
# an expandable article), and one holding most of the page's text is the page's frame.
BOX_LINK_SHARE = 0.3
BOX_MAX_PROSE_CHARS = 400


def _is_box(element: HtmlElement, page_chars: int) -> bool:
    chars = len(element.text_content())
    if chars >= page_chars / 2:
        return False
    if chars < BOX_MAX_PROSE_CHARS:
        return True
    link_chars = sum(len(link.text_content()) for link in element.iter("a"))
    return link_chars >= BOX_LINK_SHARE * chars


def _html_parser() -> lxml.html.HTMLParser:
    """trafilatura's parser settings, with every element an ``HtmlElement``: lxml.html's own
    class lookup (special classes for form fields) is a Python call for each element Python
    touches, ~3,000 a page between our passes and trafilatura's (0.5 ms); the C default lookup
    gave the same articles on 700 real pages."""
    parser = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                  remove_pis=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    return parser


HTML_PARSER = _html_parser()


def parse_html(html: str) -> HtmlElement | None:
    """The page as an lxml tree, as trafilatura's ``load_html`` would parse it, but from UTF-8
    bytes: lxml reads bytes ~30% faster than a Python string of the same page. None when the
    text is not HTML at all."""
    beginning = html[:50].lower()
    try:
        tree = lxml.html.fromstring(
            repair_faulty_html(html, beginning).encode("utf-8", "surrogatepass"), parser=HTML_PARSER
        )
    except (etree.ParserError, ValueError):
        return None
    # A text that does not say it is HTML and parses into a single element is not a page.
    return None if is_dubious_html(beginning) and len(tree) < 2 else tree


def read_page(html: str) -> tuple[PageMetadata, HtmlElement | None]:
    """The publisher's metadata and the pruned tree of a page, from one parse: the metadata (and
    the count of headline links) is read before pruning removes the JSON-LD scripts and teaser cards."""
    tree = parse_html(html)
    if tree is None:
        return PageMetadata(), None
    meta = read_metadata(tree)
    meta.headline_links, meta.teaser_text = teaser_cards(tree)
    return meta, prune_page(tree)


# A listing page (section front, tag or home page) is a stack of teaser cards, each a headline linking
# to a story over its standfirst, and its publisher does not call it an article: it says "website" or
# "CollectionPage", or titles it with the outlet's name. What is extracted from it is then mostly the
# cards' standfirsts. Story pages link a few related headlines, rarely eight, and their text is their
# own (a Yahoo story says "website" and links 50 headlines beside it).
MIN_LISTING_HEADLINE_LINKS = 8
LISTING_TEASER_SHARE = 0.5  # of the extracted text's characters, found in the teaser cards
LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage", "WebSite"})
STORY_TYPES = frozenset(ARTICLE_TYPES - {"WebPage"})


def teaser_cards(tree: HtmlElement) -> tuple[int, str]:
    """How many distinct pages the headings of ``tree`` link to with a headline's worth of text, and
    the text of the cards those headings stand in (heading, standfirst...), one card a line."""
    targets, cards = set(), []
    for heading in tree.iter(*HEADLINE_TAGS):
        for link in heading.iter("a"):
            href = (link.get("href") or "").strip()
            if href and not href.startswith("#") and len(link.text_content().strip()) >= HEADLINE_MIN_CHARS:
                targets.add(href)
                card = heading.getparent()
                if card is not None and len(card.text_content()) <= CARD_MAX_CHARS:
                    cards.append(" ".join(card.text_content().split()))
                break
    return len(targets), "\n".join(cards)


def is_listing_page(meta: PageMetadata, text: str) -> bool:
    """Whether a page is a listing of other stories rather than a story, given its extracted ``text``
    (see MIN_LISTING_HEADLINE_LINKS)."""
    if meta.headline_links < MIN_LISTING_HEADLINE_LINKS or meta.article_body or not text:
        return False
    if (meta.page_type or "").startswith("article") or meta.ld_types & STORY_TYPES:
        return False
    undated_website = meta.page_type == "website" and not meta.published_candidates
    if not (meta.ld_types & LISTING_TYPES or undated_website or names_site(meta.title or "", meta.site_name)):
        return False
    lines = [" ".join(line.split()) for line in text.splitlines()]
    in_cards = sum(len(line) for line in lines if line and line in meta.teaser_text)
    return in_cards >= LISTING_TEASER_SHARE * sum(len(line) for line in lines)


def decode_html(raw: bytes | str, content_type: str | None = None) -> str:
    """Text of a page: BOM, then the HTTP charset, then <meta charset>, then a guess (w3lib).

    A server that declares the wrong charset (UTF-8 for Latin-1 bytes, say) would turn every
    accent into U+FFFD; then the page's own declaration or the guess is used instead.
    """
    if isinstance(raw, str):
        return raw
    if not raw.isascii():
        # Bytes that decode as UTF-8 are UTF-8, whatever the page declares (GB2312 or
        # Latin-1 declarations on UTF-8 pages are common); the reverse is vanishingly rare.
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    _encoding, text = html_to_unicode(content_type, raw, auto_detect_fun=_undeclared_encoding)
    if "\ufffd" in text and content_type:
        _encoding, from_page = html_to_unicode(None, raw, auto_detect_fun=_undeclared_encoding)
        if from_page.count("\ufffd") < text.count("\ufffd"):
            return from_page
    return text


# What browsers assume of a page that declares no encoding and is not UTF-8 (the WHATWG
# fallback for Western locales): old Spanish, Portuguese and English sites written in Latin-1
# or Windows-1252. w3lib would otherwise decode it as UTF-8 and turn every accent into U+FFFD.
# (charset_normalizer's guess took Spanish for Windows-1250, "ñ" for "ń", and costs milliseconds.)
UNDECLARED_ENCODING = "cp1252"


def _undeclared_encoding(_raw: bytes) -> str:
    return UNDECLARED_ENCODING


def extract_article(
    raw: bytes | str,
    url: str,
    *,
    content_type: str | None = None,
    feed: FeedHints | None = None,
    options: ExtractOptions = DEFAULT_OPTIONS,
    fetched_at: datetime | None = None,
    last_modified: str | None = None,
) -> ExtractedArticle:
    """The article on one page. Raises ``Dropped`` (reason ``empty``, ``too-large``, ``listing-page``, ``no-text``,
    ``no-title``); a page that was parsed but has no article text or no title still carries its
    metadata (``Dropped.article``: title, dates, authors; an empty body when it has no text).

    ``fetched_at`` anchors relative dates; ``last_modified`` (HTTP header) is the date of last resort."""
    if not raw or not raw.strip():
        raise Dropped("empty", url)
    if len(raw) > options.max_html_bytes:
        raise Dropped("too-large", f"{url} is {len(raw)} bytes")
    html = decode_html(raw, content_type)
    feed = feed or FeedHints()
    meta, tree = read_page(html)
    # trafilatura's own metadata pass repeats ours at twice the cost: body only.
    document = trafilatura.bare_extraction(
        tree, url=url, fast=not options.thorough, with_metadata=False, include_comments=False, include_tables=True,
        include_images=False,
    ) if tree is not None else None
    text = (document.text if document else "") or ""
    if meta.article_body and _publisher_body_is_better(meta.article_body, text, tree, options.min_body_chars):
        text = meta.article_body
    text = drop_promotion_lines(text)
    if is_listing_page(meta, text):
        raise Dropped("listing-page", f"{url} links {meta.headline_links} stories and is not one")
    found_chars = len(text)
    has_text = found_chars >= options.min_body_chars
    if not has_text:
        text = ""  # a link list, teaser or error page: not the story
    elif tree is not None and meta.description:
        text = with_standfirst(text, meta.description, tree, meta.title)
    title = meta.title or feed.title or ""
    # A page without article text still has the title, dates and authors a reader of
    # `protestwire extract` wants; they travel with the Dropped exception.
    dates = decide_dates(meta, tree, url, feed=feed, html=html, fetched_at=fetched_at, last_modified=last_modified,
                         options=DEFAULT_DATE_OPTIONS if options.thorough else QUICK_DATE_OPTIONS)
    # A newsroom desk or the outlet itself only when no person is named anywhere on the page.
    named = [] if all(names_site(name, meta.site_name) or DESK_BYLINES.match(name) for name in meta.authors) \
        else meta.authors
    authors = (named or people_only([feed.author] if feed.author else [])
               or (byline_authors(tree, meta.site_name) if tree is not None else []) or meta.authors)
    article = ExtractedArticle(
        url=url,
        canonical_url=_same_site_url(meta.canonical_url, url, feed.outlet_domains) or url,
        title=title,
        subtitle=meta.description,
        body=text,
        authors=authors,
        **dates.article_fields(),
        language=detect_language(f"{title}\n{text}", meta.language or feed.language),
        section=meta.section,
        tags=meta.tags,
        image=_absolute_http_url(meta.image, url),
        site_name=meta.site_name,
        paywalled=meta.paywalled or is_teaser(html, text),
        extractor_version=EXTRACTOR_VERSION,
    )
    if not has_text:
        raise Dropped("no-text", f"{url} has {found_chars} characters of text", article=article)
    if not title:
        raise Dropped("no-title", url, article=article)
    return article


# The standfirst (the summary under the headline: "bajada", "sumario", "linha fina", "deck")
# sits in the story's header, outside the container trafilatura takes the text from, and most
# templates repeat it as the page's description. A block of its own after the headline that
# the description is, or opens with, is the story's opening.
STANDFIRST_MIN_CHARS = 60
# The standfirst comes soon after the headline: a byline, a date, a share bar of a block or two
# per network between at most (25 blocks missed 3 standfirsts of the eval pages, 60 none).
STANDFIRST_MAX_BLOCKS_AFTER_HEADLINE = 60
STANDFIRST_TAGS = ("h2", "h3", "p", "div")
LINES_ABOVE_STANDFIRST = 3  # at most: a section label, a kicker, the headline


def _blocks_after(headline: HtmlElement) -> Iterator[HtmlElement]:
    """The STANDFIRST_TAGS elements after the headline in document order, read lazily."""
    element: HtmlElement | None = headline
    while element is not None:
        for sibling in element.itersiblings():
            yield from sibling.iter(*STANDFIRST_TAGS)
        element = element.getparent()


def with_standfirst(text: str, description: str, tree: HtmlElement, title: str | None = None) -> str:
    """The text with the page's standfirst before it: a block after the headline that the
    description is, or opens with (see above)."""
    description = _SPACE_RUNS.sub(" ", description).strip()
    flat_text = _SPACE_RUNS.sub(" ", text)
    if len(description) < STANDFIRST_MIN_CHARS or description[:STANDFIRST_MIN_CHARS] in flat_text:
        return text
    headline = headline_element(tree, title)
    if headline is None:
        return text
    headline_text = _SPACE_RUNS.sub(" ", headline.text_content()).strip()
    for block in islice(_blocks_after(headline), STANDFIRST_MAX_BLOCKS_AFTER_HEADLINE):
        # Only the innermost blocks: a container's text is the whole story, slow to read.
        if next(block.iterdescendants(*STANDFIRST_TAGS), None) is not None:
            continue
        # The description may run on past the standfirst the page shows (its first sentences).
        shown = _SPACE_RUNS.sub(" ", block.text_content()).strip()
        if len(shown) >= STANDFIRST_MIN_CHARS and description.startswith(shown) and shown != headline_text:
            if shown[:STANDFIRST_MIN_CHARS] in flat_text:
                return text
            return _after_leading_headline(text, shown, headline_text)
    return text


def _after_leading_headline(text: str, standfirst: str, title: str) -> str:
    """The standfirst goes after the lines the text may open with above it (a section label, a
    kicker, the headline), where normalise strips the title's and the section's repeats."""
    lines = text.split("\n")
    above = 0
    while above < min(len(lines), LINES_ABOVE_STANDFIRST):
        line = _SPACE_RUNS.sub(" ", lines[above]).strip()
        if line != title and len(line) >= STANDFIRST_MIN_CHARS:
            break
        above += 1
    return "\n".join([*lines[:above], standfirst, *lines[above:]])


# Lines an outlet puts between the story's paragraphs to send the reader elsewhere: a label
# ("Lea también:", "VEA TAMBIÉN:", "Leia mais:", "LE PUEDE INTERESAR:", "À lire aussi") before
# another story's headline, or the label alone above a list of links. Short single-word verbs ("Mira", "Lea")
# count only with their colon, as they also open sentences.
READ_ALSO_LABELS = (
    "lea también", "lee también", "lea además", "lee además", "lea más", "lee más", "vea también", "ve también",
    "mira también", "mire también", "puedes ver", "puede ver", "le puede interesar", "te puede interesar",
    "también te puede interesar", "también le puede interesar", "le podría interesar", "te podría interesar",
    "notas relacionadas", "nota relacionada", "noticias relacionadas", "contenido relacionado", "relacionado",
    "relacionadas", "leia também", "leia mais", "veja também", "saiba mais", "confira também",
    "read also", "also read", "read more", "see also",
    "à lire aussi", "lire aussi", "voir aussi", "lesen sie auch", "auch interessant", "mehr zum thema",
    "weitere themen",
    "empfohlene beiträge", "leggi anche", "czytaj też", "czytaj także",
)
READ_ALSO_VERBS = ("lea", "lee", "leia", "mira", "mire", "vea", "veja", "confira", "ver", "more")
_READ_ALSO = re.compile(
    r"^[\W_]*(?:(?:" + "|".join(READ_ALSO_LABELS) + r")\b[\W_]*(?::|$)|(?:" + "|".join(READ_ALSO_VERBS)
    + r")[ \t]*:)", re.IGNORECASE)
# Calls to follow the outlet elsewhere or sign up for its newsletter ("Síguenos en Telegram",
# "Follow Metro.co.uk on Twitter", "¿Ya tienes nuestro canal de WhatsApp? Únete", "Suscríbete a
# nuestro newsletter"): a call to action and a channel in one short line. An author's "Follow
# him on Twitter" is part of the byline the story's readers see.
_FOLLOW_CALL = re.compile(
    r"\b(?:s[ií]g[ua]nos|s[ií]guenos|[uú]nete|suscr[ií]bete|follow (?:us|(?!him|her|me|them)\S+ on)|join (?:us|our)|"
    r"siga-nos|segue-nos|inscreva-se|cadastre-se|reg[ií]strate|sign(?:ing)? up|nuestro canal|nosso canal|"
    r"our channel)\b",
    re.IGNORECASE)
_CHANNEL = re.compile(r"\b(?:telegram|whatsapp|youtube|google news|twitter|facebook|instagram|tiktok|newsletters?|"
                      r"bolet[ií]n|boletim)\b", re.IGNORECASE)
PROMOTION_MAX_CHARS = 250
# The outlet's copyright notice ("© 2024 Diario X. Todos los derechos reservados", "Copyright ©
# 2023 The Times, LLC"), which templates print under the story and trafilatura keeps as its last line.
_COPYRIGHT_NOTICE = re.compile(
    r"©|^\W*copyright\b|\b(?:all rights reserved|derechos reservados|direitos reservados)\b", re.IGNORECASE)
COPYRIGHT_MAX_CHARS = 200
# Calls for readers' tips with the newsroom's address ("Got a story? Get in touch at news@...",
# "¿Tienes información? Escríbenos a ...", "Write to Ana Pérez at ana@..."): an e-mail address and a
# call in one short line. An author's own "email him at" closes a bio that readers see as the byline.
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_CONTACT_CALL = re.compile(
    r"\b(?:get in touch|got a (?:story|tip)|have a (?:story|tip)|story to tell|e-?mail us|write to|contact us|"
    r"send us|reach the reporter|escr[ií]ba?nos|cont[aá]cta(?:nos)?|env[ií]a(?:nos)?|tienes informaci[oó]n|"
    r"escreva(?:-nos)?|fale conosco|entre em contato|envie)\b",
    re.IGNORECASE)

# Notices about the page rather than the news: a story still being written ("This is a breaking
# news story - more to follow", "Esta noticia está en desarrollo", "Notícia em atualização"), and
# the small print of a sign-up box ("... You can unsubscribe at any time. Read our Privacy Policy").
_DEVELOPING_STORY = re.compile(
    r"^[\W_]*(?:this is an? (?:breaking|developing)(?: news?)? story|this (?:story|article) (?:is developing|"
    r"will be updated|is being updated)|(?:esta )?(?:noticia|informaci[oó]n) (?:est[aá] )?en (?:desarrollo|"
    r"actualizaci[oó]n)|(?:esta )?(?:not[ií]cia|mat[eé]ria) (?:est[aá] )?em (?:atualiza[cç][aã]o|"
    r"desenvolvimento)|more to follow[\W_]*$)", re.IGNORECASE)
_PRIVACY_POLICY = re.compile(r"\b(?:privacy (?:policy|notice)|pol[ií]tica de privacidad|pol[ií]tica de privacidade)\b",
                             re.IGNORECASE)
_SIGN_UP_TERMS = re.compile(r"\b(?:sign(?:ing)? up|subscri\w+|newsletters?|unsubscribe|opt out|at any time|"
                            r"suscri\w+|bolet[ií]n|darte de baja|assin\w+|boletim|cancelar)\b", re.IGNORECASE)
# A picture's credit left between the paragraphs ("Foto: Télam", "(Foto: Agência Brasil)",
# "Photo: Reuters", "Imagen: EFE"): the caption's last line, never the story's.
_PHOTO_CREDIT = re.compile(
    r"^[\W_]*(?:fotos?|photos?|fotograf[ií]as?|photograph|credits?|imagen(?:es)?|imagem|imagens|images?|bild(?:er)?)"
    r"(?:\s*\(cc\))?\s*:", re.IGNORECASE)
PHOTO_CREDIT_MAX_CHARS = 120


def _is_page_notice(line: str) -> bool:
    """A short line (the caller's PROMOTION_MAX_CHARS) about the page, not the news."""
    if len(line) <= PHOTO_CREDIT_MAX_CHARS and _PHOTO_CREDIT.match(line):
        return True
    return bool(_DEVELOPING_STORY.match(line) or (_PRIVACY_POLICY.search(line) and _SIGN_UP_TERMS.search(line)))


def drop_promotion_lines(text: str) -> str:
    """The body without its "read also" links, calls to follow the outlet elsewhere or send it
    tips, copyright lines, picture credits and notices about the page: lines
    under PROMOTION_MAX_CHARS, so a paragraph of the story that mentions them stays."""
    if not text:
        return text
    return "\n".join(line for line in text.split("\n") if not _is_promotion(line))


def _is_promotion(line: str) -> bool:
    if len(line) > PROMOTION_MAX_CHARS:
        return False
    if _READ_ALSO.match(line) or (_FOLLOW_CALL.search(line) and _CHANNEL.search(line)):
        return True
    if len(line) <= COPYRIGHT_MAX_CHARS and _COPYRIGHT_NOTICE.search(line):
        return True
    if _is_page_notice(line):
        return True
    return "@" in line and bool(_EMAIL_ADDRESS.search(line) and _CONTACT_CALL.search(line))


# Paywall boxes as templates name them (class/id tokens), and calls to subscribe as readers see
# them (es/pt/en). A free article may carry a hidden paywall template, so a marker only counts
# when the text found is teaser-sized.
PAYWALL_NAMES = ("paywall", "regwall", "piano-offer", "premium-content", "content-locked")
PAYWALL_CALLS = (
    "exclusivo para suscriptores", "exclusivo para assinantes", "para seguir leyendo", "para continuar leyendo",
    "continue lendo", "subscribe to continue reading", "subscribe to keep reading", "article is for subscribers",
    "content is only available to subscribers",
)
_IN_CLASS_OR_ID = re.compile(r"""\s(?:class|id)=["'][^"'<>]*$""")
TEASER_CHARS = 1200


def is_teaser(html: str, text: str) -> bool:
    """A paywalled page shows a short teaser and a call to subscribe or a paywall box.

    Plain substring searches on the lower-cased page: a case-insensitive regular expression
    over a 160 KiB page cost ~25 ms."""
    if len(text) >= TEASER_CHARS:
        return False
    page = html.lower()
    for name in PAYWALL_NAMES:
        start = page.find(name)
        while start != -1:
            before = page[max(0, start - 200):start]
            # "non-paywall" and "no-paywall" are the free-article flags of some templates.
            if _IN_CLASS_OR_ID.search(before) and not before.endswith(("non-", "no-")):
                return True
            start = page.find(name, start + 1)
    return any(call in page for call in PAYWALL_CALLS)


# The publisher's JSON-LD articleBody replaces the extracted text when it is this much longer
# (the extractor missed paragraphs) and its opening really is on the page (it is not a teaser,
# a template's placeholder or another article's text).
PUBLISHER_BODY_GAIN = 1.2
_SPACE_RUNS = re.compile(r"\s+")


def _publisher_body_is_better(article_body: str, extracted: str, tree: HtmlElement | None,
                              min_chars: int) -> bool:
    if len(article_body) <= len(extracted) * PUBLISHER_BODY_GAIN:
        return False
    if tree is None or len(extracted) < min_chars:
        return True  # nothing readable on the page (script-rendered): the publisher's text is all there is
    opening = _SPACE_RUNS.sub(" ", article_body[:200]).strip()[:80]
    page = tree.find("body")  # the page's visible text, not the JSON-LD kept in <head>
    return bool(opening) and opening in _SPACE_RUNS.sub(" ", (tree if page is None else page).text_content())


def _same_site_url(candidate: str | None, page_url: str, outlet_domains: tuple[str, ...] = ()) -> str | None:
    """A canonical URL the page declares, if it is on the page's own site or one of the outlet's
    registered domains: a canonical link or JSON-LD url pointing at another domain (copied
    templates, syndication) is not believed."""
    absolute = _absolute_http_url(candidate, page_url)
    if absolute is None:
        return None
    if _site(absolute) == _site(page_url):
        return absolute
    host = (urlsplit(absolute).hostname or "").lower()
    return absolute if any(host == d or host.endswith("." + d) for d in outlet_domains) else None


def _site(url: str) -> str:
    """The registrable domain (uol.com.br for www.folha.uol.com.br), or the host itself."""
    host = (urlsplit(url).hostname or "").lower()
    return extract_domain(url) or ".".join(host.split(".")[-2:])


def _absolute_http_url(candidate: str | None, page_url: str) -> str | None:
    if not candidate:
        return None
    absolute = urljoin(page_url, candidate.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None
