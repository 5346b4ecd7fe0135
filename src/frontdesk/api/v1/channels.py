"""REST API v1: channels."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
