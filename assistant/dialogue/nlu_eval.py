"""Scoring the NLU on a labelled message set (tests/data/nlu/{dev,heldout}.jsonl).

A case: {"text", "context": null | {"shown": [display titles], "constraints": {...}, "liked": [...]},
"act", "liked", "disliked", "seen", "reference", "excluded", "people", "not_people", "genres",
"not_genres", "decades", "year_min", "year_max", "countries", "languages", "cards", "relax",
"unknown_titles", "ambiguous"}. Titles are display titles.

Scores per route:
  act accuracy                 the predicted act equals the label
  entity linking P / R / F1    over (kind, value) pairs: titles (any role), people and genres (either
                               polarity), decades, year bounds, countries, languages
  role-aware P / R / F1        over (slot, value) pairs: the title roles, wanted vs unwanted people and
                               genres, decades, year bounds, places, card numbers, relaxed slots
  unknown / ambiguous          share of cases whose "named a title the catalog lacks" / "named a
                               remade title without a year" flag is right
What it does not do: choose the routes or load models (bench/bench_nlu.py does).
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.dialogue.acts import ACTS, Understanding
from assistant.dialogue.nlu import Context

TITLE_ROLES = ("liked", "disliked", "seen", "reference", "excluded")


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def context_of(case: dict, catalog=None) -> Context:
    ctx = case.get("context") or {}
    shown = tuple(ctx.get("shown") or ())
    cons = {k: v for k, v in (ctx.get("constraints") or {}).items() if v not in (None, [], "")}
    req = ", ".join(f"{k}: {v}" for k, v in cons.items())
    by_title = {it.display_title: it.id for it in catalog} if catalog is not None else {}
    return Context(n_cards=len(shown), has_request=bool(shown or cons), shown_titles=shown, request_text=req,
                   cards=tuple(by_title.get(t, "") for t in shown))


def _era(slots) -> set[str]:
    return {"era" if s in ("decades", "years") else s for s in slots}


def gold_sets(case: dict) -> tuple[set, set]:
    link, role = set(), set()
    for r in TITLE_ROLES:
        for t in case.get(r) or []:
            link.add(("title", t))
            role.add((r, t))
    for slot, kind in (("people", "person"), ("not_people", "person"), ("genres", "genre"), ("not_genres", "genre")):
        for v in case.get(slot) or []:
            link.add((kind, v))
            role.add((slot, v))
    for slot in ("decades", "countries", "languages"):
        for v in case.get(slot) or []:
            link.add((slot, v))
            role.add((slot, v))
    for slot in ("year_min", "year_max"):
        if case.get(slot) is not None:
            link.add((slot, int(case[slot])))
            role.add((slot, int(case[slot])))
    role |= {("card", int(c)) for c in case.get("cards") or []}
    role |= {("relax", s) for s in _era(case.get("relax") or [])}
    return link, role


def predicted_sets(u: Understanding, catalog) -> tuple[set, set]:
    e = u.entities
    link, role = set(), set()
    t = lambda i: catalog[i].display_title  # noqa: E731
    roles = {r: list(getattr(e, r)) for r in TITLE_ROLES}
    roles["reference"] += e.explain  # "why fargo?": the labels name the title as the reference
    for r, ids in roles.items():
        for i in ids:
            if i in e.provisional:  # a remade title without a year: labelled as ambiguous, not as a title
                continue
            link.add(("title", t(i)))
            role.add((r, t(i)))
    for slot, kind in (("people", "person"), ("not_people", "person"), ("genres", "genre"), ("not_genres", "genre")):
        for v in getattr(e, slot):
            link.add((kind, v))
            role.add((slot, v))
    for slot in ("decades", "countries", "languages"):
        for v in getattr(e, slot):
            link.add((slot, v))
            role.add((slot, v))
    for slot in ("year_min", "year_max"):
        if getattr(e, slot) is not None:
            link.add((slot, int(getattr(e, slot))))
            role.add((slot, int(getattr(e, slot))))
    role |= {("card", int(c)) for c in e.cards}
    role |= {("relax", s) for s in _era(e.relax)}
    return link, role


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def score(cases: list[dict], predictions: list[Understanding], catalog) -> dict:
    """Summary scores and per-case rows for one route."""
    rows, counts = [], {"link": [0, 0, 0], "role": [0, 0, 0]}
    confusion: dict[str, dict[str, int]] = {a: {} for a in ACTS}
    for case, u in zip(cases, predictions):
        g_link, g_role = gold_sets(case)
        p_link, p_role = predicted_sets(u, catalog)
        for key, g, p in (("link", g_link, p_link), ("role", g_role, p_role)):
            counts[key][0] += len(g & p)
            counts[key][1] += len(p - g)
            counts[key][2] += len(g - p)
        confusion.setdefault(case["act"], {})
        confusion[case["act"]][u.act] = confusion[case["act"]].get(u.act, 0) + 1
        rows.append({"id": case.get("id"), "text": case["text"], "act": case["act"], "predicted": u.act,
                     "source": u.source, "confidence": round(u.confidence, 3),
                     "missing": sorted(map(str, g_role - p_role)), "extra": sorted(map(str, p_role - g_role)),
                     "unknown_ok": bool(case.get("unknown_titles")) == bool(u.entities.unknown_titles),
                     "ambiguous_ok": bool(case.get("ambiguous")) == bool(u.entities.ambiguous)})
    n = len(rows)
    acts = sorted({c["act"] for c in cases})
    return {
        "n": n,
        "act_accuracy": round(sum(r["act"] == r["predicted"] for r in rows) / n, 4),
        "entity_linking": prf(*counts["link"]),
        "role_aware": prf(*counts["role"]),
        "unknown_flag_accuracy": round(sum(r["unknown_ok"] for r in rows) / n, 4),
        "ambiguous_flag_accuracy": round(sum(r["ambiguous_ok"] for r in rows) / n, 4),
        "act_recall": {a: round(confusion[a].get(a, 0) / max(1, sum(confusion[a].values())), 3) for a in acts},
        "llm_share": round(sum(r["source"] == "llm" for r in rows) / n, 4),
        "confusion": {a: v for a, v in confusion.items() if v},
        "cases": rows,
    }
