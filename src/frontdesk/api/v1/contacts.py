"""REST API v1: contacts."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
