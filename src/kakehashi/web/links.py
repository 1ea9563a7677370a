"""Links that keep a page's state: the language switcher, permalinks and embed addresses.

A page's state is its address: the path and the query (periods, target, measure, weights...)
plus ``lang``; a permalink adds the ``#id`` of a chart, and the chart's embed address is
``/embed<page>/<chart-id>?<the same query>``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from kakehashi.web import i18n

EMBEDDABLE = ("/country/", "/compare", "/rank", "/events")


def embed_page(path: str) -> str | None:
    """The page part of an embed address: / is /region; pages without charts have none."""
    if path == "/":
        return "/region"
    if path.startswith("/country/") or path in ("/compare", "/rank", "/events"):
        return path
    return None


def context(request: Request) -> dict[str, Any]:
    lang = i18n.lang()
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    path = request.url.path
    state = urlencode([*params, ("lang", lang)])
    origin = str(request.base_url).rstrip("/")
    page = embed_page(path)

    def permalink(panel_id: str) -> str:
        return f"{path}?{state}#{panel_id}"

    def embed_path(panel_id: str) -> str | None:
        return f"/embed{page}/{panel_id}?{state}" if page else None

    return {
        "lang": lang,
        "langs": [(code, i18n.LANG_NAMES[code], f"{path}?{urlencode([*params, ('lang', code)])}")
                  for code in i18n.LANGS],
        "state": state,
        "origin": origin,
        "permalink": permalink,
        "embed_path": embed_path,
    }
