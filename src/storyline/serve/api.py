"""The JSON API: post articles, list and read stories, read articles, explain a pair.

Write endpoints need ``Authorization: Bearer TOKEN`` when the service has a token. Every error is
``{"error": "..."}`` with a fitting status (401, 404, 413, 422, 500).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from storyline.ingest import IngestConfig
from storyline.ingest.rows import row_to_item
from storyline.model import RawItem, Rejection
from storyline.serve.app import reader, token_ok
from storyline.serve.data import article_detail, pair_detail, story_detail
from storyline.serve.writer import Posted, Writes, fallback_id
from storyline.store import Store
from storyline.store.browse import MAX_OFFSET, list_stories

__all__ = ["ArticleIn", "Batch", "router"]

router = APIRouter(prefix="/api", tags=["api"])
ReadStore = Annotated[Store, Depends(reader)]


class ArticleIn(BaseModel):
    """One article, with the fields of a JSONL input line; other fields are kept as extra metadata."""

    model_config = ConfigDict(extra="allow")
    id: str | int | None = Field(
        None,
        description="your id (a number becomes its digits, as in JSONL input); without one, a hash of the"
        " content is used. Ids are 1-512 printable characters without / or \\",
    )
    text: str | None = Field(None, description="flat text of the page (this or html)")
    html: str | None = Field(None, description="the page's HTML (this or text)")
    url: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="ISO 8601 date or time")
    site: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_a_batch(cls, data: Any) -> Any:
        """A malformed batch must fail, not pass as one article carrying an ``articles`` field."""
        if isinstance(data, dict) and "articles" in data:
            raise ValueError("'articles' must be a list of article objects")
        return data


class Batch(BaseModel):
    articles: list[ArticleIn]


class Result(BaseModel):
    id: str | None
    status: str = Field(description="ok or rejected")
    reason: str | None = None
    kind: str | None = Field(None, description="what kind of problem a rejection is (model.RejectionKind)")
    new: bool = Field(description="false when the same article was already stored")
    copy_group: str | None = None
    story: str | None = Field(None, description="provisional until the idle-time story revision")


class PostResponse(BaseModel):
    results: list[Result]


def require_token(request: Request) -> None:
    """Checks the bearer token of a write request (constant-time compare)."""
    token: str | None = request.app.state.config.token
    if token is not None and not token_ok(request.headers.get("authorization"), token):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


def _items(articles: list[ArticleIn], ingest: IngestConfig) -> list[RawItem | Rejection]:
    """Each posted article as an item; its source names the posted object by a hash of all its fields,
    so every distinct post keeps its own record (a rejection no longer overwrites the one before) and
    posting the same object again is recognised."""
    items: list[RawItem | Rejection] = []
    for article in articles:
        row: dict[str, Any] = article.model_dump(exclude_none=True)
        content = row.get("text") or row.get("html") or ""
        whole = json.dumps(row, sort_keys=True, default=str)
        source = "POST " + fallback_id(whole).removeprefix("post-")
        items.append(row_to_item(row, fallback_id=fallback_id(content), source=source, config=ingest))
    return items


def _result(posted: Posted) -> Result:
    o = posted.outcome
    return Result(
        id=o.id,
        status=o.status,
        reason=o.reason,
        kind=o.kind,
        new=o.new,
        copy_group=posted.copy_group,
        story=posted.story,
    )


@router.post("/articles", response_model=PostResponse, dependencies=[Depends(require_token)])
async def post_articles(
    request: Request, body: Annotated[ArticleIn | list[ArticleIn] | Batch, Body()]
) -> PostResponse:
    """Add one article, a list of them, or ``{"articles": [...]}``; get each one's id, copy group and story
    (in the order posted). Articles already stored with the same content come back with ``new: false``."""
    articles = body.articles if isinstance(body, Batch) else body if isinstance(body, list) else [body]
    writer: Writes = request.app.state.writer
    items = _items(articles, request.app.state.config.settings.ingest)
    # submitted from a thread: handing items to a writer process pickles them, and may start a new one
    posted = await asyncio.wrap_future(await asyncio.to_thread(writer.submit, items))
    return PostResponse(results=[_result(p) for p in posted])


@router.post("/revise", dependencies=[Depends(require_token)])
async def revise(request: Request) -> dict[str, str]:
    """Revise every story now with a full rescoring (otherwise done when the writer is idle)."""
    writer: Writes = request.app.state.writer
    await asyncio.wrap_future(await asyncio.to_thread(writer.revise_now))
    return {"status": "revised"}


@router.get("/status")
def status(request: Request, store: ReadStore) -> dict[str, Any]:
    """Store counts and the writer's state; ``revision_pending`` false means story ids are final."""
    writer: Writes = request.app.state.writer
    return {"counts": store.counts(), **writer.pending()}


@router.get("/stories")
def stories(
    request: Request,
    store: ReadStore,
    q: Annotated[str, Query(max_length=500, description="words that an article must contain")] = "",
    since: Annotated[str | None, Query(description="ISO date: stories active on or after it")] = None,
    until: Annotated[str | None, Query(description="ISO date: stories active on or before it")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int | None, Query(ge=1, le=500)] = None,
) -> dict[str, Any]:
    """Stories, newest first (latest publication), with a time window and full-text search."""
    limit = limit or request.app.state.config.page_size
    rows, total = list_stories(store, query=q, since=since, until=until, offset=offset, limit=limit)
    return {"total": total, "offset": offset, "limit": limit, "stories": [asdict(r) for r in rows]}


@router.get("/stories/{story}")
def story(store: ReadStore, story: str) -> dict[str, Any]:
    """A story: its articles by copy group and its consolidated view (cited summary, timeline, entities,
    what each source adds, disagreements)."""
    return story_detail(store, story)


@router.get("/articles/{article_id:path}")
def article(store: ReadStore, article_id: str) -> dict[str, Any]:
    """An article: metadata, clean text, the page chrome that cleaning removed (with reasons), its copies."""
    return article_detail(store, article_id)


@router.get("/pairs/{a}/{b}")
def pair(
    request: Request, store: ReadStore, a: str, b: str, diff: Annotated[bool, Query()] = False
) -> dict[str, Any]:
    """Why two articles are (not) copies: the stored link, a fresh verification with the shared passages
    (character offsets into both clean texts), and with ``diff=true`` the copy diff."""
    return pair_detail(store, a, b, request.app.state.config.settings.copies, diff=diff)
