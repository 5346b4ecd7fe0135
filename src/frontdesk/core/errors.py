"""Domain errors. The API turns each into one JSON error shape with a fitting status."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    """The object does not exist for this caller (it may exist in another workspace)."""

    code = "not_found"

    def __init__(self, what: str = "object") -> None:
        super().__init__(f"{what} not found")


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    code = "forbidden"


class Invalid(DomainError):
    """Input that is well-formed but not acceptable; `field` names the culprit."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        if field:
            details["field"] = field
        super().__init__(message, details=details)


class Conflict(DomainError):
    code = "conflict"


class RateLimited(DomainError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class TooLarge(DomainError):
    """A payload past the size the server accepts."""

    code = "payload_too_large"

    def __init__(self, message: str, *, max_bytes: int) -> None:
        super().__init__(message, details={"max_bytes": max_bytes})
