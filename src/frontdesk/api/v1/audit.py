"""REST API v1: audit."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
