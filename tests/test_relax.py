"""A request nothing in the catalog matches: the reply says what was asked, offers the parts to leave out with how
many titles each leaves, and "yes" or a number takes one (assistant.dialogue.relax).

The answer reader and the part bookkeeping run on their own (fast); the turns run on the real ML-100K assistant (real
linker, MiniLM, Chroma, scorer), and the counts in the offers are checked against the catalog itself.
"""

from __future__ import annotations

import re

import pytest

from assistant.dialogue.relax import declined, parts, read_answer, without
from catalog.facets import all_genres
from tools.state import Request


@pytest.mark.parametrize("text, pick", [
    ("yes", 0), ("Yes please", 0), ("ok show me", 0), ("sure!", 0), ("go ahead", 0), ("yeah the first one", 0),
    ("2", 1), ("the second one", 1), ("option 2", 1), ("ok 2", 1), ("#1", 0), ("3", None), ("no", None),
    ("actually make it a western", None), ("yes but from the 80s", None), ("2 hours max", None),
])
def test_an_answer_to_the_offer_is_read_as_written(text, pick):
    assert read_answer(text, 2) == pick, text


@pytest.mark.parametrize("text, no", [("no", True), ("No thanks.", True), ("nah", True), ("neither", True),
                                      ("no, thank you", True), ("no horror", False), ("no, make it a comedy", False)])
def test_turning_the_offer_down_is_read_only_when_nothing_else_is_said(text, no):
    assert declined(text) == no, text


def test_parts_are_what_was_asked_for_and_refusals_are_never_among_them():
    r = Request(genres=["Comedy", "Western"], people=["John Wayne"], decades=["1950s"], year_min=1955,
                not_genres=["Horror"], not_people=["Clint Eastwood"], runtime_max=100, audience="kids")
    assert parts(r) == ["genre:Comedy", "genre:Western", "decades", "years", "person:John Wayne", "audience", "runtime"]
    smaller = without(r, ("genre:Western", "years"))
    assert smaller.genres == ["Comedy"] and smaller.year_min is None and smaller.decades == ["1950s"]
    assert smaller.not_genres == ["Horror"] and smaller.not_people == ["Clint Eastwood"]  # refusals stay
    assert r.genres == ["Comedy", "Western"] and r.year_min == 1955  # the request itself is not changed
    any_of = without(Request(genres=["Comedy", "Western"], any_of=["genres"]), ("genre:Western",))
    assert any_of.genres == ["Comedy"] and any_of.any_of == []  # "comedy or western" less one is one genre
    with pytest.raises(ValueError):
        without(r, ("mood:scary",))


def _offers(text: str) -> dict[str, int]:
    """{part as the reply names it: titles left} from an offer reply."""
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"without \u201c([^\u201d]+)\u201d(?::|,) (\d+) titles?",
                                                             text, flags=re.I)}


def _people(item) -> set[str]:
    return set(item.directors) | set(item.writers) | set(item.cast)


@pytest.mark.slow
def test_nothing_matches_the_reply_offers_each_part_with_its_true_count_and_a_number_takes_it(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("relax-1", "a comedy directed by Ridley Scott")
    assert r.cards == [] and "Nothing in the catalog matches all of that (Comedy picks with Ridley Scott)" in r.text, r.text
    offers = _offers(r.text)
    scott = [it for it in a.catalog if "Ridley Scott" in _people(it)]
    comedies = [it for it in a.catalog if "Comedy" in it.genres]
    assert offers == {"Ridley Scott": len(comedies), "Comedy": len(scott)}, r.text
    assert "1) without \u201cRidley Scott\u201d" in r.text and "2) without \u201cComedy\u201d" in r.text, r.text
    # each offer names two of the titles it brings: real matches of the smaller request
    examples = re.search(r"2\) without \u201cComedy\u201d: \d+ titles \u2014 (.+); \.\.\.", r.text).group(1).split("; ")
    assert len(examples) == 2 and all(t in {it.display_title for it in scott} for t in examples), r.text
    r = a.respond("relax-1", "no thanks")  # turned down: the request stays, and so does the offer
    assert r.cards == [] and r.text.startswith("OK, the request stays as it is (Comedy picks with Ridley Scott)."), r.text
    r = a.respond("relax-1", "2")  # the second offer: without the genre
    assert r.text.startswith("OK, without \u201cComedy\u201d."), r.text
    assert len(r.cards) == len(scott) and all("Ridley Scott" in _people(a.catalog[c.item_id]) for c in r.cards), r.text
    assert a.sessions.get("relax-1").request.genres == [] and a.sessions.get("relax-1").request.people == ["Ridley Scott"]


@pytest.mark.slow
def test_yes_takes_the_first_offer_and_more_keeps_it(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("relax-2", "a 1990s musical with clint eastwood")
    assert r.cards == [] and list(_offers(r.text)) == ["Clint Eastwood", "Musical"], r.text
    r = a.respond("relax-2", "yes")
    assert r.text.startswith("OK, without \u201cClint Eastwood\u201d."), r.text
    req = a.sessions.get("relax-2").request
    assert req.people == [] and req.genres == ["Musical"] and req.decades == ["1990s"], req  # only that part is gone
    shown = {c.item_id for c in r.cards}
    r = a.respond("relax-2", "more")
    assert len(r.cards) == 5 and not shown & {c.item_id for c in r.cards}, r.text
    assert all("Musical" in a.catalog[c.item_id].genres and a.catalog[c.item_id].decade == "1990s" for c in r.cards)

    r = a.respond("relax-5", "a french western from the 1930s")  # no one part is enough: two at a time
    assert r.cards == [] and "Leaving out two parts would give:" in r.text, r.text
    assert re.search(r"1\) without \u201c[^\u201d]+\u201d and \u201c[^\u201d]+\u201d: \d+ titles", r.text), r.text


@pytest.mark.slow
def test_what_was_refused_is_never_offered_and_another_message_drops_the_offer(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("relax-3", "horror for kids from the 1940s, no comedy")
    assert a.sessions.get("relax-3").request.not_genres == ["Comedy"]
    assert r.cards == [] and _offers(r.text) and not any("Comedy" in part for part in _offers(r.text)), r.text
    r = a.respond("relax-3", "actually make it a western")  # not an answer: a message of its own (a new genre)
    assert r.cards and all("Western" in all_genres(a.catalog[c.item_id]) for c in r.cards), r.text
    r = a.respond("relax-3", "yes")  # the offer is gone: "yes" takes nothing out of the westerns
    assert a.sessions.get("relax-3").request.genres == ["Western"], r.text


@pytest.mark.slow
def test_a_refinement_that_matches_nothing_with_the_rest_leaves_out_as_few_earlier_parts_as_it_can(ml100k_assistant):
    a = ml100k_assistant
    a.respond("relax-4", "comedies from the 1990s")
    r = a.respond("relax-4", "with Ridley Scott")  # no 90s comedy of his: the genre goes, the decade stays
    assert r.text.startswith("Nothing matched that together with the earlier request (1990s Comedy), so I left out "
                             "\u201cComedy\u201d."), r.text
    scott_90s = {it.id for it in a.catalog if "Ridley Scott" in _people(it) and it.decade == "1990s"}
    assert r.cards and {c.item_id for c in r.cards} == scott_90s, r.text
    req = a.sessions.get("relax-4").request
    assert req.genres == [] and req.decades == ["1990s"] and req.people == ["Ridley Scott"], req
    assert a.sessions.get("relax-4").pending is None  # the offer for the combined request is not left behind
    a.respond("relax-6", "westerns from the 1950s")
    r = a.respond("relax-6", "with Ridley Scott")  # neither part alone is enough: both go, and are named
    assert "so I left out \u201cWestern\u201d and \u201c1950s\u201d." in r.text, r.text
    assert r.cards and all("Ridley Scott" in _people(a.catalog[c.item_id]) for c in r.cards), r.text
