"""Per-session state and the context every tool receives (never module globals).

SessionState holds one user's profile (liked / disliked / seen item ids,
interest entities such as "person:Ridley Scott"), the current candidate set
(ids only), the last ranking and the cards shown. ToolContext bundles the
shared read-only components (catalog, KG, index, scorer) with one session and a
`record` callback that persists feedback events.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from catalog.types import Catalog


@dataclass
class SessionState:
    session_id: str
    liked: list[str] = field(default_factory=list)  # item ids, oldest first
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # KG nodes the user is interested in
    constraints: dict = field(default_factory=dict)  # filters of the current request (genres, decades, ...)
    seeds: list[str] = field(default_factory=list)  # reference items of the current request ("like X")
    candidates: list[str] | None = None  # current candidate set (ids); None = whole catalog
    ranked: list[tuple[str, float]] = field(default_factory=list)  # last ranking (id, score)
    shown: list[str] = field(default_factory=list)  # ids of the cards last shown, in order
    onboarding: dict | None = None  # {"step": int, "options": [...]} while onboarding runs
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)  # short state mutations
    turn_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)  # one turn at a time

    PROFILE_FIELDS = ("liked", "disliked", "seen", "entities")

    def apply(self, item_id: str, kind: str) -> None:
        """Feedback on one item: like | dislike | seen | not_interested (= dislike for ranking).
        A like or dislike replaces an earlier opposite one; "seen" keeps whichever the user gave."""
        with self.lock:
            for lst in (self.liked, self.disliked):
                if item_id in lst and kind != "seen":
                    lst.remove(item_id)
            if kind == "like":
                self.liked.append(item_id)
            elif kind in ("dislike", "not_interested"):
                self.disliked.append(item_id)
            if kind in ("seen", "like", "dislike") and item_id not in self.seen:
                self.seen.append(item_id)
            if self.candidates is not None and item_id in self.candidates and kind != "like":
                self.candidates = [i for i in self.candidates if i != item_id]

    def add_entity(self, node: str) -> None:
        with self.lock:
            if node not in self.entities:
                self.entities.append(node)

    def profile_dict(self) -> dict:
        with self.lock:
            return {f: list(getattr(self, f)) for f in self.PROFILE_FIELDS}

    def load_profile(self, d: dict) -> None:
        with self.lock:
            for f in self.PROFILE_FIELDS:
                setattr(self, f, list(d.get(f, [])))

    def scorer_profile(self, catalog: Catalog, extra_liked: list[str] = ()):
        """The scorer's Profile: liked (+ current seeds), disliked, seen, entities; ids not in the catalog dropped."""
        from scorer.base import Profile

        with self.lock:
            liked = [i for i in dict.fromkeys(list(self.liked) + list(extra_liked)) if i in catalog]
            return Profile(liked=liked, disliked=[i for i in self.disliked if i in catalog],
                           seen=[i for i in self.seen if i in catalog], entities=list(self.entities))


@dataclass
class ToolResult:
    ok: bool
    text: str  # what a model (or the user, for failures) reads
    ids: list[str] = field(default_factory=list)
    data: Any = None


@dataclass
class ToolContext:
    catalog: Catalog
    kg: Any  # kg.graph.KnowledgeGraph
    session: SessionState
    index: Any = None  # retrieval.index.ItemIndex | None
    scorer: Any = None  # scorer.fusion.FusionScorer | None
    popularity: np.ndarray | None = None  # (n_items,) interaction counts, catalog order
    record: Callable[[str, str, str | None, dict], None] | None = None  # (session, kind, item_id, payload)
    n_candidates: int = 60
    notes: list[str] = field(default_factory=list)  # honest caveats for this turn (e.g. "no scorer built")
    index_note: str | None = None  # why `index` is None, when known (e.g. the Chroma server was down at start)

    def titles(self, ids: list[str], n: int = 5) -> str:
        return "; ".join(self.catalog[i].display_title for i in ids[:n])

    def popular_first(self, ids: list[str]) -> list[str]:
        if self.popularity is None:
            return list(ids)
        return sorted(ids, key=lambda i: -int(self.popularity[self.catalog.index(i)]))

    def resolve_title(self, title: str) -> str | None:
        hits = self.catalog.search_titles(title, limit=3, min_score=88.0)
        if not hits:
            return None
        best = hits[0][1]
        return self.popular_first([i for i, s in hits if s == best])[0]
