"""Shared helpers for the agent tests (not a test module)."""

from __future__ import annotations

import re

import numpy as np


class PopularityScorer:
    """A control-flow stand-in with the FusionScorer interface: scores = interaction counts
    (+1 per genre shared with liked items). Used only where the test is about orchestration."""

    signal_names = ["popularity", "genre_overlap"]

    def __init__(self, dataset):
        self.catalog = dataset.catalog
        self.pop = np.bincount(dataset.interactions.items, minlength=len(self.catalog)).astype(np.float32)
        self.calls = []

    def _parts(self, profile, iid):
        liked_genres = {g for i in profile.liked for g in self.catalog[i].genres}
        return {"popularity": float(self.pop[self.catalog.index(iid)]) / 10.0,
                "genre_overlap": float(len(liked_genres & set(self.catalog[iid].genres)))}

    def recommend(self, profile, k=10, candidates=None, exclude_seen=True):
        self.calls.append(("recommend", list(candidates) if candidates is not None else None))
        pool = [i for i in (candidates if candidates is not None else self.catalog.ids) if i in self.catalog]
        if exclude_seen:
            drop = set(profile.liked) | set(profile.disliked) | set(profile.seen)
            pool = [i for i in pool if i not in drop]
        scored = sorted(((sum(self._parts(profile, i).values()), i) for i in pool), key=lambda t: (-t[0], t[1]))[:k]
        return [i for _, i in scored], np.array([s for s, _ in scored], np.float32)

    def explain(self, profile, item_ids):
        return [self._parts(profile, i) for i in item_ids]


def assert_only_catalog_titles(text: str, catalog) -> None:
    """Every 'Title (YYYY)' in the text is a catalog display title."""
    titles = {it.display_title for it in catalog}
    for m in re.finditer(r"\((\d{4})\)", text):
        head = text[: m.end()]
        assert any(head.endswith(t) for t in titles), f"off-catalog title before {m.group(0)!r} in {text!r}"
