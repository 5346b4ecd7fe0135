"""Merging duplicate contacts and undoing a merge (for seven days)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.contacts.duplicates import merge_duplicate
from frontdesk.core.contacts.duplicates_schemas import (
    ContactMergeCreate,
    ContactMergeList,
    ContactMergeRead,
)
from frontdesk.core.contacts.duplicates_undo import access_merge, list_merges, undo_merge

router = APIRouter()


@router.get("")
async def read_contact_merges(
    actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> ContactMergeList:
    """The workspace's recent merges, newest first, and whether each may still be undone."""
    return ContactMergeList(items=await list_merges(db, actor, runtime.clock.now()))


@router.post("", status_code=201)
async def create_contact_merge(
    body: ContactMergeCreate, actor: ActorDep, uow: UowDep
) -> ContactMergeRead:
    """Merge one contact into another (as the contact panel does); the answer is the merge,
    to undo it."""
    read = await merge_duplicate(uow, actor, body)
    await uow.commit()
    return read


@router.post("/{merge_id}/undo", responses=error_responses(409))
async def undo_contact_merge(merge_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> ContactMergeRead:
    """Split the merged contact out again with what the merge moved (409 when undone already,
    older than seven days, or when either contact has been merged since)."""
    record = await access_merge(uow.session, actor, merge_id)
    read = await undo_merge(uow, actor, record)
    await uow.commit()
    return read
