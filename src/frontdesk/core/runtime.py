"""The concrete pieces a request or job works with, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from frontdesk.core.accounts.ratelimit import SignInThrottle
from frontdesk.core.attachments.storage import Storage
from frontdesk.core.clock import Clock
from frontdesk.core.mail import Mailer
from frontdesk.core.security import SecretBox
from frontdesk.core.sendbudget import LocalSendBudget, SendBudget
from frontdesk.db.engine import Database
from frontdesk.db.uow import Publisher, UnitOfWork, UnitOfWorkFactory


@dataclass
class Runtime:
    database: Database
    clock: Clock
    secrets: SecretBox
    mailer: Mailer
    publisher: Publisher
    public_url: str
    session_days: int = 14
    # How password checks are throttled per account and address (core/accounts/ratelimit.py).
    sign_in_throttle: SignInThrottle = field(default_factory=SignInThrottle)
    storage: Storage | None = None
    attachments_max_bytes: int = 10 * 1024 * 1024
    # Base URLs of provider APIs by name ("meta_graph", "telegram"); tests and the demo point
    # them at local fakes.
    provider_urls: dict[str, str] = field(default_factory=dict)
    # How fast messages may go out per number, Page, bot and chat; shared by every process
    # when the composition root gives it a shared one.
    send_budget: SendBudget = field(default_factory=LocalSendBudget)

    def uow(self) -> UnitOfWork:
        return UnitOfWorkFactory(self.database.unit_session, self.clock.now, self.publisher)()
