"""Download a "Then & Now" brief (HTML, PDF or Markdown) from the dashboard."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kakehashi.errors import InvalidRequest
from kakehashi.reports import briefs, render
from kakehashi.web.api import get_store

router = APIRouter()
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
         "md": "text/markdown; charset=utf-8"}


@router.get("/brief", include_in_schema=False)
def brief(request: Request, country: str | None = None, region: str | None = None,
          event: str | None = None, then: str = "2000-2004", now: str = "2016-2020",
          format: str = "html") -> Response:
    """`/brief?country=PER&then=2000-2004&now=2016-2020&format=pdf` (or region=, event=)."""
    if format not in MEDIA:
        raise InvalidRequest(f"format={format!r}: use html, pdf or md.")
    doc = briefs.brief_for(get_store(request), country=country, region=region, event=event,
                           then=then, now=now, choose="country=, region= or event=")
    chosen = [x for x in (country, region, event) if x]
    body = render.RENDERERS[format](doc)
    name = "brief-" + "".join(c for c in chosen[0] if c.isalnum() or c in "-_")[:60]
    headers = {"Content-Disposition": f'attachment; filename="{name}.{format}"'}
    return Response(body if isinstance(body, bytes) else body.encode(),
                    media_type=MEDIA[format], headers=headers)
