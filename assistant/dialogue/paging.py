"""Pages of a ranked result list: never an item already shown, and not a franchise run.

`next_page` takes the best unshown items in rank order, but at most one per franchise in a page
(a sequel waits for a later page); a franchise the request is about ("like Star Trek") may have two.
A franchise is a title key: the title without article, subtitle or sequel number, reduced to its
first word when that word is distinctive ("batman returns" -> "batman", "alien 3" -> "alien").
`intra_list_diversity` (mean pairwise cosine distance of item vectors) and `franchise_repeats`
measure a list.

What it does not do: rank (the scorer) or remember what was shown (tools.state.SessionState).
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from catalog.types import normalise_title

_SEQUEL = re.compile(r"\s+(?:\d+|ii|iii|iv|v|vi|vii|viii|ix|x|part\s+\w+|chapter\s+\w+|the\s+sequel|returns|forever|"
                     r"strikes\s+back|reloaded)$")
_SHORT_OR_COMMON = frozenset("the a an one two three four five six seven eight nine ten big little last first new old "
                             "night day home love man men woman lady king star free dead black white red blue good bad "
                             "time life death city world my your our great american".split())


@lru_cache(maxsize=100_000)
def franchise_key(title: str) -> str:
    t = re.split(r":| - |\(", title)[0]
    k = re.sub(r"^(the|a|an) ", "", normalise_title(t))
    prev = None
    while prev != k:
        prev, k = k, _SEQUEL.sub("", k).strip()
    words = k.split()
    if not words:
        return normalise_title(title)
    first = re.sub(r"s$", "", words[0]) if len(words[0]) > 4 else words[0]
    if len(first) >= 5 and first not in _SHORT_OR_COMMON:
        return first
    return " ".join(words[:2])


def next_page(results: list[str], blocked: set[str], k: int, titles, allow: set[str] = frozenset()) -> list[str]:
    """Up to k ids from `results` (best first) not in `blocked`: one per franchise, two for a franchise in
    `allow` (the one asked about), never the same title twice. `titles(id)` gives an item's title."""
    page: list[str] = []
    count: dict[str, int] = {}
    deferred: list[str] = []
    seen_titles: set[str] = set()
    for iid in results:
        if iid in blocked or titles(iid) in seen_titles:
            continue  # the catalog lists a few films twice under two ids: one card per title
        seen_titles.add(titles(iid))
        key = franchise_key(titles(iid))
        if count.get(key, 0) >= (2 if key in allow else 1):
            deferred.append(iid)
            continue
        page.append(iid)
        count[key] = count.get(key, 0) + 1
        if len(page) == k:
            return page
    return page + deferred[: k - len(page)]


def franchise_repeats(ids: list[str], titles) -> int:
    """How many items of a list share a franchise with an earlier item of the list."""
    keys = [franchise_key(titles(i)) for i in ids]
    return len(keys) - len(set(keys))


def intra_list_diversity(vectors: np.ndarray) -> float:
    """Mean pairwise cosine distance of a list's item vectors: (n, d) L2-normalised rows -> [0, 2]."""
    n = len(vectors)
    if n < 2:
        return 0.0
    sims = vectors @ vectors.T  # (n, n)
    return float(1.0 - (sims.sum() - np.trace(sims)) / (n * (n - 1)))
