"""Bytes to documents: HTML main text, RSS/Atom entries, PDF text and plain text.

Each parser returns ``ParsedDoc`` items (a feed gives one per entry). Boilerplate in HTML
(scripts, navigation, headers, footers, forms, link lists) is removed and the main text kept
as paragraphs. Input that is none of these raises ``InputError`` saying what to do.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from kakehashi.errors import InputError

MAX_PARAGRAPHS = 5_000
_BLOCKS = "p, h1, h2, h3, h4, li, blockquote, pre, td, dd, figcaption"
_INNER = "p, h1, h2, h3, h4, blockquote, pre, td, dd, figcaption"
_INNER_TAGS = {t.strip() for t in _INNER.split(",")}
_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
         "svg", "button", "select", "template")
_BOILER = re.compile(r"^(share|compartir|compartilhar|print|imprimir|back to|volver|voltar|"
                     r"home|inicio|início|menu|cookie|subscribe|suscr[ií]bete|leia também|"
                     r"also read|related|noticias relacionadas|comentarios|comments)\b",
                     re.IGNORECASE)


@dataclass(frozen=True)
class ParsedDoc:
    title: str
    text: str
    published: str | None
    url: str | None
    kind: str  # html | feed-entry | pdf | text


def sniff(data: bytes, name: str = "", content_type: str = "") -> str:
    head = data[:2048].lstrip().lower()
    ct = content_type.lower()
    if head.startswith(b"%pdf") or name.lower().endswith(".pdf") or "pdf" in ct:
        return "pdf"
    start = data[:4096].lower()
    if (head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or "xml" in ct) and (
            b"<rss" in start or b"<feed" in start or b"<rdf" in start):
        return "feed"
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or "html" in ct \
            or name.lower().endswith((".html", ".htm")):
        return "html"
    return "text"


def decode(data: bytes, origin: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(origin, "looks like binary data (NUL bytes), not text, HTML, a feed "
                         "or a PDF", hint="Give a text, HTML, RSS/Atom or PDF document.")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        text = data.decode("latin-1")
    bad = sum(1 for c in text[:20_000] if ord(c) < 32 and c not in "\n\r\t\f")
    if bad > 0.01 * max(1, min(len(text), 20_000)):
        raise InputError(origin, "looks like binary data (control characters), not text",
                         hint="Give a text, HTML, RSS/Atom or PDF document.")
    return text


def parse(data: bytes, origin: str, content_type: str = "") -> list[ParsedDoc]:
    kind = sniff(data, origin, content_type)
    if kind == "pdf":
        docs = [parse_pdf(data, origin)]
    elif kind == "feed":
        docs = parse_feed(data, origin)
    elif kind == "html":
        docs = [parse_html(decode(data, origin), origin)]
    else:
        text = normalise(decode(data, origin))
        first = text.strip().split("\n", 1)[0][:200]
        docs = [ParsedDoc(first, text, None, None, "text")]
    docs = [d for d in docs if d.text.strip()]
    if not docs:
        raise InputError(origin, f"has no text ({kind} with nothing to read)",
                         hint="Check that the page or file has content; nothing was stored.")
    return docs


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parse_html(html: str, origin: str = "") -> ParsedDoc:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    title_node = tree.css_first("title") or tree.css_first("h1")
    title = title_node.text(strip=True) if title_node else ""
    published = None
    for sel in ('meta[property="article:published_time"]', 'meta[name="date"]',
                'meta[name="pubdate"]', "time[datetime]"):
        node = tree.css_first(sel)
        if node is not None:
            published = node.attributes.get("content") or node.attributes.get("datetime")
            if published:
                break
    for tag in _DROP:
        for node in tree.css(tag):
            node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    paragraphs: list[str] = []
    if root is not None:
        for node in root.css(_BLOCKS):
            inner = node.css(_INNER)
            if len(inner) > (1 if node.tag in _INNER_TAGS else 0):  # a container: children count
                continue
            text = re.sub(r"\s+", " ", node.text(separator=" ")).strip()
            if not text or _BOILER.match(text) or _link_dense(node, text):
                continue
            paragraphs.append(text)
            if len(paragraphs) >= MAX_PARAGRAPHS:
                break
        if not paragraphs:
            paragraphs = [p for p in normalise(root.text(separator="\n")).split("\n") if p]
    return ParsedDoc(title, "\n".join(paragraphs), published, None, "html")


def _link_dense(node: Any, text: str) -> bool:
    links: int = sum(len(a.text(strip=True)) for a in node.css("a"))
    return len(text) < 200 and links > 0.6 * len(text)


def parse_feed(data: bytes, origin: str) -> list[ParsedDoc]:
    import feedparser  # type: ignore[import-untyped]

    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser fails in many ways on broken input
        raise InputError(origin, f"is a broken feed ({type(exc).__name__}: {exc})",
                         hint="Check the feed address or fetch it again; nothing was stored."
                         ) from None
    docs: list[ParsedDoc] = []
    for entry in feed.entries:
        body = ""
        if entry.get("content"):
            body = " ".join(c.get("value", "") for c in entry["content"])
        body = body or entry.get("summary", "") or entry.get("description", "")
        text = parse_html(f"<html><body>{body}</body></html>").text if "<" in body else body
        title = entry.get("title", "")
        full = normalise(f"{title}\n{text}" if title and title not in text else text)
        published = entry.get("published") or entry.get("updated")
        docs.append(ParsedDoc(title, full, published, entry.get("link"), "feed-entry"))
    if feed.bozo and sum(len(d.text) for d in docs) < 20:
        raise InputError(origin, f"is a broken feed ({feed.get('bozo_exception', 'unreadable')})",
                         hint="Check the feed address or fetch it again; nothing was stored.")
    return docs


def parse_pdf(data: bytes, origin: str) -> ParsedDoc:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InputError(origin, f"is not a readable PDF ({exc})",
                         hint="Check the file; a scanned PDF needs OCR first.") from None
    text = normalise("\n\n".join(pages))
    meta = reader.metadata
    title = str(meta.title) if meta and meta.title else text.split("\n", 1)[0][:200]
    return ParsedDoc(title, text, None, None, "pdf")
