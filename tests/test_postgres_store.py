"""The session/feedback store contract, run against both backends: SQLite (a file in tmp_path) and a real
PostgreSQL server that this module starts (initdb + pg_ctl on 127.0.0.1, a free port, a throwaway data directory).

Every behaviour test takes `open_db`, a factory that opens a new store object on one fresh database per test:
two calls are two connections, as two app processes would have. The PostgreSQL tests skip, saying why, when
the server binaries are missing (`make test` installs Debian's postgresql first).
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from assistant.feedback_store import BaseFeedbackStore, FeedbackStore, PostgresFeedbackStore, StaleSession, open_store
from assistant.sessions import SessionStore
from catalog.paths import Paths
from catalog.types import RecassistError
from tests.servers import free_port

PG_SUPERUSER = "recassist"  # created by initdb; the server trusts local connections
PG_DATABASE = "recassist_test"


# --- a real PostgreSQL server for this test session ---

def postgres_bindir() -> Path | None:
    """The directory with initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent

    def version(initdb: str) -> tuple[int, ...]:
        return tuple(int(x) for x in Path(initdb).parent.parent.name.split(".") if x.isdigit())

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    return Path(found[-1]).parent if found else None


def unprivileged_prefix() -> tuple[list[str], str | None]:
    """(command prefix, user): initdb and postgres refuse to run as root, so root runs them through `runuser`."""
    if os.geteuid() != 0:
        return [], None
    if not shutil.which("runuser"):
        pytest.skip("running as root and `runuser` is missing: cannot start PostgreSQL as an unprivileged user")
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
            return ["runuser", "-u", user, "--"], user
        except KeyError:
            continue
    pytest.skip("running as root and neither user `postgres` nor `nobody` exists to run PostgreSQL as")


def run_checked(cmd: list[str], what: str, cwd: Path, log: Path | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        server_log = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        pytest.fail(f"{what} failed ({done.returncode}): {done.stdout}\n{done.stderr}\n{server_log}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh database on a PostgreSQL server started for this test session (stopped at the end)."""
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found; `apt-get install postgresql` (make test does this)")
    prefix, user = unprivileged_prefix()
    tmp = Path(tempfile.mkdtemp(prefix="recassist-pg-"))  # under /tmp, so the unprivileged user can reach it
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(tmp, entry.pw_uid, entry.pw_gid)
        data, log, port = tmp / "data", tmp / "server.log", free_port()
        run_checked(prefix + [str(bindir / "initdb"), "-D", str(data), "-U", PG_SUPERUSER, "--auth=trust",
                              "-E", "UTF8", "--locale=C"], "initdb", cwd=tmp)
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={tmp} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        pg_ctl = prefix + [str(bindir / "pg_ctl"), "-D", str(data)]
        run_checked(pg_ctl + ["-l", str(log), "-o", options, "-w", "-t", "60", "start"], "pg_ctl start", tmp, log)
        try:
            with psycopg.connect(f"postgresql://{PG_SUPERUSER}@127.0.0.1:{port}/postgres", autocommit=True) as c:
                c.execute(f"CREATE DATABASE {PG_DATABASE}")
            yield f"postgresql://{PG_SUPERUSER}@127.0.0.1:{port}/{PG_DATABASE}"
        finally:
            subprocess.run(pg_ctl + ["-m", "immediate", "stop"], cwd=tmp, capture_output=True, timeout=60)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- the contract, over both backends ---

@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.server)])
def open_db(request, tmp_path) -> Iterator[Callable[[], BaseFeedbackStore]]:
    """A factory of store objects on one fresh database (each call: a new connection, like another process)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fb.sqlite'}"  # tmp_path is absolute: sqlite:////tmp/...
    else:
        url = request.getfixturevalue("pg_url")
        with psycopg.connect(url, autocommit=True) as c:  # a fresh database per test: the store recreates the tables
            c.execute("DROP TABLE IF EXISTS events, profiles, sessions")
    opened: list[BaseFeedbackStore] = []

    def open_one() -> BaseFeedbackStore:
        store = open_store(url, tmp_path / "not-used.sqlite")
        assert isinstance(store, FeedbackStore if request.param == "sqlite" else PostgresFeedbackStore)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


def kinds(store: BaseFeedbackStore, session_id: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(e["session_id"], e["kind"], e["item_id"]) for e in store.events(session_id)]


def test_record_keeps_events_in_order_with_the_profile(open_db):
    store = open_db()
    assert store.profile("s1") is None and store.events() == []
    store.record("s1", "like", "alien", {"via": "card", "rank": 1}, profile={"liked": ["alien"]})
    store.record("s2", "seen", "blade", None)
    store.record("s1", "dislike", "toystory", {"note": "déjà vu ✓"}, profile={"liked": ["alien"], "disliked": ["toystory"]})
    store.record("s1", "seen", None, {})  # no profile: the saved one stays
    assert kinds(store, "s1") == [("s1", "like", "alien"), ("s1", "dislike", "toystory"), ("s1", "seen", None)]
    assert kinds(store) == [("s1", "like", "alien"), ("s2", "seen", "blade"), ("s1", "dislike", "toystory"),
                            ("s1", "seen", None)]
    events = store.events("s1")
    assert [e["payload"] for e in events] == [{"via": "card", "rank": 1}, {"note": "déjà vu ✓"}, {}]
    assert all(isinstance(e["ts"], float) for e in events)
    assert events[0]["ts"] <= events[1]["ts"] <= events[2]["ts"]
    assert abs(events[0]["ts"] - events[1]["ts"]) < 60  # seconds, at full precision (not a 4-byte float)
    assert store.profile("s1") == {"liked": ["alien"], "disliked": ["toystory"]}
    assert store.profile("s2") is None
    assert open_db().profile("s1") == {"liked": ["alien"], "disliked": ["toystory"]}  # committed: another connection sees it


def test_save_state_round_trip_and_version_increments(open_db):
    store = open_db()
    assert store.state_version("s") == (None, 0) and store.state("s") is None and store.version("s") == 0
    state = {"request": {"genres": ["Sci-Fi"], "year_min": None}, "shown": ["alien", "blade"], "scores": {"alien": 0.5},
             "title": "Amélie ✓"}
    assert store.save_state("s", state, expected=0) == 1
    assert store.state_version("s") == (state, 1) and store.state("s") == state and store.version("s") == 1
    assert store.save_state("s", {"turn": 2}, expected=1) == 2
    assert store.save_state("s", {"turn": 3}) == 3  # no expected version: always written, still counted
    assert open_db().state_version("s") == ({"turn": 3}, 3)
    assert store.version("other") == 0


def test_save_state_writes_the_turns_events_and_profile(open_db):
    store = open_db()
    store.save_state("s", {"turn": 1}, expected=0, events=[("like", "alien", {"via": "text"}), ("seen", "blade", {})],
                     profile={"liked": ["alien"], "seen": ["blade"]})
    assert kinds(store, "s") == [("s", "like", "alien"), ("s", "seen", "blade")]
    assert store.events("s")[0]["payload"] == {"via": "text"}
    assert store.profile("s") == {"liked": ["alien"], "seen": ["blade"]}
    store.save_state("s", {"turn": 2}, expected=1)  # no events, no profile: those stay as they were
    assert len(store.events("s")) == 2 and store.profile("s") == {"liked": ["alien"], "seen": ["blade"]}


def test_a_stale_save_from_another_connection_writes_nothing(open_db):
    a, b = open_db(), open_db()
    a.save_state("s", {"turn": 1}, expected=0)
    _, version_a = a.state_version("s")
    _, version_b = b.state_version("s")  # both "processes" read version 1
    assert version_a == version_b == 1
    assert a.save_state("s", {"turn": "a"}, expected=version_a, events=[("like", "alien", {})],
                        profile={"liked": ["alien"]}) == 2
    with pytest.raises(StaleSession, match="version 2"):
        b.save_state("s", {"turn": "b"}, expected=version_b, events=[("like", "toystory", {})],
                     profile={"liked": ["toystory"]})
    for store in (a, b, open_db()):
        assert store.state_version("s") == ({"turn": "a"}, 2)
        assert kinds(store, "s") == [("s", "like", "alien")]  # nothing of b's turn
        assert store.profile("s") == {"liked": ["alien"]}


def test_two_first_turns_racing_on_a_new_session_exactly_one_wins(open_db):
    """Two connections save over version 0 (no row yet) at the same moment: one writes, the other gets StaleSession."""
    stores = [open_db(), open_db()]
    for round_ in range(8):
        session_id = f"race-{round_}"
        barrier, outcomes = threading.Barrier(2), [None, None]

        def first_turn(i: int) -> None:
            barrier.wait()
            try:
                outcomes[i] = stores[i].save_state(session_id, {"by": i}, expected=0, events=[("like", f"item{i}", {})],
                                                   profile={"by": i})
            except StaleSession as e:
                outcomes[i] = e

        threads = [threading.Thread(target=first_turn, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        winners = [i for i, o in enumerate(outcomes) if o == 1]
        assert len(winners) == 1 and isinstance(outcomes[1 - winners[0]], StaleSession), outcomes
        w = winners[0]
        assert stores[0].state_version(session_id) == ({"by": w}, 1)
        assert kinds(stores[1], session_id) == [(session_id, "like", f"item{w}")]
        assert stores[0].profile(session_id) == {"by": w}


def test_concurrent_saves_with_retry_lose_no_update(open_db):
    """Two threads, each with its own connection, save one session over and over, re-reading on StaleSession."""
    per_thread, errors = 25, []

    def hammer(store: BaseFeedbackStore, name: str) -> None:
        try:
            saved = 0
            while saved < per_thread:
                state, version = store.state_version("h")
                count = (state or {}).get("count", 0)
                try:
                    store.save_state("h", {"count": count + 1}, expected=version, events=[("save", name, {"n": count})])
                    saved += 1
                except StaleSession:
                    continue  # another thread saved in between: read again
        except Exception as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=hammer, args=(open_db(), f"t{i}")) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors and not any(t.is_alive() for t in threads)
    store = open_db()
    assert store.state_version("h") == ({"count": 2 * per_thread}, 2 * per_thread)
    events = store.events("h")
    assert len(events) == 2 * per_thread
    assert [e["payload"]["n"] for e in events] == list(range(2 * per_thread))  # each save built on the one before
    assert {e["item_id"] for e in events} == {"t0", "t1"}


def test_forget_deletes_one_sessions_rows_in_all_three_tables(open_db):
    store = open_db()
    for sid in ("s1", "s2"):
        store.record(sid, "like", "alien", {}, profile={"liked": ["alien"]})
        store.save_state(sid, {"turn": 1}, expected=0, events=[("seen", "blade", {})])
    store.forget("s1")
    for view in (store, open_db()):
        assert view.events("s1") == [] and view.profile("s1") is None and view.state_version("s1") == (None, 0)
        assert kinds(view, "s2") == [("s2", "like", "alien"), ("s2", "seen", "blade")]
        assert view.profile("s2") == {"liked": ["alien"]} and view.state_version("s2") == ({"turn": 1}, 1)
    assert store.save_state("s1", {"turn": 1}, expected=0) == 1  # a forgotten session starts again at version 0


def test_a_session_store_round_trips_over_the_backend(open_db):
    sessions = SessionStore(open_db())
    s = sessions.get("u")
    assert s.row_version == 0 and s.liked == []
    sessions.record("u", "seen", "toystory", {"via": "text"})  # outside a turn: written at once, with the profile
    s.apply("toystory", "seen")
    sessions.begin(s)  # a turn: its events are held back and written with the state
    s.apply("alien", "like")
    s.request.genres, s.shown, s.turn = ["Sci-Fi"], ["alien", "blade"], 1
    sessions.record("u", "like", "alien", {"via": "card"})
    sessions.save(s)
    assert s.row_version == 1

    other = SessionStore(open_db())  # a new process on the same database
    restored = other.get("u")
    assert restored.to_dict() == s.to_dict() and restored.row_version == 1
    assert restored.liked == ["alien"] and restored.seen[0] == "toystory" and restored.request.genres == ["Sci-Fi"]
    assert kinds(other.store, "u") == [("u", "seen", "toystory"), ("u", "like", "alien")]

    s.turn = 2
    sessions.save(s)  # the first process saves another turn: the second re-reads it
    assert other.refresh(restored) and restored.turn == 2 and restored.row_version == 2
    restored.turn = 3
    stale = SessionStore(open_db())
    stale_copy = stale.get("u")
    other.save(restored)
    stale_copy.turn = 99
    with pytest.raises(StaleSession):
        stale.save(stale_copy)  # read at version 2, saved over version 3
    assert SessionStore(open_db()).get("u").turn == 3


# --- choosing a backend from a URL ---

def test_open_store_picks_sqlite_by_default_and_for_sqlite_urls(tmp_path):
    default = open_store(None, tmp_path / "default" / "fb.sqlite")
    assert isinstance(default, FeedbackStore) and default.path == tmp_path / "default" / "fb.sqlite"
    explicit = open_store(f"sqlite:///{tmp_path / 'other.sqlite'}", tmp_path / "unused.sqlite")
    assert isinstance(explicit, FeedbackStore) and explicit.path == tmp_path / "other.sqlite"
    default.close(), explicit.close()
    with pytest.raises(RecassistError, match="names no file"):
        open_store("sqlite://", tmp_path / "unused.sqlite")


def test_open_store_rejects_an_unknown_scheme_clearly(tmp_path):
    with pytest.raises(RecassistError) as e:
        open_store("mysql://app:hunter2@db.example:3306/recassist", tmp_path / "fb.sqlite")
    msg = str(e.value)
    assert "'mysql'" in msg and "postgresql://" in msg and "sqlite:///" in msg and "RECASSIST_DB_URL" in msg
    assert "hunter2" not in msg and "app:***@db.example:3306" in msg


def test_an_unreachable_postgres_url_names_the_url_without_its_password(tmp_path):
    port = free_port()  # nothing listens there
    with pytest.raises(RecassistError) as e:
        open_store(f"postgresql://alice:s3cret@127.0.0.1:{port}/recassist", tmp_path / "fb.sqlite")
    msg = str(e.value)
    assert f"postgresql://alice:***@127.0.0.1:{port}/recassist" in msg
    assert "s3cret" not in msg and "Start the PostgreSQL server" in msg and "RECASSIST_DB_URL" in msg


def test_the_cli_edge_passes_recassist_db_url_into_the_config(monkeypatch, tmp_path):
    from assistant.commands.chat import config_from_args

    args = argparse.Namespace(dataset="ml-100k", paths=Paths(tmp_path), backend="none", mode="plan", model=None, k=5,
                              feedback_db=None)
    monkeypatch.setenv("RECASSIST_DB_URL", "postgresql://app@db:5432/recassist")
    assert config_from_args(args).db_url == "postgresql://app@db:5432/recassist"
    monkeypatch.delenv("RECASSIST_DB_URL")
    assert config_from_args(args).db_url is None
