"""Thread-safe registry of per-session state, restored from the feedback store on first use.

Each session id maps to its own tools.state.SessionState (profile, current request, shown items,
results and page); nothing about a user lives in module globals. `save` writes the whole state
after every turn, so a restart, or the next `recassist ask --session S`, continues the
conversation; `forget` deletes the profile, the state and the stored events of a session.

Several processes may serve one session over one store: `refresh` re-reads a state that another
process has saved since, and `save` writes only over the version it read (feedback_store.StaleSession
otherwise; the agent then re-reads and runs the turn again). Between `begin` and `save` the events a
turn records are held back and written with the state in one transaction, so a turn that is run again
writes its events once, and a discarded run writes nothing.
"""

from __future__ import annotations

import threading

from tools.state import SessionState


class SessionStore:
    def __init__(self, store=None):
        self.store = store  # assistant.feedback_store.FeedbackStore | None
        self._sessions: dict[str, SessionState] = {}
        self._lock = threading.Lock()
        self._pending: dict[str, list[tuple[str, str | None, dict]]] = {}  # session id -> events held back (see begin)

    def get(self, session_id: str) -> SessionState:
        if not session_id or not isinstance(session_id, str):
            from catalog.types import RecassistError

            raise RecassistError("a session id (non-empty string) is required")
        with self._lock:
            s = self._sessions.get(session_id)
            if s is None:
                s = self._load(session_id)
                self._sessions[session_id] = s
            return s

    def _load(self, session_id: str) -> SessionState:
        if self.store is None:
            return SessionState(session_id)
        state, version = self.store.state_version(session_id)
        if state:
            s = SessionState.from_dict({**state, "session_id": session_id})
        else:
            s = SessionState(session_id)
        s.row_version = version
        saved = self.store.profile(session_id)  # the profile row is written on every feedback event
        if saved:
            s.load_profile(saved)
        return s

    def current(self, session_id: str) -> SessionState:
        """The session as stored now, for reads that write nothing (Assistant.profile, Assistant.why): the cached
        state when no other process has saved the session since it was read, else a copy read from the store.
        The cached state is left alone: only a turn re-reads it (`refresh`), under the session's turn lock."""
        s = self.get(session_id)
        if self.store is None or self.store.version(session_id) == s.row_version:
            return s
        return self._load(session_id)

    def refresh(self, s: SessionState) -> bool:
        """Re-read `s` in place when another process saved the session since it was read (True if it did)."""
        if self.store is None or self.store.version(s.session_id) == s.row_version:
            return False
        s.replace_with(self._load(s.session_id), version=True)
        return True

    def restore(self, s: SessionState, state: dict) -> None:
        """Put `s` back, in place, as `state` (its `to_dict()` before a run that then failed): a turn that raises
        leaves nothing half-done in the cached session, which keeps its version and would otherwise be saved
        with the next turn."""
        s.replace_with(SessionState.from_dict({**state, "session_id": s.session_id}), version=False)

    def begin(self, s: SessionState) -> None:
        """Hold back the events the session records until `save` (or `discard`)."""
        with self._lock:
            self._pending[s.session_id] = []

    def discard(self, s: SessionState) -> None:
        with self._lock:
            self._pending.pop(s.session_id, None)

    def save(self, s: SessionState) -> None:
        """Persist the whole dialogue state, with the events held back since `begin`, over the version it was
        read at (no-op without a store); feedback_store.StaleSession, and nothing written, when another
        process saved the session in between."""
        with self._lock:
            events = self._pending.pop(s.session_id, [])
        if self.store is not None:
            s.row_version = self.store.save_state(s.session_id, s.to_dict(), expected=s.row_version, events=events,
                                                  profile=s.profile_dict() if events else None)

    def record(self, session_id: str, kind: str, item_id: str | None, payload: dict) -> None:
        """Persist one event with the session's profile after it (no-op without a store); held back until
        `save` while a turn runs (`begin`)."""
        with self._lock:
            if session_id in self._pending:
                self._pending[session_id].append((kind, item_id, payload))
                return
        if self.store is not None:
            self.store.record(session_id, kind, item_id, payload, profile=self.get(session_id).profile_dict())

    def forget(self, session_id: str) -> None:
        """Delete everything stored about the session; the next `get` starts empty."""
        with self._lock:
            self._sessions.pop(session_id, None)
            self._pending.pop(session_id, None)
        if self.store is not None:
            self.store.forget(session_id)

    def __len__(self) -> int:
        return len(self._sessions)
