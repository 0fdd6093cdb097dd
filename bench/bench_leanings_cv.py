"""Can a small learned reader predict what an open request leans towards? A feasibility check, not a feature.

Each development request's `soft` criterion (tests/data/open_requests/dev*.jsonl; the held-out splits are never
read) is turned into labels: "want:<Genre>" (genres_any), "avoid:<Genre>" (genres_none), "critic"
(critic_pct_min), "obscure" (popularity_pct_max), "crowd" (audience_pct_min). One L2-regularised logistic
regression per label is fitted on the request's MiniLM embedding (384,), and scored leave-one-split-out: fitted on
five development splits, judged on the sixth (each split was written by a different helper, so this is the
closest the development data gets to new wording). Baseline in the same run: predict each label's training
base rate >= threshold (in practice, nothing), and the "always the 3 most frequent labels" guess.

With --llm, the default local LLM (Qwen2.5-Coder-0.5B) is asked for the same labels from a closed vocabulary (JSON
constrained to the catalog's genre names and three flags; it needs no training), on --llm-split only (60 requests,
about 3 s each on 2 cores), and scored beside the logistic regression's predictions for that split (fitted on the
other five) and the frequency guess: the reader "given the catalog's vocabulary" that the open-requests summary
proposed, measured before anything is wired in.

Usage: .venv/bin/python bench/bench_leanings_cv.py [--llm] [--llm-split dev6]
Writes docs/results/leanings_cv.{json,md}.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6")
MIN_POSITIVES = 4
LLM_GENRES = ["Action", "Adventure", "Animation", "Biography", "Children's", "Comedy", "Crime", "Documentary", "Drama",
              "Family", "Fantasy", "History", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Sport", "Thriller", "War",
              "Western"]
LLM_SYSTEM = ("You map one movie request to catalog filters and answer with JSON.\n"
              "- want_genres: genres that fit the mood or occasion asked for (feel-good -> Comedy, Family; a cry -> Drama, "
              "Romance; scary -> Horror, Thriller; date night -> Romance, Comedy). Empty if the request names no mood or kind.\n"
              "- avoid_genres: genres the user refuses or that clash with the request (kids, scares easily -> Horror).\n"
              "- critics_acclaimed: asks for the best, acclaimed, classic, masterpiece films.\n"
              "- little_known: asks for hidden gems, underrated, obscure films.\n"
              "- crowd_favourite: asks for crowd-pleasers, popular, everyone likes it.\n"
              "Genres: " + ", ".join(LLM_GENRES) + ".")
LLM_FLAGS = (("critic", "critics_acclaimed"), ("obscure", "little_known"), ("crowd", "crowd_favourite"))


def llm_labels(backend, text: str) -> set[str] | None:
    """The labels the LLM picks for one request (None when its JSON was unusable)."""
    from assistant.llm import LLMUnavailable

    genre_list = {"type": "array", "items": {"type": "string", "enum": LLM_GENRES}, "maxItems": 3}
    schema = {"type": "object", "properties": {"want_genres": genre_list, "avoid_genres": genre_list,
                                               **{f: {"type": "boolean"} for _, f in LLM_FLAGS}},
              "required": ["want_genres", "avoid_genres"] + [f for _, f in LLM_FLAGS]}
    try:
        out = backend.complete_json([{"role": "system", "content": LLM_SYSTEM}, {"role": "user", "content": text}],
                                    schema, max_tokens=120)
    except LLMUnavailable:
        return None
    return ({f"want:{g}" for g in out.get("want_genres", []) if g in LLM_GENRES}
            | {f"avoid:{g}" for g in out.get("avoid_genres", []) if g in LLM_GENRES}
            | {lab for lab, f in LLM_FLAGS if out.get(f) is True})


def labels_of(pred, out: set[str] | None = None) -> set[str]:
    """The labels a `soft` criterion (bench/open_criteria predicate) stands for."""
    out = set() if out is None else out
    for k, v in (pred or {}).items():
        if k in ("all_of", "any_of"):
            for p in v:
                labels_of(p, out)
        elif k == "genres_any":
            out.update(f"want:{g}" for g in v)
        elif k == "genres_none":
            out.update(f"avoid:{g}" for g in v)
        elif k in ("critic_pct_min", "popularity_pct_max", "audience_pct_min"):
            out.add({"critic_pct_min": "critic", "popularity_pct_max": "obscure", "audience_pct_min": "crowd"}[k])
    return out


def fit(X: np.ndarray, Y: np.ndarray, l2: float, steps: int = 3000, lr: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    """Independent logistic regressions by full-batch gradient descent. X (n, dim), Y (n, n_labels) in {0, 1}."""
    n, d = X.shape
    W, b = np.zeros((d, Y.shape[1])), np.zeros(Y.shape[1])
    for _ in range(steps):
        G = 1.0 / (1.0 + np.exp(-(X @ W + b))) - Y  # (n, n_labels)
        W -= lr * (X.T @ G / n + l2 * W / n)
        b -= lr * G.mean(axis=0)
    return W, b


def prf(tp: int, fp: int, fn: int) -> dict:
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(p + r, 1e-9), 3),
            "tp": tp, "fp": fp, "fn": fn}


def main() -> None:
    import argparse

    from bench.common import write

    ap = argparse.ArgumentParser()
    ap.add_argument("--llm", action="store_true", help="also score the local LLM's closed-vocabulary labels")
    ap.add_argument("--llm-split", default="dev6", choices=SPLITS)
    args = ap.parse_args()
    from retrieval.embedders import MiniLMEmbedder

    cases = {s: [json.loads(x) for x in (ROOT / f"tests/data/open_requests/{s}.jsonl").read_text().splitlines() if x.strip()]
             for s in SPLITS}
    emb = MiniLMEmbedder()
    X = {s: emb.embed([c["text"].lower() for c in cases[s]]) for s in SPLITS}  # (n_s, 384) each
    count = Counter(lab for s in SPLITS for c in cases[s] for lab in labels_of(c["soft"]))
    labels = sorted(lab for lab, n in count.items() if n >= MIN_POSITIVES)
    Y = {s: np.array([[lab in labels_of(c["soft"]) for lab in labels] for c in cases[s]], float) for s in SPLITS}
    runs, per_label = [], {}
    for l2 in (0.01, 0.05, 0.5):
        for th in (0.3, 0.5):
            tot = Counter()
            lab_counts = {lab: Counter() for lab in labels}
            for s in SPLITS:
                rest = [t for t in SPLITS if t != s]
                W, b = fit(np.vstack([X[t] for t in rest]), np.vstack([Y[t] for t in rest]), l2)
                P = 1.0 / (1.0 + np.exp(-(X[s] @ W + b))) >= th  # (n_s, n_labels)
                T = Y[s] > 0
                if (l2, th) == (0.05, 0.3) and s == args.llm_split:
                    lr_split = prf(int((P & T).sum()), int((P & ~T).sum()), int((~P & T).sum()))
                for j, lab in enumerate(labels):
                    c = Counter(tp=int((P[:, j] & T[:, j]).sum()), fp=int((P[:, j] & ~T[:, j]).sum()),
                                fn=int((~P[:, j] & T[:, j]).sum()))
                    lab_counts[lab] += c
                    tot += c
            runs.append({"system": "logistic on MiniLM", "l2": l2, "threshold": th, **prf(tot["tp"], tot["fp"], tot["fn"])})
            if (l2, th) == (0.05, 0.3):
                per_label = {lab: prf(c["tp"], c["fp"], c["fn"]) for lab, c in lab_counts.items()}
    # baseline: always predict the 3 labels most frequent in the training splits
    tot = Counter()
    for s in SPLITS:
        train = Counter(lab for t in SPLITS if t != s for c in cases[t] for lab in labels_of(c["soft"]) if lab in labels)
        top = [lab for lab, _ in train.most_common(3)]
        for j, lab in enumerate(labels):
            pred, truth = lab in top, Y[s][:, j] > 0
            tot += Counter(tp=int(truth.sum()) if pred else 0, fp=int((~truth).sum()) if pred else 0,
                           fn=0 if pred else int(truth.sum()))
    runs.append({"system": "always the 3 most frequent labels", "l2": "", "threshold": "", **prf(tot["tp"], tot["fp"], tot["fn"])})
    llm_run = None
    if args.llm:  # one split, scored on the labels the regressions know, beside their predictions for it
        import time

        from assistant.cli import paths_from_env
        from assistant.llm.llama_cpp import LlamaCppBackend
        from assistant.models import MODELS

        paths = paths_from_env()
        backend = LlamaCppBackend(paths.models_dir / MODELS["qwen2.5-coder-0.5b"].filename, n_threads=2, timeout_s=60)
        c_llm, bad, ms, n_pred = Counter(), 0, [], []
        for c in cases[args.llm_split]:
            t0 = time.perf_counter()
            pred = llm_labels(backend, c["text"])
            ms.append((time.perf_counter() - t0) * 1000)
            bad += pred is None
            pred = {lab for lab in (pred or set()) if lab in labels}
            truth = {lab for lab in labels_of(c["soft"]) if lab in labels}
            n_pred.append(len(pred))
            c_llm += Counter(tp=len(pred & truth), fp=len(pred - truth), fn=len(truth - pred))
        llm_run = {"split": args.llm_split, "n": len(cases[args.llm_split]), "invalid_json": bad,
                   "median_ms": round(float(np.median(ms))), "mean_labels_predicted": round(float(np.mean(n_pred)), 2),
                   "mean_labels_true": round(float(np.mean([len(labels_of(c["soft"]) & set(labels))
                                                             for c in cases[args.llm_split]])), 2),
                   "llm": prf(c_llm["tp"], c_llm["fp"], c_llm["fn"]), "logistic_same_split": lr_split}
        runs.append({"system": f"local LLM, closed vocabulary ({args.llm_split} only)", "l2": "", "threshold": "",
                     **llm_run["llm"]})
        runs.append({"system": f"logistic on MiniLM ({args.llm_split} only, l2 0.05, th 0.3)", "l2": 0.05,
                     "threshold": 0.3, **lr_split})
    n = sum(len(cases[s]) for s in SPLITS)
    rows = [[r["system"], r["l2"], r["threshold"], r["precision"], r["recall"], f"**{r['f1']}**"] for r in runs]
    top_labels = sorted(per_label, key=lambda lab: -(per_label[lab]["tp"] + per_label[lab]["fn"]))[:8]
    notes = (f"{n} development requests, {len(labels)} labels with at least {MIN_POSITIVES} positives, leave-one-split-out "
             f"over {', '.join(SPLITS)}; micro-averaged over labels. Per label (l2 0.05, threshold 0.3): "
             + "; ".join(f"{lab} {per_label[lab]['tp']}/{per_label[lab]['tp'] + per_label[lab]['fn']} found, "
                         f"{per_label[lab]['fp']} wrong" for lab in top_labels) + ".")
    if llm_run:
        notes += (f" Local LLM on {llm_run['split']} ({llm_run['n']} requests, median {llm_run['median_ms']} ms a request, "
                  f"{llm_run['invalid_json']} unusable answers): {llm_run['mean_labels_predicted']} labels a request "
                  f"against {llm_run['mean_labels_true']} true.")
    write("leanings_cv", {"n_requests": n, "labels": labels, "runs": runs, "per_label": per_label, "llm": llm_run},
          rows, ["system", "l2", "threshold", "precision", "recall", "F1"],
          "python bench/bench_leanings_cv.py", notes)


if __name__ == "__main__":
    main()
