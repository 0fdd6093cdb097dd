"""bench.open_criteria: the predicate language, percentiles and check_case, on hand-made Items (no dataset)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.open_criteria import CatalogStats, check_case, honestly_declines, midrank_percentiles, satisfies, validate
from catalog.types import Item

FARGO = Item("fargo", "Fargo", 1996, genres=("Crime", "Drama", "Thriller"), directors=("Joel Coen",),
             writers=("Ethan Coen", "Joel Coen"), cast=("Frances McDormand", "William H. Macy"),
             countries=("United States",), languages=("English",),
             attributes={"rated": "R", "runtime_min": 98.0, "oscars": 2, "omdb_genres": ["Crime", "Thriller"],
                         "critic_rating": 8.9})
TOY = Item("toy", "Toy Story", 1995, genres=("Animation", "Children's", "Comedy"), directors=("John Lasseter",),
           countries=("United States",), languages=("English", "Spanish"),
           attributes={"rated": "G", "runtime_min": 80.0, "oscars": 1, "omdb_genres": ["Family", "Adventure"],
                       "critic_rating": 9.4})
AMELIE = Item("amelie", "Amelie", 2001, genres=("Comedy", "Romance"), directors=("Jean-Pierre Jeunet",),
              countries=("France",), languages=("French",),
              attributes={"runtime_min": 122.0, "oscars": 0, "critic_rating": 7.0})
BARE = Item("bare", "Mystery Reel")  # nothing known: no year, genres, people or attributes
ALL = [FARGO, TOY, AMELIE, BARE]

RATINGS = {"fargo": [5.0] * 30, "toy": [4.0] * 25, "amelie": [3.0] * 5}  # amelie has < 20 ratings


@pytest.fixture
def stats() -> CatalogStats:
    return CatalogStats.from_items(ALL, RATINGS)


def test_missing_fields_fail_every_predicate(stats):
    for pred in ({"genres_any": ["Drama"]}, {"genres_none": ["Horror"]}, {"year": 1996}, {"year_min": 1900},
                 {"year_max": 2100}, {"rated_in": ["G", "PG", "R"]}, {"runtime_max": 1000}, {"runtime_min": 0},
                 {"critic_pct_min": 0.0}, {"audience_pct_min": 0.0}, {"oscars_min": 0},
                 {"person": "Joel Coen"}, {"not_person": "Joel Coen"}, {"language": "English"},
                 {"country": "France"}):
        assert not satisfies(BARE, pred, stats), pred
    # rated missing on an otherwise known item
    assert not satisfies(AMELIE, {"rated_in": ["G", "PG", "PG-13", "R", "NC-17"]}, stats)
    # not_titles is always decidable
    assert satisfies(BARE, {"not_titles": ["Fargo (1996)"]}, stats)
    assert satisfies(BARE, None, stats)


def test_genres_use_movielens_and_omdb_genres(stats):
    assert satisfies(TOY, {"genres_any": ["Family"]}, stats)  # omdb only
    assert satisfies(TOY, {"genres_any": ["Children's"]}, stats)  # MovieLens only
    assert not satisfies(TOY, {"genres_none": ["Adventure"]}, stats)
    assert satisfies(FARGO, {"genres_none": ["Horror", "Family"]}, stats)
    assert satisfies(AMELIE, {"genres_any": ["Romance"]}, stats)  # no omdb_genres: MovieLens genres alone


def test_years_runtime_rating_oscars_language_country(stats):
    assert satisfies(FARGO, {"year": 1996}, stats) and not satisfies(FARGO, {"year": 1995}, stats)
    assert satisfies(FARGO, {"year_min": 1996, "year_max": 1996}, stats)
    assert not satisfies(FARGO, {"year_min": 1990, "year_max": 1995}, stats)
    assert satisfies(TOY, {"runtime_max": 81}, stats) and not satisfies(TOY, {"runtime_max": 80}, stats)  # strict
    assert satisfies(TOY, {"runtime_min": 80}, stats) and not satisfies(TOY, {"runtime_min": 81}, stats)  # inclusive
    assert satisfies(TOY, {"rated_in": ["G", "PG"]}, stats) and not satisfies(FARGO, {"rated_in": ["G", "PG"]}, stats)
    assert satisfies(FARGO, {"oscars_min": 2}, stats) and not satisfies(TOY, {"oscars_min": 2}, stats)
    assert satisfies(AMELIE, {"oscars_min": 0}, stats)
    assert satisfies(AMELIE, {"language": "French", "country": "France"}, stats)
    assert satisfies(TOY, {"language": "Spanish"}, stats) and not satisfies(TOY, {"country": "France"}, stats)


def test_people_and_titles(stats):
    assert satisfies(FARGO, {"person": "Ethan Coen"}, stats)  # writer
    assert satisfies(FARGO, {"person": "frances mcdormand"}, stats)  # cast, case-insensitive
    assert satisfies(TOY, {"person": "John Lasseter"}, stats)  # director
    assert not satisfies(FARGO, {"not_person": "Joel Coen"}, stats)
    assert satisfies(TOY, {"not_person": "Joel Coen"}, stats)
    assert not satisfies(FARGO, {"not_titles": ["Fargo (1996)"]}, stats)
    assert satisfies(FARGO, {"not_titles": ["Fargo (1997)", "Fargo"]}, stats)  # exact display titles only


def test_any_of_all_of_and_multi_key_dicts(stats):
    kids = {"any_of": [{"rated_in": ["G", "PG"]}, {"genres_any": ["Children's", "Family", "Animation"]}]}
    assert satisfies(TOY, kids, stats) and not satisfies(FARGO, kids, stats) and not satisfies(AMELIE, kids, stats)
    feel = {"all_of": [{"genres_any": ["Comedy", "Romance"]}, {"genres_none": ["Horror", "Crime"]}]}
    assert satisfies(AMELIE, feel, stats) and not satisfies(FARGO, feel, stats)
    nested = {"all_of": [{"any_of": [{"year": 2001}, {"oscars_min": 5}]}, {"language": "French"}]}
    assert satisfies(AMELIE, nested, stats) and not satisfies(TOY, nested, stats)
    # several keys in one dict must all hold
    assert not satisfies(TOY, {"genres_any": ["Comedy"], "rated_in": ["R"]}, stats)
    assert satisfies(TOY, {"genres_any": ["Comedy"], "rated_in": ["G"]}, stats)


def test_midrank_percentiles():
    p = midrank_percentiles({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0})
    assert p == {"a": 0.125, "b": 0.375, "c": 0.625, "d": 0.875}
    ties = midrank_percentiles({"a": 1.0, "b": 1.0, "c": 5.0})
    assert ties["a"] == ties["b"] == pytest.approx(1 / 3) and ties["c"] == pytest.approx(5 / 6)
    assert midrank_percentiles({}) == {}


def test_stats_percentiles_and_quality_predicates(stats):
    # critic: among the three items that have one (7.0, 8.9, 9.4)
    assert set(stats.critic) == {"fargo", "toy", "amelie"}
    assert stats.critic["toy"] == pytest.approx(5 / 6) and stats.critic["amelie"] == pytest.approx(1 / 6)
    assert satisfies(TOY, {"critic_pct_min": 0.8}, stats) and not satisfies(FARGO, {"critic_pct_min": 0.8}, stats)
    # audience: only items with >= 20 ratings (fargo mean 5, toy mean 4); amelie (5 ratings) always fails
    assert set(stats.audience) == {"fargo", "toy"}
    assert satisfies(FARGO, {"audience_pct_min": 0.7}, stats) and not satisfies(TOY, {"audience_pct_min": 0.7}, stats)
    assert not satisfies(AMELIE, {"audience_pct_min": 0.0}, stats)
    # popularity: rating counts among all items, unrated ones count as 0 (bare 0, amelie 5, toy 25, fargo 30)
    assert stats.popularity["bare"] == pytest.approx(0.125) and stats.popularity["fargo"] == pytest.approx(0.875)
    assert satisfies(AMELIE, {"popularity_pct_max": 0.5}, stats) and not satisfies(FARGO, {"popularity_pct_max": 0.5}, stats)
    gems = {"all_of": [{"critic_pct_min": 0.1}, {"popularity_pct_max": 0.5}]}
    assert [it.id for it in ALL if satisfies(it, gems, stats)] == ["amelie"]


def test_stats_from_values_matches_from_items(stats):
    again = CatalogStats.from_values({"fargo": 8.9, "toy": 9.4, "amelie": 7.0},
                                     {"fargo": 5.0, "toy": 4.0, "amelie": 3.0},
                                     {"fargo": 30, "toy": 25, "amelie": 5, "bare": 0})
    assert again == stats


def test_quality_predicate_without_stats_and_unknown_keys_raise():
    with pytest.raises(ValueError, match="CatalogStats"):
        satisfies(TOY, {"critic_pct_min": 0.5}, None)
    with pytest.raises(ValueError, match="unknown predicate key 'mood'"):
        satisfies(TOY, {"mood": "happy"}, None)
    with pytest.raises(ValueError, match="unknown predicate key"):
        validate({"any_of": [{"genres_any": ["Drama"]}, {"colour": False}]})
    with pytest.raises(ValueError, match="non-empty list"):
        validate({"all_of": []})
    validate({"all_of": [{"genres_any": ["Drama"]}, {"any_of": [{"year": 1990}]}]})


def test_honest_decline_needs_phrase_and_marker_in_one_sentence():
    assert honestly_declines("Here you go. I can't tell which films are in Black and White, sorry!", "black and white")
    assert honestly_declines("I don\u2019t have data on which films are based on a book.", "book")  # curly apostrophe
    assert honestly_declines("We have no data on soundtracks\nso these are just comedies", "soundtrack")
    # phrase and marker in different sentences: not a decline
    assert not honestly_declines("These are black and white classics. I can't wait for you to see them.",
                                 "black and white")
    assert not honestly_declines("Great black and white films below.", "black and white")
    assert not honestly_declines("", "twist")


def test_check_case(stats):
    case = {"id": "X1", "hard": {"not_titles": ["Fargo (1996)"]}, "soft": {"genres_any": ["Comedy"]},
            "no_data": ["black and white", "book"], "seen": ["Fargo (1996)"]}
    r = check_case(case, [TOY, AMELIE, FARGO], "I couldn't check black and white. Enjoy!", stats)
    assert r["n_cards"] == 3
    assert [c["hard"] for c in r["cards"]] == [True, True, False] and r["hard_all"] is False
    assert r["hard_share"] == pytest.approx(2 / 3) and r["soft_share"] == pytest.approx(2 / 3)
    assert r["no_data"] == {"black and white": True, "book": False} and r["no_data_all"] is False
    assert r["seen_shown"] == ["Fargo (1996)"] and r["seen_excluded"] is False

    good = check_case(case, [TOY, AMELIE], "I can't filter black and white; I have no data on book adaptations.", stats)
    assert good["hard_all"] and good["soft_share"] == 1.0 and good["no_data_all"] and good["seen_excluded"]

    nothing = check_case({"id": "X2", "hard": None, "soft": None}, [], "", stats)
    assert nothing["n_cards"] == 0 and nothing["hard_all"] is True and nothing["hard_share"] is None
    assert nothing["soft_share"] is None and nothing["no_data_all"] is True and nothing["seen_excluded"] is True
    assert check_case({"id": "X3", "hard": None, "soft": None}, [FARGO], "", stats)["soft_share"] is None


def test_open_request_files_are_well_formed():
    """Cheap structural check of the case files (the dataset-backed check is bench/check_open_requests.py)."""
    from bench.check_open_requests import CATEGORIES, FIELDS, load_cases, structural_problems

    splits = load_cases()
    assert structural_problems(splits) == []
    n = len(splits["dev"]) + len(splits["heldout"])  # dev2 has its own D-numbering and no held-out share
    assert n >= 96 and len(splits["heldout"]) == n // 3
    assert len(splits["dev2"]) >= 60
    for cases in splits.values():
        for c in cases:
            assert set(c) == set(FIELDS) and c["category"] in CATEGORIES and c["text"].strip() and c["why"].strip()
            for part in ("hard", "soft"):  # every predicate runs on an Item without error
                for it in ALL:
                    satisfies(it, c[part], CatalogStats.from_items(ALL, RATINGS))
    assert Path(__file__).resolve().parent.joinpath("data", "open_requests", "README.md").exists()
    json.dumps(splits)  # plain JSON values only


def test_generic_lists_are_split_by_whether_they_meet_the_request(stats):
    """A generic list that meets every criterion (a request that only refuses something the popular films lack) is
    counted apart from one that ignores the request."""
    from bench.bench_open_requests import summarise

    cases = [{"id": "A", "hard": {"genres_none": ["Musical"]}, "soft": None},
             {"id": "B", "hard": None, "soft": {"genres_any": ["Comedy"]}},
             {"id": "C", "hard": {"not_titles": ["Fargo (1996)"]}, "soft": None},
             {"id": "D", "hard": {"runtime_max": 100}, "soft": None}]
    rows = [{"id": "A", "judged": check_case(cases[0], [TOY, FARGO], "", stats), "generic": True},
            {"id": "B", "judged": check_case(cases[1], [TOY, FARGO], "", stats), "generic": True},
            {"id": "C", "judged": check_case(cases[2], [TOY, FARGO], "", stats), "generic": False},
            # a question instead of cards ("how long have you got?"): no cards, counted as a question
            {"id": "D", "judged": check_case(cases[3], [], "", stats), "generic": False, "asked": True}]
    s = summarise(rows, cases)
    assert s["generic_fallbacks"] == 2 and s["generic_fallbacks_unmet"] == 1
    assert s["requests_without_cards"] == 1 and s["questions_asked"] == 1
