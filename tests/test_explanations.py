"""Explanations a person would accept, through the real assistant on ML-100K (real KG, scorer, index).

Plain words (no signal names, no numbers but the titles' years), the user's own constraint first,
the liked titles that drove the score named, and KG connections only through informative entities.
"""

from __future__ import annotations

import re

import pytest

from kg.paths import KGPath, verify_path

pytestmark = pytest.mark.slow

SIGNALS = re.compile(r"collaborative|kg_|text_attention|popularity [+-]|scorer|baseline|\+\d")


def _plain(text: str, titles=()) -> bool:
    """No signal names, and no digits once the catalog titles it names are taken out."""
    for t in sorted(titles, key=len, reverse=True):
        text = text.replace(t, "")
    return not SIGNALS.search(text) and not re.search(r"\d", re.sub(r"\(\d{4}\)", "", text))


def test_cards_name_the_liked_titles_behind_them_in_plain_words(ml100k_assistant, ml100k_kg):
    from tools.explain_item import GENERIC_SHARE

    a = ml100k_assistant
    for iid in ("183", "89", "96"):  # Alien, Blade Runner, Terminator 2
        a.feedback("plain", iid, "like")
    r = a.respond("plain", "recommend something")
    assert r.cards
    liked_titles = {a.catalog[i].display_title for i in ("183", "89", "96")}
    n = len(a.catalog)
    citing = 0
    for c in r.cards:
        ex = c.explanation
        titles = liked_titles | {c.title}
        assert _plain(c.why, titles) and _plain(ex.text, titles), ex.text
        assert set(ex.cited) <= {"183", "89", "96"}
        if ex.cited:
            citing += 1
            assert any(t in ex.text for t in liked_titles)
        assert ex.liked_shares and set(ex.liked_shares) <= liked_titles
        assert ex.families and not any("_" in k for k in ex.families)  # human labels, not signal names
        for hops in ex.paths:
            assert len(hops) <= 4
    assert citing >= len(r.cards) - 1  # with three liked titles, (almost) every card says which drove it
    s = a.sessions.get("plain")
    for c in r.cards:
        from tools.explain_item import explain

        for nodes, rels in explain(a._ctx(s), c.item_id).kg_paths:
            assert verify_path(ml100k_kg, KGPath(nodes, rels, 1.0))
            for ent in nodes[1:-1:2]:  # entities on the path: never a node linked to > 5% of the catalog
                assert ml100k_kg.degree(ent) <= GENERIC_SHARE * n, ent


def test_the_constraint_the_user_asked_for_comes_first(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("hitch", "movies directed by alfred hitchcock")
    assert r.cards
    for c in r.cards:
        assert c.why == "directed by Alfred Hitchcock, as you asked", c.why
    ex = a.respond("hitch", "why 1")
    assert "directed by Alfred Hitchcock, as you asked" in ex.text


def test_a_first_request_without_likes_is_explained_by_acclaim_or_popularity(ml100k_assistant):
    a = ml100k_assistant
    r = a.respond("fresh", "recommend something")
    assert r.cards
    for c in r.cards:
        assert c.explanation.cited == []
        assert _plain(c.why, {c.title})
        assert re.search(r"critics|viewers|most watched|ranks high", c.why), c.why


def test_same_director_path_is_phrased_as_a_reason(ml100k_assistant):
    a = ml100k_assistant
    a.feedback("scott", "183", "like")  # Alien
    ex = a.why("scott", "89")  # Blade Runner
    assert "Ridley Scott" in ex.text and "Alien (1979)" in ex.text
    assert "→" not in ex.text and _plain(ex.text, {"Blade Runner (1982)", "Alien (1979)"})
    hops = [(h.source, h.relation, h.target) for p in ex.paths for h in p]
    assert ("Alien (1979)", "directed_by", "Ridley Scott") in hops  # the picture shows the cited path
