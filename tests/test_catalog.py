"""Catalog types, the BYO loader's error messages, and the real ML-100K/entity join."""

from __future__ import annotations

import json

import pytest

from catalog.byo import load_dataset, read_items, write_dataset
from catalog.types import Catalog, CatalogError, Item, normalise_title


def test_normalise_title_moves_articles_and_drops_alternates():
    assert normalise_title("Usual Suspects, The") == "the usual suspects"
    assert normalise_title("Seven (Se7en)") == "seven"
    assert normalise_title("Amélie") == "amelie"


def test_fuzzy_title_search_finds_typos_and_respects_year(tiny_dataset):
    cat = tiny_dataset.catalog
    assert cat.search_titles("blade runer")[0][0] == "blade"
    assert cat.search_titles("The Empire Strikes Back")[0][0] == "empire"
    assert cat.search_titles("Alien (1979)")[0] == ("alien", 100.0)
    assert cat.search_titles("Alien (1950)") == [] or cat.search_titles("Alien (1950)")[0][0] != "alien"
    assert cat.search_titles("zzzz qqqq xxxx") == []


def test_catalog_rejects_duplicates_and_unknown_ids():
    with pytest.raises(CatalogError, match="duplicate item id"):
        Catalog([Item("a", "A"), Item("a", "B")])
    with pytest.raises(CatalogError, match="unknown item id 'nope'"):
        Catalog([Item("a", "A")])["nope"]


def test_rows_of_maps_ids_to_rows_and_unknown_ids_to_minus_one():
    cat = Catalog([Item(id="a", title="A"), Item(id="b", title="B"), Item(id="c", title="C")])
    rows = cat.rows_of(["c", "zz", "a", "c"])
    assert rows.tolist() == [2, -1, 0, 2] and rows.dtype.kind == "i"
    assert cat.rows_of([]).tolist() == []


def test_byo_roundtrip(tmp_path, tiny_dataset):
    rows = [("u1", "alien", 5.0, 1), ("u2", "blade", 3.0, 2)]
    write_dataset(tmp_path, list(tiny_dataset.catalog), rows, {"source": "test"})
    ds = load_dataset(tmp_path)
    assert ds.catalog.ids == tiny_dataset.catalog.ids
    assert ds.catalog["blade"].directors == ("Ridley Scott",)
    assert len(ds.interactions) == 2 and ds.interactions.user_ids == ["u1", "u2"]
    assert ds.meta == {"source": "test"}


def test_byo_csv_items_with_pipe_lists_and_extra_columns(tmp_path):
    (tmp_path / "items.csv").write_text("id,title,year,genres,mood\nx1,Heat,1995,Crime|Thriller,tense\n")
    cat = read_items(tmp_path / "items.csv")
    assert cat["x1"].genres == ("Crime", "Thriller")
    assert cat["x1"].attributes == {"mood": "tense"}


@pytest.mark.parametrize(
    "content,needle",
    [
        ('{"id": "a", "title": "A"}\n{"id": "b"}\n', "items.jsonl:2: field 'title'"),
        ('{"id": "a", "title": "A", "year": "soon"}\n', "items.jsonl:1: field 'year'"),
        ('{"id": "a", "title": "A", "genres": [1, 2]}\n', "items.jsonl:1: field 'genres'"),
        ('{"id": "a", "title": "A"}\n{not json}\n', "items.jsonl:2: field '-': invalid JSON"),
        ('{"id": "a", "title": "A"}\n{"id": "a", "title": "B"}\n', "duplicate id 'a' (first on line 1)"),
    ],
)
def test_byo_items_errors_name_file_line_and_field(tmp_path, content, needle):
    (tmp_path / "items.jsonl").write_text(content)
    with pytest.raises(CatalogError) as e:
        read_items(tmp_path / "items.jsonl")
    assert needle in str(e.value)


@pytest.mark.parametrize(
    "content,needle",
    [
        ("user_id,item\nu1,a\n", "field 'item_id': column missing"),
        ("user_id,item_id,rating\nu1,a,5\nu2,zz,4\n", "interactions.csv:3: field 'item_id': unknown item id 'zz'"),
        ("user_id,item_id,rating\nu1,a,five\n", "interactions.csv:2: field 'rating': expected a number"),
    ],
)
def test_byo_interactions_errors(tmp_path, content, needle):
    (tmp_path / "items.jsonl").write_text(json.dumps({"id": "a", "title": "A"}) + "\n")
    (tmp_path / "interactions.csv").write_text(content)
    with pytest.raises(CatalogError) as e:
        load_dataset(tmp_path)
    assert needle in str(e.value)


def test_missing_directory_is_actionable(tmp_path):
    with pytest.raises(CatalogError, match="recassist data fetch"):
        load_dataset(tmp_path / "nope")


@pytest.mark.slow
def test_ml100k_join_with_entities(ml100k):
    cat = ml100k.catalog
    assert len(cat) == 1682
    assert len(ml100k.interactions) == 100_000
    assert ml100k.meta["rating_match_rate"] >= 0.90
    (alien,) = [i for i in cat.find_title("Alien", 1979)]
    assert "Ridley Scott" in cat[alien].directors
    assert "Sigourney Weaver" in cat[alien].cast
    (usual,) = cat.find_title("The Usual Suspects", 1995)
    assert cat[usual].directors == ("Bryan Singer",)
    assert all(g != "unknown" for it in cat for g in it.genres)


def test_fuzzy_search_on_a_large_catalog_narrows_by_rare_words_and_agrees_with_a_full_scan(monkeypatch):
    words = ["night", "river", "silent", "golden", "last", "city", "dream", "storm", "shadow", "winter"]
    items = [Item(f"i{n}", f"The {words[n % 10].title()} {words[n // 10 % 10].title()} Affair {n}", 1990) for n in range(3000)]
    items += [Item("br", "Blade Runner", 1982), Item("br2", "Blade Runner 2049", 2017), Item("tt", "Titanic", 1997)]
    big, full = Catalog(items), Catalog(items)
    monkeypatch.setattr(big, "FULL_SCAN_MAX", 100)  # force the word-narrowed path on 3,003 titles
    typos = {"Blade Runer": "br", "Blade Runner 249": "br2", "The Last Golden Afair 1234": "i1234",
             "The Storm Strm Affair 777": "i777", "the winter winter affair 2999": "i2999"}
    for query, want in typos.items():  # a typo of a real title: same best match as scanning every title
        assert big.search_titles(query, limit=1)[0][0] == full.search_titles(query, limit=1)[0][0] == want, query
    assert big.search_titles("Blade Runer", limit=1)[0][0] == "br"
    assert big._token_index is not None and big._token_index["runner"] == [3000, 3001]
    # a typo in every rare word: no word is known, so it narrows to titles with a word one edit away (or two
    # words run together), and agrees with the full scan
    for query, want in {"Titanc": "tt", "Bladerunner": "br", "Blade Rnuner": "br", "Blde Runer": "br"}.items():
        assert len(big._fuzzy_pool(normalise_title(query))) < len(big._fuzzy_choices), query
        assert big.search_titles(query, limit=1)[0][0] == full.search_titles(query, limit=1)[0][0] == want, query
    # nothing near any word: the full scan, as before
    assert big._fuzzy_pool("qqqqzz") is big._fuzzy_choices
