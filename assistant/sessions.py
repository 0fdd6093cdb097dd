"""Thread-safe registry of per-session state, restored from the feedback store on first use.

Each session id maps to its own tools.context.SessionState; nothing about a
user lives in module globals. Profiles (liked/disliked/seen/entities) survive a
restart through FeedbackStore; the candidate set and shown cards do not.
"""

from __future__ import annotations

import threading

from tools.context import SessionState


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
                s = SessionState(session_id)
                if self.store is not None:
                    saved = self.store.profile(session_id)
                    if saved:
                        s.load_profile(saved)
                self._sessions[session_id] = s
            return s

    def record(self, session_id: str, kind: str, item_id: str | None, payload: dict) -> None:
        """Persist one event with the session's profile after it (no-op without a store)."""
        if self.store is not None:
            self.store.record(session_id, kind, item_id, payload, profile=self.get(session_id).profile_dict())

    def __len__(self) -> int:
        return len(self._sessions)
