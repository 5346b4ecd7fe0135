"""The full-text index of each engine, as the pieces a search query is built from.

SQLite: the FTS5 table `search_index` (external content: `search_document`), ranked by bm25.
PostgreSQL: the GIN index over the stored `search_tsv` (`search_vector(body)`, set by a
trigger), ranked by `ts_rank`, with the query `search_query(q)` (SQL functions made by
migration 0028). Scores are turned so that a
higher score is a better hit on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import TextClause

from frontdesk.core.search.models import SearchDocument
from frontdesk.core.search.schemas import SnippetPart
from frontdesk.core.search.terms import Term, fts5_expression

# Made by migration 0028 and not described by the models (the migrations test leaves them out).
OUTSIDE_MODELS = frozenset({"search_index", "ix_search_document_vector", "search_tsv"})
FTS5_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")

HIT_START, HIT_END = "\ue000", "\ue001"
# ts_headline drops what its parser reads as HTML tags; a mark after "<" keeps them text.
_NOT_A_TAG = "\ue002"
SNIPPET_WORDS = 18
_HEADLINE = (
    f'StartSel="{HIT_START}", StopSel="{HIT_END}", MaxWords={SNIPPET_WORDS}, MinWords=8, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)

_fts = table("search_index", column("rowid"))


def outside_models(name: str | None) -> bool:
    if name is None:
        return False
    return name in OUTSIDE_MODELS or any(name == f"search_index{s}" for s in FTS5_SHADOWS)


@dataclass(frozen=True)
class Match:
    """Where the hits come from, which documents match, and how well."""

    source: FromClause
    condition: ColumnElement[bool] | TextClause
    score: ColumnElement[float]


def match(dialect: str, q: str, terms: list[Term]) -> Match:
    if dialect == "sqlite":
        source = _fts.join(SearchDocument, SearchDocument.id == _fts.c.rowid)
        condition = text("search_index MATCH :search_match").bindparams(
            search_match=fts5_expression(terms)
        )
        score: ColumnElement[float] = -func.bm25(literal_column("search_index"))
        return Match(source, condition, score)
    query = func.search_query(bindparam("search_q", q))
    vector: ColumnElement[str] = literal_column("search_document.search_tsv")
    score = func.ts_rank(vector, query, type_=Float)
    return Match(SearchDocument.__table__, vector.op("@@")(query), score)


async def snippets(
    db: AsyncSession, dialect: str, q: str, terms: list[Term], ids: list[int]
) -> dict[int, list[SnippetPart]]:
    """Each document's best passage with the matched words marked, for one page of hits."""
    if not ids:
        return {}
    query: Any
    if dialect == "sqlite":
        query = select(
            _fts.c.rowid,
            func.snippet(
                literal_column("search_index"), 0, HIT_START, HIT_END, " … ", SNIPPET_WORDS
            ),
        ).where(
            text("search_index MATCH :search_match").bindparams(
                search_match=fts5_expression(terms)
            ),
            _fts.c.rowid.in_(ids),
        )
    else:
        query = select(
            SearchDocument.id,
            func.ts_headline(
                "search_simple",
                func.replace(SearchDocument.body, "<", "<" + _NOT_A_TAG),
                func.search_query(bindparam("search_q", q)),
                _HEADLINE,
            ),
        ).where(SearchDocument.id.in_(ids))
    rows = (await db.execute(query)).all()
    return {
        int(doc_id): snippet_parts(str(marked).replace(_NOT_A_TAG, "")) for doc_id, marked in rows
    }


def snippet_parts(marked: str) -> list[SnippetPart]:
    """Split the engine's marked passage into plain-text parts; marks never reach the browser."""
    parts: list[SnippetPart] = []
    for index, piece in enumerate(marked.split(HIT_START)):
        hit, _, rest = piece.partition(HIT_END) if index else ("", "", piece)
        if hit:
            parts.append(SnippetPart(text=hit, hit=True))
        rest = rest.replace(HIT_END, "")
        if rest:
            parts.append(SnippetPart(text=rest, hit=False))
    return parts
