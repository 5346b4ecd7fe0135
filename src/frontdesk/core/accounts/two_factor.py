"""Two-factor sign-in with time-based codes (TOTP, RFC 6238) and one-time recovery codes.

The secret is sealed with the product's secret key (like channel secrets); recovery codes
are stored hashed. A code is accepted once: the last time step used is kept on the user and
moved forward in one conditional update, so a replay (or two requests racing with the same
code) is refused. Wrong codes count in the sign-in throttle like wrong passwords. Every
change is written to the audit log of each of the user's workspaces. See
docs/subsystems/auth.md and docs/decisions/0018-two-factor-sign-in.md.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyotp
from sqlalchemy import delete, or_, select, update

from frontdesk.core.accounts.models import RecoveryCode, SignInChallenge, User
from frontdesk.core.accounts.ratelimit import (
    check_sign_in_allowed,
    forget_failed_sign_ins,
    record_failed_sign_in,
)
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.errors import Conflict, Invalid, NotFound
from frontdesk.core.events import UserTwoFactorChanged, user_key
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import SecretBox, hash_token, new_token
from frontdesk.core.workspaces.models import Membership
from frontdesk.db.uow import UnitOfWork

ISSUER = "Frontdesk"
STEP_SECONDS = 30
CODE_DIGITS = 6
# A code from the step before or after is accepted too (clocks drift; people type slowly).
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# How long the second step of a sign-in waits for its code.
CHALLENGE_MINUTES = 5
WRONG_CODE = "the code is not right"


@dataclass(frozen=True)
class TwoFactorSetup:
    secret: str
    otpauth_uri: str


def seal_secret(box: SecretBox, secret: str) -> str:
    return box.seal({"totp": secret})


def open_secret(box: SecretBox, sealed: str) -> str:
    return str(box.open(sealed)["totp"])


def _digits(code: str) -> str:
    return "".join(code.split())


def _recovery_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hash_token(f"recovery:{normalised}")


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (within the drift allowed), or None."""
    code = _digits(code)
    if len(code) != CODE_DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


async def _use_step(uow: UnitOfWork, user_id: uuid.UUID, step: int) -> bool:
    """Move the user's last used step forward to `step`; False when it was used already."""
    result = await uow.session.execute(
        update(User)
        .where(
            User.id == user_id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def _use_recovery_code(uow: UnitOfWork, user_id: uuid.UUID, code: str) -> bool:
    result = await uow.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=uow.now())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def accept_code(
    uow: UnitOfWork, box: SecretBox, user: User, code: str, *, ip: str, allow_recovery: bool
) -> str | None:
    """Use a code once: "totp" or "recovery" for what matched, None when nothing did."""
    if user.totp_secret is None:
        return None
    step = matching_step(open_secret(box, user.totp_secret), code, uow.now())
    if step is not None:
        return "totp" if await _use_step(uow, user.id, step) else None
    enabled = user.two_factor_enabled_at is not None
    if allow_recovery and enabled and await _use_recovery_code(uow, user.id, code):
        left = await _left(uow, user.id)
        await audit_in_workspaces(uow, user, "two_factor.recovery_code_used", ip, left=left)
        return "recovery"
    return None


async def checked_code(
    uow: UnitOfWork, runtime: Runtime, user: User, code: str, *, ip: str, allow_recovery: bool
) -> str:
    """A code checked through the sign-in throttle: refused while waiting, failures counted."""
    now, policy = uow.now(), runtime.sign_in_throttle
    await check_sign_in_allowed(uow.session, email=user.email, ip=ip, now=now, policy=policy)
    kind = await accept_code(uow, runtime.secrets, user, code, ip=ip, allow_recovery=allow_recovery)
    if kind is None:
        await record_failed_sign_in(uow.session, email=user.email, ip=ip, now=now, policy=policy)
        await uow.commit()
        raise Invalid(WRONG_CODE, field="code")
    await forget_failed_sign_ins(uow.session, email=user.email, ip=ip, before=now)
    return kind


async def _left(uow: UnitOfWork, user_id: uuid.UUID) -> int:
    rows = await uow.session.scalars(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(list(rows))


async def audit_in_workspaces(
    uow: UnitOfWork, user: User, action: str, ip: str, *, by_user: bool = True, **details: Any
) -> None:
    """One audit entry in each of the user's workspaces (by the user themself, or by nobody
    for the command line), and a signal to their own sockets."""
    workspace_ids = await uow.session.scalars(
        select(Membership.workspace_id).where(Membership.user_id == user.id)
    )
    for workspace_id in workspace_ids:
        uow.session.add(
            AuditLogEntry(
                workspace_id=workspace_id,
                actor_user_id=user.id if by_user else None,
                actor_token_id=None,
                action=action,
                target_type="user",
                target_id=str(user.id),
                details=details,
                ip_address=ip[:64],
                created_at=uow.now(),
            )
        )
    uow.emit(
        UserTwoFactorChanged(
            workspace_id=None,
            audience=(user_key(user.id),),
            data={"user_id": str(user.id), "change": action},
        )
    )


def _new_recovery_codes() -> list[str]:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


async def _replace_recovery_codes(uow: UnitOfWork, user_id: uuid.UUID) -> list[str]:
    await uow.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = _new_recovery_codes()
    now = uow.now()
    for code in codes:
        uow.session.add(
            RecoveryCode(user_id=user_id, code_hash=_recovery_hash(code), created_at=now)
        )
    return codes


async def start_two_factor_setup(
    uow: UnitOfWork, runtime: Runtime, user_id: uuid.UUID
) -> TwoFactorSetup:
    """A new secret to add to an authenticator app; not in force until a code confirms it."""
    user = await uow.session.get_one(User, user_id)
    if user.two_factor_enabled_at is not None:
        raise Conflict("two-factor sign-in is already on; turn it off first to change it")
    secret = pyotp.random_base32()
    user.totp_secret = seal_secret(runtime.secrets, secret)
    user.totp_last_step = None
    uri = pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(
        name=user.email, issuer_name=ISSUER
    )
    return TwoFactorSetup(secret=secret, otpauth_uri=uri)


async def enable_two_factor(
    uow: UnitOfWork, runtime: Runtime, user_id: uuid.UUID, code: str, *, ip: str
) -> list[str]:
    """Turn two-factor on with a code from the new secret; returns the recovery codes."""
    user = await uow.session.get_one(User, user_id)
    if user.two_factor_enabled_at is not None:
        raise Conflict("two-factor sign-in is already on")
    if user.totp_secret is None:
        raise Invalid("start the set-up first: no secret is waiting", field="code")
    await checked_code(uow, runtime, user, code, ip=ip, allow_recovery=False)
    user.two_factor_enabled_at = uow.now()
    codes = await _replace_recovery_codes(uow, user.id)
    await audit_in_workspaces(uow, user, "two_factor.enabled", ip)
    return codes


async def disable_two_factor(
    uow: UnitOfWork, runtime: Runtime, user_id: uuid.UUID, code: str, *, ip: str
) -> None:
    """Turn two-factor off, proved with a code (from the app, or a recovery code)."""
    user = await uow.session.get_one(User, user_id)
    if user.two_factor_enabled_at is None:
        raise Conflict("two-factor sign-in is not on")
    await checked_code(uow, runtime, user, code, ip=ip, allow_recovery=True)
    await _forget_two_factor(uow, user)
    await audit_in_workspaces(uow, user, "two_factor.disabled", ip)


async def _forget_two_factor(uow: UnitOfWork, user: User) -> None:
    user.two_factor_enabled_at = None
    user.totp_secret = None
    user.totp_last_step = None
    await uow.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


async def reset_two_factor(uow: UnitOfWork, email: str) -> str:
    """From the command line, for a member who lost both their phone and recovery codes."""
    user = await uow.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound("user")
    if user.two_factor_enabled_at is None and user.totp_secret is None:
        return f"two-factor sign-in was not on for {user.email}"
    await _forget_two_factor(uow, user)
    await audit_in_workspaces(uow, user, "two_factor.reset", "", by_user=False)
    return f"two-factor sign-in turned off for {user.email}: they sign in with the password"


async def regenerate_recovery_codes(
    uow: UnitOfWork, runtime: Runtime, user_id: uuid.UUID, code: str, *, ip: str
) -> list[str]:
    """New recovery codes (the old ones stop working), proved with a code from the app."""
    user = await uow.session.get_one(User, user_id)
    if user.two_factor_enabled_at is None:
        raise Conflict("two-factor sign-in is not on")
    await checked_code(uow, runtime, user, code, ip=ip, allow_recovery=False)
    codes = await _replace_recovery_codes(uow, user.id)
    await audit_in_workspaces(uow, user, "two_factor.recovery_codes_regenerated", ip)
    return codes


async def count_recovery_codes_left(uow: UnitOfWork, user_id: uuid.UUID) -> int:
    return await _left(uow, user_id)


@dataclass(frozen=True)
class PendingSignIn:
    """A right password for an account with two-factor on: the code is asked for next."""

    token: str
    expires_at: datetime


async def start_sign_in_challenge(
    uow: UnitOfWork, user: User, *, ip: str, user_agent: str
) -> PendingSignIn:
    """The half-done sign-in, kept for CHALLENGE_MINUTES; no session exists yet."""
    now = uow.now()
    token = new_token()
    expires_at = now + timedelta(minutes=CHALLENGE_MINUTES)
    uow.session.add(
        SignInChallenge(
            token_hash=hash_token(token),
            user_id=user.id,
            user_agent=user_agent[:300],
            ip_address=ip[:64],
            created_at=now,
            expires_at=expires_at,
        )
    )
    # Old, finished or expired challenges of this user are of no further use.
    await uow.session.execute(
        delete(SignInChallenge).where(
            SignInChallenge.user_id == user.id, SignInChallenge.expires_at <= now
        )
    )
    await uow.session.flush()
    return PendingSignIn(token=token, expires_at=expires_at)
