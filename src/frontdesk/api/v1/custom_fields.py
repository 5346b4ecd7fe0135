"""REST API v1: custom_fields."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
