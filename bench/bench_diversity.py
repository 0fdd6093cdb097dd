"""Intra-list diversity of the first page: the franchise rule of assistant.dialogue.paging on vs off, same rankings.

For each request ("something like <title>" for titles of the catalog's franchises, plus genre requests),
the real assistant (ML-100K artifacts, rules) ranks the candidates once; the page it shows (at most one
film per franchise unless the request is about that franchise) is compared with the plain top-k of the
same ranking. Reported per page size k (5 and 10): pages with 2+ films of one franchise (not counting the
franchise the user asked for), mean franchise repeats, intra-list diversity (mean pairwise cosine distance
of the MiniLM item vectors) and the mean scorer score of the page (what the rule costs in ranking terms).

Usage:  .venv/bin/python bench/bench_diversity.py [--dataset ml-100k]
Writes docs/results/diversity_<dataset>.{json,md}.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from assistant.cli import edge_environment, paths_from_env

    edge_environment()
    from assistant.build import build_assistant
    from assistant.config import AssistantConfig
    from assistant.dialogue.paging import franchise_key, intra_list_diversity, next_page
    from bench.common import write

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-100k")
    ap.add_argument("--n", type=int, default=60, help="franchise titles to ask about")
    args = ap.parse_args()
    paths = paths_from_env()
    a = build_assistant(AssistantConfig(dataset=args.dataset, home=paths.home, llm="none", k=10,
                                        feedback_db=Path(tempfile.mkdtemp()) / "fb.sqlite"))
    cat = a.catalog
    V = np.load(paths.artifacts(a.dataset.name) / "item_vectors.npz")["vectors"]  # (n_items, 384), catalog order
    vectors = {iid: V[r] for r, iid in enumerate(cat.ids)}
    keys = Counter(franchise_key(it.title) for it in cat)
    pop = a.popularity
    franchise_titles = sorted((it for it in cat if keys[franchise_key(it.title)] >= 2),
                              key=lambda it: -int(pop[cat.index(it.id)]))[: args.n]
    requests = [f"something like {it.display_title}" for it in franchise_titles]
    requests += [f"recommend a {g.lower()} movie" for g in a.linker.genres if g not in ("Film-Noir", "Children's")]
    rows = []
    for j, text in enumerate(requests):
        sid = f"div-{j}"
        a.respond(sid, text)
        s = a.sessions.get(sid)
        if not s.results:
            continue
        asked = {franchise_key(cat[i].title) for i in s.request.references}
        blocked = s.blocked() - set(s.cards)
        for k in (5, 10):
            titles = lambda i: cat[i].title  # noqa: E731
            shown = next_page(s.results, blocked, k, titles, asked)
            plain = [i for i in s.results if i not in blocked][:k]
            for variant, ids in (("franchise rule", shown), ("plain top-k", plain)):
                ks = Counter(franchise_key(cat[i].title) for i in ids if franchise_key(cat[i].title) not in asked)
                every = Counter(franchise_key(cat[i].title) for i in ids)
                vs = np.stack([vectors[i] for i in ids]).astype(np.float32)
                vs /= np.maximum(np.linalg.norm(vs, axis=1, keepdims=True), 1e-9)
                rows.append({"request": text, "k": k, "variant": variant,
                             "repeats": sum(c - 1 for c in ks.values()), "run": max(ks.values(), default=0) >= 2,
                             "run3": max(every.values(), default=0) >= 3, "ild": intra_list_diversity(vs),
                             "score": float(np.mean([s.scores.get(i, 0.0) for i in ids]))})
    table, summary = [], {}
    for k in (5, 10):
        for variant in ("plain top-k", "franchise rule"):
            rs = [r for r in rows if r["k"] == k and r["variant"] == variant]
            d = {"pages": len(rs), "pages_with_franchise_run": sum(r["run"] for r in rs),
                 "pages_with_3_of_one_franchise": sum(r["run3"] for r in rs),
                 "mean_repeats": round(float(np.mean([r["repeats"] for r in rs])), 3),
                 "ild": round(float(np.mean([r["ild"] for r in rs])), 4),
                 "mean_score": round(float(np.mean([r["score"] for r in rs])), 4)}
            summary[f"k={k} {variant}"] = d
            table.append([str(k), variant, str(d["pages"]), str(d["pages_with_franchise_run"]),
                          str(d["pages_with_3_of_one_franchise"]), f"{d['mean_repeats']:.2f}", f"{d['ild']:.3f}",
                          f"{d['mean_score']:.3f}"])
    command = " ".join(["python", "bench/bench_diversity.py"] + sys.argv[1:])
    notes = (f"{len(requests)} requests on {a.dataset.name}: 'something like X' for the {len(franchise_titles)} most rated "
             "titles of franchises with 2+ catalog titles, and one request per genre. A franchise run = 2+ films of one "
             "franchise on a page, not counting the franchise the user asked for (which may have two); '3+ of one franchise' "
             "counts every franchise, the asked one too. ILD = mean pairwise cosine distance of "
             "MiniLM item vectors (higher = more varied). Same ranking for both variants; the rule only defers a "
             "franchise's second film to a later page.")
    write(f"diversity_{a.dataset.name}", {"summary": summary, "pages": rows}, table,
          ["k", "variant", "pages", "pages with a franchise run", "pages with 3+ of one franchise", "mean repeats", "ILD",
           "mean score"], command, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
