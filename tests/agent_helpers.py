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


# "I couldn't find "<what the user wrote>" in the catalog (N movies). Did you mean: ...?" and onboarding's
# "(I couldn't match: ...)" quote the user's own words back; those are not suggestions
_QUOTED_BACK = re.compile(r"I couldn't find \"[^\"]*\" in the catalog \(\d+ movies\)\.|\(I couldn't match: [^)]*\.\)")
_CARD_LINE = re.compile(r"^(\d+)\. (.+?) — ", re.M)


def prompt_shingles(n: int = 6) -> set[str]:
    """Every run of n words of the prompt files (prompts/*.txt, placeholders dropped), lower-case."""
    from pathlib import Path

    import prompts

    out = set()
    for f in Path(prompts.__file__).parent.glob("*.txt"):
        words = [w for w in re.sub(r"\{[^}]*\}", " ", f.read_text()).lower().split()]
        out.update(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    return out


def assert_grounded_reply(reply, catalog, forbidden: tuple[str, ...] = ()) -> str:
    """A Reply that cannot mislead: non-empty text, cards that are catalog items under their catalog titles,
    numbered lines that are the cards in order, no off-catalog 'Title (YYYY)', no `forbidden` string
    (case-insensitive) outside the sentences that quote the user's words back, and no 6-word run of a
    prompt file (no system-prompt leak). Returns the text with the quoted-back sentences removed."""
    from assistant.api import Reply

    assert isinstance(reply, Reply), type(reply)
    assert reply.text.strip(), "empty reply text"
    for c in reply.cards:
        assert c.item_id in catalog, f"off-catalog card {c.item_id!r} ({c.title!r})"
        assert c.title == catalog[c.item_id].display_title, (c.title, catalog[c.item_id].display_title)
    for m in _CARD_LINE.finditer(reply.text):
        n = int(m.group(1))
        assert 1 <= n <= len(reply.cards) and reply.cards[n - 1].title == m.group(2), f"line {m.group(0)!r} is not card {n}"
    own = _QUOTED_BACK.sub(" ", reply.text)
    assert_only_catalog_titles(own, catalog)
    low = " ".join(own.lower().split())
    for bad in forbidden:
        assert bad.lower() not in low, f"{bad!r} in reply {reply.text!r}"
        assert all(bad.lower() not in c.title.lower() for c in reply.cards), f"{bad!r} is a card"
    leaked = [s for s in prompt_shingles() if s in low]
    assert not leaked, f"system prompt text in the reply: {leaked[:3]}"
    return own
