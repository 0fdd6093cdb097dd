"""Time said in a request that no length could be read from ("coach is 1h12, then 38 min on the bus"): the assistant
asks how long a film may be instead of showing films that may overrun, keeps the rest of the request, and the
answer ("95", "under 2 hours", "any length") refines it.

The detector (open_slots.said_length) runs on its own (fast); the turns run on the real ML-100K assistant (real
linker, MiniLM, Chroma, scorer). The phrasings below are my own, not taken from the open-request sets.
"""

from __future__ import annotations

import pytest

from assistant.dialogue.open_slots import said_length
from catalog.facets import all_genres, runtime


@pytest.mark.parametrize("text, said", [
    ("the bus ride is 1h20 and the walk after is 15 min", "1h20 and the walk after is 15 min"),
    ("its twenty past 6 now and the taxi comes at 8", "twenty past 6 now and the taxi comes at 8"),
    ("my window is quarter to 8 till 10", "quarter to 8 till 10"),
    ("got from 6:15 until kickoff at 8pm", "6:15 until kickoff at 8pm"),
    ("boarding starts in 1hr50", "1hr50"),
    ("something two and a half hours long", "two and a half hours"),
    ("like under 95 if you can", "under 95"),
])
def test_time_the_viewer_has_is_found_as_written(text, said):
    span = said_length(text)
    assert span is not None and text[span[0]:span[1]] == said, (text, span)


@pytest.mark.parametrize("text", [
    "its 2am and i cant sleep",  # a lone clock time bounds nothing
    "i have been doomscrolling for 3 hours",  # what something else lasted
    "born in 83, started school at 5",  # an age
    "14 hrs on a plane tomorrow",  # no film is that long
    "anything with her in it, even a 2 minute role",
    "top 10 films of 1994",
    "60s stuff, 60 to 65 max",  # years
    "two kids, 5 and 9, no cartoons",
])
def test_no_time_is_found_where_none_bounds_the_film(text):
    assert said_length(text) is None, (text, said_length(text))


@pytest.mark.slow
def test_time_said_but_not_read_is_asked_about_and_the_answer_refines_the_request(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("ask-len-1", "a comedy please. my shift starts at 10 and its 8:05 now")
    assert r.cards == [] and r.question, r.text
    assert "\u201cat 10 and its 8:05\u201d" in r.text and "Comedy" in r.text, r.text
    assert a.sessions.get("ask-len-1").request.genres == ["Comedy"]  # the rest of the request is kept
    r = a.respond("ask-len-1", "95")
    assert len(r.cards) == 5 and r.question is None, r.text
    for c in r.cards:
        it = a.catalog[c.item_id]
        assert "Comedy" in all_genres(it) and runtime(it) is not None and runtime(it) < 96, (c.title, runtime(it))
    r = a.respond("ask-len-1", "more")
    assert len(r.cards) == 5 and all(runtime(a.catalog[c.item_id]) < 96 for c in r.cards), r.text

    r = a.respond("ask-len-2", "loved fargo. a thriller. the match ends at 9 and were in bed by half 10")
    assert r.cards == [] and "\u201cat 9 and were in bed by half 10\u201d" in r.text, r.text
    assert r.text.startswith("Noted: liked Fargo (1996). Got it: Thriller picks."), r.text  # the feedback is said too
    r = a.respond("ask-len-2", "under 2 hours")
    assert len(r.cards) == 5 and all(runtime(a.catalog[c.item_id]) < 120 and "Thriller" in all_genres(a.catalog[c.item_id])
                                     for c in r.cards), r.text
    a.respond("ask-len-3", "a thriller. the match ends at 9 and were in bed by half 10")
    r = a.respond("ask-len-3", "any length")
    assert len(r.cards) == 5 and all("Thriller" in all_genres(a.catalog[c.item_id]) for c in r.cards), r.text
    a.respond("ask-len-5", "a thriller. the match ends at 9 and were in bed by half 10")
    r = a.respond("ask-len-5", "up to you")  # no limit, said another way
    assert len(r.cards) == 5 and all("Thriller" in all_genres(a.catalog[c.item_id]) for c in r.cards), r.text
    a.respond("ask-len-4", "a thriller. the match ends at 9 and were in bed by half 10")
    r = a.respond("ask-len-4", "actually make it a western")  # no answer: a message of its own
    assert len(r.cards) == 5 and all("Western" in all_genres(a.catalog[c.item_id]) for c in r.cards), r.text


@pytest.mark.slow
def test_a_length_that_was_read_or_time_that_bounds_nothing_gets_films_not_a_question(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("no-ask-1", "its 2am and i cant sleep, a comedy")
    assert len(r.cards) == 5 and r.question is None, r.text
    r = a.respond("no-ask-2", "its 7pm, a comedy under 100 minutes")
    assert len(r.cards) == 5 and all(runtime(a.catalog[c.item_id]) < 100 for c in r.cards), r.text
    a.respond("no-ask-3", "a comedy under 100 minutes")
    r = a.respond("no-ask-3", "from the 90s. my shift starts at 10 and its 8:05 now")  # the length said earlier holds
    assert len(r.cards) == 5 and r.question is None, r.text
