"""Where state lives: the embedded SQLite store, and the lock that gives it one writer at a time."""

from storyline.store.lock import StoreBusy, WriterLock
from storyline.store.sqlite import Store, StoreError

__all__ = ["Store", "StoreBusy", "StoreError", "WriterLock"]
