"""Dialogue policy: what to do this turn, from the understood act and the updated state.

Actions:
  recommend      rank anew for the (changed) request and show its first unseen page
  next_page      the next page of the current results ("more", "none of those")
  show_again     an earlier page, on request ("show the first ones again")
  explain        why one item (a card number or a named title)
  ask            a question: which card, which year bound, how long a film may be (time was said, no length
                 could be read from it), which years (years were said in words no year could be read from, or the
                 learned model reads the wording as dating the films), what
                 to change when an offer to leave a part out was turned down; which of two same-named titles is
                 asked beside the results: the most rated one is used until the user answers
  acknowledge    feedback noted (then a fresh page if a request is active)
  reset          "start over"; forget: "forget me"; onboard: start the questions
  not_found      only titles the catalog lacks were named
  help           small talk or nothing to act on (also a first request that describes what it wants in
                 words none of which could be read: the help names them)

What it does not do: run tools or write text (assistant.agent, nlg.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.dialogue.acts import DESCRIBED_WORDS, Understanding
from assistant.dialogue.open_slots import content_words
from tools.state import SessionState


@dataclass
class Action:
    kind: str
    item_id: str | None = None  # explain: the item
    # ask: "which_title" | "which_card" | "no_card" | "contradiction" | "how_long" | "which_years" | "offer_declined"
    question: str = ""
    options: list[str] = field(default_factory=list)  # ask which_title: candidate item ids
    # ask which_title: the title as the user wrote it; how_long: the time said, as written; which_years: the words
    # that dated the films
    written: str = ""
    page: list[str] = field(default_factory=list)  # show_again: the page to show


def decide(state: SessionState, u: Understanding) -> Action:
    e, act = u.entities, u.act
    if act == "decline_offer":  # "no thanks" to leaving a part out (agent._answer_relax; never the NLU's act)
        return Action("ask", question="offer_declined")
    if act == "onboarding":
        return Action("onboard")
    if act == "forget_me":
        return Action("forget")
    if act == "start_over":
        return Action("reset")
    if act == "explain":
        if e.cards:
            n = e.cards[0]
            if 1 <= n <= len(state.cards):
                return Action("explain", item_id=state.cards[n - 1])
            return Action("ask", question="no_card", written=str(n))
        target = (e.explain or e.reference or e.liked or e.seen or e.disliked or [None])[0]
        if target is not None:
            return Action("explain", item_id=target)
        if e.unknown_titles:
            return Action("not_found")
        return Action("ask", question="which_card")
    if act == "show_again":
        if not state.pages:
            return Action("recommend")
        low = u.text.lower()
        earlier = re.search(r"\b(previous|last|earlier|other)\b", low) and len(state.pages) >= 2
        return Action("show_again", page=list(state.pages[-2] if earlier else state.pages[0]))
    r = state.request
    if r.year_min is not None and r.year_max is not None and r.year_min > r.year_max:
        return Action("ask", question="contradiction")
    if act == "feedback":
        bad = [n for n in e.cards if not 1 <= n <= len(state.cards)]
        if bad and not e.has_feedback():
            return Action("ask", question="no_card", written=str(bad[0]))
        if not (e.has_feedback() or (e.cards and e.card_role)):
            return Action("not_found") if e.unknown_titles else Action("ask", question="which_title_feedback")
        return Action("acknowledge")
    if act == "out_of_scope":
        return Action("not_found") if e.unknown_titles else Action("help")
    if e.unknown_titles and e.unknown_reference and not (e.has_content() or e.has_feedback()) \
            and act in ("recommend", "critique"):
        return Action("not_found")  # "something like <a film the catalog lacks>": nothing to be like
    if act in ("more", "reject"):
        return Action("next_page") if state.results else Action("recommend")
    if act == "critique" and e.cards and not any(1 <= n <= len(state.cards) for n in e.cards):
        return Action("ask", question="no_card", written=str(e.cards[0]))
    if act in ("recommend", "refine", "replace") and e.unread_length and r.runtime_min is None and r.runtime_max is None:
        # time said, no length read from it ("coach is 1h12, then 38 min on the bus"): a film that overruns is the
        # one thing such a viewer cannot use, so ask rather than guess (the rest of the request is kept)
        return Action("ask", question="how_long", written=e.unread_length)
    if act in ("recommend", "refine", "replace") and (e.unread_years or e.dated_guess) and r.year_min is None \
            and r.year_max is None and not (r.decades or r.not_decades):
        # years said in words no year was read from ("what came out the year my dad hit 30"), or a wording the learned
        # model reads as dating the films: a list from every year would ignore the one part such a request is about,
        # so ask which years (the rest of the request is kept); `written` is "" for the learned reading
        return Action("ask", question="which_years", written=e.unread_years)
    if act == "recommend" and not state.shown and nothing_read(e) and len(content_words(u.text)) >= DESCRIBED_WORDS:
        # a first request that describes what it wants in words none of which could be read ("sunday hangover, zero
        # brain cells left"): the help, naming those words, rather than the list for "recommend something"
        return Action("help")
    return Action("recommend")


def nothing_read(e) -> bool:
    """No constraint, title, topic, leaning, feedback or card number was read from the message."""
    return e.read_nothing() and not e.leanings and not e.leaned_qualities
