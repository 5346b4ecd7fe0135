"""The workspace's CSAT settings, kept in its settings JSON under "csat".

Off by default. `questions` overrides the question per product language (an empty or missing
one uses the default below); `team_ids` names the teams whose closes send it (None: every team,
and conversations without a team).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.schemas import Input
from frontdesk.core.workspaces.models import Workspace
from frontdesk.core.workspaces.settings import ProductLanguage

SETTINGS_KEY = "csat"
# How long after the survey an answer is taken (and before another conversation starts).
ANSWER_WITHIN = timedelta(hours=24)
MAX_QUESTION = 600

DEFAULT_QUESTIONS: dict[str, str] = {
    "en": "How satisfied are you with the help you received?",
    "pt-BR": "Quão satisfeito você está com o atendimento que recebeu?",
    "vi": "Bạn hài lòng thế nào với sự hỗ trợ vừa nhận được?",
}
# Appended where the channel has no buttons: how to answer in a text message.
TEXT_INSTRUCTIONS: dict[str, str] = {
    "en": "Reply with a number from 1 (very dissatisfied) to 5 (very satisfied).",
    "pt-BR": "Responda com um número de 1 (muito insatisfeito) a 5 (muito satisfeito).",
    "vi": "Vui lòng trả lời bằng một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng).",
}
# The choices' titles (at most 20 characters: Messenger's and Instagram's quick replies).
CHOICE_TITLES: dict[str, tuple[str, str, str, str, str]] = {
    "en": ("1 - Very poor", "2 - Poor", "3 - Okay", "4 - Good", "5 - Excellent"),
    "pt-BR": ("1 - Muito ruim", "2 - Ruim", "3 - Regular", "4 - Bom", "5 - Excelente"),
    "vi": ("1 - Rất tệ", "2 - Tệ", "3 - Bình thường", "4 - Tốt", "5 - Rất tốt"),
}
# The button that opens the list on WhatsApp.
LIST_LABELS: dict[str, str] = {"en": "Rate us", "pt-BR": "Avaliar", "vi": "Đánh giá"}


Question = Annotated[str, Field(max_length=MAX_QUESTION)]


class CsatSettings(Input):
    """What is stored (and what PUT takes whole)."""

    enabled: bool = Field(default=False, description="Send the survey when a member closes.")
    questions: dict[ProductLanguage, Question] = Field(
        default_factory=dict,
        description="The question per language (en, pt-BR, vi); a missing or empty one uses "
        "the product's default.",
    )
    team_ids: list[uuid.UUID] | None = Field(
        default=None,
        max_length=200,
        description="Teams whose closes send it; null for every team (and no team).",
    )


class CsatSettingsRead(CsatSettings):
    default_questions: dict[str, str] = Field(
        description="The product's question in each language, used where none is set."
    )


def read_csat_settings(settings: dict[str, Any] | None) -> CsatSettings:
    stored = (settings or {}).get(SETTINGS_KEY)
    if not isinstance(stored, dict):
        return CsatSettings()
    return CsatSettings.model_validate(
        {k: stored[k] for k in ("enabled", "questions", "team_ids") if k in stored}
    )


async def load_csat_settings(session: AsyncSession, workspace_id: uuid.UUID) -> CsatSettings:
    settings = await session.scalar(select(Workspace.settings).where(Workspace.id == workspace_id))
    return read_csat_settings(settings)


def question(settings: CsatSettings, language: str) -> str:
    custom = settings.questions.get(language)  # type: ignore[call-overload]
    return (custom or "").strip() or DEFAULT_QUESTIONS[language]


def applies_to(settings: CsatSettings, team_id: uuid.UUID | None) -> bool:
    if not settings.enabled:
        return False
    return settings.team_ids is None or (team_id is not None and team_id in settings.team_ids)
