"""A simulated user's answer to the assistant's questions in the open-request bench (bench_open_requests.py).

Where the assistant asks instead of showing cards ("which years should the films be from?", "how many minutes at
most?"), a real user answers in one short message. This module writes that answer from the request's own criterion
(tests/data/open_requests/*.jsonl), the way a user who knows what they meant would say it: "1986", "75 to 84",
"nothing after 1966", "90 minutes max". A question the criterion does not need (no year in it, for "which years?") is
answered "any year is fine": asked without need, and counted so by the bench.

The wordings are a small pool of everyday forms (full and two-digit years, ranges with "to", "-", "between ... and",
open bounds in both directions), one picked per request from a hash of its id, so a run is repeatable.

What it does not do: judge the cards after the answer (bench/open_criteria.py does), or look at how the assistant read
the request.
"""

from __future__ import annotations

import hashlib

ANSWERED = ("which_years", "how_long")  # the questions this user answers (agent pending kinds)

_ONE = ["{y}", "{yy}", "it was {y}", "{y} i think", "just {y}"]
_RANGE = ["{lo} to {hi}", "{lo}-{hi}", "between {lo} and {hi}", "{yylo} to {yyhi}", "from {lo} till {hi}"]
_FROM = ["{lo} or later", "from {lo} on", "{lo} onwards", "nothing before {lo}", "anything after {lo_1}"]
_UPTO = ["{hi} or earlier", "up to {hi}", "nothing after {hi}", "before {hi1}", "anything up to {hi}"]
_GAP = ["anything but {lo} to {hi}", "nothing from {lo} to {hi}", "not {lo}-{hi}"]
_ANY_YEAR = ["any year is fine", "doesn't matter", "any year", "dont mind"]
_MINUTES = ["{m}", "{m} minutes max", "no more than {m} min", "under {m1} minutes"]
_ANY_LENGTH = ["any length", "doesn't matter", "whatever"]


def _yy(y: int) -> str:
    """A year as people shorten it ("'94" -> "94"); in full where two digits would be read as another century."""
    return f"{y % 100:02d}" if 1930 <= y <= 1999 else str(y)


def _pick(pool: list[str], case_id: str) -> str:
    return pool[int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % len(pool)]


def year_bounds(pred) -> tuple[str, int | None, int | None] | None:
    """The years a predicate asks for: ("range", lo, hi) (either end may be None), ("gap", lo, hi) for "not lo..hi"
    (any_of: up to lo-1, or from hi+1), or None when it names no year."""
    if not isinstance(pred, dict):
        return None
    lo, hi, found = None, None, False
    if "year" in pred:
        lo = hi = pred["year"]
        found = True
    if "year_min" in pred:
        lo, found = pred["year_min"] if lo is None else max(lo, pred["year_min"]), True
    if "year_max" in pred:
        hi, found = pred["year_max"] if hi is None else min(hi, pred["year_max"]), True
    for sub in pred.get("all_of", []):
        b = year_bounds(sub)
        if b and b[0] == "gap":
            return b
        if b:
            found = True
            lo = b[1] if lo is None else (lo if b[1] is None else max(lo, b[1]))
            hi = b[2] if hi is None else (hi if b[2] is None else min(hi, b[2]))
    if "any_of" in pred:
        subs = [year_bounds(s) for s in pred["any_of"]]
        ups = [b[2] for b in subs if b and b[0] == "range" and b[1] is None and b[2] is not None]
        froms = [b[1] for b in subs if b and b[0] == "range" and b[2] is None and b[1] is not None]
        if len(subs) == 2 and ups and froms:  # "nothing from the 80s": up to 1979, or from 1990
            return ("gap", ups[0] + 1, froms[0] - 1)
    return ("range", lo, hi) if found else None


def _minutes(pred) -> int | None:
    """The strict runtime ceiling a predicate asks for (runtime_max: shorter than this), or None."""
    if not isinstance(pred, dict):
        return None
    if "runtime_max" in pred:
        return pred["runtime_max"]
    return next((m for s in pred.get("all_of", []) if (m := _minutes(s)) is not None), None)


def answer(kind: str, case: dict) -> tuple[str, bool]:
    """(the user's answer to a question of `kind`, whether the criterion needed the question)."""
    cid = case["id"]
    if kind == "which_years":
        b = year_bounds(case.get("hard")) or year_bounds(case.get("soft"))
        if b is None or (b[1] is None and b[2] is None):
            return _pick(_ANY_YEAR, cid), False
        shape, lo, hi = b
        if shape == "gap":
            return _pick(_GAP, cid).format(lo=lo, hi=hi), True
        if lo is not None and lo == hi:
            return _pick(_ONE, cid).format(y=lo, yy=_yy(lo)), True
        if lo is not None and hi is not None:
            return _pick(_RANGE, cid).format(lo=lo, hi=hi, yylo=_yy(lo), yyhi=_yy(hi)), True
        if lo is not None:
            return _pick(_FROM, cid).format(lo=lo, lo_1=lo - 1), True
        return _pick(_UPTO, cid).format(hi=hi, hi1=hi + 1), True
    if kind == "how_long":
        n = _minutes(case.get("hard")) or _minutes(case.get("soft"))
        if n is None:
            return _pick(_ANY_LENGTH, cid), False
        return _pick(_MINUTES, cid).format(m=n - 1, m1=n), True
    raise ValueError(f"no answer for a {kind!r} question")
