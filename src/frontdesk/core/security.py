"""Passwords (argon2id), random tokens stored as hashes, and secrets encrypted at rest."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so unknown emails cannot be told apart.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_password_in_thread(password: str) -> str:
    """`hash_password` in a worker thread: argon2 spends about half a second of a core, which on
    the event loop held up every other request, socket and webhook of the process meanwhile."""
    return await asyncio.to_thread(hash_password, password)


async def verify_password_in_thread(password_hash: str | None, password: str) -> bool:
    """`verify_password` in a worker thread (see `hash_password_in_thread`)."""
    return await asyncio.to_thread(verify_password, password_hash, password)


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class SecretBox:
    """Encrypts channel credentials with a key derived from the secret key."""

    def __init__(self, secret_key: str) -> None:
        digest = hashlib.sha256(b"frontdesk-secrets:" + secret_key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))
        # A separate key for signatures, so a signature never reveals the encryption key.
        self._signing_key = hashlib.sha256(b"frontdesk-signing:" + secret_key.encode()).digest()

    def sign(self, text: str) -> str:
        """An HMAC-SHA256 of `text`, URL-safe base64 without padding."""
        mac = hmac.new(self._signing_key, text.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def verify(self, text: str, signature: str) -> bool:
        return tokens_equal(self.sign(text), signature)

    def seal(self, data: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(data, sort_keys=True).encode()).decode()

    def open(self, token: str) -> dict[str, Any]:
        try:
            value = json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as exc:
            raise ValueError("secrets cannot be decrypted with this secret key") from exc
        if not isinstance(value, dict):
            raise ValueError("sealed secrets are not an object")
        return value
