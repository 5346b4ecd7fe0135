"""Who is acting: a signed-in member or a workspace API token, with their role and teams.

An API token is its own principal (`docs/decisions/0014-api-token-principal.md`): it has no
user, no teams and is nobody's assignee, so it sees exactly what a member of its role in no
team sees. `token_creator_id` names the member whose standing keeps the token alive.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from frontdesk.core.errors import Forbidden
from frontdesk.core.workspaces.client_scope import ClientScope
from frontdesk.core.workspaces.models import Role


@dataclass(frozen=True)
class Actor:
    workspace_id: uuid.UUID
    role: str
    user_id: uuid.UUID | None = None
    token_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    team_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    ip_address: str = ""
    token_creator_id: uuid.UUID | None = None
    # A client viewer sees only the conversations of its client scope (core/workspaces).
    client_scope: ClientScope | None = None

    @property
    def is_token(self) -> bool:
        return self.token_id is not None

    @property
    def is_client(self) -> bool:
        return self.client_scope is not None

    @property
    def is_supervisor(self) -> bool:
        return self.role in Role.SUPERVISING

    @property
    def can_administer(self) -> bool:
        return self.role in Role.ADMINISTERING

    @property
    def can_write(self) -> bool:
        return self.role != Role.VIEWER

    def require_admin(self) -> None:
        if not self.can_administer:
            raise Forbidden("only owners and managers may do this")

    def require_owner(self) -> None:
        if self.role != Role.OWNER:
            raise Forbidden("only owners may do this")

    def require_writer(self) -> None:
        if not self.can_write:
            raise Forbidden("viewers have read-only access")
