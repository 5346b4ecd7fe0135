"""Throttling password checks (sign-in, accepting an invitation, changing a password).

Failures are counted per (account, address) with a growing wait, and per address across all
accounts up to a much higher ceiling. An account is never locked for everyone: a right
password from another address is never refused because of this address's failures, and a
contact centre behind one NAT is not locked out because a few colleagues mistype. The moment
a pair or an address starts being throttled is written to the audit log of every workspace of
the account(s) concerned. See docs/subsystems/auth.md.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import LoginAttempt, User
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.errors import RateLimited
from frontdesk.core.workspaces.models import Membership

THROTTLED = "too many failed sign-ins; try again later"


@dataclass(frozen=True)
class SignInThrottle:
    # Failures of one account from one address before the waits begin.
    free_failures: int = 5
    # The longest wait, and how long an address's failures count towards its ceiling.
    max_wait_seconds: int = 900
    # Failures from one address, whatever the accounts, within `max_wait_seconds`.
    address_ceiling: int = 100
    # How long a pair's failures are remembered (a right password forgets them at once).
    memory_seconds: int = 24 * 3600

    def wait_after(self, failures: int) -> int:
        """Seconds to wait after the n-th failure in a row: 2, 4, 8, … up to the longest."""
        if failures < self.free_failures:
            return 0
        exponent = min(failures - self.free_failures + 1, 30)
        return int(min(2**exponent, self.max_wait_seconds))


def address_key(ip: str) -> str:
    """One address per IPv4 host; one per /64 for IPv6 (a host owns the whole /64)."""
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _seconds(delta: timedelta) -> int:
    return max(math.ceil(delta.total_seconds()), 1)


async def _pair_failures(
    db: AsyncSession, email: str, ip: str, since: datetime
) -> tuple[int, datetime | None]:
    row = (
        await db.execute(
            select(func.count(), func.max(LoginAttempt.created_at)).where(
                LoginAttempt.email == email,
                LoginAttempt.ip_address == ip,
                LoginAttempt.created_at > since,
            )
        )
    ).one()
    return int(row[0] or 0), row[1]


async def _address_wait(
    db: AsyncSession, ip: str, now: datetime, policy: SignInThrottle
) -> timedelta | None:
    """How long until the address is back under its ceiling, or None when it is."""
    window = timedelta(seconds=policy.max_wait_seconds)
    recent = (LoginAttempt.ip_address == ip, LoginAttempt.created_at > now - window)
    count = int(await db.scalar(select(func.count()).where(*recent)) or 0)
    if count < policy.address_ceiling:
        return None
    # Back under the ceiling once the (count - ceiling + 1) oldest failures age out.
    freeing = await db.scalar(
        select(LoginAttempt.created_at)
        .where(*recent)
        .order_by(LoginAttempt.created_at, LoginAttempt.id)
        .offset(count - policy.address_ceiling)
        .limit(1)
    )
    return (freeing or now) + window - now


async def check_sign_in_allowed(
    db: AsyncSession, *, email: str, ip: str, now: datetime, policy: SignInThrottle
) -> None:
    """Refuse (before any password is checked) while this pair or this address must wait."""
    ip = address_key(ip)
    waits: list[timedelta] = []
    failures, last = await _pair_failures(
        db, email, ip, now - timedelta(seconds=policy.memory_seconds)
    )
    if last is not None and failures >= policy.free_failures:
        pair_wait = last + timedelta(seconds=policy.wait_after(failures)) - now
        if pair_wait > timedelta(0):
            waits.append(pair_wait)
    address_wait = await _address_wait(db, ip, now, policy)
    if address_wait is not None and address_wait > timedelta(0):
        waits.append(address_wait)
    if waits:
        raise RateLimited(THROTTLED, retry_after=_seconds(max(waits)))


async def record_failed_sign_in(
    db: AsyncSession, *, email: str, ip: str, now: datetime, policy: SignInThrottle
) -> None:
    """Count a failure; the one that starts a wait is written to the owners' audit log."""
    ip = address_key(ip)
    db.add(LoginAttempt(email=email, ip_address=ip, created_at=now))
    await db.flush()
    failures, _ = await _pair_failures(
        db, email, ip, now - timedelta(seconds=policy.memory_seconds)
    )
    if failures == policy.free_failures:
        await _audit(
            db,
            [email],
            ip,
            now,
            "sign_in.throttled",
            failures=failures,
            retry_after=policy.wait_after(failures),
        )
    window = now - timedelta(seconds=policy.max_wait_seconds)
    from_address = LoginAttempt.ip_address == ip, LoginAttempt.created_at > window
    if int(await db.scalar(select(func.count()).where(*from_address)) or 0) == (
        policy.address_ceiling
    ):
        emails = list(await db.scalars(select(LoginAttempt.email).where(*from_address).distinct()))
        await _audit(
            db,
            emails,
            ip,
            now,
            "sign_in.address_throttled",
            failures=policy.address_ceiling,
            retry_after=policy.max_wait_seconds,
        )


async def _audit(
    db: AsyncSession,
    emails: list[str],
    ip: str,
    now: datetime,
    action: str,
    **details: object,
) -> None:
    """One entry in every workspace of each known account (unknown emails have none)."""
    rows = await db.execute(
        select(Membership.workspace_id, User.id, User.email)
        .join(User, User.id == Membership.user_id)
        .where(User.email.in_(emails))
    )
    for workspace_id, user_id, email in rows:
        db.add(
            AuditLogEntry(
                workspace_id=workspace_id,
                actor_user_id=None,
                actor_token_id=None,
                action=action,
                target_type="user",
                target_id=str(user_id),
                details={"email": email, "address": ip, **details},
                ip_address=ip,
                created_at=now,
            )
        )


async def forget_failed_sign_ins(
    db: AsyncSession, *, email: str, ip: str, before: datetime
) -> None:
    """A right password forgets this pair's failures (other addresses keep theirs)."""
    await db.execute(
        delete(LoginAttempt).where(
            LoginAttempt.email == email,
            LoginAttempt.ip_address == address_key(ip),
            LoginAttempt.created_at <= before,
        )
    )
