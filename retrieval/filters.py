"""Typed search filters, validated against the catalog vocabulary, mapped to a Chroma `where`.

What it does:
  * `SearchFilters` — the pydantic query object the tools/agent fill in
    (genres, year range, decades, countries, languages, people, excluded ids).
  * `Vocabulary.from_catalog(catalog)` — the canonical spellings a catalog
    uses; `vocab.resolve(filters)` maps every value case-/accent-/punctuation-
    insensitively to that spelling ("sci fi" -> "Sci-Fi") or raises
    `FilterError` naming the field and suggesting close matches.
  * `to_where(filters)` — the Chroma metadata filter for resolved filters.
  * `item_metadata(item)` — the metadata stored per item, the other half of
    the same encoding.
What it does not do: talk to Chroma (see `retrieval.index`).

Semantics (documented so callers know what a filter means):
  genres      item has ALL listed genres            ("sci-fi horror")
  people      item involves ALL listed people, as director, writer or cast
  countries   item is from ANY listed country
  languages   item is in ANY listed language
  decades     item's decade is ANY listed decade
  year_min/max inclusive range on the release year (items without a year never match)
  exclude_ids drop these item ids
Fields are combined with AND.

Encoding: Chroma 1.5 supports list-valued metadata and `{"field": {"$contains": v}}`
on arrays (checked against chromadb 1.5.9 local and HTTP modes), so each item
stores `genres`, `countries`, `languages` and `people` (directors + writers +
cast, deduplicated) as string arrays, `year` (int) and `decade` (str) as
scalars, and `item_id` so ids can be excluded with `$nin`. Empty lists are
omitted (Chroma rejects empty arrays); a missing key never matches a filter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from catalog.types import Catalog, Item, RecassistError


class FilterError(RecassistError):
    """A filter value the catalog does not know, an empty value, or an impossible range."""


LIST_FIELDS = ("genres", "countries", "languages", "people")  # validated against the vocabulary
_SINGULAR = {"genres": "genre", "countries": "country", "languages": "language", "people": "person"}
_DECADE = re.compile(r"^(?:(\d{2})(\d)0|(\d)0)'?s?$")


class SearchFilters(BaseModel):
    """Metadata constraints for a search. Every field is optional; empty means "no constraint"."""

    model_config = ConfigDict(extra="forbid")

    genres: list[str] = []
    year_min: int | None = None
    year_max: int | None = None
    decades: list[str] = []  # "1980s" (also "1980", "80s")
    countries: list[str] = []
    languages: list[str] = []
    people: list[str] = []  # directors, writers or cast members
    exclude_ids: list[str] = []

    @field_validator("genres", "decades", "countries", "languages", "people", "exclude_ids", mode="before")
    @classmethod
    def _no_empty_values(cls, v, info):
        if isinstance(v, str):  # a bare string is one value, not a list of characters
            v = [v]
        for x in v or []:
            if not isinstance(x, str) or not x.strip():
                raise FilterError(f"filter {info.field_name!r} has an empty value {x!r}; give a name or drop the filter")
        return [x.strip() for x in v or []]

    @field_validator("decades")
    @classmethod
    def _decade_format(cls, v):
        return [normalise_decade(d) for d in v]

    @model_validator(mode="after")
    def _year_range(self):
        if self.year_min is not None and self.year_max is not None and self.year_min > self.year_max:
            raise FilterError(f"year_min {self.year_min} is after year_max {self.year_max}; swap them")
        return self

    def is_empty(self) -> bool:
        return not (self.genres or self.decades or self.countries or self.languages or self.people
                    or self.exclude_ids or self.year_min is not None or self.year_max is not None)

    def matches(self, item: Item) -> bool:
        """Reference semantics in plain Python (used by tests and the numpy baseline).

        Expects canonical spellings (i.e. filters returned by `Vocabulary.resolve`).
        """
        people = set(item.directors) | set(item.writers) | set(item.cast)
        if not set(self.genres) <= set(item.genres):
            return False
        if not set(self.people) <= people:
            return False
        if self.countries and not set(self.countries) & set(item.countries):
            return False
        if self.languages and not set(self.languages) & set(item.languages):
            return False
        if self.decades and item.decade not in self.decades:
            return False
        if self.year_min is not None and (item.year is None or item.year < self.year_min):
            return False
        if self.year_max is not None and (item.year is None or item.year > self.year_max):
            return False
        return item.id not in self.exclude_ids


def normalise_decade(value: str) -> str:
    """'1980s' | '1980' | "80s" | "'80s" -> '1980s'; anything else raises FilterError."""
    v = value.strip().lower()
    m = _DECADE.match(v)
    if not m:
        raise FilterError(f"decade {value!r} is not a decade; write it like '1980s'")
    if m.group(1):
        return f"{m.group(1)}{m.group(2)}0s"
    tens = int(m.group(3))
    return f"{19 if tens >= 2 else 20}{tens}0s"  # '80s' -> 1980s, '10s' -> 2010s


def _key(name: str) -> str:
    """Matching key: accents stripped, lower case, only letters and digits ('Sci-Fi' -> 'scifi')."""
    t = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", t) or name.lower().strip()


def item_people(item: Item) -> list[str]:
    """Directors, writers and cast of an item, deduplicated, in that order."""
    return list(dict.fromkeys(item.directors + item.writers + item.cast))


@dataclass
class Vocabulary:
    """Canonical values per filter field for one catalog: key -> canonical spelling."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {key: canonical}
    decades: set[str] = field(default_factory=set)
    year_range: tuple[int, int] | None = None

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> "Vocabulary":
        values: dict[str, dict[str, str]] = {f: {} for f in LIST_FIELDS}
        years = [it.year for it in catalog if it.year]
        for it in catalog:
            for f, names in (("genres", it.genres), ("countries", it.countries),
                             ("languages", it.languages), ("people", item_people(it))):
                for n in names:
                    values[f].setdefault(_key(n), n)
        return cls(values, {it.decade for it in catalog if it.decade},
                    (min(years), max(years)) if years else None)

    def canonical(self, field_name: str, value: str) -> str:
        known = self.values.get(field_name, {})
        if not known:
            raise FilterError(f"this catalog has no {field_name} data, so it cannot filter on {field_name}; drop that filter")
        hit = known.get(_key(value))
        if hit is not None:
            return hit
        from rapidfuzz import fuzz, process

        close = [known[k] for k, _, _ in process.extract(_key(value), list(known), scorer=fuzz.WRatio, limit=3)]
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise FilterError(f"unknown {_SINGULAR[field_name]} {value!r} in filter {field_name!r}{hint}")

    def resolve(self, filters: SearchFilters) -> SearchFilters:
        """A copy with every value mapped to the catalog's spelling; FilterError for unknown values."""
        upd = {f: list(dict.fromkeys(self.canonical(f, v) for v in getattr(filters, f))) for f in LIST_FIELDS}
        for d in filters.decades:
            if d not in self.decades:
                have = ", ".join(sorted(self.decades)) or "none"
                raise FilterError(f"no catalog item is from the {d} (filter 'decades'); decades present: {have}")
        return filters.model_copy(update=upd)


def item_metadata(item: Item) -> dict:
    """Chroma metadata for one item (see module docstring for the encoding)."""
    md: dict = {"item_id": item.id, "title": item.title}
    if item.year:
        md["year"] = int(item.year)
        md["decade"] = item.decade
    for f, names in (("genres", item.genres), ("countries", item.countries), ("languages", item.languages),
                     ("people", item_people(item))):
        if names:
            md[f] = list(names)
    return md


def _any_of(field_name: str, values: list[str]) -> dict:
    clauses = [{field_name: {"$contains": v}} for v in values]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def to_where(filters: SearchFilters | None) -> dict | None:
    """Chroma `where` for (resolved) filters; None when there is no constraint."""
    if filters is None:
        return None
    clauses: list[dict] = []
    clauses += [{"genres": {"$contains": g}} for g in filters.genres]
    clauses += [{"people": {"$contains": p}} for p in filters.people]
    if filters.countries:
        clauses.append(_any_of("countries", filters.countries))
    if filters.languages:
        clauses.append(_any_of("languages", filters.languages))
    if filters.decades:
        clauses.append({"decade": {"$in": list(filters.decades)}})
    if filters.year_min is not None:
        clauses.append({"year": {"$gte": int(filters.year_min)}})
    if filters.year_max is not None:
        clauses.append({"year": {"$lte": int(filters.year_max)}})
    if filters.exclude_ids:
        clauses.append({"item_id": {"$nin": list(filters.exclude_ids)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
