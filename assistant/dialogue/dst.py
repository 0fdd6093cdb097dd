"""Dialogue state tracking: one turn's Understanding -> a list of state updates (Ops), applied to the state.

Update rules (constraints persist until the user changes them):
  recommend   a new request: the request is reset to what the message states (the profile stays)
  refine      adds: genres (an item must have all), people, negatives; a new decade or year range
              replaces the old time constraint; a new country / language replaces the old one
  replace     every slot the message names is replaced ("horror instead": genres = [Horror])
  relax       the named slots are cleared ("any decade": decades and years); a named value is
              removed ("doesn't have to be a comedy": Comedy out of genres)
  critique    the card becomes the reference; "older" / "newer" bound the years by its year, "shorter" /
              "longer" the runtime by its length (without a card: by the median of the cards on screen)
  start_over  the request and its results are cleared; the profile and the shown items stay
In every act, negatives ("no horror", "not by X", "except Fargo") are added, and titles the user
liked, disliked or saw become feedback Ops (the agent persists those through the update_profile tool).

What it does not do: decide what to show (policy.py) or call tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.dialogue.acts import Understanding
from catalog.facets import MOODS, runtime
from tools.state import Request, SessionState

TIME_SLOTS = ("decades", "year_min", "year_max")


@dataclass
class Op:
    op: str  # "reset" | "set" | "add" | "remove" | "clear" | "feedback"
    slot: str = ""  # a Request field, or the feedback kind for op "feedback"
    value: Any = None

    def __repr__(self) -> str:
        return f"{self.op}({self.slot}{'' if self.value is None else ', ' + repr(self.value)})"


def card_ids(state: SessionState, cards: list[int]) -> list[str]:
    return [state.cards[n - 1] for n in cards if 1 <= n <= len(state.cards)]


def plan_update(state: SessionState, u: Understanding, catalog) -> list[Op]:
    e, act = u.entities, u.act
    ops: list[Op] = []
    # -- feedback on titles and cards (every act) --
    for slot, kind in (("liked", "like"), ("disliked", "dislike"), ("seen", "seen")):
        for iid in getattr(e, slot):
            ops.append(Op("feedback", kind, iid))
    if e.cards and e.card_role and act == "feedback":
        kind = {"liked": "like", "disliked": "dislike", "seen": "seen"}.get(e.card_role, "not_interested")
        ops += [Op("feedback", kind, iid) for iid in card_ids(state, e.cards)]
    if act == "start_over":
        return ops + [Op("reset")]
    if act not in ("recommend", "refine", "replace", "relax", "critique", "more", "reject", "feedback"):
        return ops
    if act == "recommend":
        ops.append(Op("reset"))
    add_genres = act == "refine" or (act == "critique" and state.request.genres)
    if act == "relax":
        named = [g for g in e.genres + e.not_genres if g in state.request.genres]
        ops += [Op("remove", "genres", g) for g in named]
        ops += [Op("remove", "people", p) for p in e.people + e.not_people if p in state.request.people]
        for slot in e.relax:
            if slot == "all":
                ops.append(Op("reset_filters"))
            elif slot == "years":
                ops += [Op("clear", "year_min"), Op("clear", "year_max")]
            elif not (slot == "genres" and named) and not (slot == "people" and set(e.people) & set(state.request.people)):
                ops.append(Op("clear", slot))
        if not e.relax and not named:  # "forget the actor" without a slot word the rules know
            ops += [Op("remove", "genres", g) for g in e.genres if g in state.request.genres]
        return ops + _negatives(e)
    # -- positive constraints --
    if e.genres:
        ops += [Op("add", "genres", g) for g in e.genres] if add_genres else [Op("set", "genres", list(e.genres))]
    if e.people:
        ops += [Op("add", "people", p) for p in e.people] if act in ("refine", "critique") else [Op("set", "people", list(e.people))]
    has_years = e.year_min is not None or e.year_max is not None
    if e.decades:  # a new time constraint replaces the old one (both kinds in one message: both apply)
        ops += [Op("set", "decades", list(e.decades))] + ([] if has_years else [Op("clear", "year_min"), Op("clear", "year_max")])
    if has_years:
        ops += ([] if e.decades else [Op("clear", "decades")]) + [Op("set", "year_min", e.year_min),
                                                                 Op("set", "year_max", e.year_max)]
    for slot in ("countries", "languages"):
        if getattr(e, slot):
            ops.append(Op("set", slot, list(getattr(e, slot))))
    if e.reference:
        ops.append(Op("set", "references", list(e.reference)))
    if act in ("refine", "replace", "critique"):  # a genre and a mood that works against it: the later one wins
        ops += [Op("remove", "moods", m) for m in state.request.moods
                if m not in e.moods and set(MOODS[m].avoid) & set(e.genres)]  # feel-good, then "make it scary instead"
        clash = [g for g in state.request.genres if g not in e.genres and any(g in MOODS[m].avoid for m in e.moods)]
        if e.shift:  # action, then "something more emotional": more of the mood within the action films
            ops += [Op("add", "kept_genres", g) for g in clash]
        else:  # horror, then "something feel-good"
            ops += [Op("remove", "genres", g) for g in clash]
        ops += [Op("remove", "moods", m) for m in state.request.moods if m not in e.moods and any(
            set(MOODS[m].genres) <= set(MOODS[n].avoid) or set(MOODS[n].genres) <= set(MOODS[m].avoid) for n in e.moods)]
    for slot in ("moods", "qualities"):  # the open part: added by a refinement, else replaced
        if getattr(e, slot):
            vals = list(getattr(e, slot))
            ops += [Op("add", slot, v) for v in vals] if act in ("refine", "critique") else [Op("set", slot, vals)]
    if e.audience:
        ops.append(Op("set", "audience", e.audience))
    if e.rated:
        ops.append(Op("set", "rated", list(e.rated)))
    if e.runtime_min is not None or e.runtime_max is not None:
        ops += [Op("set", "runtime_min", e.runtime_min), Op("set", "runtime_max", e.runtime_max)]
    if e.oscars_min is not None:
        ops.append(Op("set", "oscars_min", e.oscars_min))
    if e.unmatched:
        ops.append(Op("set", "unmatched", list(e.unmatched)))
    if e.leanings:  # the latest wording's leaning replaces an earlier one
        ops.append(Op("set", "leanings", list(e.leanings)))
    elif e.moods:  # a mood read now, with no leaning: an earlier wording's leaning no longer says what is asked
        ops.append(Op("clear", "leanings"))
    if e.leaned_qualities:  # the same for the quality leaning; a quality word read now replaces it too
        ops.append(Op("set", "leaned_qualities", list(e.leaned_qualities)))
    elif e.moods or e.qualities or e.oscars_min is not None:
        ops.append(Op("clear", "leaned_qualities"))
    if e.genres or e.people:  # ALL unless the message joined them with "or"
        ops.append(Op("set", "any_of", list(e.any_of)))
        ops.append(Op("set", "core_genres", list(e.core_genres)))
        ops.append(Op("set", "listed", list(e.listed)))
    if act == "critique":
        ref = card_ids(state, e.cards)[:1] or list(e.reference[:1])
        if ref:
            ops.append(Op("set", "references", ref))
        year = catalog[ref[0]].year if ref and ref[0] in catalog else None
        if e.direction and year is None:  # "something older" without a card: relative to the cards on screen
            years = [catalog[i].year for i in state.cards if i in catalog and catalog[i].year]
            year = (min(years) if e.direction == "older" else max(years)) if years else None
        if year and e.direction == "older":
            ops += [Op("clear", "decades"), Op("set", "year_max", year - 1), Op("clear", "year_min")]
        elif year and e.direction == "newer":
            ops += [Op("clear", "decades"), Op("set", "year_min", year + 1), Op("clear", "year_max")]
        if e.direction in ("shorter", "longer") and e.runtime_min is None and e.runtime_max is None:
            ops += _length_ops(e.direction, [runtime(catalog[i]) for i in (ref or state.cards) if i in catalog])
    query = u.query or e.query
    if query and act in ("recommend", "refine", "replace", "critique"):
        ops.append(Op("set", "query", query))
    return ops + _negatives(e)


def _length_ops(direction: str, minutes: list[float | None]) -> list[Op]:
    """"shorter" / "longer" than the card(s) it points at: under / over their median length (minutes known). The
    median, not the shortest or longest: "longer" than the longest of five comedies leaves almost nothing."""
    known = sorted(m for m in minutes if m)
    if not known:
        return []
    mid = int(known[len(known) // 2]) if len(known) % 2 else int((known[len(known) // 2 - 1] + known[len(known) // 2]) / 2)
    if direction == "shorter":
        return [Op("set", "runtime_max", mid), Op("clear", "runtime_min")]  # runtime_max is exclusive
    return [Op("set", "runtime_min", mid + 1), Op("clear", "runtime_max")]


def _negatives(e) -> list[Op]:
    ops = [Op("add", "not_genres", g) for g in e.not_genres]
    ops += [Op("add", "not_people", p) for p in e.not_people]
    ops += [Op("add", "not_decades", d) for d in e.not_decades]
    ops += [Op("add", "not_countries", c) for c in e.not_countries]
    ops += [Op("add", "not_languages", lang) for lang in e.not_languages]
    ops += [Op("add", "excluded", i) for i in e.excluded]
    return ops


def apply(state: SessionState, ops: list[Op]) -> bool:
    """Apply every non-feedback Op to the state's request. True if the request changed."""
    with state.lock:
        before = state.request.copy()
        r = state.request
        for op in ops:
            if op.op == "reset":
                state.reset_request()
                r = state.request
            elif op.op == "reset_filters":
                for slot in Request.HARD:
                    v = getattr(r, slot)
                    setattr(r, slot, [] if isinstance(v, list) else ("" if isinstance(v, str) else None))
            elif op.op == "set":
                setattr(r, op.slot, list(op.value) if isinstance(op.value, list) else op.value)
            elif op.op == "clear":
                setattr(r, op.slot, [] if isinstance(getattr(r, op.slot), list)
                        else ("" if isinstance(getattr(r, op.slot), str) else None))
            elif op.op == "add" and op.value not in getattr(r, op.slot):
                getattr(r, op.slot).append(op.value)
            elif op.op == "remove" and op.value in getattr(r, op.slot):
                getattr(r, op.slot).remove(op.value)
        # a value cannot be wanted and unwanted at once: the later statement wins
        for pos, neg in (("genres", "not_genres"), ("people", "not_people"), ("decades", "not_decades"),
                         ("countries", "not_countries"), ("languages", "not_languages")):
            latest = [op for op in ops if op.slot in (pos, neg) and op.op in ("add", "set")]
            if latest and latest[-1].slot == neg:
                setattr(r, pos, [v for v in getattr(r, pos) if v not in getattr(r, neg)])
            else:
                setattr(r, neg, [v for v in getattr(r, neg) if v not in getattr(r, pos)])
        r.references = [i for i in r.references if i not in r.excluded]
        r.core_genres = [g for g in r.core_genres if g in r.genres] if "genres" in r.any_of else []
        r.kept_genres = [g for g in r.kept_genres if g in r.genres] if r.moods else []
        return r != before
