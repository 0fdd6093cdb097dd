"""bench/claim_detector.py: the independent detector that measures false claims in reply intros.

It is measurement, not product code, but a detector that misreads a sentence makes the reported rate wrong in
either direction, so its readings are tested on sentences of the shapes the templates and the LLM write.
"""

from __future__ import annotations

from bench.claim_detector import claims_in, false_claims
from bench.open_criteria import CatalogStats
from catalog.types import Item


def item(iid: str, genres: tuple[str, ...], year: int = 1990, rated: str | None = None, omdb=()) -> Item:
    attrs = {"omdb_genres": list(omdb)}
    if rated:
        attrs["rated"] = rated
    return Item(iid, iid.title(), year, genres=genres, attributes=attrs)


STATS = CatalogStats()
THRILLERS = [item("vertigo", ("Mystery", "Thriller"), 1958, "PG"), item("rear", ("Mystery", "Thriller"), 1954, "PG")]


def test_no_horror_is_the_genre_not_every_frightening_film():
    # thrillers under "no horror" do not make it false; horror films do
    assert false_claims("Here are 2 Mystery picks rated G, PG or PG-13, no horror:", THRILLERS, STATS) == []
    horror = [item("alien", ("Horror", "Sci-Fi")), item("shining", ("Horror",))]
    assert false_claims("Here are 2 picks, no horror:", horror, STATS)
    # "scary" still reads as horror or thriller
    assert false_claims("Two scary picks:", THRILLERS, STATS) == []


def test_a_refused_decade_is_negated():
    eighties = [item("a", ("Horror",), 1984), item("b", ("Horror",), 1987)]
    nineties = [item("c", ("Horror",), 1994), item("d", ("Horror",), 1996)]
    text = "Here are 2 Horror picks nothing from the 1980s:"
    assert false_claims(text, nineties, STATS) == []
    assert any("1980s" in p for p in false_claims(text, eighties, STATS))
    assert false_claims("Horror from the 1980s:", eighties, STATS) == []
    assert [neg for _, _, neg in claims_in("no 80s films")] == [True]
    # a refused year or span of years, each after its own "nothing from"
    mid = [item("e", ("Horror",), 1991), item("f", ("Horror",), 1997)]
    text = "Here are 2 Horror picks, nothing from the 1980s, nothing from 1990-1993, nothing from 1997:"
    assert false_claims(text, nineties, STATS) == []
    assert false_claims(text, mid, STATS)
    assert false_claims("Horror from 1990-1993:", nineties, STATS)


def test_family_in_a_list_of_genres_is_the_family_genre():
    # a G-rated sci-fi film is suitable for a family but is not a Family film
    cards = [item("planet", ("Sci-Fi",), 1956, "G"), item("contact", ("Drama", "Sci-Fi"), 1997, "PG")]
    text = "Here are 2 mind-bending picks (Sci-Fi/Mystery by genre, no Children's/Musical/Comedy/Family):"
    assert false_claims(text, cards, STATS) == []
    family = [item("babe", ("Children's",), 1995, "G", omdb=("Family",)), item("x", ("Comedy",), 1995)]
    assert false_claims(text, family, STATS)
    # outside a genre list "family" still means suitable for a family
    assert false_claims("Two family picks:", cards, STATS) == []


def test_plain_claims_still_fail():
    assert false_claims("Here are some classic black and white films:", THRILLERS, STATS)  # no data: always false
    assert false_claims("Two feel-good comedies:", THRILLERS, STATS)
    assert false_claims("Two films from the 90s:", THRILLERS, STATS)


def test_genre_names_in_a_list_are_those_genres():
    # "Thriller" in a list of genre names is the genre; as a word it would also accept mysteries
    mysteries = [item("a", ("Comedy", "Mystery")), item("b", ("Drama", "Mystery"))]
    text = "Two picks (Comedy/Drama by genre, no Horror/War/Crime/Thriller/Film-Noir):"
    assert false_claims(text, mysteries, STATS) == []
    assert false_claims(text, THRILLERS, STATS)  # thrillers under "no .../Thriller" are a false claim
    war = [item("c", ("Drama", "War")), item("d", ("War",))]
    assert false_claims("Two picks, no Horror/War:", war, STATS)


def test_a_year_range_and_a_title_with_its_year():
    thirties = [item("a", ("Drama",), 1931), item("b", ("Drama",), 1939)]
    assert false_claims("Here are some 1919-1939 dramas.", thirties, STATS) == []
    assert false_claims("Here are some 1919-1929 dramas.", thirties, STATS)
    # "True Crime (1995)" is the film the picks are like, not a claim that they are crime films
    assert false_claims("Two picks similar to True Crime (1995), no Horror:", thirties, STATS) == []
    assert false_claims("Two crime picks similar to True Crime (1995):", thirties, STATS)
    assert false_claims("Noted: liked 2001: A Space Odyssey (1968). Two dramas:", thirties, STATS) == []
    assert false_claims("Noted: liked 2001: A Space Odyssey (1968). Two dramas from 2001:", thirties, STATS)


def test_rated_or_a_family_film_is_one_claim():
    cards = [item("a", ("Drama",), 1990, "PG"), item("b", ("Comedy",), 1995, omdb=("Family",))]
    text = "Two picks rated G or PG, or a children's/family film; no horror:"
    assert false_claims(text, cards, STATS) == []
    assert false_claims(text, [item("c", ("Drama",), 1990, "R"), item("d", ("Comedy",), 1995)], STATS)


def test_a_length_unit_and_a_stated_critic_share_are_read_as_said():
    """"at least 120 minutes long" claims 120 minutes, not a long (130+) film; "critic score in the top half" claims
    the top half, not the detector's 60% default for any critic word (dev9 with --llm: two template intros were
    counted false this way). The same shapes with cards that do not bear them out still fail."""
    def timed(iid, minutes, critic=None):
        it = item(iid, ("Drama",))
        it.attributes["runtime_min"] = minutes
        if critic is not None:
            it.attributes["critic_rating"] = critic
        return it

    two_hours = [timed("a", 121), timed("b", 125)]
    assert false_claims("Here are 2 picks at least 120 minutes long:", two_hours, STATS) == []
    assert false_claims("Here are 2 picks at least 120 minutes long:", [timed("c", 95), timed("d", 100)], STATS)
    assert false_claims("Two long picks:", two_hours, STATS)  # "long" alone still claims a long film
    stats = CatalogStats.from_values({"a": 5.0, "b": 6.0, "c": 7.0, "d": 8.0}, {}, {})
    upper = [timed("c", 100, 7.0), timed("d", 100, 8.0)]  # percentiles 0.625 and 0.875
    assert false_claims("Two picks (critic score in the top half):", upper, stats) == []
    assert false_claims("Two picks (critic score in the top half):", [timed("a", 100, 5.0), timed("b", 100, 6.0)], stats)
    assert false_claims("Two picks (critic score in the top 20%):", upper, stats)  # 0.625 is not in the top 20%
