"""The mail owners get when a subscription is disabled, in the workspace's language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.webhooks.models import WebhookSubscription
from frontdesk.core.workspaces.models import Membership, Role, Workspace
from frontdesk.core.workspaces.settings import conversation_settings

SUBJECTS = {
    "en": "A webhook of {workspace} was disabled",
    "pt-BR": "Um webhook de {workspace} foi desativado",
    "vi": "Một webhook của {workspace} đã bị tắt",
}
BODIES = {
    "en": (
        "The webhook subscription {url} of {workspace} was disabled: {reason}\n\n"
        "Its delivery log shows each attempt's answer. Once the receiver works again, turn the "
        "subscription back on and replay what it missed:\n{link}\n"
    ),
    "pt-BR": (
        "A assinatura de webhook {url} de {workspace} foi desativada: {reason}\n\n"
        "O registro de entregas mostra a resposta de cada tentativa. Quando o receptor voltar "
        "a funcionar, reative a assinatura e reenvie o que faltou:\n{link}\n"
    ),
    "vi": (
        "Đăng ký webhook {url} của {workspace} đã bị tắt: {reason}\n\n"
        "Nhật ký gửi cho thấy phản hồi của từng lần thử. Khi bên nhận hoạt động lại, hãy bật "
        "lại đăng ký và gửi lại những gì bị lỡ:\n{link}\n"
    ),
}


REASONS = {
    "en": "its last {count} deliveries failed every attempt.",
    "pt-BR": "as últimas {count} entregas falharam em todas as tentativas.",
    "vi": "{count} lần gửi gần nhất đều thất bại ở mọi lần thử.",
}


@dataclass(frozen=True)
class Notice:
    recipients: list[str]
    subject: str
    body: str


async def disabled_notice(db: AsyncSession, sub: WebhookSubscription, public_url: str) -> Notice:
    workspace = await db.get_one(Workspace, sub.workspace_id)
    language = conversation_settings(workspace.settings).default_language
    owners = await db.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.workspace_id == sub.workspace_id,
            Membership.role == Role.OWNER,
            User.is_active.is_(True),
        )
        .order_by(User.email)
    )
    values = {
        "workspace": workspace.name,
        "url": sub.url,
        "reason": REASONS[language].format(count=sub.failed_in_a_row),
        "link": f"{public_url.rstrip('/')}/settings?tab=webhooks",
    }
    return Notice(
        recipients=list(owners),
        subject=SUBJECTS[language].format(**values),
        body=BODIES[language].format(**values),
    )
