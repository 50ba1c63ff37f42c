"""Where state lives: the embedded SQLite store."""

from storyline.store.sqlite import Store, StoreError

__all__ = ["Store", "StoreError"]
