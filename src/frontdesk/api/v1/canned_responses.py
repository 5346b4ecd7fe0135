"""REST API v1: canned_responses."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
