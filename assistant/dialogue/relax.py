"""Relaxing a request that nothing in the catalog matches: which parts could be left out, and the offer to do so.

When the filters of a request leave no item, a dead end ("no catalog item matches these filters") leaves the user
to guess which part was too much. Instead, each positive part of the request (a genre, a person, the years, a
country, a language, the audience, the MPAA rating, the length, the Oscar count) is left out in turn and the items
that would then match are counted; the parts whose removal gives results are offered, with their counts and the
first two titles each brings, and the user's "yes" or "2" applies one (McSherry, "Incremental relaxation of
unsuccessful queries", ECCBR 2004: explain the failure, offer the minimal relaxations). When no single part is
enough, pairs are tried.

What the user refused ("no horror", "nothing with Tom Cruise", "except Fargo") is never offered: it stays
refused. Moods and quality words are not offered either: the search already leaves them out, and says so, when
nothing suits them (tools.search_items.apply_facets).

What it does not do: search (the agent passes `search`, which runs the search tool and returns the count and the
first ids) or change the state (the agent applies the chosen offer with `without`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Callable

from tools.state import Request

MAX_OFFERS = 3
COUNT_CAP = 2000  # counts are searched up to this many items; more is said as "over 2000"
EXAMPLES = 2  # titles named with each offer, so the user sees what "yes" brings


@dataclass(frozen=True)
class Offer:
    keys: tuple[str, ...]  # the parts left out: "genre:Western", "person:Eddie Murphy", "decades", "runtime", ...
    label: str  # how the reply names them: "“Western” and “under 80 minutes”"
    n: int  # items that match the request without them (at most COUNT_CAP)
    examples: tuple[str, ...] = ()  # the first of those items, as the search ordered them (display titles)


def parts(r: Request) -> list[str]:
    """The positive parts of a request that could be left out, in the order a reply describes them."""
    keys = [f"genre:{g}" for g in r.genres]
    if r.decades:
        keys.append("decades")
    if r.year_min is not None or r.year_max is not None:
        keys.append("years")
    keys += [f"person:{p}" for p in r.people]
    keys += [k for k, on in (("countries", r.countries), ("languages", r.languages), ("audience", r.audience),
                             ("rated", r.rated), ("runtime", r.runtime_min is not None or r.runtime_max is not None),
                             ("oscars", r.oscars_min is not None)) if on]
    return keys


def without(r: Request, keys: tuple[str, ...] | list[str]) -> Request:
    """A copy of the request with those parts left out (everything else, refusals included, as it was)."""
    out = r.copy()
    for key in keys:
        kind, _, value = key.partition(":")
        if kind == "genre":
            out.genres = [g for g in out.genres if g != value]
            out.core_genres = [g for g in out.core_genres if g != value]
            out.kept_genres = [g for g in out.kept_genres if g != value]
        elif kind == "person":
            out.people = [p for p in out.people if p != value]
        elif kind == "decades":
            out.decades = []
        elif kind == "years":
            out.year_min = out.year_max = None
        elif kind in ("countries", "languages", "rated"):
            setattr(out, kind, [])
        elif kind == "audience":
            out.audience = ""
        elif kind == "runtime":
            out.runtime_min = out.runtime_max = None
        elif kind == "oscars":
            out.oscars_min = None
            out.qualities = [q for q in out.qualities if q not in ("oscar", "many_oscars")]
        else:
            raise ValueError(f"unknown request part {key!r}")
    for slot in ("genres", "people"):  # an ANY-of with one value left is that value
        if slot in out.any_of and len(getattr(out, slot)) < 2:
            out.any_of = [x for x in out.any_of if x != slot]
    return out


def part_label(r: Request, key: str, catalog) -> str:
    """How a reply names one part, from the state: "Western", "Eddie Murphy", "1980s", "under 80 minutes"."""
    from assistant.dialogue.nlg import describe

    kind, _, value = key.partition(":")
    if kind == "audience":
        return {"kids": "for kids", "clean": "rated G or PG, or a children's/family film",
                "no_adult": "rated G, PG or PG-13"}.get(r.audience, r.audience)
    if kind in ("genre", "person"):
        return value
    only = Request()
    if kind == "decades":
        only.decades = list(r.decades)
    elif kind == "years":
        only.year_min, only.year_max = r.year_min, r.year_max
    elif kind in ("countries", "languages", "rated"):
        setattr(only, kind, list(getattr(r, kind)))
    elif kind == "runtime":
        only.runtime_min, only.runtime_max = r.runtime_min, r.runtime_max
    elif kind == "oscars":
        only.oscars_min, only.qualities = r.oscars_min, [q for q in r.qualities if q in ("oscar", "many_oscars")]
    pre, post = describe(only, catalog)
    return " ".join(pre + post)


def offers(r: Request, search: Callable[[Request], tuple[int, list[str]]], catalog, max_offers: int = MAX_OFFERS,
           keys: list[str] | None = None) -> list[Offer]:
    """The smallest relaxations that give results: single parts first; pairs only when no single part is enough.
    Most results first (the part that empties the answer most is the likeliest misfit). `search(request)` gives how
    many items match and the first few of them (ids); `keys`: only these parts may be left out (default: all)."""
    keys = parts(r) if keys is None else keys
    for size in (1, 2):
        found = []
        for combo in itertools.combinations(keys, size):
            n, first = search(without(r, combo))
            if n:
                label = " and ".join(f"\u201c{part_label(r, k, catalog)}\u201d" for k in combo)
                found.append(Offer(combo, label, n, tuple(catalog[i].display_title for i in first[:EXAMPLES])))
        if found:
            return sorted(found, key=lambda o: -o.n)[:max_offers]
    return []


_YES = (r"(?:yes|yeah|yep|yup|ya|sure|ok|okay|k|fine|alright|all right|please|go on|go ahead|do it|do that|"
        r"sounds good|show me|show them|let'?s see|let me see|why not|that works|that'?s fine)")
_NTH = {"1": 0, "one": 0, "first": 0, "1st": 0, "2": 1, "two": 1, "second": 1, "2nd": 1, "3": 2, "three": 2,
        "third": 2, "3rd": 2}


def read_answer(text: str, n_offers: int) -> int | None:
    """Which offer a reply to the offer takes: "yes" / "ok show me" -> 0, "2" / "the second one" -> 1; None when
    the message is not such an answer (it is then read as a new message)."""
    low = re.sub(r"[.!,]+", " ", text.lower()).strip()
    low = re.sub(r"\s+(?:please|pls|thanks|thank you|then)$", "", low).strip()
    if re.fullmatch(_YES + r"(?:\s+" + _YES + r")*(?:\s+(?:the\s+)?first(?:\s+one)?)?", low):
        return 0
    m = re.fullmatch(r"(?:" + _YES + r"\s+)?(?:the\s+)?(?:option\s+|number\s+|#\s*)?(1|2|3|one|two|three|first|second|"
                     r"third|1st|2nd|3rd)(?:\s+one)?(?:\s+" + _YES + r")?", low)
    if m and _NTH[m.group(1)] < n_offers:
        return _NTH[m.group(1)]
    return None


_NO = re.compile(r"(?:no|nope|nah|no thanks?|no thank you|not really|neither|none of (?:those|them)|don'?t|leave it|"
                 r"keep it(?: as it is)?)(?:\s*,?\s*(?:thanks|thank you|please|pls))?[.!]*")


def declined(text: str) -> bool:
    """The offer turned down, and nothing else said ("no thanks", "nah", "neither")."""
    return bool(_NO.fullmatch(text.lower().strip()))


def offer_text(what: str, found: list[Offer]) -> str:
    """The reply: what matched nothing, then the ways out with their counts, and how to take one."""
    def many(n: int) -> str:
        return f"over {COUNT_CAP} titles" if n >= COUNT_CAP else f"{n} title{'s' if n != 1 else ''}"

    head = f"Nothing in the catalog matches all of that ({what})." if what else "Nothing in the catalog matches all of that."
    if not found:
        return head + " What you ruled out stays ruled out; try fewer or broader wishes."

    def eg(o: Offer) -> str:  # " \u2014 Alien (1979); Blade Runner (1982); ..." (titles hold commas: "Lion King, The")
        return f" \u2014 {'; '.join(o.examples)}{'; ...' if o.n > len(o.examples) else ''}" if o.examples else ""

    if len(found) == 1:
        o = found[0]
        verb = "matches" if o.n == 1 else "match"
        return (f"{head} Without {o.label}, {many(o.n)} {verb}{eg(o)}. Say \u201cyes\u201d to see "
                f"{'it' if o.n == 1 else 'them'}, or change the request.")
    lines = [f"{n}) without {o.label}: {many(o.n)}{eg(o)}" for n, o in enumerate(found, 1)]
    size = "one part" if all(len(o.keys) == 1 for o in found) else "two parts"
    return (f"{head} Leaving out {size} would give:\n" + "\n".join(lines)
            + f"\nSay a number (\u201cyes\u201d takes 1), or change the request.")
