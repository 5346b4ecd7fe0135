"""REST API v1: conversations."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
