"""Persistence of feedback events, session profiles and dialogue states: SQLite (default) or PostgreSQL.

What it does: keeps three tables, events(id, ts, session_id, kind, item_id, payload JSON), profiles(session_id,
profile JSON, updated) and sessions(session_id, state JSON, updated, version), the last holding the whole dialogue
state (tools.state.SessionState.to_dict) after each turn. One committed transaction per event, or per turn (its
events, profile and state together), so a crash loses at most the event or turn in flight. `forget` deletes a
session's rows in all three tables. Every store is thread-safe (one lock around one connection).

Two backends with one interface and one implementation of it (`BaseFeedbackStore`); they differ only in SQL dialect,
how a write transaction starts and how the session row is locked:
- `FeedbackStore(path)`: one SQLite file per dataset (artifacts/<dataset>/feedback.sqlite), WAL mode. Several
  processes on one host may share the file; a write transaction takes the file's write lock (BEGIN IMMEDIATE).
- `PostgresFeedbackStore(url)`: a PostgreSQL database (psycopg 3), for app processes on several hosts. The session
  row is locked with SELECT ... FOR UPDATE (a missing row is first inserted, ON CONFLICT DO NOTHING, so two first
  turns of one session also queue on it). JSON columns are TEXT, so both backends store the same bytes.
`open_store(db_url, default_path)` picks one from a URL (None: the SQLite file at default_path).

Optimistic concurrency on the session row: `save_state(..., expected=v)` writes only if the row is still at version
v (the version the turn read) and raises StaleSession otherwise, so two processes answering the same session cannot
overwrite each other's turn; the caller re-reads and retries.

What it does not do: read environment variables (the CLI passes RECASSIST_DB_URL in), migrate data between backends,
pool connections, or reconnect a PostgreSQL connection that the server dropped (the next call raises; restart the
process).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from catalog.types import RecassistError

# Statements are written once with "?" placeholders; the PostgreSQL store rewrites them to "%s".
SQLITE_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, "
    "session_id TEXT NOT NULL, kind TEXT NOT NULL, item_id TEXT, payload TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX IF NOT EXISTS events_session ON events(session_id)",
    "CREATE TABLE IF NOT EXISTS profiles (session_id TEXT PRIMARY KEY, profile TEXT NOT NULL, updated REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, state TEXT NOT NULL, updated REAL NOT NULL, "
    "version INTEGER NOT NULL DEFAULT 0)",
)
POSTGRES_SCHEMA = (  # DOUBLE PRECISION: PostgreSQL's REAL is 4 bytes, too coarse for time.time()
    "CREATE TABLE IF NOT EXISTS events (id BIGSERIAL PRIMARY KEY, ts DOUBLE PRECISION NOT NULL, "
    "session_id TEXT NOT NULL, kind TEXT NOT NULL, item_id TEXT, payload TEXT NOT NULL DEFAULT '{}')",
    "CREATE INDEX IF NOT EXISTS events_session ON events(session_id)",
    "CREATE TABLE IF NOT EXISTS profiles (session_id TEXT PRIMARY KEY, profile TEXT NOT NULL, "
    "updated DOUBLE PRECISION NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, state TEXT NOT NULL, "
    "updated DOUBLE PRECISION NOT NULL, version INTEGER NOT NULL DEFAULT 0)",
)
_SCHEMA_LOCK_ID = 7_311_042  # a PostgreSQL advisory lock: processes starting together create the tables one at a time

INSERT_EVENT = "INSERT INTO events(ts, session_id, kind, item_id, payload) VALUES (?,?,?,?,?)"
UPSERT_PROFILE = ("INSERT INTO profiles(session_id, profile, updated) VALUES (?,?,?) "
                  "ON CONFLICT(session_id) DO UPDATE SET profile=excluded.profile, updated=excluded.updated")
UPSERT_STATE = ("INSERT INTO sessions(session_id, state, updated, version) VALUES (?,?,?,?) "
                "ON CONFLICT(session_id) DO UPDATE SET state=excluded.state, updated=excluded.updated, "
                "version=excluded.version")
SELECT_VERSION = "SELECT version FROM sessions WHERE session_id=?"


class StaleSession(Exception):
    """The session row changed since it was read: another process saved a turn in between."""


Event = tuple[str, str | None, dict]  # (kind, item_id, payload) of one turn's event


class BaseFeedbackStore:
    """The store's public interface, written once. A backend opens `self._db` (a DB-API-like connection whose
    `execute` returns a cursor) and provides `_transaction` (and `_placeholder` / `_lock_session_row` if they
    differ from SQLite's)."""

    _placeholder = "?"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._db: Any = None

    # --- what a backend provides ---
    def _transaction(self) -> AbstractContextManager:
        """A write transaction: committed on success, rolled back on any exception (re-raised)."""
        raise NotImplementedError

    def _lock_session_row(self, session_id: str) -> int:
        """Inside a write transaction: the session row's version (0: no row), locked until the transaction ends.
        Here, SQLite's: a plain read, since BEGIN IMMEDIATE already holds the whole file's write lock."""
        row = self._execute(SELECT_VERSION, (session_id,)).fetchone()
        return row[0] if row else 0

    def _execute(self, sql: str, args: Sequence = ()) -> Any:
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        return self._db.execute(sql, tuple(args)) if args else self._db.execute(sql)

    # --- the interface ---
    def record(self, session_id: str, kind: str, item_id: str | None, payload: dict | None = None,
               profile: dict | None = None) -> None:
        """Append one event (and the session's profile after it) in one committed transaction."""
        now = time.time()
        with self._lock, self._transaction():
            self._insert_event(session_id, kind, item_id, payload, now)
            if profile is not None:
                self._upsert_profile(session_id, profile, now)

    def _insert_event(self, session_id: str, kind: str, item_id: str | None, payload: dict | None, now: float) -> None:
        self._execute(INSERT_EVENT, (now, session_id, kind, item_id, json.dumps(payload or {})))

    def _upsert_profile(self, session_id: str, profile: dict, now: float) -> None:
        self._execute(UPSERT_PROFILE, (session_id, json.dumps(profile), now))

    def profile(self, session_id: str) -> dict | None:
        with self._lock:
            row = self._execute("SELECT profile FROM profiles WHERE session_id=?", (session_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_state(self, session_id: str, state: dict, expected: int | None = None,
                   events: Sequence[Event] = (), profile: dict | None = None) -> int:
        """Replace the session's saved dialogue state and return the row's new version. With `expected`, only
        if the row is still at that version (0: no row yet); otherwise StaleSession and nothing is written.
        `events` ((kind, item_id, payload) of the turn) and the `profile` after them go in the same transaction."""
        now = time.time()
        with self._lock, self._transaction():  # no other process between reading the version and writing
            current = self._lock_session_row(session_id)
            if expected is not None and current != expected:
                raise StaleSession(f"session {session_id!r} is at version {current}; this turn read version {expected}")
            for kind, item_id, payload in events:
                self._insert_event(session_id, kind, item_id, payload, now)
            if profile is not None:
                self._upsert_profile(session_id, profile, now)
            self._execute(UPSERT_STATE, (session_id, json.dumps(state), time.time(), current + 1))
        return current + 1

    def state(self, session_id: str) -> dict | None:
        return self.state_version(session_id)[0]

    def state_version(self, session_id: str) -> tuple[dict | None, int]:
        """(saved dialogue state or None, row version; 0 when there is no row)."""
        with self._lock:
            row = self._execute("SELECT state, version FROM sessions WHERE session_id=?", (session_id,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else (None, 0)

    def version(self, session_id: str) -> int:
        with self._lock:
            row = self._execute(SELECT_VERSION, (session_id,)).fetchone()
        return row[0] if row else 0

    def forget(self, session_id: str) -> None:
        """Delete the session's events, profile and state in one transaction."""
        with self._lock, self._transaction():
            for table in ("events", "profiles", "sessions"):
                self._execute(f"DELETE FROM {table} WHERE session_id=?", (session_id,))

    def events(self, session_id: str | None = None) -> list[dict]:
        q = "SELECT ts, session_id, kind, item_id, payload FROM events"
        args: tuple = ()
        if session_id is not None:
            q, args = q + " WHERE session_id=?", (session_id,)
        with self._lock:
            rows = self._execute(q + " ORDER BY id", args).fetchall()
        return [{"ts": r[0], "session_id": r[1], "kind": r[2], "item_id": r[3], "payload": json.loads(r[4])} for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


SQLITE_BUSY_S = 5.0  # how long a SQLite store waits for another process's write lock (sqlite3's default)


def _until_unlocked(fn, timeout: float):
    """fn(), tried again while SQLite says "database is locked", for up to `timeout` seconds. Switching a new file
    to WAL fails at once, without waiting the busy timeout, while another connection writes to it in the old
    journal mode: app processes that open a new file at the same moment hit this (bench/bench_multiprocess.py)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


class FeedbackStore(BaseFeedbackStore):
    """The SQLite store: one file, WAL mode; a write transaction holds the file's write lock (BEGIN IMMEDIATE)."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None,
                                   timeout=SQLITE_BUSY_S)
        _until_unlocked(lambda: self._db.execute("PRAGMA journal_mode=WAL"), SQLITE_BUSY_S)
        self._db.execute("PRAGMA synchronous=NORMAL")
        for statement in SQLITE_SCHEMA:
            self._db.execute(statement)
        if "version" not in {r[1] for r in self._db.execute("PRAGMA table_info(sessions)")}:  # a file from before
            self._db.execute("ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 0")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")  # the write lock of the file: no other process until COMMIT
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise


class PostgresFeedbackStore(BaseFeedbackStore):
    """The PostgreSQL store: one autocommit connection; writes run in explicit transactions (READ COMMITTED) and
    lock the session row (SELECT ... FOR UPDATE), so a concurrent writer of the same session waits, then sees the
    new version and gets StaleSession."""

    _placeholder = "%s"

    def __init__(self, url: str, connect_timeout_s: int = 5):
        super().__init__()
        self.url = url
        try:
            import psycopg
        except ImportError as e:
            raise RecassistError("a postgresql:// session database needs psycopg 3: "
                                 "pip install 'psycopg[binary]' (a recassist dependency)") from e
        try:
            params = psycopg.conninfo.conninfo_to_dict(url)
            params.setdefault("connect_timeout", connect_timeout_s)
            self._db = psycopg.connect(autocommit=True, **params)
        except psycopg.Error as e:
            reason = " ".join(str(e).split())
            raise RecassistError(
                f"cannot connect to the session database {redact_url(url)}: {reason}. Start the PostgreSQL server "
                "or fix the URL in RECASSIST_DB_URL (host, port, user, password, database), or unset "
                "RECASSIST_DB_URL to use the default SQLite file") from e
        with self._db.transaction():
            self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_ID,))
            for statement in POSTGRES_SCHEMA:
                self._db.execute(statement)

    def _transaction(self) -> AbstractContextManager:
        return self._db.transaction()  # BEGIN ... COMMIT, ROLLBACK when the block raises

    def _lock_session_row(self, session_id: str) -> int:
        # FOR UPDATE locks only a row that exists: insert a version-0 placeholder first (rolled back with the
        # transaction on StaleSession, overwritten by the state otherwise), so first writers queue on it too.
        self._execute("INSERT INTO sessions(session_id, state, updated, version) VALUES (?, 'null', ?, 0) "
                      "ON CONFLICT(session_id) DO NOTHING", (session_id, time.time()))
        return self._execute(SELECT_VERSION + " FOR UPDATE", (session_id,)).fetchone()[0]


def redact_url(url: str) -> str:
    """`url` without its password (in the user part or a password= query parameter), for messages and logs."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:***@{host}"
    query = urlencode([(k, "***" if k == "password" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
                     safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def open_store(db_url: str | None, default_path: Path) -> BaseFeedbackStore:
    """The session/feedback store for `db_url`: None or "" -> SQLite at `default_path`; `sqlite:///relative.db` or
    `sqlite:////absolute/path.db` (SQLAlchemy's spelling) -> that SQLite file; `postgresql://user:pass@host:port/db`
    (or `postgres://`) -> PostgreSQL. Anything else, or a server that cannot be reached, is a RecassistError."""
    if not db_url:
        return FeedbackStore(default_path)
    scheme = db_url.partition("://")[0].lower() if "://" in db_url else ""
    if scheme == "sqlite":
        path = db_url.split("://", 1)[1]
        if not path.startswith("/") or path == "/":
            raise RecassistError(f"session database URL {db_url!r} names no file: write sqlite:///relative/path.db "
                                 "or sqlite:////absolute/path.db")
        return FeedbackStore(Path(path[1:]).expanduser())
    if scheme in ("postgresql", "postgres"):
        return PostgresFeedbackStore(db_url)
    raise RecassistError(f"unsupported session database URL {redact_url(db_url)!r} (scheme {scheme or 'missing'!r}): "
                         "RECASSIST_DB_URL must start with postgresql:// or postgres:// (a PostgreSQL server) or "
                         "sqlite:/// (a SQLite file); unset it to use the default SQLite file")
