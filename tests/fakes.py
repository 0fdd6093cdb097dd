"""Test doubles for the AssistantAPI contract (assistant.api).

`FakeAssistant` is NOT the product: no LLM, no vector store, no trained scorer.
It exists so the UI can be tested without them. It is still grounded in real
components: a real Catalog and a real NetworkX KnowledgeGraph, and its
explanations are real `kg.paths.find_paths` paths (so a browser test can check
the path it shows against the KG). Ranking is a simple count of KG paths from
the session's liked items. It records every call so tests can check routing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.api import Card, Explanation, PathHop, Reply
from catalog.types import Dataset
from kg.graph import KnowledgeGraph
from kg.paths import find_paths

ONBOARDING_QUESTION = "Which of these films have you enjoyed?"


@dataclass
class _Session:
    onboarding: bool = False
    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    not_interested: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)


class FakeAssistant:
    """Honours AssistantAPI over a real catalog + KG. `reply_prefix` lets tests inject hostile "model" text."""

    def __init__(self, dataset: Dataset, kg: KnowledgeGraph, *, backend_name: str = "fake (test double)",
                 reply_prefix: str = "", k: int = 3, onboarding_options: int = 5):
        self.dataset, self.kg = dataset, kg
        self.backend_name = backend_name
        self.reply_prefix = reply_prefix
        self.k = k
        self.n_options = onboarding_options
        self.sessions: dict[str, _Session] = {}
        self.calls: list[tuple] = []  # (method, session_id, *args)

    def _s(self, sid: str) -> _Session:
        return self.sessions.setdefault(sid, _Session())

    # -- AssistantAPI -------------------------------------------------------
    def start_onboarding(self, session_id: str) -> Reply:
        self.calls.append(("start_onboarding", session_id))
        self._s(session_id).onboarding = True
        options = [it.display_title for it in list(self.dataset.catalog)[: self.n_options]]
        return Reply(text=f"{self.reply_prefix}Welcome! Tell me a few films you like, or skip.",
                     question=ONBOARDING_QUESTION, options=options, intent="onboarding", backend="template")

    def respond(self, session_id: str, text: str, on_cards=None) -> Reply:
        self.calls.append(("respond", session_id, text))
        s = self._s(session_id)
        if s.onboarding:
            s.onboarding = False
            if text.strip().lower() == "skip":
                return Reply(text=f"{self.reply_prefix}No problem, skipped. Ask me for a recommendation.",
                             intent="onboarding", backend="template")
            for part in text.split(","):
                hits = self.dataset.catalog.search_titles(part.strip(), limit=1, min_score=80)
                if hits and hits[0][0] not in s.liked:
                    s.liked.append(hits[0][0])
            names = ", ".join(self.dataset.catalog[i].display_title for i in s.liked) or "nothing I know"
            return Reply(text=f"{self.reply_prefix}Thanks! Noted: {names}. Ask me for a recommendation.",
                         intent="onboarding", backend="template")
        cards = self._recommend(s)
        s.shown = [c.item_id for c in cards]
        if on_cards is not None and cards:
            on_cards(list(cards))
        return Reply(text=f"{self.reply_prefix}Here are {len(cards)} films you might like.", cards=cards,
                     intent="recommend", backend=self.backend_name)

    def why(self, session_id: str, item_id: str) -> Explanation:
        self.calls.append(("why", session_id, item_id))
        s = self._s(session_id)
        item = self.dataset.catalog[item_id]
        paths = find_paths(self.kg, s.liked, item_id, max_hops=4, limit=3)
        hops = [[PathHop(self.kg.label(a), rel, self.kg.label(b)) for rel, a, b in zip(p.relations, p.nodes, p.nodes[1:])]
                for p in paths]
        text = paths[0].sentence(self.kg) if paths else f"{item.display_title} is popular with other users."
        return Explanation(item_id=item_id, title=item.display_title, text=text, paths=hops,
                           path_texts=[p.describe(self.kg) for p in paths],
                           contributions={"kg": 0.1 * len(paths), "collaborative": 0.05}, score=0.1 * len(paths) + 0.05,
                           families={"shared cast, crew or genre": 0.1 * len(paths), "people with similar taste": 0.05},
                           liked_shares={self.kg.label(p.nodes[0]): p.score for p in paths[:1]})

    def feedback(self, session_id: str, item_id: str, kind: str) -> Reply:
        self.calls.append(("feedback", session_id, item_id, kind))
        s = self._s(session_id)
        getattr(s, {"like": "liked", "dislike": "disliked", "seen": "seen", "not_interested": "not_interested"}[kind]).append(item_id)
        return Reply(text=f"Got it ({kind}): {self.dataset.catalog[item_id].display_title}.", intent="feedback",
                     backend="template")

    def profile(self, session_id: str) -> dict:
        s = self._s(session_id)
        return {"liked": list(s.liked), "disliked": list(s.disliked), "seen": list(s.seen),
                "not_interested": list(s.not_interested), "onboarding": s.onboarding}

    # -- internals ----------------------------------------------------------
    def _recommend(self, s: _Session) -> list[Card]:
        excluded = set(s.liked) | set(s.disliked) | set(s.seen) | set(s.not_interested)
        scored = []
        for row, item in enumerate(self.dataset.catalog):
            if item.id in excluded or not self.kg.has_item(item.id):
                continue
            paths = find_paths(self.kg, s.liked, item.id, max_hops=2, limit=10) if s.liked else []
            scored.append((sum(p.score for p in paths), -row, item, paths))
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        cards = []
        for score, _, item, paths in scored[: self.k]:
            cards.append(Card(item_id=item.id, title=item.display_title, year=item.year, score=float(score),
                              people=list(item.directors[:2] + item.cast[:2]), genres=list(item.genres),
                              why=paths[0].sentence(self.kg) if paths else "popular pick"))
        return cards


def fake_for(dataset: Dataset, **kw) -> FakeAssistant:
    """A FakeAssistant over `dataset` with a KG built from it (no users, so paths are item-entity-item)."""
    return FakeAssistant(dataset, KnowledgeGraph.build(dataset), **kw)


__all__ = ["FakeAssistant", "fake_for", "ONBOARDING_QUESTION"]
