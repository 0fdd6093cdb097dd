"""Bring-your-own catalog: read and write the project's on-disk dataset format.

Every dataset, MovieLens included, is stored in this one format so that a
single loader serves all of them:

items.jsonl   one JSON object per line:
              {"id": str, "title": str, "year": int|null, "text": str,
               "genres": [str], "directors": [str], "writers": [str],
               "cast": [str], "countries": [str], "languages": [str],
               "studios": [str], "attributes": {...}}
              Only `id` and `title` are required.
items.csv     the same fields as columns; list fields are "|"-separated;
              any other column goes into `attributes`.
interactions.csv
              header `user_id,item_id[,rating][,timestamp]`; rating defaults
              to 1.0 (implicit feedback), timestamp to 0.
meta.json     optional provenance (source, match rate).

Malformed input raises CatalogError naming the file, line and field.
This module does not fetch or join anything (see catalog.movielens).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from catalog.types import ENTITY_FIELDS, Catalog, CatalogError, Dataset, Interactions, Item

ITEM_FILES = ("items.jsonl", "items.csv")
INTERACTIONS_FILE = "interactions.csv"
META_FILE = "meta.json"
_KNOWN = {"id", "title", "year", "text", "attributes", *ENTITY_FIELDS}


def _err(path: Path, line: int, field: str, problem: str) -> CatalogError:
    return CatalogError(f"{path}:{line}: field '{field}': {problem}")


def _item_from_record(rec: dict, path: Path, line: int) -> Item:
    if not isinstance(rec, dict):
        raise _err(path, line, "-", "expected a JSON object")
    for req in ("id", "title"):
        v = rec.get(req)
        if v is None or str(v).strip() == "":
            raise _err(path, line, req, "missing or empty (required)")
    year = rec.get("year")
    if year not in (None, ""):
        try:
            year = int(float(year))
        except (TypeError, ValueError):
            raise _err(path, line, "year", f"expected an integer year, got {year!r}") from None
        if not 1800 <= year <= 2100:
            raise _err(path, line, "year", f"year {year} out of range 1800..2100")
    else:
        year = None
    lists = {}
    for f in ENTITY_FIELDS:
        v = rec.get(f) or []
        if isinstance(v, str):
            v = [s.strip() for s in v.split("|")]
        if not isinstance(v, (list, tuple)) or not all(isinstance(s, str) for s in v):
            raise _err(path, line, f, "expected a list of strings")
        lists[f] = tuple(sys.intern(s.strip()) for s in v if s.strip())  # one string per name (1M items: ~0.7 GB)
    attrs = rec.get("attributes") or {}
    if not isinstance(attrs, dict):
        raise _err(path, line, "attributes", "expected an object")
    extra = {k: v for k, v in rec.items() if k not in _KNOWN and v not in (None, "")}
    return Item(
        id=str(rec["id"]).strip(),
        title=str(rec["title"]).strip(),
        year=year,
        text=str(rec.get("text") or ""),
        attributes={**extra, **attrs},
        **lists,
    )


def _jsonl_records(fh, path: Path) -> Iterator[tuple[int, object]]:
    """(line number, parsed JSON) for each non-blank line of an open items.jsonl."""
    for n, line in enumerate(fh, start=1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                raise _err(path, n, "-", f"invalid JSON ({e.msg})") from None


def read_items(path: Path) -> Catalog:
    path = Path(path)
    if not path.exists():
        raise CatalogError(f"{path}: file not found (expected one of {', '.join(ITEM_FILES)})")
    items: list[Item] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        if path.suffix == ".jsonl":  # records are read one at a time: a 1M-line file is never held parsed
            records = _jsonl_records(fh, path)
        elif path.suffix == ".csv":
            reader = csv.DictReader(fh)
            missing = {"id", "title"} - set(reader.fieldnames or [])
            if missing:
                raise _err(path, 1, sorted(missing)[0], f"column missing from header {reader.fieldnames}")
            records = enumerate(reader, start=2)
        else:
            raise CatalogError(f"{path}: unsupported item file type (use .jsonl or .csv)")
        for n, rec in records:
            item = _item_from_record(rec, path, n)
            if item.id in seen:
                raise _err(path, n, "id", f"duplicate id {item.id!r} (first on line {seen[item.id]})")
            seen[item.id] = n
            items.append(item)
    if not items:
        raise CatalogError(f"{path}: no items")
    return Catalog(items)


def read_interactions(path: Path, catalog: Catalog) -> Interactions:
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise CatalogError(f"{path}: file not found")
    try:
        df = pd.read_csv(path, dtype={"user_id": str, "item_id": str}, keep_default_na=False)
    except pd.errors.ParserError as e:
        raise CatalogError(f"{path}: cannot parse CSV ({e})") from None
    for col in ("user_id", "item_id"):
        if col not in df.columns:
            raise _err(path, 1, col, f"column missing from header {list(df.columns)}")
    for col, default in (("rating", 1.0), ("timestamp", 0)):
        if col not in df.columns:
            df[col] = default
        num = pd.to_numeric(df[col], errors="coerce")
        bad = np.flatnonzero(num.isna().to_numpy())
        if bad.size:
            r = int(bad[0])
            raise _err(path, r + 2, col, f"expected a number, got {df[col].iloc[r]!r}")
        df[col] = num
    empty = np.flatnonzero((df["user_id"].str.strip() == "").to_numpy())
    if empty.size:
        raise _err(path, int(empty[0]) + 2, "user_id", "empty")
    row_of = {iid: i for i, iid in enumerate(catalog.ids)}
    items = df["item_id"].map(row_of)
    bad = np.flatnonzero(items.isna().to_numpy())
    if bad.size:
        r = int(bad[0])
        raise _err(path, r + 2, "item_id", f"unknown item id {df['item_id'].iloc[r]!r} ({bad.size} rows affected)")
    codes, uniques = pd.factorize(df["user_id"], sort=False)
    return Interactions(
        user_ids=[str(u) for u in uniques],
        users=codes.astype(np.int32),
        items=items.to_numpy().astype(np.int32),
        ratings=df["rating"].to_numpy(np.float32),
        timestamps=df["timestamp"].to_numpy(np.int64),
    )


def load_dataset(directory: Path, name: str | None = None) -> Dataset:
    """Load a dataset directory in the format described in the module docstring."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CatalogError(f"{directory}: dataset directory not found (run `recassist data fetch` first)")
    item_path = next((directory / f for f in ITEM_FILES if (directory / f).exists()), None)
    if item_path is None:
        raise CatalogError(f"{directory}: no {' or '.join(ITEM_FILES)} found")
    catalog = read_items(item_path)
    inter_path = directory / INTERACTIONS_FILE
    if inter_path.exists():
        inter = read_interactions(inter_path, catalog)
    else:
        inter = Interactions([], *(np.zeros(0, dt) for dt in (np.int32, np.int32, np.float32, np.int64)))
    meta = json.loads((directory / META_FILE).read_text()) if (directory / META_FILE).exists() else {}
    return Dataset(name=name or directory.name, catalog=catalog, interactions=inter, meta=meta)


def write_dataset(directory: Path, items: list[Item], interactions_rows, meta: dict) -> None:
    """Write items.jsonl, interactions.csv (rows of user_id,item_id,rating,timestamp) and meta.json."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = directory / "items.jsonl.tmp"
    with tmp.open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it.to_dict(), ensure_ascii=False) + "\n")
    tmp.replace(directory / "items.jsonl")
    tmp = directory / "interactions.csv.tmp"
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["user_id", "item_id", "rating", "timestamp"])
        w.writerows(interactions_rows)
    tmp.replace(directory / INTERACTIONS_FILE)
    (directory / META_FILE).write_text(json.dumps(meta, indent=2))
