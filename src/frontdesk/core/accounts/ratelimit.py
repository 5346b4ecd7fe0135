"""Sign-in rate limiting: failed attempts per email and per address within a window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import LoginAttempt
from frontdesk.core.errors import RateLimited


async def _wait_seconds(
    db: AsyncSession,
    bucket: ColumnElement[bool],
    *,
    since: datetime,
    now: datetime,
    limit: int,
    window_seconds: int,
) -> int:
    """Seconds until a bucket holds fewer than `limit` recent failures (0 when it already does)."""
    recent = LoginAttempt.created_at > since
    count = int(await db.scalar(select(func.count()).where(recent, bucket)) or 0)
    if count < limit:
        return 0
    # The bucket drops below the limit once its (count - limit + 1) oldest failures age out.
    freeing = await db.scalar(
        select(LoginAttempt.created_at)
        .where(recent, bucket)
        .order_by(LoginAttempt.created_at, LoginAttempt.id)
        .offset(count - limit)
        .limit(1)
    )
    wait = ((freeing or now) + timedelta(seconds=window_seconds) - now).total_seconds()
    return max(int(wait) + 1, 1)


async def check_sign_in_allowed(
    db: AsyncSession, *, email: str, ip: str, now: datetime, limit: int, window_seconds: int
) -> None:
    since = now - timedelta(seconds=window_seconds)
    waits = [
        await _wait_seconds(
            db, bucket, since=since, now=now, limit=limit, window_seconds=window_seconds
        )
        for bucket in (LoginAttempt.email == email, LoginAttempt.ip_address == ip)
    ]
    if max(waits) > 0:
        raise RateLimited("too many failed sign-ins; try again later", retry_after=max(waits))


def record_failed_sign_in(db: AsyncSession, *, email: str, ip: str, now: datetime) -> None:
    db.add(LoginAttempt(email=email, ip_address=ip, created_at=now))


async def forget_failed_sign_ins(db: AsyncSession, *, email: str, before: datetime) -> None:
    await db.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.created_at <= before)
    )
