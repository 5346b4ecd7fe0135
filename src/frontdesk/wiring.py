"""The runtime a process works with: the database, clock, secrets, mail, storage and send
budget its settings name. Apart from the web app (`frontdesk.app`), so the command line's
one-off commands (create-user, reports-backfill, demo...) start without importing the API."""

from __future__ import annotations

from frontdesk.channels.redis_budget import RedisSendBudget
from frontdesk.core.accounts.ratelimit import SignInThrottle
from frontdesk.core.clock import Clock, SystemClock
from frontdesk.core.mail import LogMailer, Mailer, SmtpMailer
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import SecretBox
from frontdesk.core.sendbudget import LocalSendBudget
from frontdesk.db.engine import Database, create_database
from frontdesk.db.uow import Publisher
from frontdesk.settings import Settings
from frontdesk.storage.local import LocalStorage


async def _no_publish(_events: object) -> None:
    return None


def build_runtime(
    settings: Settings,
    *,
    database: Database | None = None,
    clock: Clock | None = None,
    mailer: Mailer | None = None,
    publisher: Publisher | None = None,
) -> Runtime:
    clock = clock or SystemClock()
    return Runtime(
        database=database
        or create_database(settings.resolved_database_url(), **settings.database_options()),
        clock=clock,
        secrets=SecretBox(settings.resolved_secret_key()),
        mailer=mailer
        or (
            SmtpMailer(settings.smtp_url, settings.mail_from) if settings.smtp_url else LogMailer()
        ),
        publisher=publisher or _no_publish,
        public_url=settings.public_url,
        session_days=settings.session_days,
        sign_in_throttle=SignInThrottle(
            free_failures=settings.login_free_failures,
            max_wait_seconds=settings.login_max_wait_seconds,
            address_ceiling=settings.login_address_ceiling,
        ),
        storage=LocalStorage(settings.resolved_storage_dir()),
        attachments_max_bytes=settings.attachments_max_bytes,
        provider_urls={
            "meta_graph": settings.meta_graph_url,
            "telegram": settings.telegram_api_url,
        },
        send_budget=(
            RedisSendBudget(settings.redis_url)
            if settings.redis_url
            else LocalSendBudget(lambda: clock.now().timestamp())
        ),
    )
