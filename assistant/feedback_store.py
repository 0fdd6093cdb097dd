"""SQLite persistence of feedback events and session profiles (for restarts and retraining).

One database per dataset (artifacts/<dataset>/feedback.sqlite), WAL mode, one
committed transaction per event, or per turn (its events, profile and state together), so a crash
loses at most the event or turn in flight.
Tables: events(id, ts, session_id, kind, item_id, payload JSON), profiles(session_id,
profile JSON, updated) and sessions(session_id, state JSON, updated, version): the whole dialogue state
(tools.state.SessionState.to_dict) after each turn. `forget` deletes a session's rows in all
three. Thread-safe (one lock per store); several processes may share the file.

Optimistic concurrency on the session row: `save_state(..., expected=v)` writes only if the row is
still at version v (the version the turn read) and raises StaleSession otherwise, so two processes
answering the same session cannot overwrite each other's turn; the caller re-reads and retries.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, session_id TEXT NOT NULL,
  kind TEXT NOT NULL, item_id TEXT, payload TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS events_session ON events(session_id);
CREATE TABLE IF NOT EXISTS profiles (
  session_id TEXT PRIMARY KEY, profile TEXT NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  session_id TEXT PRIMARY KEY, state TEXT NOT NULL, updated REAL NOT NULL, version INTEGER NOT NULL DEFAULT 0);
"""


class StaleSession(Exception):
    """The session row changed since it was read: another process saved a turn in between."""


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        if "version" not in {r[1] for r in self._db.execute("PRAGMA table_info(sessions)")}:  # a file from before
            self._db.execute("ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0")

    def record(self, session_id: str, kind: str, item_id: str | None, payload: dict | None = None,
               profile: dict | None = None) -> None:
        """Append one event (and the session's profile after it) in one committed transaction."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("INSERT INTO events(ts, session_id, kind, item_id, payload) VALUES (?,?,?,?,?)",
                                 (now, session_id, kind, item_id, json.dumps(payload or {})))
                if profile is not None:
                    self._upsert_profile(session_id, profile, now)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _upsert_profile(self, session_id: str, profile: dict, now: float) -> None:
        self._db.execute("INSERT INTO profiles(session_id, profile, updated) VALUES (?,?,?) "
                         "ON CONFLICT(session_id) DO UPDATE SET profile=excluded.profile, updated=excluded.updated",
                         (session_id, json.dumps(profile), now))

    def profile(self, session_id: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT profile FROM profiles WHERE session_id=?", (session_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_state(self, session_id: str, state: dict, expected: int | None = None,
                   events: list[tuple[str, str | None, dict]] = (), profile: dict | None = None) -> int:
        """Replace the session's saved dialogue state and return the row's new version. With `expected`, only
        if the row is still at that version (0: no row yet); otherwise StaleSession and nothing is written.
        `events` ((kind, item_id, payload) of the turn) and the `profile` after them go in the same transaction."""
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")  # the write lock of the file: no other process between read and write
            try:
                row = self._db.execute("SELECT version FROM sessions WHERE session_id=?", (session_id,)).fetchone()
                current = row[0] if row else 0
                if expected is not None and current != expected:
                    raise StaleSession(f"session {session_id!r} is at version {current}; this turn read version {expected}")
                for kind, item_id, payload in events:
                    self._db.execute("INSERT INTO events(ts, session_id, kind, item_id, payload) VALUES (?,?,?,?,?)",
                                     (now, session_id, kind, item_id, json.dumps(payload or {})))
                if profile is not None:
                    self._upsert_profile(session_id, profile, now)
                self._db.execute("INSERT INTO sessions(session_id, state, updated, version) VALUES (?,?,?,?) "
                                 "ON CONFLICT(session_id) DO UPDATE SET state=excluded.state, updated=excluded.updated, "
                                 "version=excluded.version", (session_id, json.dumps(state), time.time(), current + 1))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return current + 1

    def state(self, session_id: str) -> dict | None:
        return self.state_version(session_id)[0]

    def state_version(self, session_id: str) -> tuple[dict | None, int]:
        """(saved dialogue state or None, row version; 0 when there is no row)."""
        with self._lock:
            row = self._db.execute("SELECT state, version FROM sessions WHERE session_id=?", (session_id,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else (None, 0)

    def version(self, session_id: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT version FROM sessions WHERE session_id=?", (session_id,)).fetchone()
        return row[0] if row else 0

    def forget(self, session_id: str) -> None:
        """Delete the session's events, profile and state in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("events", "profiles", "sessions"):
                    self._db.execute(f"DELETE FROM {table} WHERE session_id=?", (session_id,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def events(self, session_id: str | None = None) -> list[dict]:
        q = "SELECT ts, session_id, kind, item_id, payload FROM events"
        args: tuple = ()
        if session_id is not None:
            q, args = q + " WHERE session_id=?", (session_id,)
        with self._lock:
            rows = self._db.execute(q + " ORDER BY id", args).fetchall()
        return [{"ts": r[0], "session_id": r[1], "kind": r[2], "item_id": r[3], "payload": json.loads(r[4])} for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
