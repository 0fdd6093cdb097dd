"""Conversations with the real assistant on ML-100K (real Chroma, KG, scorer, act classifier; rules + templates).

The first turns are the ones that failed before the dialogue pipeline (issue #13): several liked titles
in one message, follow-ups that must keep the previous constraints, "more" that must bring new items,
negated feedback, "start over", critiques of a shown card, ambiguous titles, paging to the end.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.agent_helpers import assert_grounded_reply

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def a(ml100k_assistant):
    return ml100k_assistant


def ids(reply):
    return [c.item_id for c in reply.cards]


def item(a, iid):
    return a.catalog[iid]


def title_id(a, display: str) -> str:
    return next(it.id for it in a.catalog if it.display_title == display)


def test_several_liked_titles_and_a_genre_then_follow_ups_keep_constraints(a):
    sid = "follow-ups"
    r1 = a.respond(sid, "big fan of toy story, fargo and heat -- got any comedy picks for tonight?")
    assert_grounded_reply(r1, a.catalog)
    liked = set(a.profile(sid)["liked_titles"])
    assert liked == {"Toy Story (1995)", "Fargo (1996)", "Heat (1995)"}
    assert r1.cards and all("Comedy" in c.genres for c in r1.cards)
    r2 = a.respond(sid, "ideally from the 1990s")
    assert r2.cards and all("Comedy" in c.genres and item(a, c.item_id).decade == "1990s" for c in r2.cards), \
        [(c.title, c.genres) for c in r2.cards]
    seen = set(ids(r1)) | set(ids(r2))
    for text in ("show me other ones", "more please", "Something else, please."):
        r = a.respond(sid, text)
        assert r.intent == "more", (text, r.intent)
        assert r.cards and not set(ids(r)) & seen, f"{text!r} repeated items"
        assert all("Comedy" in c.genres and item(a, c.item_id).decade == "1990s" for c in r.cards)
        assert not {c.title for c in r.cards} & liked
        seen |= set(ids(r))
    state = a.profile(sid)["request"]
    assert state["genres"] == ["Comedy"] and state["decades"] == ["1990s"]


def test_negated_feedback_with_a_request_is_not_an_explain_request(a):
    sid = "liar-liar"
    r = a.respond(sid, "I didn't like Liar Liar. Something with Jim Carrey that isn't that?")
    assert r.intent == "recommend"
    assert a.profile(sid)["disliked_titles"] == ["Liar Liar (1997)"]
    assert r.cards and all("Jim Carrey" in item(a, i).cast + item(a, i).directors for i in ids(r))
    assert "Liar Liar (1997)" not in [c.title for c in r.cards]


def test_favourites_are_liked_and_never_recommended_back(a):
    sid = "godfather"
    r = a.respond(sid, "the godfather and goodfellas are my favourites, what next?")
    assert set(a.profile(sid)["liked_titles"]) == {"Godfather, The (1972)", "GoodFellas (1990)"}
    assert r.cards and not {"Godfather, The (1972)", "GoodFellas (1990)"} & {c.title for c in r.cards}


def test_start_over_keeps_the_profile_and_none_of_those_pages_on(a):
    sid = "start-over"
    a.respond(sid, "I loved Alien. any horror from the 80s?")
    r = a.respond(sid, "start over")
    assert r.intent == "start_over" and not r.cards
    p = a.profile(sid)
    assert p["liked_titles"] == ["Alien (1979)"] and p["request"]["genres"] == [] and p["request"]["decades"] == []
    r1 = a.respond(sid, "recommend a western")
    r2 = a.respond(sid, "none of those")
    assert r2.intent == "reject" and r2.cards and not set(ids(r1)) & set(ids(r2))
    assert all("Western" in c.genres for c in r2.cards)


def test_replace_and_relax(a):
    sid = "replace-relax"
    a.respond(sid, "comedies from the 80s please")
    r = a.respond(sid, "horror instead")
    assert r.intent == "replace" and r.cards and all("Horror" in c.genres for c in r.cards)
    assert a.profile(sid)["request"]["genres"] == ["Horror"]
    assert all(item(a, i).decade == "1980s" for i in ids(r))
    r = a.respond(sid, "any decade is fine")
    assert r.intent == "relax" and a.profile(sid)["request"]["decades"] == []
    assert all("Horror" in c.genres for c in r.cards)


def test_a_follow_up_that_matches_nothing_with_the_kept_filters_leaves_out_the_earlier_part(a):
    sid = "conflict"
    a.respond(sid, "recommend a Tom Hanks movie")
    r = a.respond(sid, "movies directed by Alfred Hitchcock")
    assert r.cards and all("Alfred Hitchcock" in item(a, i).directors for i in ids(r)), r.text
    assert "so I left out \u201cTom Hanks\u201d" in r.text, r.text
    assert a.profile(sid)["request"]["people"] == ["Alfred Hitchcock"]


def test_negative_constraints(a):
    sid = "negatives"
    r = a.respond(sid, "something from the 80s, no horror please")
    assert r.cards and all("Horror" not in c.genres and item(a, c.item_id).decade == "1980s" for c in r.cards)
    r = a.respond(sid, "more")
    assert all("Horror" not in c.genres for c in r.cards)


def test_critique_of_a_shown_card(a):
    sid = "critique"
    r1 = a.respond(sid, "sci-fi from the 90s")
    second = r1.cards[1]
    r2 = a.respond(sid, "like #2 but older")
    assert r2.intent == "critique"
    assert r2.cards and all(item(a, i).year < second.year for i in ids(r2))
    assert a.profile(sid)["request"]["references"] == [second.item_id]
    assert not set(ids(r1)) & set(ids(r2))


def test_a_follow_up_that_states_an_open_constraint_narrows_the_request(a):
    """Lengths, ages, quality and moods said after the first list keep the request and add to it; before, the act
    classifier took "under 90 minutes" for relaxing (nothing dropped, nothing applied) and "something shorter" for
    paging."""
    from catalog.facets import runtime

    sid = "open-follow-ups"
    r1 = a.respond(sid, "scary movies")
    mid = sorted(runtime(item(a, i)) for i in ids(r1))[2]
    r2 = a.respond(sid, "hmm anything shorter?")
    assert r2.intent == "critique" and r2.cards, r2.text
    assert all("Horror" in c.genres and runtime(item(a, c.item_id)) < mid for c in r2.cards), r2.text
    assert "shorter" not in r2.text  # the comparison is applied, not searched as a plot word
    r3 = a.respond(sid, "nothing longer than an hour and a half")
    assert r3.intent == "refine" and r3.cards and all(
        "Horror" in c.genres and runtime(item(a, c.item_id)) <= 90 for c in r3.cards), r3.text
    oldest = min(item(a, i).year for i in ids(r3))
    r4 = a.respond(sid, "older ones?")
    assert r4.cards and all(item(a, c.item_id).year < oldest and runtime(item(a, c.item_id)) <= 90
                            and "Horror" in c.genres for c in r4.cards), r4.text


def test_a_later_mood_replaces_the_one_it_works_against(a):
    sid = "mood-swap"
    a.respond(sid, "a dark gritty thriller")
    r = a.respond(sid, "eh too grim, lighter please")
    req = a.profile(sid)["request"]
    assert req["moods"] == ["light"], req  # "too grim" refuses the dark mood
    assert req["genres"] == ["Thriller"], req  # "lighter" is more of something within the same request
    assert r.cards and all("Comedy" in c.genres and "Thriller" in c.genres for c in r.cards), r.text
    a.respond(sid, "feel good movies")
    a.respond(sid, "no wait, something scary instead")
    req = a.profile(sid)["request"]
    assert "feel_good" not in req["moods"] and ("Horror" in req["genres"] or "scary" in req["moods"]), req


def test_ambiguous_title_gets_a_question_and_the_answer_switches_it(a):
    sid = "sabrina"
    r = a.respond(sid, "I loved sabrina, something similar please")
    assert "Did you mean Sabrina (1954)?" in r.text and r.cards  # the most rated one is used meanwhile
    assert a.profile(sid)["liked_titles"] == ["Sabrina (1995)"]
    r2 = a.respond(sid, "the 1954 one")
    assert a.profile(sid)["liked_titles"] == ["Sabrina (1954)"]
    assert r2.cards and not {c.item_id for c in r2.cards} & {c.item_id for c in r.cards}
    assert "Sabrina (1954)" not in [c.title for c in r2.cards]


def test_more_runs_out_plainly(a):
    sid = "exhaust"
    r = a.respond(sid, "films directed by Quentin Tarantino")
    got = set(ids(r))
    for _ in range(6):
        r = a.respond(sid, "more")
        if not r.cards:
            break
        assert not set(ids(r)) & got
        got |= set(ids(r))
    assert not r.cards and "That's all" in r.text
    assert all("Quentin Tarantino" in item(a, i).directors + item(a, i).writers + item(a, i).cast for i in got)


def test_more_past_the_last_match_leaves_out_the_mood_and_says_so(a):
    # "more" after the last feel-good 1980s drama: 1980s dramas without the mood, said, rather than a dead end
    sid = "widen"
    r = a.respond(sid, "feel-good dramas from the 1980s")
    got, widened = set(ids(r)), None
    for _ in range(8):
        r = a.respond(sid, "more")
        assert r.cards and not set(ids(r)) & got
        got |= set(ids(r))
        assert all("Drama" in item(a, i).genres and 1980 <= item(a, i).year <= 1989 for i in ids(r))
        if "leave feel-good out" in r.text:
            widened = r
            break
    assert widened is not None and a.profile(sid)["request"]["moods"] == []
    r = a.respond(sid, "more")  # the widened request pages on
    assert r.cards and not set(ids(r)) & got and "leave" not in r.text


def test_show_the_first_ones_again_on_request(a):
    sid = "again"
    r1 = a.respond(sid, "recommend a musical")
    a.respond(sid, "more")
    r3 = a.respond(sid, "show the first ones again")
    assert r3.intent == "show_again" and ids(r3) == ids(r1)


def test_a_page_is_not_a_franchise_run(a):
    from assistant.dialogue.paging import franchise_repeats

    sid = "franchise"
    r = a.respond(sid, "something like star trek: first contact")
    assert r.cards and franchise_repeats(ids(r), lambda i: a.catalog[i].title) == 0


def test_session_continues_across_cli_invocations(paths, tmp_path):
    """`recassist ask --session S` twice: the second process answers "why 2" about the first one's cards."""
    env = {"RECASSIST_HOME": str(paths.home), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    db = str(tmp_path / "fb.sqlite")
    run = lambda text: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main(sys.argv[1:]))",
         "ask", text, "--session", "cli-s", "--backend", "none", "--json", "--feedback-db", db],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    import json

    first = run("recommend a western")
    assert first.returncode == 0, first.stderr
    cards = json.loads(first.stdout)["cards"]
    second = run("why 2")
    assert second.returncode == 0, second.stderr
    out = json.loads(second.stdout)
    assert out["intent"] == "explain" and out["cards"][0]["item_id"] == cards[1]["item_id"]
    assert out["state"]["request"]["genres"] == ["Western"] and out["state"]["shown"] == len(cards)
