"""A conversation's SLA as the inbox reads it (apart, so conversation schemas can name it)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

SlaTargetName = Literal["first_response", "next_response", "resolution"]
SlaStatusName = Literal["none", "ok", "at_risk", "breached"]
SlaFilter = Literal["at_risk", "breached"]


class SlaTargetRead(BaseModel):
    target: SlaTargetName
    due_at: datetime | None = Field(description="Null: the business hours never open again.")
    at_risk_at: datetime | None


class ConversationSlaRead(BaseModel):
    """The conversation's unmet targets; the countdown runs to the first `due_at`."""

    policy_id: uuid.UUID | None
    status: SlaStatusName = Field(
        description="As of the last check (every few seconds): none without unmet targets."
    )
    due_at: datetime | None = Field(description="The earliest unmet target's due time.")
    at_risk_at: datetime | None = Field(description="When that target becomes at risk.")
    target: SlaTargetName | None
    targets: list[SlaTargetRead]
