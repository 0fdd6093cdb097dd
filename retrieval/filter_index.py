"""An in-memory inverted index over the search-filter fields, for fast filtered retrieval.

What it does:
  * `FilterIndex.from_catalog(catalog)` builds, once, for each list field
    (genres, countries, languages, people) a posting list per value: the sorted
    np.int32 catalog rows of the items carrying that value, stored CSR-style
    (one flat rows array + offsets per field, so a posting list is a view, not
    a Python object per item); plus an (n,) int32 year array.
  * `rows(filters)` returns the sorted catalog rows matching resolved
    `SearchFilters`, with exactly the semantics of `to_where` in Chroma:
    genres/people ALL (intersection), countries/languages ANY (union),
    decades ANY, year_min/year_max inclusive (items without a year never
    match), exclude_ids removed, fields combined with AND; None when the
    filters constrain nothing.
What it does not do: resolve spellings (pass filters through
`Vocabulary.resolve` first: values are matched exactly as `item_metadata`
stores them, so an unknown value simply matches nothing, as in Chroma), rank
anything, or track catalog edits (build a new one for a new catalog).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np

from catalog.types import Catalog, Item
from retrieval.filters import LIST_FIELDS, SearchFilters, item_people

NO_YEAR = np.iinfo(np.int32).min  # year sentinel: the item has no (truthy) year, like item_metadata


def _field_values(item: Item, field_name: str) -> tuple[str, ...] | list[str]:
    """The values `item_metadata` stores for one list field."""
    return item_people(item) if field_name == "people" else getattr(item, field_name)


@dataclass(frozen=True)
class _Postings:
    """Posting lists of one field: rows[offsets[c]:offsets[c + 1]] are the sorted rows holding value code c."""

    codes: dict[str, int]  # value (exact metadata spelling) -> code
    offsets: np.ndarray  # (n_values + 1,) int64
    rows: np.ndarray  # (n_pairs,) int32, sorted within each value, no duplicates

    def get(self, value: str) -> np.ndarray:
        c = self.codes.get(value)
        if c is None:
            return np.zeros(0, np.int32)
        return self.rows[self.offsets[c] : self.offsets[c + 1]]

    @classmethod
    def build(cls, catalog: Catalog, field_name: str) -> "_Postings":
        codes: dict[str, int] = {}
        code_col, row_col = array("i"), array("i")  # one (value code, row) pair per item value, compact
        for r, it in enumerate(catalog):
            for v in _field_values(it, field_name):
                code_col.append(codes.setdefault(v, len(codes)))
                row_col.append(r)
        code_arr = np.frombuffer(code_col, np.int32) if code_col else np.zeros(0, np.int32)  # (n_pairs,)
        row_arr = np.frombuffer(row_col, np.int32) if row_col else np.zeros(0, np.int32)  # (n_pairs,) ascending
        order = np.argsort(code_arr, kind="stable")  # stable: rows stay ascending within a value
        code_arr, row_arr = code_arr[order], row_arr[order]
        # an item listing a value twice gives the same (code, row) pair twice: keep one
        keep = np.ones(len(code_arr), bool)
        keep[1:] = (code_arr[1:] != code_arr[:-1]) | (row_arr[1:] != row_arr[:-1])
        code_arr, row_arr = code_arr[keep], row_arr[keep]
        offsets = np.zeros(len(codes) + 1, np.int64)
        np.cumsum(np.bincount(code_arr, minlength=len(codes)), out=offsets[1:])
        return cls(codes, offsets, np.ascontiguousarray(row_arr, dtype=np.int32))


def in_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(len(a),) bool: a[i] is in `b` (sorted ascending); O(len(a) log len(b))."""
    if len(b) == 0:
        return np.zeros(len(a), bool)
    pos = np.searchsorted(b, a)
    pos[pos == len(b)] = 0
    return b[pos] == a


def _intersect_all(arrays: list[np.ndarray]) -> np.ndarray:
    """Intersection of sorted unique row arrays, smallest first."""
    arrays = sorted(arrays, key=len)
    out = arrays[0]
    for b in arrays[1:]:
        out = out[in_sorted(out, b)]
    return out


def _union(arrays: list[np.ndarray], n: int) -> np.ndarray:
    """Sorted union of row arrays, via an (n,) bool mask (O(n + total), no sort)."""
    if len(arrays) == 1:
        return arrays[0]
    mask = np.zeros(n, bool)
    for a in arrays:
        mask[a] = True
    return np.flatnonzero(mask).astype(np.int32)


class FilterIndex:
    """Posting lists + year array for one catalog; `rows(filters)` selects catalog rows."""

    def __init__(self, catalog: Catalog, postings: dict[str, _Postings], years: np.ndarray):
        self.catalog = catalog
        self.n = len(catalog)
        self.postings = postings  # field -> _Postings, for LIST_FIELDS
        self.years = years  # (n,) int32, NO_YEAR where the item has no year

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> "FilterIndex":
        postings = {f: _Postings.build(catalog, f) for f in LIST_FIELDS}
        years = np.fromiter((it.year if it.year else NO_YEAR for it in catalog), np.int32, len(catalog))  # (n,)
        return cls(catalog, postings, years)

    def rows(self, filters: SearchFilters | None) -> np.ndarray | None:
        """Sorted (m,) int32 catalog rows matching resolved `filters`; None when they constrain nothing."""
        if filters is None or filters.is_empty():
            return None
        f = filters
        sets: list[np.ndarray] = []  # each a sorted unique row array; the result is their intersection
        sets += [self.postings["genres"].get(g) for g in f.genres]
        sets += [self.postings["people"].get(p) for p in f.people]
        for field_name in ("countries", "languages"):
            values = getattr(f, field_name)
            if values:
                sets.append(_union([self.postings[field_name].get(v) for v in values], self.n))
        out = _intersect_all(sets) if sets else None
        out = self._year_constraint(f, out)
        if f.exclude_ids:
            if out is None:
                out = np.arange(self.n, dtype=np.int32)
            excluded = np.unique(np.array([self.catalog.index(i) for i in f.exclude_ids if i in self.catalog],
                                          np.int32))
            out = out[~in_sorted(out, excluded)]
        return np.ascontiguousarray(out, dtype=np.int32)

    def _year_constraint(self, f: SearchFilters, rows: np.ndarray | None) -> np.ndarray | None:
        """`rows` (all when None) narrowed by decades / year_min / year_max; None if none is set."""
        if not f.decades and f.year_min is None and f.year_max is None:
            return rows
        years = self.years if rows is None else self.years[rows]  # (n,) or (len(rows),)
        ok = years != NO_YEAR
        if f.decades:
            starts = np.array([int(d[:-1]) for d in f.decades], np.int32)  # "1980s" -> 1980
            ok &= np.isin(years // 10 * 10, starts)  # floor division, as Item.decade
        if f.year_min is not None:
            ok &= years >= f.year_min
        if f.year_max is not None:
            ok &= years <= f.year_max
        return np.flatnonzero(ok).astype(np.int32) if rows is None else rows[ok]
