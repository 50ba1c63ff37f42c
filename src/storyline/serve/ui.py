"""The web pages: story list, story, article, copy diff. Server-rendered, every value escaped.

Article content is untrusted: Jinja2 autoescaping is on for every template, URLs become links only
when they are http(s), and every page is sent with a Content-Security-Policy that allows no inline
script, so even a missed escape could not run one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from storyline.clean.dates import SOURCE_WORDS
from storyline.serve.app import reader
from storyline.serve.data import article_detail, pair_detail, story_detail
from storyline.store import Store
from storyline.store.browse import MAX_OFFSET, list_stories

__all__ = ["error_page", "render", "router"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

router = APIRouter(include_in_schema=False)
ReadStore = Annotated[Store, Depends(reader)]


def safe_url(url: str | None) -> str | None:
    """`url` when it is an http(s) URL, else None (a ``javascript:`` URL must never become a link)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()] or [text]


_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["safe_url"] = safe_url
_env.filters["paragraphs"] = paragraphs
_env.filters["source_words"] = lambda source: SOURCE_WORDS.get(source, "")
_env.filters["day"] = lambda iso: (iso or "")[:16].replace("T", " ") or "undated"


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP})


def error_page(status: int, message: str) -> str:
    return _env.get_template("error.html").render(status=status, message=message)


@router.get("/", response_class=HTMLResponse)
def story_list(
    request: Request,
    store: ReadStore,
    q: Annotated[str, Query(max_length=500)] = "",
    since: str = "",
    until: str = "",
    page: Annotated[int, Query(ge=1, le=MAX_OFFSET)] = 1,
) -> HTMLResponse:
    size = request.app.state.config.page_size
    if (page - 1) * size > MAX_OFFSET:
        raise HTTPException(422, f"page {page} is beyond any store's last page")
    rows, total = list_stories(
        store, query=q, since=since or None, until=until or None, offset=(page - 1) * size, limit=size
    )

    def link(n: int) -> str:
        return "/?" + urlencode(
            {k: v for k, v in (("q", q), ("since", since), ("until", until)) if v} | {"page": n}
        )

    pages = {
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page * size < total else None,
    }
    return render(
        "list.html",
        first=(page - 1) * size + 1,
        rows=rows,
        total=total,
        q=q,
        since=since,
        until=until,
        page=page,
        pages=pages,
    )


@router.get("/stories/{story}", response_class=HTMLResponse)
def story_page(store: ReadStore, story: str) -> HTMLResponse:
    detail = story_detail(store, story)
    order = {aid: n for n, aid in enumerate(sorted(detail["articles"], key=_source_order(detail)), 1)}
    return render("story.html", s=detail, view=detail["view"], articles=detail["articles"], number=order)


def _source_order(detail: dict[str, Any]) -> Any:
    rank = {b["id"]: (gi, mi) for gi, g in enumerate(detail["groups"]) for mi, b in enumerate(g["members"])}
    return lambda aid: rank.get(aid, (len(rank), 0))


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(store: ReadStore, article_id: str) -> HTMLResponse:
    return render("article.html", a=article_detail(store, article_id))


@router.get("/diff", response_class=HTMLResponse)
def diff_page(request: Request, store: ReadStore, a: str, b: str) -> HTMLResponse:
    detail = pair_detail(store, a, b, request.app.state.config.settings.copies, diff=True)
    return render("diff.html", p=detail)
