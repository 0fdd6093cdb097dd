"""Request-parsing accuracy: run the planner over labelled requests and score intent + slots.

A case (tests/data/parsing_cases.jsonl) gives the text, the expected intent and
the expected linked slots (titles as catalog display titles, people as KG
labels, genres, decades, year bounds, countries, languages; `unknown: true` when
the request names a title the catalog lacks). Slots a case omits are expected
empty. A case is correct when the intent and every slot match exactly.
One LLM call per case serves three variants, scored side by side:
"llm" (LLM plan + linking), "hybrid" (the default: reconciled with rules) and
"rules" (no LLM).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from assistant.planner import Plan, Planner, reconcile, rule_parse

SLOTS = ("liked", "disliked", "seen", "reference", "people", "genres", "decades", "year_min", "year_max",
         "countries", "languages", "unknown")


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def observed(plan: Plan, planner: Planner) -> dict:
    cat, kg = planner.linker.catalog, planner.linker.kg
    return {
        "intent": plan.intent,
        "liked": sorted(cat[i].display_title for i in plan.liked),
        "disliked": sorted(cat[i].display_title for i in plan.disliked),
        "seen": sorted(cat[i].display_title for i in plan.seen),
        "reference": cat[plan.reference].display_title if plan.reference else None,
        "people": sorted(kg.label(p) for p in plan.people),
        "genres": sorted(plan.genres), "decades": sorted(plan.decades),
        "year_min": plan.year_min, "year_max": plan.year_max,
        "countries": sorted(plan.countries), "languages": sorted(plan.languages),
        "unknown": bool(plan.unknown_titles),
    }


def expected(case: dict) -> dict:
    out = {"intent": case["intent"]}
    for s in SLOTS:
        v = case.get(s)
        if s in ("reference", "year_min", "year_max"):
            out[s] = v
        elif s == "unknown":
            out[s] = bool(v)
        else:
            out[s] = sorted(v or [])
    return out


def score(obs: dict, exp: dict) -> dict:
    wrong = [k for k in exp if obs.get(k) != exp[k]]
    return {"correct": not wrong, "intent_ok": obs["intent"] == exp["intent"], "wrong": wrong}


def evaluate(planner: Planner, cases: list[dict], variants=("llm", "hybrid", "rules"), log=None) -> dict:
    """Scores per variant plus per-case details and LLM call latencies (ms)."""
    linker = planner.linker
    results = {v: [] for v in variants}
    latencies = []
    for case in cases:
        text = case["text"]
        exp = expected(case)
        rules_plan = linker.link(rule_parse(text, linker), text, "rules")
        llm_plan, raw_dump = None, None
        if "llm" in variants or "hybrid" in variants:
            t0 = time.perf_counter()
            raw, source, err = planner.parse_raw(text)
            latencies.append((time.perf_counter() - t0) * 1000)
            llm_plan = linker.link(raw, text, source)
            raw_dump = raw.model_dump(exclude_defaults=True)
            if err:
                llm_plan.dropped.append(f"(llm error: {err})")
        for v in variants:
            plan = {"rules": rules_plan, "llm": llm_plan}.get(v) or (
                reconcile(llm_plan, rules_plan, linker.catalog) if llm_plan.source == "llm" else rules_plan)
            obs = observed(plan, planner)
            results[v].append({"text": text, **score(obs, exp), "observed": obs, "expected": exp, "source": plan.source,
                               **({"llm_raw": raw_dump} if v == "llm" else {})})
        if log is not None:
            log(f"{len(results[variants[0]])}/{len(cases)} {text!r}: " + " ".join(
                f"{v}={'ok' if results[v][-1]['correct'] else 'x'}" for v in variants)
                + (f" ({latencies[-1]:.0f} ms)" if latencies else ""))
    summary = {}
    for v, rs in results.items():
        n = len(rs)
        summary[v] = {"n": n, "accuracy": sum(r["correct"] for r in rs) / n, "intent_accuracy": sum(r["intent_ok"] for r in rs) / n}
    lat = sorted(latencies)
    return {"summary": summary, "cases": results,
            "llm_ms": {"median": lat[len(lat) // 2], "max": lat[-1]} if lat else None}
