"""NLU accuracy on the labelled message set: dialogue acts and entity linking, several routes side by side.

Routes (same cases, same run):
  default     exact rules + act classifier, the local LLM only when the classifier is unsure (the product)
  classifier  exact rules + act classifier, no LLM
  rules       exact rules + cue words, no classifier, no LLM
  llm         the local LLM alone decides act and entities (entities still validated against the text)
  baseline    the rule parser the assistant used before this pipeline (bench/baseline_rules.py)

Usage:
  .venv/bin/python bench/bench_nlu.py --split heldout [--no-llm] [--threads 2]
  .venv/bin/python bench/bench_nlu.py --split dev --cv 5      # dev: the classifier never sees the fold it scores
Writes docs/results/nlu_<dataset>_<split>.{json,md}. The held-out split is for reporting only.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def legacy_understanding(text: str, ctx, linker, kg):
    """Today's rules (before the pipeline) as an Understanding: the old agent's "why N"/"not N" shortcuts,
    then bench.baseline_rules.rule_parse + linking; intents mapped onto acts."""
    import re

    from assistant.dialogue.acts import Entities, Understanding
    from bench.baseline_rules import rule_parse

    m = re.search(r"\bwhy\b.*?(?:#|number |no\.? ?)?\b(\d{1,2})\b", text, re.I)
    if m and ctx.n_cards:
        return Understanding("explain", Entities(cards=[int(m.group(1))]), text, 1.0, "baseline")
    m = re.match(r"^\s*(?:not|no|nope|skip|hide)\s*(?:#|number )?(\d{1,2})\s*[.!]?\s*$", text, re.I)
    if m and ctx.n_cards:
        return Understanding("feedback", Entities(cards=[int(m.group(1))]), text, 1.0, "baseline")
    plan = linker.link(rule_parse(text, linker), text, "rules")
    act = {"recommend": "recommend", "more_like": "recommend", "explain": "explain", "feedback": "feedback",
           "onboarding": "onboarding"}.get(plan.intent, "out_of_scope")
    e = Entities(liked=list(plan.liked), disliked=list(plan.disliked), seen=list(plan.seen),
                 reference=[plan.reference] if plan.reference else [], people=[kg.label(p) for p in plan.people],
                 genres=list(plan.genres), decades=list(plan.decades), year_min=plan.year_min, year_max=plan.year_max,
                 countries=list(plan.countries), languages=list(plan.languages), unknown_titles=list(plan.unknown_titles))
    return Understanding(act, e, text, 1.0, "baseline")


def main() -> int:
    from assistant.cli import edge_environment, paths_from_env

    edge_environment()
    from assistant.dialogue.classifier import ActClassifier, training_rows
    from assistant.dialogue.entities import EntityLinker
    from assistant.dialogue.nlu import Understander
    from assistant.dialogue.nlu_eval import context_of, load_cases, score
    from bench.baseline_rules import Linker as LegacyLinker
    from catalog import load_dataset_by_name
    from kg.graph import KnowledgeGraph
    from retrieval.embedders import MiniLMEmbedder

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--split", default="heldout", choices=["dev", "heldout"])
    ap.add_argument("--cv", type=int, default=0, help="dev only: k-fold, the classifier trained without the scored fold")
    ap.add_argument("--no-llm", action="store_true", help="skip the routes that need the local LLM")
    ap.add_argument("--threshold", type=float, default=0.15, help="classifier probability below which the LLM reads")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    args = ap.parse_args()
    paths = paths_from_env()
    ds = load_dataset_by_name(args.dataset, paths)
    kg = KnowledgeGraph.load(paths.kg_path(ds.name))
    cases = load_cases(ROOT / f"tests/data/nlu/{args.split}.jsonl")
    linker = EntityLinker(ds, kg)
    embedder = MiniLMEmbedder()
    backend = None
    if not args.no_llm:
        from assistant.llm.llama_cpp import LlamaCppBackend
        from assistant.models import QWEN

        backend = LlamaCppBackend(paths.models_dir / QWEN.filename, n_threads=args.threads, timeout_s=120)
    rows = training_rows()
    from assistant.dialogue.leanings import Leanings
    from assistant.dialogue.leanings import training_rows as leaning_rows

    leanings = Leanings.train(leaning_rows(), embedder)  # as the product: genres a wording leans to
    others = [r for r in rows if r["source"] != "dev"]  # authored + open_dev: the rows that are not NLU dev cases
    folds = [list(range(len(cases)))]
    if args.split == "dev" and args.cv:
        folds = [list(range(f, len(cases), args.cv)) for f in range(args.cv)]
    elif args.split == "dev":
        raise SystemExit("the dev split is in the classifier's training data: use --cv K")
    routes = ["default", "classifier", "rules", "baseline"] + (["llm"] if backend else [])
    if backend is None:
        routes.remove("default")
    preds: dict[str, list] = {r: [None] * len(cases) for r in routes}
    llm_ms: list[float] = []
    legacy = LegacyLinker(ds, kg)
    t_start = time.perf_counter()
    for fold in folds:
        if len(folds) > 1:  # train on the other rows + the dev cases outside this fold
            keep = [c for i, c in enumerate(cases) if i not in set(fold)]
            extra = [{"masked": linker.link(c["text"], len((c.get("context") or {}).get("shown") or [])).masked(c["text"]),
                      "cards": bool((c.get("context") or {}).get("shown")),
                      "request": bool((c.get("context") or {}).get("shown") or (c.get("context") or {}).get("constraints")),
                      "act": c["act"]} for c in keep]
            clf = ActClassifier.train(others + extra, embedder)
        else:
            clf = ActClassifier.train(rows, embedder)
        from assistant.dialogue.open_slots import OpenReader

        reader = OpenReader(embedder)  # as the product reads the open part of a request (moods, audience, ...)
        nlu = Understander(linker, clf, backend, threshold=args.threshold, open_reader=reader, leanings=leanings)
        plain = Understander(linker, None, None, open_reader=OpenReader(None))
        for i in fold:
            case = cases[i]
            ctx = context_of(case, ds.catalog)
            for route in routes:
                if route == "baseline":
                    preds[route][i] = legacy_understanding(case["text"], ctx, legacy, kg)
                    continue
                t0 = time.perf_counter()
                u = (plain if route == "rules" else nlu).understand(case["text"], ctx, mode={
                    "default": "default", "classifier": "classifier", "rules": "rules", "llm": "llm"}[route])
                if u.source == "llm":
                    llm_ms.append((time.perf_counter() - t0) * 1000)
                preds[route][i] = u
            print(f"{i + 1}/{len(cases)}", file=sys.stderr, end="\r")
    results = {r: score(cases, preds[r], ds.catalog) for r in routes}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    command = " ".join(["python", "bench/bench_nlu.py"] + sys.argv[1:])
    out = {"command": command, "commit": commit, "dataset": ds.name, "split": args.split, "n_cases": len(cases),
           "cv_folds": args.cv or None, "threshold": args.threshold,
           "llm_ms_median": round(statistics.median(llm_ms), 1) if llm_ms else None,
           "machine": f"{platform.machine()} (2 cores)", "wall_s": round(time.perf_counter() - t_start, 1),
           "routes": results}
    od = Path(args.out)
    od.mkdir(parents=True, exist_ok=True)
    stem = f"nlu_{ds.name}_{args.split}"
    (od / f"{stem}.json").write_text(json.dumps(out, indent=1))
    lines = [f"# Understanding: dialogue acts and entity linking ({ds.name}, {args.split} split)", "",
             f"Command: `{command}` at commit {commit}. {len(cases)} labelled messages "
             f"(tests/data/nlu/{args.split}.jsonl){', ' + str(args.cv) + '-fold: the classifier never saw the fold it scored' if args.cv else ''}.",
             "", "| route | act accuracy | entity P / R / F1 | role-aware P / R / F1 | unknown-title flag | ambiguous flag | LLM read |",
             "|---|---|---|---|---|---|---|"]
    for r in routes:
        s = results[r]
        e, ra = s["entity_linking"], s["role_aware"]
        lines.append(f"| {r} | {s['act_accuracy']:.1%} | {e['precision']:.3f} / {e['recall']:.3f} / **{e['f1']:.3f}** | "
                     f"{ra['precision']:.3f} / {ra['recall']:.3f} / {ra['f1']:.3f} | {s['unknown_flag_accuracy']:.1%} | "
                     f"{s['ambiguous_flag_accuracy']:.1%} | {s['llm_share']:.0%} |")
    if llm_ms:
        lines += ["", f"LLM call (Qwen2.5-Coder-0.5B Q4_K_M, {args.threads} threads): median {statistics.median(llm_ms):.0f} ms."]
    lines += ["", "Act recall per act (" + ", ".join(routes) + "):", ""]
    for a in results[routes[0]]["act_recall"]:
        lines.append(f"- {a}: " + " / ".join(f"{results[r]['act_recall'][a]:.2f}" for r in routes))
    (od / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
