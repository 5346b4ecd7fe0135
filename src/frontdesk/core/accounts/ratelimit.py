"""Sign-in rate limiting: failed attempts per email and per address within a window."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import LoginAttempt
from frontdesk.core.errors import RateLimited


async def check_sign_in_allowed(
    db: AsyncSession, *, email: str, ip: str, now: datetime, limit: int, window_seconds: int
) -> None:
    since = now - timedelta(seconds=window_seconds)
    recent = LoginAttempt.created_at > since
    by_email = await db.scalar(select(func.count()).where(recent, LoginAttempt.email == email))
    by_ip = await db.scalar(select(func.count()).where(recent, LoginAttempt.ip_address == ip))
    if max(by_email or 0, by_ip or 0) < limit:
        return
    oldest = await db.scalar(
        select(func.min(LoginAttempt.created_at)).where(
            recent, or_(LoginAttempt.email == email, LoginAttempt.ip_address == ip)
        )
    )
    wait = int(((oldest or now) + timedelta(seconds=window_seconds) - now).total_seconds()) + 1
    raise RateLimited("too many failed sign-ins; try again later", retry_after=max(wait, 1))


def record_failed_sign_in(db: AsyncSession, *, email: str, ip: str, now: datetime) -> None:
    db.add(LoginAttempt(email=email, ip_address=ip, created_at=now))


async def forget_failed_sign_ins(db: AsyncSession, *, email: str, before: datetime) -> None:
    await db.execute(
        delete(LoginAttempt).where(LoginAttempt.email == email, LoginAttempt.created_at <= before)
    )
