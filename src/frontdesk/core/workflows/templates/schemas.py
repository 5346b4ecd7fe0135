"""What the templates API reads and takes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from frontdesk.core.schemas import Input
from frontdesk.core.workspaces.settings import ProductLanguage


class WorkflowTemplateParameterRead(BaseModel):
    key: str
    kind: Literal["team", "tag", "keywords"] = Field(
        description="team and tag: an id of the workspace's; keywords: a list of words."
    )
    label: str
    required: bool = Field(
        description="Without it the workflow is refused; an optional one left out leaves its "
        "branch unconnected for the builder to flag."
    )


class WorkflowTemplateRead(BaseModel):
    key: str
    name: str
    description: str
    trigger: str = Field(description="The trigger type of the workflows it makes.")
    parameters: list[WorkflowTemplateParameterRead]


class WorkflowFromTemplate(Input):
    template: str = Field(max_length=40)
    name: str | None = Field(
        default=None, min_length=1, max_length=120, description="Default: the template's name."
    )
    language: ProductLanguage | None = Field(
        default=None,
        description="The language of its texts; default: the workspace's default language.",
    )
    parameters: dict[str, str | list[str]] = Field(
        default_factory=dict,
        description='Per parameter key: a team or tag id, or for "keywords" a list of words.',
    )
