"""Interface languages: English, Spanish and Japanese.

Messages are keyed by their English text (as gettext does); `locales/{en,es,ja}.json` map each
key to its text in that language (en.json to itself), and a test checks that every key used in
the code and templates is in all three. The language of a request is chosen, in this order,
by ``?lang=``, the ``lang`` cookie (set when ``?lang=`` is given) and the browser's
Accept-Language; it lives in a context variable for the request, so the page builders and
chart builders can call `_()` without passing it around.
"""

from __future__ import annotations

import contextvars
import functools
import json
from pathlib import Path
from typing import Any

LANGS = ("en", "es", "ja")
DEFAULT = "en"
LANG_NAMES = {"en": "English", "es": "Español", "ja": "日本語"}
LOCALES = Path(__file__).resolve().parent / "locales"
COOKIE = "lang"

CURRENT: contextvars.ContextVar[str] = contextvars.ContextVar("kakehashi_lang", default=DEFAULT)


@functools.cache
def messages(lang: str) -> dict[str, str]:
    path = LOCALES / f"{lang}.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def lang() -> str:
    return CURRENT.get()


def gettext(key: str, /, **kwargs: Any) -> str:
    """The message in the request's language (English if it has none), formatted."""
    text = messages(CURRENT.get()).get(key) or key
    return text.format(**kwargs) if kwargs else text


_ = gettext


def valid(value: str | None) -> str | None:
    v = (value or "").strip().lower()[:5]
    return v if v in LANGS else None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (q-values honoured), if any."""
    best: tuple[float, int, str] | None = None
    for i, part in enumerate((header or "").split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        code = valid(tag.strip().split("-")[0])
        if code is None:
            continue
        q = 1.0
        for p in params.split(";"):
            name, _eq, value = p.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or (q, -i) > (best[0], best[1])):
            best = (q, -i, code)
    return best[2] if best else None


def negotiate(query_lang: str | None, cookie_lang: str | None,
              accept_language: str | None) -> tuple[str, bool]:
    """(language, whether to set the cookie)."""
    chosen = valid(query_lang)
    if chosen:
        return chosen, chosen != valid(cookie_lang)
    return valid(cookie_lang) or from_accept_language(accept_language) or DEFAULT, False


def cname(country: dict[str, Any]) -> str:
    """A country's name in the request's language (names from the `countries` table)."""
    name = country.get(f"name_{CURRENT.get()}") or country.get("name_en") or country.get("iso3")
    return str(name)


SUBREGIONS = ("Caribbean", "Central America", "South America")
