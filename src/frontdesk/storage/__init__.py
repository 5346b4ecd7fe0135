"""Object stores for uploaded files. This package imports nothing of the app."""

from frontdesk.storage.base import ObjectStore, check_key
from frontdesk.storage.local import LocalStorage

__all__ = ["LocalStorage", "ObjectStore", "check_key"]
