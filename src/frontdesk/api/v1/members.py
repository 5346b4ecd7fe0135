"""REST API v1: members."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
