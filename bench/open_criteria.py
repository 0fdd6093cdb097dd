"""Machine-checkable criteria for "open requests" (tests/data/open_requests/*.jsonl).

An open request is a chat message such as "something feel-good for a rainy sunday" or "spielberg films
i haven't seen, i've seen jaws and e.t.". Each case carries a `hard` predicate (what every recommended
card must satisfy), a `soft` predicate (the mood/quality meaning, judged as a share of the cards), a
`no_data` list (parts of the request the catalog has no data on, which an honest reply must say it
could not match) and a `seen` list (display titles the user has already seen).

This module only judges; it never looks at how the assistant understood the request.

Predicate language (a dict; several keys in one dict must ALL hold; `None` always holds).
A field that the item does not have always FAILS the predicate (unknown is not a match):

    {"genres_any": [...]}        any of these in the MovieLens genres OR attributes["omdb_genres"]
    {"genres_none": [...]}       none of these in either (fails when the item has no genre at all)
    {"year": y} {"year_min": y} {"year_max": y}            inclusive
    {"rated_in": ["G", "PG"]}    attributes["rated"] is one of these
    {"runtime_max": n}           attributes["runtime_min"] strictly below n
    {"runtime_min": n}           attributes["runtime_min"] >= n
    {"critic_pct_min": q}        critic_rating percentile >= q (0..1), among items that have one
    {"audience_pct_min": q}      MovieLens mean-rating percentile >= q, among items with >= 20 ratings
                                 (items with fewer ratings fail)
    {"popularity_pct_max": q}    rating-count percentile <= q, among all catalog items
    {"oscars_min": n}            attributes["oscars"] >= n
    {"person": "Full Name"}      a director, writer or cast member (case-insensitive exact name)
    {"not_person": "Full Name"}  none of them (fails when the item lists no people at all)
    {"not_titles": [...]}        display title ("Fargo (1996)") not in the list
    {"language": "French"}       in item.languages
    {"country": "France"}        in item.countries
    {"any_of": [preds]}          at least one holds
    {"all_of": [preds]}          every one holds

Percentiles are mid-ranks: (number of values strictly below + half the number of ties, the item itself
included) / n, so the top item of n has (n - 0.5) / n and a value shared by everyone has 0.5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np

AUDIENCE_MIN_RATINGS = 20

# a sentence admits it could not match a no_data phrase when it also holds one of these
HONEST_MARKERS: tuple[str, ...] = ("no data", "can't", "cannot", "could not", "couldn't", "don't have", "not able")

KNOWN_KEYS = frozenset({
    "genres_any", "genres_none", "year", "year_min", "year_max", "rated_in", "runtime_max", "runtime_min",
    "critic_pct_min", "audience_pct_min", "popularity_pct_max", "oscars_min", "person", "not_person",
    "not_titles", "language", "country", "any_of", "all_of",
})


def midrank_percentiles(values: Mapping[str, float]) -> dict[str, float]:
    """id -> mid-rank percentile of its value among all the given values (see module doc)."""
    if not values:
        return {}
    ids = list(values)
    v = np.asarray([float(values[i]) for i in ids], dtype=np.float64)
    s = np.sort(v)
    below = np.searchsorted(s, v, side="left")
    upto = np.searchsorted(s, v, side="right")
    pct = (below + 0.5 * (upto - below)) / len(v)
    return {i: float(p) for i, p in zip(ids, pct)}


@dataclass
class CatalogStats:
    """Percentiles per item id, computed once per catalog.

    critic:     critic_rating percentile among items that have a critic_rating
    audience:   MovieLens mean-rating percentile among items with >= AUDIENCE_MIN_RATINGS ratings
    popularity: rating-count percentile among all catalog items (items nobody rated count as 0)
    """

    critic: dict[str, float] = field(default_factory=dict)
    audience: dict[str, float] = field(default_factory=dict)
    popularity: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_values(cls, critic_rating: Mapping[str, float], mean_rating: Mapping[str, float],
                    n_ratings: Mapping[str, int], min_ratings: int = AUDIENCE_MIN_RATINGS) -> "CatalogStats":
        """From raw per-id values; `n_ratings` must name every catalog item (0 when unrated)."""
        eligible = {i: m for i, m in mean_rating.items() if n_ratings.get(i, 0) >= min_ratings}
        return cls(critic=midrank_percentiles(critic_rating), audience=midrank_percentiles(eligible),
                   popularity=midrank_percentiles({i: float(c) for i, c in n_ratings.items()}))

    @classmethod
    def from_items(cls, items: Iterable, item_ratings: Mapping[str, list[float]] | None = None) -> "CatalogStats":
        """From Items (critic_rating in attributes) and an optional id -> list of user ratings."""
        items = list(items)
        item_ratings = item_ratings or {}
        critic = {it.id: float(it.attributes["critic_rating"]) for it in items
                  if it.attributes.get("critic_rating") is not None}
        counts = {it.id: len(item_ratings.get(it.id, ())) for it in items}
        means = {i: float(np.mean(r)) for i, r in item_ratings.items() if len(r)}
        return cls.from_values(critic, means, counts)

    @classmethod
    def from_dataset(cls, ds) -> "CatalogStats":
        """From a loaded `catalog.types.Dataset` (catalog + interactions)."""
        cat = ds.catalog
        n = len(cat)
        inter = ds.interactions
        rows = np.asarray(inter.items, dtype=np.int64)
        counts = np.bincount(rows, minlength=n)
        sums = np.bincount(rows, weights=np.asarray(inter.ratings, dtype=np.float64), minlength=n)
        ids = cat.ids
        critic = {it.id: float(it.attributes["critic_rating"]) for it in cat
                  if it.attributes.get("critic_rating") is not None}
        means = {ids[r]: float(sums[r] / counts[r]) for r in range(n) if counts[r] > 0}
        return cls.from_values(critic, means, {ids[r]: int(counts[r]) for r in range(n)})


def _genres(item) -> set[str]:
    g = set(item.genres)
    g.update(item.attributes.get("omdb_genres") or ())
    return g


def _people(item) -> set[str]:
    return {p.casefold() for p in (*item.directors, *item.writers, *item.cast)}


def _num(item, key: str):
    v = item.attributes.get(key)
    return None if v is None else float(v)


def _check(item, key: str, arg, stats: CatalogStats | None) -> bool:
    if key == "genres_any":
        return bool(_genres(item) & set(arg))
    if key == "genres_none":
        g = _genres(item)
        return bool(g) and not (g & set(arg))
    if key in ("year", "year_min", "year_max"):
        if item.year is None:
            return False
        return {"year": item.year == arg, "year_min": item.year >= arg, "year_max": item.year <= arg}[key]
    if key == "rated_in":
        r = item.attributes.get("rated")
        return r is not None and r in arg
    if key in ("runtime_max", "runtime_min"):
        rt = _num(item, "runtime_min")
        if rt is None:
            return False
        return rt < arg if key == "runtime_max" else rt >= arg
    if key in ("critic_pct_min", "audience_pct_min", "popularity_pct_max"):
        if stats is None:
            raise ValueError(f"predicate {key!r} needs CatalogStats")
        table = {"critic_pct_min": stats.critic, "audience_pct_min": stats.audience,
                 "popularity_pct_max": stats.popularity}[key]
        p = table.get(item.id)
        if p is None:
            return False
        return p <= arg if key == "popularity_pct_max" else p >= arg
    if key == "oscars_min":
        o = _num(item, "oscars")
        return o is not None and o >= arg
    if key == "person":
        return arg.casefold() in _people(item)
    if key == "not_person":
        people = _people(item)
        return bool(people) and arg.casefold() not in people
    if key == "not_titles":
        return item.display_title not in set(arg)
    if key == "language":
        return arg in item.languages
    if key == "country":
        return arg in item.countries
    if key == "any_of":
        return any(satisfies(item, p, stats) for p in arg)
    if key == "all_of":
        return all(satisfies(item, p, stats) for p in arg)
    raise ValueError(f"unknown predicate key {key!r}; known: {', '.join(sorted(KNOWN_KEYS))}")


def satisfies(item, pred: dict | None, stats: CatalogStats | None = None) -> bool:
    """Whether `item` (a catalog.types.Item) satisfies `pred`; every key of the dict must hold."""
    if pred is None:
        return True
    if not isinstance(pred, dict):
        raise ValueError(f"a predicate is a dict, got {type(pred).__name__}")
    return all(_check(item, k, v, stats) for k, v in pred.items())


def validate(pred: dict | None) -> None:
    """Raise ValueError for an unknown key anywhere in `pred` (cheap structural check)."""
    if pred is None:
        return
    for k, v in pred.items():
        if k not in KNOWN_KEYS:
            raise ValueError(f"unknown predicate key {k!r}")
        if k in ("any_of", "all_of"):
            if not isinstance(v, list) or not v:
                raise ValueError(f"{k} needs a non-empty list of predicates")
            for p in v:
                validate(p)


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")


def honestly_declines(reply_text: str, phrase: str) -> bool:
    """The reply has a sentence containing `phrase` (case-insensitive) and one of HONEST_MARKERS."""
    text = (reply_text or "").replace("\u2019", "'").replace("\u2018", "'").casefold()
    ph = phrase.casefold()
    for sentence in _SENTENCE_SPLIT.split(text):
        if ph in sentence and any(m in sentence for m in HONEST_MARKERS):
            return True
    return False


def check_case(case: dict, card_items: list, reply_text: str, stats: CatalogStats | None) -> dict:
    """Judge one reply (its cards as Items plus its text) against one open-request case.

    Returns:
      cards:        [{"title", "hard", "soft"}] per card (soft is None when the case has no soft predicate)
      n_cards
      hard_all:     every card satisfies `hard` (True when there is no card: look at n_cards)
      hard_share:   share of cards satisfying `hard` (None without cards)
      soft_share:   share of cards satisfying `soft` (None without cards or without a soft predicate)
      no_data:      {phrase: the reply honestly says it could not match it}
      no_data_all:  every no_data phrase is declined (True when there is none)
      seen_shown:   the `seen` titles that are among the cards
      seen_excluded: no `seen` title is among the cards
    """
    hard, soft = case.get("hard"), case.get("soft")
    cards = []
    for it in card_items:
        cards.append({"title": it.display_title, "hard": satisfies(it, hard, stats),
                      "soft": None if soft is None else satisfies(it, soft, stats)})
    n = len(cards)
    no_data = {ph: honestly_declines(reply_text, ph) for ph in case.get("no_data") or []}
    shown = {c["title"] for c in cards}
    seen_shown = [t for t in case.get("seen") or [] if t in shown]
    return {
        "id": case.get("id"),
        "cards": cards,
        "n_cards": n,
        "hard_all": all(c["hard"] for c in cards),
        "hard_share": (sum(c["hard"] for c in cards) / n) if n else None,
        "soft_share": (sum(c["soft"] for c in cards) / n) if (n and soft is not None) else None,
        "no_data": no_data,
        "no_data_all": all(no_data.values()),
        "seen_shown": seen_shown,
        "seen_excluded": not seen_shown,
    }
