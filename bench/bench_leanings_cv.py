"""Can a small learned reader predict what an open request leans towards? A feasibility check, not a feature.

Each development request's `soft` criterion (tests/data/open_requests/dev*.jsonl; the held-out splits are never
read) is turned into labels: "want:<Genre>" (genres_any), "avoid:<Genre>" (genres_none), "critic"
(critic_pct_min), "obscure" (popularity_pct_max), "crowd" (audience_pct_min). One L2-regularised logistic
regression per label is fitted on the request's MiniLM embedding (384,), and scored leave-one-split-out: fitted on
five development splits, judged on the sixth (each split was written by a different helper, so this is the
closest the development data gets to new wording). Baseline in the same run: predict each label's training
base rate >= threshold (in practice, nothing), and the "always the 3 most frequent labels" guess.

Usage: .venv/bin/python bench/bench_leanings_cv.py
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
    from bench.common import write
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
    n = sum(len(cases[s]) for s in SPLITS)
    rows = [[r["system"], r["l2"], r["threshold"], r["precision"], r["recall"], f"**{r['f1']}**"] for r in runs]
    top_labels = sorted(per_label, key=lambda lab: -(per_label[lab]["tp"] + per_label[lab]["fn"]))[:8]
    notes = (f"{n} development requests, {len(labels)} labels with at least {MIN_POSITIVES} positives, leave-one-split-out "
             f"over {', '.join(SPLITS)}; micro-averaged over labels. Per label (l2 0.05, threshold 0.3): "
             + "; ".join(f"{lab} {per_label[lab]['tp']}/{per_label[lab]['tp'] + per_label[lab]['fn']} found, "
                         f"{per_label[lab]['fp']} wrong" for lab in top_labels) + ".")
    write("leanings_cv", {"n_requests": n, "labels": labels, "runs": runs, "per_label": per_label},
          rows, ["system", "l2", "threshold", "precision", "recall", "F1"],
          "python bench/bench_leanings_cv.py", notes)


if __name__ == "__main__":
    main()
