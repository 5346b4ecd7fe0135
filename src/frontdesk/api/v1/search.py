"""REST API v1: full-text search over the messages, notes and contacts the caller may see."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.conversations.schemas import StatusName
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from frontdesk.core.search.queries import SearchFilter, search
from frontdesk.core.search.schemas import SearchKind, SearchResultRead
from frontdesk.core.search.terms import MAX_QUERY_LENGTH

router = APIRouter()


@router.get("", responses=error_responses(422))
async def read_search(
    actor: ActorDep,
    db: ReaderDep,
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description='Words (all required), "a phrase", `or` between two words, '
            "`-word` to leave a word out.",
        ),
    ],
    kind: Annotated[list[SearchKind] | None, Query()] = None,
    channel_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    assignee_id: Annotated[uuid.UUID | None, Query(description="The agent.")] = None,
    status: Annotated[list[StatusName] | None, Query()] = None,
    since: Annotated[datetime | None, Query(description="From this time (inclusive).")] = None,
    until: Annotated[datetime | None, Query(description="Before this time.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[SearchResultRead]:
    """Ranked hits, best first, each with a snippet whose matched words are marked."""
    filters = SearchFilter(
        kinds=tuple(kind or ()),
        channel_id=channel_id,
        team_id=team_id,
        assignee_id=assignee_id,
        statuses=tuple(status or ()),
        since=since,
        until=until,
    )
    return await search(db, actor, q, filters, limit=limit, cursor=cursor)
