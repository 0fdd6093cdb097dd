"""Baselines for the dialogue evaluation; each exposes `respond(session_id, text, ...) -> Reply`.

- FilterPopularityBaseline ("filter+popularity"): parses nothing. It is told the simulated
  user's revealed facts as structured data (genres, decade, named entities; the liked ids) and
  pages through the most popular matching items (popularity from the held-out training data),
  never showing an item twice in a session nor a liked item.
- ChatRecBaseline ("chat-rec", optional): retrieval over the whole conversation's text,
  optionally reordered by the LLM (Chat-Rec style); no scorer, no KG.
"""

from __future__ import annotations

import numpy as np

from assistant.api import Card, Reply


class FilterPopularityBaseline:
    backend_name = "filter+popularity"
    structured = True  # run_episode passes the user's revealed facts

    def __init__(self, catalog, popularity: np.ndarray, k: int = 10):
        self.catalog, self.k = catalog, k
        order = np.lexsort((np.arange(len(catalog)), -np.asarray(popularity)))  # most popular first, ties by row
        self.order = [catalog.at(int(r)) for r in order]
        self._shown: dict[str, set[str]] = {}

    @staticmethod
    def matches(item, facts: dict) -> bool:
        if any(g not in item.genres for g in facts.get("genres", ())):
            return False
        decade = facts.get("decade")
        if decade is not None and (item.year is None or item.year // 10 * 10 != decade):
            return False
        return all(value in getattr(item, fld) for fld, value in facts.get("entities", ()))

    def respond(self, session_id: str, text: str = "", facts: dict | None = None, on_cards=None) -> Reply:
        facts = facts or {}
        shown = self._shown.setdefault(session_id, set())
        skip = shown | set(facts.get("liked", ()))
        picks = []
        for it in self.order:
            if it.id not in skip and self.matches(it, facts):
                picks.append(it)
                if len(picks) == self.k:
                    break
        shown.update(it.id for it in picks)
        cards = [Card(item_id=it.id, title=it.display_title, year=it.year, score=0.0) for it in picks]
        return Reply(text="", cards=cards, intent="recommend", backend=self.backend_name)


class ChatRecBaseline:
    """Chat-Rec-style: retrieve top-20 by the whole conversation's text, optionally let the LLM pick 10.

    No scorer, no KG. Per-session conversation kept in a dict keyed by session id.
    """

    backend_name = "chat-rec"

    def __init__(self, index, catalog, llm=None, pool: int = 20, k: int = 10):
        self.index, self.catalog, self.llm, self.pool, self.k = index, catalog, llm, pool, k
        self._turns: dict[str, list[str]] = {}
        self._shown: dict[str, set[str]] = {}

    def respond(self, session_id: str, text: str, on_cards=None) -> Reply:
        turns = self._turns.setdefault(session_id, [])
        turns.append(text)
        shown = self._shown.setdefault(session_id, set())
        hits = [h for h in self.index.search(" ".join(turns), k=self.pool + len(shown)) if h.item_id not in shown][: self.pool]
        ids = [h.item_id for h in hits]
        if self.llm is not None and ids:
            ids = self._llm_pick(turns, ids)
        cards = [Card(item_id=i, title=self.catalog[i].display_title, year=self.catalog[i].year, score=0.0)
                 for i in ids[: self.k]]
        shown.update(c.item_id for c in cards)
        return Reply(text="", cards=cards, intent="recommend", backend=self.backend_name)

    def _llm_pick(self, turns: list[str], ids: list[str]) -> list[str]:
        listing = "\n".join(f"{n}. {self.catalog[i].display_title}" for n, i in enumerate(ids))
        schema = {
            "type": "object",
            "properties": {"picks": {"type": "array", "items": {"type": "integer"}, "maxItems": 10}},
            "required": ["picks"],
        }
        msgs = [
            {"role": "system", "content": "You pick the 10 candidate numbers that best fit the user's request. Answer JSON."},
            {"role": "user", "content": f"Request: {' '.join(turns)}\nCandidates:\n{listing}"},
        ]
        try:
            picks = self.llm.complete_json(msgs, schema, max_tokens=80).get("picks", [])
        except Exception:
            return ids
        chosen = [ids[p] for p in dict.fromkeys(picks) if isinstance(p, int) and 0 <= p < len(ids)]
        return chosen + [i for i in ids if i not in chosen]
