"""Scorecards: written whole, versioned once used, archived rather than deleted."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict, Forbidden, NotFound
from frontdesk.core.events import define_event, supervisors_key
from frontdesk.core.quality.models import (
    QualityReview,
    QualityScorecard,
    QualityScorecardCategory,
    QualityScorecardItem,
)
from frontdesk.core.quality.schemas import (
    ScorecardCategoryRead,
    ScorecardInput,
    ScorecardItemRead,
    ScorecardRead,
)
from frontdesk.core.quality.scoring import CategorySpec, ItemSpec
from frontdesk.db.uow import UnitOfWork

ScorecardChanged = define_event("ScorecardChanged", "quality_scorecard.changed")


def require_staff(actor: Actor) -> None:
    """Quality reviews are the workspace's own business: no client viewer sees them."""
    if actor.is_client:
        raise Forbidden("client access does not include quality reviews")


async def access_scorecard(
    db: AsyncSession, actor: Actor, scorecard_id: uuid.UUID
) -> QualityScorecard:
    """Any version of a scorecard of the caller's workspace, for owners, managers and viewers."""
    require_staff(actor)
    found: QualityScorecard | None = await db.scalar(
        select(QualityScorecard).where(
            QualityScorecard.id == scorecard_id,
            QualityScorecard.workspace_id == actor.workspace_id,
        )
    )
    if found is None:
        raise NotFound("scorecard")
    return found


async def is_used(db: AsyncSession, scorecard_id: uuid.UUID) -> bool:
    return bool(await db.scalar(select(exists().where(QualityReview.scorecard_id == scorecard_id))))


async def scorecard_read(db: AsyncSession, card: QualityScorecard) -> ScorecardRead:
    categories = list(
        await db.scalars(
            select(QualityScorecardCategory)
            .where(QualityScorecardCategory.scorecard_id == card.id)
            .order_by(QualityScorecardCategory.position)
        )
    )
    items = list(
        await db.scalars(
            select(QualityScorecardItem)
            .where(QualityScorecardItem.scorecard_id == card.id)
            .order_by(QualityScorecardItem.position)
        )
    )
    return ScorecardRead(
        id=card.id,
        lineage_id=card.lineage_id,
        version=card.version,
        name=card.name,
        description=card.description,
        categories=[
            ScorecardCategoryRead(
                id=c.id,
                name=c.name,
                weight=c.weight,
                items=[
                    ScorecardItemRead(
                        id=i.id,
                        label=i.label,
                        description=i.description,
                        kind=i.kind,  # type: ignore[arg-type]
                        is_critical=i.is_critical,
                    )
                    for i in items
                    if i.category_id == c.id
                ],
            )
            for c in categories
        ],
        max_points=sum(c.weight for c in categories),
        is_archived=card.archived_at is not None,
        is_current=card.superseded_at is None,
        is_used=await is_used(db, card.id),
        created_at=card.created_at,
    )


def score_specs(read: ScorecardRead) -> list[CategorySpec]:
    return [
        CategorySpec(c.id, c.weight, [ItemSpec(i.id, i.kind, i.is_critical) for i in c.items])
        for c in read.categories
    ]


async def list_scorecards(
    db: AsyncSession, actor: Actor, *, include_archived: bool
) -> list[ScorecardRead]:
    """The current version of each scorecard, by name."""
    require_staff(actor)
    query = select(QualityScorecard).where(
        QualityScorecard.workspace_id == actor.workspace_id,
        QualityScorecard.superseded_at.is_(None),
    )
    if not include_archived:
        query = query.where(QualityScorecard.archived_at.is_(None))
    cards = await db.scalars(query.order_by(QualityScorecard.name, QualityScorecard.id))
    return [await scorecard_read(db, card) for card in cards]


def _write_structure(uow: UnitOfWork, card: QualityScorecard, data: ScorecardInput) -> None:
    for c_pos, category in enumerate(data.categories):
        row = QualityScorecardCategory(
            id=uuid.uuid4(),
            scorecard_id=card.id,
            position=c_pos,
            name=category.name,
            weight=category.weight,
        )
        uow.session.add(row)
        for i_pos, item in enumerate(category.items):
            uow.session.add(
                QualityScorecardItem(
                    scorecard_id=card.id,
                    category_id=row.id,
                    position=i_pos,
                    label=item.label,
                    description=item.description,
                    kind=item.kind,
                    is_critical=item.is_critical,
                )
            )


async def _changed(uow: UnitOfWork, actor: Actor, card: QualityScorecard) -> ScorecardRead:
    await uow.session.flush()
    read = await scorecard_read(uow.session, card)
    uow.emit(
        ScorecardChanged(
            workspace_id=actor.workspace_id,
            audience=(supervisors_key(actor.workspace_id),),
            data={"scorecard": read.model_dump(mode="json")},
        )
    )
    return read


async def create_scorecard(uow: UnitOfWork, actor: Actor, data: ScorecardInput) -> ScorecardRead:
    actor.require_admin()
    card_id = uuid.uuid4()
    card = QualityScorecard(
        id=card_id,
        workspace_id=actor.workspace_id,
        lineage_id=card_id,
        version=1,
        name=data.name,
        description=data.description,
        created_at=uow.now(),
        created_by_id=actor.user_id,
    )
    uow.session.add(card)
    await uow.session.flush()
    _write_structure(uow, card, data)
    record_audit(
        uow, actor, "quality_scorecard.created", "quality_scorecard", card.id, name=data.name
    )
    return await _changed(uow, actor, card)


async def update_scorecard(
    uow: UnitOfWork, actor: Actor, card: QualityScorecard, data: ScorecardInput
) -> ScorecardRead:
    """Replace the scorecard whole; once used, as a new version (the reviews keep the old one)."""
    actor.require_admin()
    if card.superseded_at is not None:
        raise Conflict("a newer version of this scorecard exists: edit that one")
    if card.archived_at is not None:
        raise Conflict("the scorecard is archived")
    if await is_used(uow.session, card.id):
        card.superseded_at = uow.now()
        new_id = uuid.uuid4()
        card = QualityScorecard(
            id=new_id,
            workspace_id=card.workspace_id,
            lineage_id=card.lineage_id,
            version=card.version + 1,
            name=data.name,
            description=data.description,
            created_at=uow.now(),
            created_by_id=actor.user_id,
        )
        uow.session.add(card)
        await uow.session.flush()
    else:
        card.name, card.description = data.name, data.description
        await uow.session.execute(
            delete(QualityScorecardItem).where(QualityScorecardItem.scorecard_id == card.id)
        )
        await uow.session.execute(
            delete(QualityScorecardCategory).where(QualityScorecardCategory.scorecard_id == card.id)
        )
    _write_structure(uow, card, data)
    record_audit(
        uow,
        actor,
        "quality_scorecard.updated",
        "quality_scorecard",
        card.id,
        name=data.name,
        version=card.version,
    )
    return await _changed(uow, actor, card)


async def archive_scorecard(uow: UnitOfWork, actor: Actor, card: QualityScorecard) -> ScorecardRead:
    """Offered for no new review; the reviews scored with it keep it."""
    actor.require_admin()
    if card.archived_at is None:
        card.archived_at = uow.now()
        record_audit(uow, actor, "quality_scorecard.archived", "quality_scorecard", card.id)
        return await _changed(uow, actor, card)
    return await scorecard_read(uow.session, card)
