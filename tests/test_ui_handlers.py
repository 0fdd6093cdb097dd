"""UI handlers and rendering against FakeAssistant (tests/fakes.py): no browser, no LLM.

Covers: HTML escaping of hostile catalog titles and model text, per-session
isolation, onboarding (answer and skip), feedback routing (item id + kind),
the backend label, the KG-path SVG, and that build_app wires a Blocks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from assistant.api import Explanation, PathHop
from assistant.ui import handlers, render
from assistant.ui.handlers import UISession
from catalog.types import Catalog, Dataset, Item
from kg.graph import KnowledgeGraph
from kg.paths import find_paths
from tests.conftest import TINY_ITEMS, tiny_interactions
from tests.fakes import ONBOARDING_QUESTION, FakeAssistant, fake_for

HOSTILE_TITLE = '<img src=x onerror="alert(1)">Evil & Co'
HOSTILE_TEXT = "<script>alert('model')</script> "


@pytest.fixture()
def fake(tiny_dataset) -> FakeAssistant:
    return fake_for(tiny_dataset)


@pytest.fixture()
def hostile() -> FakeAssistant:
    items = list(TINY_ITEMS) + [Item("evil", HOSTILE_TITLE, 1999, genres=("Sci-Fi",), directors=("Ridley Scott",),
                                     cast=("<b>Bold</b> Actor",))]
    cat = Catalog(items)
    return fake_for(Dataset("hostile", cat, tiny_interactions(cat), {}), reply_prefix=HOSTILE_TEXT, k=8)


def run(gen):
    """Drain a streaming handler; return every yielded assistant text (copies) and the final session."""
    seen, ui = [], None
    for ui in gen:
        seen.append(ui.history[-1]["content"] if ui.history else "")
    return seen, ui


def onboard(fake, ui: UISession, liked: list[str]) -> UISession:
    handlers.start(fake, ui)
    return run(handlers.answer_onboarding(fake, ui, liked, ""))[1]


def all_markup(ui: UISession) -> str:
    """Every HTML string the page would receive for this session."""
    parts = [m["content"] for m in ui.history] + [ui.explanation_html, ui.notice]
    parts += [render.card_html(c, i) for i, c in enumerate(ui.cards)]
    return "\n".join(parts)


# -- onboarding -------------------------------------------------------------
def test_start_opens_onboarding_with_options(fake):
    ui = handlers.start(fake, UISession(), "hash-1")
    assert ui.session_id == "hash-1"
    assert ui.question == ONBOARDING_QUESTION
    assert ui.options[:2] == ["Alien (1979)", "Blade Runner (1982)"]
    assert ui.history == [{"role": "assistant", "content": render.e(f"Welcome! Tell me a few films you like, or skip.\n\n{ONBOARDING_QUESTION}")}]
    assert fake.calls == [("start_onboarding", "hash-1")]
    # load firing twice must not restart onboarding
    handlers.start(fake, ui, "hash-1")
    assert len(fake.calls) == 1


def test_start_without_session_hash_gets_unique_ids(fake):
    a, b = handlers.start(fake, UISession()), handlers.start(fake, UISession())
    assert a.session_id and b.session_id and a.session_id != b.session_id


def test_onboarding_answer_joins_options_and_free_text_and_closes(fake):
    ui = handlers.start(fake, UISession(), "s")
    _, ui = run(handlers.answer_onboarding(fake, ui, ["Alien (1979)"], "  Toy Story "))
    assert fake.calls[-1] == ("respond", "s", "Alien (1979), Toy Story")
    assert fake.profile("s")["liked"] == ["alien", "toystory"]
    assert ui.question is None and ui.options == []
    assert ui.history[-2] == {"role": "user", "content": "Alien (1979), Toy Story"}


def test_onboarding_skip(fake):
    ui = handlers.start(fake, UISession(), "s")
    _, ui = run(handlers.skip_onboarding(fake, ui))
    assert fake.calls[-1] == ("respond", "s", "skip")
    assert ui.question is None
    assert fake.profile("s") == {"liked": [], "disliked": [], "seen": [], "not_interested": [], "onboarding": False}
    assert "skipped" in ui.history[-1]["content"]


# -- chat streaming -----------------------------------------------------------
def test_chat_streams_growing_prefixes_then_cards(fake):
    ui = onboard(fake, UISession(), ["Alien (1979)"])
    texts, ui = run(handlers.chat(fake, ui, "recommend me a film"))
    final = "Here are 3 films you might like."
    assert texts[0] == handlers.THINKING
    assert texts[1] == handlers.WRITING  # the cards were shown before the answer text
    streamed = texts[2:]
    assert len(streamed) >= 3 and streamed[-1] == final
    assert all(final.startswith(t) for t in streamed) and len(set(streamed)) > 1
    assert [c.item_id for c in ui.cards] == ["blade", "gladiator", "starwars"]  # share Ridley Scott / Sci-Fi with Alien


def test_chat_shows_ranked_cards_before_the_answer_text(fake):
    ui = onboard(fake, UISession(), ["Alien (1979)"])
    states = [(u.history[-1]["content"], [c.item_id for c in u.cards]) for u in handlers.chat(fake, ui, "recommend")]
    first = next(n for n, (_, ids) in enumerate(states) if ids)
    assert states[first] == (handlers.WRITING, ["blade", "gladiator", "starwars"])
    assert first < len(states) - 1 and states[-1][0].startswith("Here are 3 films")


def test_empty_message_is_ignored(fake):
    ui = handlers.start(fake, UISession(), "s")
    before = list(ui.history)
    _, ui = run(handlers.chat(fake, ui, "   "))
    assert ui.history == before
    assert fake.calls == [("start_onboarding", "s")]


def test_chitchat_reply_without_cards_keeps_shown_cards(fake):
    ui = onboard(fake, UISession(), ["Alien (1979)"])
    _, ui = run(handlers.chat(fake, ui, "recommend"))
    shown = list(ui.cards)
    ui2 = handlers.start(fake, UISession(), "other")  # a reply with no cards, for a different session
    assert ui2.cards == []
    assert ui.cards == shown


# -- session isolation ----------------------------------------------------------
def test_two_sessions_do_not_share_state(fake):
    a = onboard(fake, UISession(session_id="A"), ["Alien (1979)"])
    b = onboard(fake, UISession(session_id="B"), ["Toy Story"])
    _, a = run(handlers.chat(fake, a, "recommend"))
    _, b = run(handlers.chat(fake, b, "recommend"))
    assert fake.profile("A")["liked"] == ["alien"] and fake.profile("B")["liked"] == ["toystory"]
    assert a.cards[0].item_id == "blade"
    assert "blade" not in [c.item_id for c in b.cards[:1]]
    assert [m["content"] for m in a.history if m["role"] == "user"] == ["Alien (1979)", "recommend"]
    assert [m["content"] for m in b.history if m["role"] == "user"] == ["Toy Story", "recommend"]
    handlers.feedback(fake, a, 0, "like")
    assert fake.profile("A")["liked"] == ["alien", a.cards[0].item_id]
    assert fake.profile("B")["liked"] == ["toystory"]
    assert all(call[1] in ("A", "B") for call in fake.calls)
    assert b.notice == ""


def test_default_ui_state_is_not_shared():
    a, b = UISession(), UISession()
    a.history.append({"role": "user", "content": "x"})
    assert b.history == []


# -- feedback and why -------------------------------------------------------------
@pytest.mark.parametrize("kind", ["like", "dislike", "seen", "not_interested"])
def test_feedback_routes_item_id_and_kind(fake, kind):
    ui = onboard(fake, UISession(session_id="s"), ["Alien (1979)"])
    _, ui = run(handlers.chat(fake, ui, "recommend"))
    target = ui.cards[1]
    handlers.feedback(fake, ui, 1, kind)
    assert fake.calls[-1] == ("feedback", "s", target.item_id, kind)
    assert render.e(target.title) in ui.notice
    assert ui.history[-1]["content"].startswith(f"Got it ({kind})")


def test_feedback_rejects_unknown_kind_and_ignores_empty_slot(fake):
    ui = onboard(fake, UISession(session_id="s"), ["Alien (1979)"])
    _, ui = run(handlers.chat(fake, ui, "recommend"))
    with pytest.raises(ValueError):
        handlers.feedback(fake, ui, 0, "love")
    n = len(fake.calls)
    handlers.feedback(fake, ui, 7, "like")  # no card in slot 7
    handlers.why(fake, ui, 7)
    assert len(fake.calls) == n


def test_why_fills_explanation_with_real_kg_path(fake, tiny_dataset):
    ui = onboard(fake, UISession(session_id="s"), ["Alien (1979)"])
    _, ui = run(handlers.chat(fake, ui, "recommend"))
    handlers.why(fake, ui, 0)
    assert fake.calls[-1] == ("why", "s", "blade")
    html = ui.explanation_html
    assert "Why Blade Runner (1982)?" in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="kg-path"') == 3
    assert "Alien (1979) —directed by— Ridley Scott —directed by— Blade Runner (1982)" in html
    assert "_by" not in html.split("<svg")[0]  # relation names read as words in the text

def test_why_panel_clears_when_new_cards_replace_the_explained_one(fake, tiny_dataset):
    ui = onboard(fake, UISession(session_id="c"), ["Alien (1979)"])
    _, ui = run(handlers.chat(fake, ui, "recommend"))
    handlers.why(fake, ui, 0)
    explained = ui.cards[0].item_id
    assert f'data-item-id="{explained}"' in ui.explanation_html
    ui.cards = [c for c in ui.cards if c.item_id != explained]  # the next reply's cards: the explained one gone
    handlers._new_cards(ui, ui.cards)
    assert ui.explanation_html == handlers.EXPLANATION_EMPTY
    handlers.why(fake, ui, 0)
    kept = ui.explanation_html
    handlers._new_cards(ui, list(ui.cards))  # still on screen: the panel stays
    assert ui.explanation_html == kept


# -- escaping -------------------------------------------------------------------
def test_hostile_titles_people_and_model_text_are_escaped(hostile):
    ui = onboard(hostile, UISession(session_id="h"), ["Alien (1979)"])
    _, ui = run(handlers.chat(hostile, ui, "recommend <i>me</i>"))
    evil = [i for i, c in enumerate(ui.cards) if c.item_id == "evil"]
    assert evil, "the hostile item should be recommended (shares Ridley Scott with Alien)"
    handlers.why(hostile, ui, evil[0])
    handlers.feedback(hostile, ui, evil[0], "like")
    markup = all_markup(ui)
    for raw in ("<img", "<script", "<b>", "<i>"):
        assert raw not in markup
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Evil &amp; Co" in markup
    assert "&lt;script&gt;alert(&#x27;model&#x27;)&lt;/script&gt;" in markup
    assert "&lt;b&gt;Bold&lt;/b&gt; Actor" in markup


def test_svg_labels_escaped_and_parseable():
    hops = [PathHop("A <x> & \"q\"", "directed_by", "P'erson"), PathHop("P'erson", "cast_member", "</svg><script>")]
    svg = render.path_svg(hops)
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # well-formed XML despite the hostile labels
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(texts) == sorted(["A <x> & \"q\"", "P'erson", "</svg><script>", "directed by", "cast member"])


# -- rendering ------------------------------------------------------------------
def test_svg_contains_exactly_the_path_labels(tiny_dataset):
    kg = KnowledgeGraph.build(tiny_dataset)
    path = find_paths(kg, ["starwars"], "empire", max_hops=4, limit=5)
    assert path
    for p in path:
        hops = [PathHop(kg.label(a), rel, kg.label(b)) for rel, a, b in zip(p.relations, p.nodes, p.nodes[1:])]
        root = ET.fromstring(render.path_svg(hops))
        ns = "{http://www.w3.org/2000/svg}"
        nodes = [t.text for t in root.iter(f"{ns}text") if t.get("class") == "node"]
        rels = [t.text for t in root.iter(f"{ns}text") if t.get("class") == "rel"]
        assert nodes == [kg.label(n) for n in p.nodes]
        assert rels == [r.replace("_", " ") for r in p.relations]
        assert len(list(root.iter(f"{ns}rect"))) == len(p.nodes)
        assert len(list(root.iter(f"{ns}line"))) == p.hops
        assert len(list(root.iter(f"{ns}text"))) == len(p.nodes) + p.hops


def test_empty_path_and_explanation_without_paths():
    assert render.path_svg([]) == ""
    html = render.explanation_html(Explanation(item_id="x", title="X (2000)", text="popular", contributions={"cf": -0.2},
                                               families={"people with similar taste": 0.5, "popular overall": -0.2},
                                               liked_shares={"Alien (1979)": 0.4}))
    assert "<svg" not in html and "Connection cited" not in html
    assert "people with similar taste" in html and "Alien (1979)" in html  # bars with human labels
    assert "cf" not in html and "0.5" not in html and "-0.2" not in html  # no raw signal names or numbers
    assert html.count("#ef4444") == 1  # the one negative family is drawn as lowering the score


def test_card_html_shows_title_year_people_why():
    from assistant.api import Card

    html = render.card_html(Card("blade", "Blade Runner (1982)", 1982, 0.9, people=["Ridley Scott", "Harrison Ford"],
                                 genres=["Sci-Fi"], why="shares Ridley Scott"), 0)
    for s in ("1. Blade Runner (1982)", "1982 · Sci-Fi", "With Ridley Scott, Harrison Ford", "shares Ridley Scott", 'data-item-id="blade"'):
        assert s in html


@pytest.mark.parametrize("name,last,expected", [
    ("llama.cpp · qwen2.5-coder-0.5b", "", "LLM: llama.cpp · qwen2.5-coder-0.5b"),
    ("template", "", "LLM: template (LLM unavailable)"),
    ("", "", "LLM: template (LLM unavailable)"),
    ("llama.cpp · qwen", "template", "LLM: llama.cpp · qwen · last answer by: template"),
    ("llama.cpp · qwen", "llama.cpp · qwen", "LLM: llama.cpp · qwen"),
])
def test_backend_label(name, last, expected):
    assert render.backend_label(name, last) == expected


def test_backend_label_follows_assistant_and_reply(fake):
    ui = handlers.start(fake, UISession(), "s")
    assert ui.backend == "LLM: fake (test double)"
    _, ui = run(handlers.skip_onboarding(fake, ui))  # the fake phrases onboarding replies with a template
    assert ui.backend == "LLM: fake (test double) · last answer by: template"
    _, ui = run(handlers.chat(fake, ui, "recommend"))
    assert ui.backend == "LLM: fake (test double)"
    handlers.feedback(fake, ui, 0, "seen")  # feedback acknowledgements do not change the indicator
    assert ui.backend == "LLM: fake (test double)"


def test_build_app_wires_blocks(fake):
    import gradio as gr

    from assistant.ui.app import MAX_CARDS, build_app

    demo = build_app(fake, title="<b>T</b>")
    assert isinstance(demo, gr.Blocks)
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    for i in range(MAX_CARDS):
        assert {f"why-{i}", f"like-{i}", f"dislike-{i}", f"seen-{i}", f"not_interested-{i}", f"card-{i}"} <= ids
    assert {"chat", "msg", "send", "onboarding", "onb-options", "onb-skip", "explanation", "backend"} <= ids
    assert demo.title == "<b>T</b>"


def test_svg_layout_fits_width():
    import re

    short = [PathHop("Alien", "directed_by", "R. Scott"), PathHop("R. Scott", "directed_by", "Gladiator")]
    long = [PathHop("Alien (1979)", "has_genre", "Sci-Fi"), PathHop("Sci-Fi", "has_genre", "Blade Runner (1982)"),
            PathHop("Blade Runner (1982)", "directed_by", "Ridley Scott"), PathHop("Ridley Scott", "directed_by", "Gladiator (2000)")]
    for hops in (short, long):
        svg = render.path_svg(hops, max_width=420)
        width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', svg).groups())
        assert width <= 420
        if hops is long:
            assert height > width / 2  # stacked top to bottom


def test_expected_errors_are_shown_and_session_goes_on(fake):
    from catalog.types import RecassistError

    ui = onboard(fake, UISession(session_id="s"), ["Alien (1979)"])
    _, ui = run(handlers.chat(fake, ui, "recommend"))
    cards = list(ui.cards)

    def boom(*a, **k):
        raise RecassistError("the <index> is missing: run `recassist build`")

    for name in ("respond", "why", "feedback"):
        setattr(fake, name, boom)
    _, ui = run(handlers.chat(fake, ui, "more please"))
    assert ui.history[-2:] == [{"role": "user", "content": "more please"},
                               {"role": "assistant", "content": "Sorry: the &lt;index&gt; is missing: run `recassist build`"}]
    handlers.why(fake, ui, 0)
    assert "Sorry: the &lt;index&gt; is missing" in ui.explanation_html
    handlers.feedback(fake, ui, 0, "like")
    assert ui.notice.startswith("Sorry: the &lt;index&gt;")
    assert ui.cards == cards  # nothing lost


def test_bugs_are_not_swallowed(fake):
    ui = handlers.start(fake, UISession(), "s")
    fake.respond = lambda *a, **kw: 1 / 0  # raised in the turn's worker thread, re-raised in the handler
    with pytest.raises(ZeroDivisionError):
        run(handlers.chat(fake, ui, "hi"))


@pytest.mark.slow
def test_the_dialogue_state_line_follows_the_session(ml100k_assistant):
    """The state panel reads the real assistant's profile(): the request, what was shown, the likes."""
    a = ml100k_assistant
    ui = UISession(session_id="ui-state")
    run(handlers.chat(a, ui, "I loved Fargo. any comedies from the 90s?"))
    assert ui.state.startswith("Now: 1990s Comedy picks") and "5 shown" in ui.state and "Fargo (1996)" in ui.state
    run(handlers.chat(a, ui, "any decade is fine"))
    assert ui.state.startswith("Now: Comedy picks") and "10 shown" in ui.state
