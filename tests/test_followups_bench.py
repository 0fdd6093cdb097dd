"""The follow-up conversations (tests/data/followups) and bench/bench_followups.py's judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.bench_followups import judge, load_cases, relative_ok
from bench.open_criteria import validate
from catalog.types import Item

DATA = Path(__file__).resolve().parent / "data" / "followups"
CATEGORIES = {"length", "era", "audience", "quality", "mood", "exclusion", "carried"}
RELATIVE = {("runtime", "shorter"), ("runtime", "longer"), ("year", "older"), ("year", "newer")}


@pytest.mark.parametrize("split, parity", [("dev", 1), ("heldout", 0)])
def test_cases_are_well_formed_and_split_by_id(split, parity):
    cases = load_cases(split)
    assert len(cases) == 40
    for c in cases:
        assert int(c["id"][1:]) % 2 == parity, c["id"]  # odd ids for development, even ids held out
        assert c["category"] in CATEGORIES and 2 <= len(c["turns"]) <= 3 and all(t.strip() for t in c["turns"])
        validate(c.get("hard"))
        validate(c.get("soft"))
        if c.get("relative"):
            assert tuple(c["relative"].items())[0] in RELATIVE and len(c["relative"]) == 1
    assert not {c["id"] for c in cases} & {json.loads(line)["id"] for line in
                                          (DATA / ("heldout" if split == "dev" else "dev")).with_suffix(".jsonl")
                                          .read_text().splitlines() if line.strip()}


def _film(iid, year, minutes, genres=("Drama",)):
    return Item(id=iid, title=iid, year=year, genres=tuple(genres), attributes={"runtime_min": minutes} if minutes else {})


def test_relative_criterion_is_against_the_median_of_the_previous_cards():
    prev = [_film("a", 1990, 90), _film("b", 1995, 100), _film("c", 1980, 130), _film("d", 1970, None)]
    assert relative_ok(_film("x", 1990, 99), {"runtime": "shorter"}, prev)  # median of 90, 100, 130 is 100
    assert not relative_ok(_film("x", 1990, 100), {"runtime": "shorter"}, prev)  # strictly below
    assert not relative_ok(_film("x", 1990, None), {"runtime": "shorter"}, prev)  # unknown fails
    # years: the median of 1970, 1980, 1990 and 1995 is 1985
    assert not relative_ok(_film("x", 1985, 90), {"year": "older"}, prev) and relative_ok(
        _film("x", 1984, 90), {"year": "older"}, prev)
    assert relative_ok(_film("x", 1990, 200), None, prev) is None


def test_a_conversation_is_ok_only_when_every_card_meets_hard_and_relative():
    case = {"hard": {"genres_any": ["Drama"]}, "relative": {"runtime": "longer"}}
    prev = [_film("a", 1990, 90), _film("b", 1990, 100), _film("c", 1990, 110)]
    assert judge(case, [_film("x", 1990, 120), _film("y", 1990, 101)], prev, None)["all_ok"]
    assert not judge(case, [_film("x", 1990, 120), _film("y", 1990, 100)], prev, None)["all_ok"]
    assert not judge(case, [_film("x", 1990, 120, ("Comedy",))], prev, None)["all_ok"]
    assert not judge(case, [], prev, None)["all_ok"]  # no cards is no answer
