"""Item, Catalog, Interactions and Dataset: the in-memory core types.

What it does: holds catalog items with their named attributes, resolves
titles to ids (exact and fuzzy), and stores user-item interactions as
compact numpy arrays.
What it does not do: read files (see `catalog.byo`), fetch data
(`catalog.fetch`) or build graphs/indices (other packages).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import numpy as np


class RecassistError(Exception):
    """Base of every expected, user-facing error. The CLI prints its message on
    one line and exits non-zero; the message must say what to do about it."""


class CatalogError(RecassistError, ValueError):
    """Bad input data or an unknown id; the message says what to fix."""


# Named list-valued attributes every item may carry, in a fixed order.
# Each maps to one KG entity type (see kg.schema).
ENTITY_FIELDS: tuple[str, ...] = (
    "genres",
    "directors",
    "writers",
    "cast",
    "countries",
    "languages",
    "studios",
)


@dataclass(frozen=True, slots=True)  # slots: no per-item __dict__ (1M items)
class Item:
    """One catalog item. Every list field holds names exactly as in the source data.

    `cast` is an unordered set of cast members (the source lists them
    alphabetically, not by billing), so never describe it as "starring" order.
    """

    id: str
    title: str
    year: int | None = None
    genres: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    writers: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    studios: tuple[str, ...] = ()
    text: str = ""  # free description supplied by the catalog (may be empty)
    attributes: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def display_title(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def decade(self) -> str | None:
        return f"{self.year // 10 * 10}s" if self.year else None

    def entities(self) -> dict[str, tuple[str, ...]]:
        return {f: getattr(self, f) for f in ENTITY_FIELDS}

    def to_dict(self) -> dict:
        d = {"id": self.id, "title": self.title, "year": self.year, "text": self.text}
        for f in ENTITY_FIELDS:
            d[f] = list(getattr(self, f))
        d["attributes"] = dict(self.attributes)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Item":
        return cls(
            id=str(d["id"]),
            title=str(d["title"]),
            year=int(d["year"]) if d.get("year") not in (None, "") else None,
            text=str(d.get("text") or ""),
            attributes=dict(d.get("attributes") or {}),
            **{f: tuple(d.get(f) or ()) for f in ENTITY_FIELDS},
        )


_ARTICLE_SUFFIX = re.compile(r"^(?P<body>.*), (?P<art>the|a|an|il|la|le|les|el|das|der|die|l')$", re.I)
_PAREN = re.compile(r"\s*\([^)]*\)\s*")
_NONWORD = re.compile(r"[^a-z0-9]+")


def normalise_title(title: str) -> str:
    """Canonical form for matching: 'Usual Suspects, The' -> 'the usual suspects'.

    Lower-cases, strips accents, moves a trailing article to the front, drops
    parenthesised alternate titles and punctuation.
    """
    t = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    t = _PAREN.sub(" ", t).strip()
    m = _ARTICLE_SUFFIX.match(t)
    if m:
        t = f"{m.group('art')} {m.group('body')}"
    t = t.replace("&", " and ")
    return _NONWORD.sub(" ", t.lower()).strip()


_TITLE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"  # what normalise_title leaves in a word


def _one_edit(word: str) -> set[str]:
    """Strings one deletion, transposition, substitution or insertion away from `word` (Norvig's edits1):
    the words a one-character typo of a title word may have been."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _TITLE_CHARS}
    out |= {a + c + b for a, b in splits for c in _TITLE_CHARS}
    out.discard(word)
    return out


class Catalog:
    """An ordered, immutable set of items with id and title lookup.

    `index(id)` gives the dense row used by every matrix in the project
    (embeddings, scorer tables); `ids[row]` maps back.
    """

    def __init__(self, items: Iterable[Item]):
        self._items: list[Item] = list(items)
        self._ids: list[str] = [it.id for it in self._items]  # returned by `ids`: read it, never change it
        self._row: dict[str, int] = {}
        for i, it in enumerate(self._items):
            if it.id in self._row:
                raise CatalogError(f"duplicate item id {it.id!r}")
            self._row[it.id] = i
        self._by_norm: dict[str, list[str]] = {}
        for it in self._items:
            self._by_norm.setdefault(normalise_title(it.title), []).append(it.id)
        self._fuzzy_choices: list[str] | None = None
        self._token_index: dict[str, list[int]] | None = None  # word -> rows of _fuzzy_choices (large catalogs)

    # above this many distinct titles a fuzzy search first narrows to titles sharing a rare word with the
    # query (a full WRatio scan took 2.1 s per query at 1M titles; docs/results/scale_1m.md)
    FULL_SCAN_MAX = 50_000

    # -- basic access -------------------------------------------------------
    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._row

    def __getitem__(self, item_id: str) -> Item:
        try:
            return self._items[self._row[item_id]]
        except KeyError:
            raise CatalogError(f"unknown item id {item_id!r}") from None

    def get(self, item_id: str) -> Item | None:
        row = self._row.get(item_id)
        return None if row is None else self._items[row]

    @property
    def ids(self) -> list[str]:
        """Item ids in row order (the catalog's own list, built once: do not modify it)."""
        return self._ids

    def content_key(self) -> str:
        """A short hash of every item's id, title, year and entity names: what the KG and the scorer's KG
        signals are built from, so a re-joined catalog (a new data version) makes them stale."""
        import hashlib

        h = hashlib.sha256()
        for it in self._items:
            h.update(repr((it.id, it.title, it.year, tuple(getattr(it, f) for f in ENTITY_FIELDS))).encode())
        return h.hexdigest()[:16]

    def index(self, item_id: str) -> int:
        try:
            return self._row[item_id]
        except KeyError:
            raise CatalogError(f"unknown item id {item_id!r}") from None

    def rows_of(self, item_ids: Sequence[str]) -> np.ndarray:
        """(len(item_ids),) int64 catalog rows, -1 for ids not in the catalog."""
        row = self._row
        return np.fromiter((row.get(i, -1) for i in item_ids), np.int64, len(item_ids))

    def at(self, row: int) -> Item:
        return self._items[row]

    # -- title lookup -------------------------------------------------------
    def prepare_title_search(self) -> list[str]:
        """Build, once, what fuzzy title search reads: the distinct normalised titles and, above FULL_SCAN_MAX
        of them, the word -> rows index (~10 s and ~1 GB at 1M titles). Returns the titles. Called by the app's
        warm-up (assistant.build.warm_up) so that the first search does not pay for it."""
        if self._fuzzy_choices is None:
            self._fuzzy_choices = list(self._by_norm)
        choices = self._fuzzy_choices
        if len(choices) > self.FULL_SCAN_MAX and self._token_index is None:
            idx: dict[str, list[int]] = {}
            for row, norm in enumerate(choices):
                for tok in set(norm.split()):
                    idx.setdefault(tok, []).append(row)
            self._token_index = idx
        return choices

    def _fuzzy_pool(self, q: str) -> list[str]:
        """The normalised titles a fuzzy search compares `q` against: all of them up to FULL_SCAN_MAX,
        else those sharing one of q's three rarest words (words in > 5% of titles narrow nothing);
        when no word of q narrows (a typo in each rare word), those sharing a catalog word one edit away
        from one of q's unknown words, or two catalog words it runs together ("bladerunner"); all of them
        only when none of that exists (a full WRatio scan: ~1 s at 1M titles)."""
        choices = self.prepare_title_search()
        if len(choices) <= self.FULL_SCAN_MAX:
            return choices
        idx, common = self._token_index, len(choices) // 20
        known = sorted({t for t in q.split() if t in idx}, key=lambda t: len(idx[t]))
        pool: set[int] = set()
        for tok in known[:3]:
            if len(idx[tok]) > common:
                break
            pool.update(idx[tok])
        if not pool:
            unknown = [t for t in q.split() if t not in idx and len(t) >= 3]
            near = {w for t in unknown for w in _one_edit(t) if w in idx}
            near |= {w for t in unknown for i in range(1, len(t)) if t[:i] in idx and t[i:] in idx
                     for w in (t[:i], t[i:])}  # a lost space: "sulzanulmkasvos"
            for tok in sorted(near, key=lambda t: len(idx[t]))[:6]:
                if len(idx[tok]) <= common:
                    pool.update(idx[tok])
        return [choices[r] for r in sorted(pool)] if pool else choices


    def find_title(self, title: str, year: int | None = None) -> list[str]:
        """Exact (normalised) title matches, optionally filtered by year ±1."""
        ids = self._by_norm.get(normalise_title(title), [])
        if year is not None:
            ids = [i for i in ids if self[i].year is None or abs(self[i].year - year) <= 1]
        return list(ids)

    def search_titles(self, query: str, limit: int = 5, min_score: float = 80.0) -> list[tuple[str, float]]:
        """Fuzzy title search -> [(item_id, score 0..100)], best first.

        An exact normalised match scores 100. A trailing "(1982)" in the query
        restricts matches to that year (±1).
        """
        from rapidfuzz import fuzz, process

        year = None
        m = re.search(r"\((\d{4})\)\s*$", query)
        if m:
            year = int(m.group(1))
        exact = self.find_title(query, year)
        out: list[tuple[str, float]] = [(i, 100.0) for i in exact]
        if len(out) >= limit:
            return out[:limit]
        q = normalise_title(query)
        if not q:
            return out
        choices = self._fuzzy_pool(q)
        # score_cutoff lets rapidfuzz drop a title early: ~2x faster on large catalogs (bench/bench_scale.py)
        for norm, score, _ in process.extract(q, choices, scorer=fuzz.WRatio, limit=limit * 3,
                                              score_cutoff=min_score):
            for iid in self._by_norm[norm]:
                if year is not None and self[iid].year is not None and abs(self[iid].year - year) > 1:
                    continue
                if all(iid != o for o, _ in out):
                    out.append((iid, float(score)))
        out.sort(key=lambda p: -p[1])
        return out[:limit]


@dataclass
class Interactions:
    """User-item events as parallel arrays (one row per event).

    users: (n,) int32 rows into `user_ids`; items: (n,) int32 rows into the
    catalog; ratings: (n,) float32; timestamps: (n,) int64.
    """

    user_ids: list[str]
    users: np.ndarray
    items: np.ndarray
    ratings: np.ndarray
    timestamps: np.ndarray

    def __len__(self) -> int:
        return int(self.users.shape[0])

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    def positives(self, threshold: float) -> "Interactions":
        keep = self.ratings >= threshold
        return Interactions(self.user_ids, self.users[keep], self.items[keep], self.ratings[keep], self.timestamps[keep])

    def subset(self, mask: np.ndarray) -> "Interactions":
        return Interactions(self.user_ids, self.users[mask], self.items[mask], self.ratings[mask], self.timestamps[mask])

    def to_csr(self, n_items: int):
        """(n_users, n_items) scipy CSR of ratings (duplicates summed)."""
        import scipy.sparse as sp

        return sp.csr_matrix(
            (self.ratings.astype(np.float32), (self.users, self.items)), shape=(self.n_users, n_items)
        )


@dataclass
class Dataset:
    """A catalog plus its interactions and provenance facts (match rate, source)."""

    name: str
    catalog: Catalog
    interactions: Interactions
    meta: dict = field(default_factory=dict)
