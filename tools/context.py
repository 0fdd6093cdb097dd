"""The context every tool receives (never module globals).

ToolContext bundles the shared read-only components (catalog, KG, index, scorer)
with one session's state (tools.state.SessionState: profile, current request,
shown items) and a `record` callback that persists feedback events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from catalog.types import Catalog
from tools.state import SessionState


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
    facets: Any = None  # catalog.facets.FacetStats (critic / popularity percentiles); built on demand when None
    n_candidates: int = 60
    relaxed: list[str] = field(default_factory=list)  # soft parts (moods, qualities) dropped this turn: nothing suited
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
