"""Years said in words no year could be read from ("what came out the year my dad hit 30", "from while they were
together"): the assistant asks which years instead of showing films from any year, keeps the rest of the request, and
the answer ("1986", "75 to 84", "before 1970", "any year") refines it.

The detector (entities.unread_years) runs on its own (fast); the turns run on the real ML-100K assistant (real linker,
MiniLM, Chroma, scorer). The phrasings below are my own, not taken from the open-request sets.
"""

from __future__ import annotations

import pytest

from assistant.dialogue.entities import unread_years
from bench.plain_answers import answer, year_bounds
from catalog.facets import all_genres, runtime


def _said(text: str) -> str:
    return unread_years(text, text.lower(), set())


@pytest.mark.parametrize("text, quoted", [
    ("westerns from the year my grandad retired", "westerns from the year my grandad retired"),
    ("my sister was born in 79. what was out when she started school?", "my sister was born in 79"),
    ("horror from the decade the wall came down", "horror from the decade the wall came down"),
    ("films i grew up on, im 40 now", "films i grew up on, im 40 now"),
    ("stuff from while we were dating, no musicals", "stuff from while we were dating, no musicals"),
    ("a comedy older than me", "a comedy older than me"),
    ("anything from after the berlin olympics", "anything from after the berlin olympics"),
    ("post-85 sci fi", "post-85 sci fi"),
    ("thrillers, 88 onwards", "thrillers, 88 onwards"),
    ("films that came out on video when i was a kid", "films that came out on video when i was a kid"),
])
def test_years_said_in_words_are_found_with_their_clause(text, quoted):
    assert _said(text) == quoted, (text, _said(text))


@pytest.mark.parametrize("text", [
    "my parents are in their 70s and hate swearing",  # an age
    "nan is 90, in her nineties and still sharp",
    "something to watch before bed",  # an occasion, not a bound
    "a comedy after a long day",
    "any year is fine, just a good drama",
    "i havent been to the cinema in years",  # time gone by
    "my best friend for 11 years is moving away",
    "longest night of the year, give me an epic",
    "we watched this every christmas for years",
    "the kids (8 and 11) want something funny",
    "quiz night for the over 70s at the club, something gentle",  # an age group
    "last night of the year, want to see it out laughing",
    "we watched it for years my dad loved it",
    "a film set in the 1890s, period drama",  # when a film is set, or what it is about, is no release year
    "a film about the 60s civil rights movement",
    "a coming of age film about teenage years in a small town",
])
def test_no_years_are_found_where_none_date_the_films(text):
    assert _said(text) == "", (text, _said(text))


def test_the_simulated_user_answers_from_the_criterion():
    assert year_bounds({"year": 1986}) == ("range", 1986, 1986)
    assert year_bounds({"all_of": [{"genres_any": ["Drama"]}, {"year_min": 1975}, {"year_max": 1984}]}) == \
        ("range", 1975, 1984)
    assert year_bounds({"any_of": [{"year_max": 1979}, {"year_min": 1990}]}) == ("gap", 1980, 1989)
    assert year_bounds({"genres_any": ["Drama"]}) is None
    said, needed = answer("which_years", {"id": "x", "hard": {"all_of": [{"year_max": 1966}, {"genres_none": ["War"]}]}})
    assert needed and ("1966" in said or "1967" in said), said
    said, needed = answer("which_years", {"id": "x", "hard": {"genres_any": ["Drama"]}, "soft": None})
    assert not needed and ("year" in said or "matter" in said or "mind" in said), said
    said, needed = answer("how_long", {"id": "y", "hard": {"runtime_max": 96}})
    assert needed and ("95" in said or "96" in said), said


@pytest.mark.slow
def test_years_said_but_not_read_are_asked_about_and_the_answer_refines_the_request(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("ask-yr-1", "a comedy from the year my grandad retired")
    assert r.cards == [] and r.question, r.text
    assert "\u201ca comedy from the year my grandad retired\u201d" in r.text and "Comedy" in r.text, r.text
    assert a.sessions.get("ask-yr-1").request.genres == ["Comedy"]  # the rest of the request is kept
    r = a.respond("ask-yr-1", "1986")
    assert len(r.cards) >= 3 and r.question is None, r.text
    for c in r.cards:
        it = a.catalog[c.item_id]
        assert "Comedy" in all_genres(it) and it.year == 1986, (c.title, it.year)

    a.respond("ask-yr-2", "liked heat. a drama from while i was at university")
    r = a.respond("ask-yr-2", "75 to 84")
    assert len(r.cards) == 5 and all(1975 <= a.catalog[c.item_id].year <= 1984
                                     and "Drama" in all_genres(a.catalog[c.item_id]) for c in r.cards), r.text
    r = a.respond("ask-yr-2", "more")  # the years answered stay for the next page
    assert len(r.cards) == 5 and all(1975 <= a.catalog[c.item_id].year <= 1984 for c in r.cards), r.text

    a.respond("ask-yr-3", "a thriller from while i was at university")
    r = a.respond("ask-yr-3", "any year")
    assert len(r.cards) == 5 and all("Thriller" in all_genres(a.catalog[c.item_id]) for c in r.cards), r.text

    a.respond("ask-yr-4", "a thriller from while i was at university")
    r = a.respond("ask-yr-4", "before 1970")
    assert len(r.cards) >= 3 and all(a.catalog[c.item_id].year < 1970 for c in r.cards), r.text

    # a length and years both said and not read: the length is asked first, then the years
    r = a.respond("ask-yr-6", "a comedy from the year my grandad retired. the coach is 1h12, then 38 min on the bus")
    assert r.cards == [] and "1h12, then 38 min" in r.text, r.text
    r = a.respond("ask-yr-6", "95")
    assert r.cards == [] and "which years" in r.text.lower() and "under 96 minutes" in r.text, r.text
    r = a.respond("ask-yr-6", "1986")
    assert r.cards and all(a.catalog[c.item_id].year == 1986 and runtime(a.catalog[c.item_id]) < 96 for c in r.cards), r.text

    a.respond("ask-yr-7", "a drama from while i was at university")
    r = a.respond("ask-yr-7", "nothing from 1980 to 1989")  # an answer that refuses years
    assert len(r.cards) == 5 and all(not 1980 <= a.catalog[c.item_id].year <= 1989 for c in r.cards), r.text

    a.respond("ask-yr-5", "a thriller from while i was at university")
    r = a.respond("ask-yr-5", "actually make it a western")  # no answer: a message of its own
    assert len(r.cards) == 5 and all("Western" in all_genres(a.catalog[c.item_id]) for c in r.cards), r.text


@pytest.mark.slow
def test_the_question_never_quotes_a_title_the_catalog_lacks(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("ask-yr-unsaid", "I loved Hacked Movie (2024), anything from the year my dad hit 30")
    quoted = r.text.split("You mentioned \u201c")[1].split("\u201d")[0]
    assert r.cards == [] and r.question and "year" in quoted and "Hacked" not in quoted, r.text
    r = a.respond("ask-yr-bracket", "I loved Hacked Movie (2024), recommend something similar")  # a title's year
    assert "which years" not in r.text.lower(), r.text


@pytest.mark.slow
def test_years_that_were_read_get_films_not_a_question(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("no-ask-yr-1", "comedies from the 80s, my parents are in their 70s")
    assert len(r.cards) == 5 and r.question is None, r.text
    r = a.respond("no-ask-yr-3", "loved 2001 and alien, something deep")  # a title, not a year
    assert len(r.cards) == 5 and r.question is None, r.text
    a.respond("no-ask-yr-2", "dramas from 1975 to 1984")
    r = a.respond("no-ask-yr-2", "ones from while my parents were dating")  # the years said earlier hold
    assert len(r.cards) == 5 and r.question is None, r.text


@pytest.mark.slow
def test_a_wording_the_learned_model_reads_as_dated_asks_which_years_too(ml100k_assistant):
    """No cue of unread_years fits "back when my dad was a teenager"; the learned model (leanings.DATED) reads it as
    dating the films, so the reply asks which years, quotes nothing, and keeps the rest of the request."""
    a = ml100k_assistant
    r = a.respond("dated-1", "a comedy from back when my dad was a teenager")
    assert r.cards == [] and r.question and "which years" in r.text.lower() and "You mentioned" not in r.text, r.text
    assert a.sessions.get("dated-1").request.genres == ["Comedy"]
    r = a.respond("dated-1", "75 to 84")
    assert len(r.cards) == 5 and r.question is None, r.text
    assert all(1975 <= a.catalog[c.item_id].year <= 1984 and "Comedy" in all_genres(a.catalog[c.item_id])
               for c in r.cards), r.text
    a.respond("dated-2", "a comedy from back when my dad was a teenager")
    r = a.respond("dated-2", "any year")  # asked once: the answer gets films, not the question again
    assert len(r.cards) == 5 and r.question is None, r.text
    a.respond("dated-5", "a comedy from back when my dad was a teenager")
    r = a.respond("dated-5", "dont mind")  # (had been read as a new message that asked for nothing: no cards)
    assert len(r.cards) == 5 and r.question is None and all("Comedy" in all_genres(a.catalog[c.item_id])
                                                            for c in r.cards), r.text
    r = a.respond("dated-3", "a comedy from the 80s, back when my dad was a teenager")  # the years were read
    assert len(r.cards) == 5 and r.question is None, r.text
    r = a.respond("dated-4", "a comedy for my dad, he is a teenager at heart")
    assert len(r.cards) == 5 and r.question is None, r.text
