"""Thread-safe registry of per-session state, restored from the feedback store on first use.

Each session id maps to its own tools.state.SessionState (profile, current request, shown items,
results and page); nothing about a user lives in module globals. `save` writes the whole state
after every turn, so a restart, or the next `recassist ask --session S`, continues the
conversation; `forget` deletes the profile, the state and the stored events of a session.
"""

from __future__ import annotations

import threading

from tools.state import SessionState


class SessionStore:
    def __init__(self, store=None):
        self.store = store  # assistant.feedback_store.FeedbackStore | None
        self._sessions: dict[str, SessionState] = {}
        self._lock = threading.Lock()

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
        state = self.store.state(session_id)
        if state:
            s = SessionState.from_dict({**state, "session_id": session_id})
        else:
            s = SessionState(session_id)
        saved = self.store.profile(session_id)  # the profile row is written on every feedback event
        if saved:
            s.load_profile(saved)
        return s

    def save(self, s: SessionState) -> None:
        """Persist the whole dialogue state (no-op without a store)."""
        if self.store is not None:
            self.store.save_state(s.session_id, s.to_dict())

    def record(self, session_id: str, kind: str, item_id: str | None, payload: dict) -> None:
        """Persist one event with the session's profile after it (no-op without a store)."""
        if self.store is not None:
            self.store.record(session_id, kind, item_id, payload, profile=self.get(session_id).profile_dict())

    def forget(self, session_id: str) -> None:
        """Delete everything stored about the session; the next `get` starts empty."""
        with self._lock:
            self._sessions.pop(session_id, None)
        if self.store is not None:
            self.store.forget(session_id)

    def __len__(self) -> int:
        return len(self._sessions)
