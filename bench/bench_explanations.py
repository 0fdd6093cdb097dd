"""Explanations: deletion faithfulness, reason quality and before/after examples, for held-out users.

    python -m bench.bench_explanations --dataset ml-1m --users 70 --seed 10

Protocol:
- `--users` users with >= 20 positives (rating >= 4) are drawn with the seed and held out entirely: every
  interaction of theirs is dropped (simulation.holdout), the KG is rebuilt without them and the fusion
  scorer is retrained on the rest (cached under artifacts/<dataset>/eval_scorers/).
- Each user gets three profiles: 3 and 10 liked titles drawn from their positives, and all of them.
  The cards are the scorer's top 5 for the profile (liked titles masked); each card is explained by the
  product's own tool (tools.explain_item.explain_many on a session holding the profile).
- Deletion faithfulness: remove the liked titles the explanation cites and rescore; remove the same
  number of other liked titles drawn at random (5 draws) and rescore. A comparison succeeds when the
  cited removal lowers the card's score strictly more (ties fail). Cards that cite no liked title, or
  whose profile has fewer other titles than cited, are not comparable and are counted apart.
  The same test runs for two baselines in the same run: the liked title at the end of the first KG path
  that today's explanation (`--before`, default 3e9a716) shows, and the liked title most similar to the
  card by ItemKNN cosine.
- The per-liked-title split (scorer.attribution) is checked against leave-one-out deletion on the
  10-title profiles: Spearman correlation of share vs. score drop, and how often the top share is the
  largest drop.
- Reason quality: share of cards whose text cites a liked title or a <= 2-hop KG path, mean hops of
  cited paths, explanations through malformed entity names (an independent regex detector), chat text
  containing signal names or numbers other than the titles' years.
Writes docs/results/explanations_<dataset>.{json,md} and explanations_examples_<dataset>.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SIGNAL_NAMES = re.compile(r"\b(collaborative\w*|kg_\w+|text_attention|popularity [+-]|scorer \d|baseline [+-])")
MALFORMED = re.compile(r"^(?:jr\.?|sr\.?|i{2,3}|iv|v|md|phd|esq\.?)$|^\W|\($|^\)|^\s|\s$", re.I)


def malformed_name(name: str) -> bool:
    """Independent of the catalog's own name repair: a bare suffix, stray punctuation or whitespace."""
    return bool(MALFORMED.search(name)) or len(name.strip()) < 2


def load_before(commit: str):
    """tools/explain_item.py as it was at `commit`, imported as its own module (today's explanation)."""
    src = subprocess.run(["git", "show", f"{commit}:tools/explain_item.py"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    path = Path(tempfile.mkdtemp(prefix="explain-before-")) / "explain_before.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("explain_before", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["explain_before"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def spearman(a, b) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    if ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


def main() -> None:
    from assistant.build import build_assistant
    from assistant.cli import paths_from_env
    from assistant.config import AssistantConfig
    from bench.common import machine
    from catalog import load_dataset_by_name
    from kg.graph import KnowledgeGraph
    from scorer.base import Profile
    from simulation.holdout import holdout_dataset, holdout_scorer
    from tools import explain_item
    from tools.state import SessionState

    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="ml-1m")
    ap.add_argument("--users", type=int, default=70)
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--cards", type=int, default=5)
    ap.add_argument("--draws", type=int, default=5)
    ap.add_argument("--before", default="3e9a716", help="commit whose explain_item is today's explanation")
    ap.add_argument("--out", default=str(ROOT / "docs/results"))
    args = ap.parse_args()
    t_start = time.perf_counter()
    paths = paths_from_env()
    ds = load_dataset_by_name(args.dataset, paths)
    inter = ds.interactions
    rng = np.random.default_rng(args.seed)
    pos = inter.ratings >= 4
    per_user: dict[int, list[int]] = {}
    for u, i in zip(inter.users[pos], inter.items[pos]):
        per_user.setdefault(int(u), []).append(int(i))
    eligible = sorted(u for u, v in per_user.items() if len(set(v)) >= 20)
    users = sorted(rng.choice(eligible, size=min(args.users, len(eligible)), replace=False).tolist())
    ids = ds.catalog.ids
    held = {u: sorted(set(ids[i] for i in per_user[u])) for u in users}
    all_of_user = {}
    for u, i in zip(inter.users, inter.items):
        if int(u) in held:
            all_of_user.setdefault(int(u), set()).add(ids[int(i)])
    pairs = [(inter.user_ids[u], i) for u in users for i in sorted(all_of_user[u])]
    reduced = holdout_dataset(ds, pairs)
    kg = KnowledgeGraph.build(reduced)
    scorer, sinfo = holdout_scorer(reduced, kg, paths, 1000 + args.seed, pairs)
    tmp = Path(tempfile.mkdtemp(prefix="explanations-"))
    a = build_assistant(AssistantConfig(home=paths.home, dataset=args.dataset, llm="none", feedback_db=tmp / "fb.sqlite"),
                        dataset=reduced, kg=kg, scorer=scorer)
    before = load_before(args.before) if args.before else None
    cat = a.catalog
    S_knn = scorer.S_knn  # (n_items, n_items) cosine, top-100 per column

    score_cache: dict[tuple, np.ndarray] = {}

    def scores(liked: tuple[str, ...]) -> np.ndarray:
        key = tuple(sorted(liked))
        if key not in score_cache:
            if len(score_cache) > 4000:
                score_cache.clear()
            score_cache[key] = scorer.score_profile(Profile(liked=list(key)))
        return score_cache[key]

    def rank_of(sc: np.ndarray, col: int, masked: np.ndarray) -> int:
        v = sc.copy(); v[masked] = -np.inf
        return int((v > v[col]).sum()) + 1

    rows, examples = [], []
    loo = {"spearman": [], "top_is_max": []}
    for u in users:
        pool = held[u]
        for kind in ("3", "10", "full"):
            liked = pool if kind == "full" else sorted(rng.choice(pool, size=int(kind), replace=False).tolist())
            sc = scores(tuple(liked))
            masked = np.asarray([cat.index(i) for i in liked])
            v = sc.copy(); v[masked] = -np.inf
            cards = [ids[j] for j in np.argsort(-v)[: args.cards]]
            s = SessionState(f"u{u}-{kind}", liked=list(liked))
            ctx = a._ctx(s)
            exps = explain_item.explain_many(ctx, cards)
            olds = [before.explain(ctx, c) for c in cards] if before is not None else [None] * len(cards)
            for card, ex, old in zip(cards, exps, olds):
                col = cat.index(card)
                row = {"user": u, "profile": kind, "card": card, "text": ex.text, "lead": ex.lead, "cited": list(ex.cited),
                       "hops": [len(r) for _, r in ex.kg_paths], "old_text": old.text if old is not None else None,
                       # entity names on the paths each explanation shows (middle nodes of every hop list)
                       "entities": sorted({h[2] for p in ex.paths for h in p[:-1]} | {h[0] for p in ex.paths for h in p[1:]}
                                          - {cat[card].display_title} - {cat[i].display_title for i in liked}),
                       "old_entities": sorted({h[2] for p in old.paths for h in p} | {h[0] for p in old.paths for h in p}
                                              - {cat[card].display_title} - {cat[i].display_title for i in liked})
                       if old is not None else []}
                base_score, base_rank = float(sc[col]), rank_of(sc, col, masked)
                others_all = [i for i in liked if i != card]

                def deletion(cited: list[str], tag: str) -> None:
                    others = [i for i in others_all if i not in cited]
                    if not cited or len(others) < len(cited):
                        row[tag] = None
                        return
                    d_sc = scores(tuple(i for i in liked if i not in cited))
                    drop = base_score - float(d_sc[col])
                    rank_drop = rank_of(d_sc, col, masked) - base_rank
                    wins, rdrops = [], []
                    for _ in range(args.draws):
                        pick = set(rng.choice(others, size=len(cited), replace=False).tolist())
                        r_sc = scores(tuple(i for i in liked if i not in pick))
                        wins.append(drop > base_score - float(r_sc[col]))
                        rdrops.append(rank_of(r_sc, col, masked) - base_rank)
                    row[tag] = {"k": len(cited), "wins": int(sum(wins)), "draws": len(wins), "drop": drop,
                                "rank_drop": rank_drop, "random_rank_drop": float(np.mean(rdrops))}

                deletion(list(ex.cited), "new")
                old_cited = []
                if old is not None and old.kg_paths:
                    first = old.kg_paths[0][0][0]
                    iid = kg.g.nodes[first].get("item_id") if first in kg.g else None
                    old_cited = [iid] if iid in liked else []
                deletion(old_cited, "before_kg_seed")
                sims = [(float(S_knn[cat.index(i), col]), i) for i in others_all]
                deletion([max(sims)[1]] if sims and max(sims)[0] > 0 else [], "knn_nearest")
                rows.append(row)
            if kind == "10":  # the attribution split vs leave-one-out deletion, first card
                from scorer.attribution import attribute

                att = attribute(scorer, Profile(liked=list(liked)), [cards[0]])[0]
                col = cat.index(cards[0])
                shares = [att.liked[i] for i in liked]
                drops = [float(sc[col] - scores(tuple(x for x in liked if x != i))[col]) for i in liked]
                loo["spearman"].append(spearman(np.array(shares), np.array(drops)))
                loo["top_is_max"].append(int(np.argmax(shares) == np.argmax(drops)))
            if len(examples) < 20 and kind in ("3", "10") and exps and olds[0] is not None:
                examples.append({"profile": [cat[i].display_title for i in liked][:10], "card": cat[cards[0]].display_title,
                                 "before": olds[0].text, "after": exps[0].text})
        print(f"user {u}: {len(rows)} cards so far ({time.perf_counter() - t_start:.0f}s)", file=sys.stderr)

    def faith(tag: str, subset=None) -> dict:
        rs = [r for r in rows if (subset is None or r["profile"] == subset)]
        comp = [r[tag] for r in rs if r.get(tag)]
        wins = sum(c["wins"] for c in comp)
        draws = sum(c["draws"] for c in comp)
        return {"cards": len(rs), "comparable": len(comp),
                "faithfulness": round(wins / draws, 4) if draws else None,
                "cards_all_draws_won": round(float(np.mean([c["wins"] == c["draws"] for c in comp])), 4) if comp else None,
                "mean_rank_drop_cited": round(float(np.mean([c["rank_drop"] for c in comp])), 2) if comp else None,
                "mean_rank_drop_random": round(float(np.mean([c["random_rank_drop"] for c in comp])), 2) if comp else None}

    def quality(texts_hops_cited) -> dict:
        n = len(texts_hops_cited)
        short = sum(1 for _, hops, cited in texts_hops_cited if cited or any(h <= 2 for h in hops))
        all_hops = [h for _, hops, _ in texts_hops_cited for h in hops]
        return {"cards": n, "cites_liked_or_short_path": round(short / max(n, 1), 4),
                "mean_hops": round(float(np.mean(all_hops)), 2) if all_hops else None}

    new_q = quality([(r["text"], r["hops"], r["cited"]) for r in rows])
    malformed_names = sorted({p for r in rows for p in r["entities"] + r["old_entities"] if malformed_name(p)})

    titles = sorted({it.display_title for it in cat}, key=len, reverse=True)

    def leaks(text: str, names=()) -> bool:
        """Signal names, or digits left once the catalog titles and entity names in the text are taken out."""
        stripped = text
        for t in list(names) + titles:
            if t in stripped:
                stripped = stripped.replace(t, "")
        stripped = re.sub(r"\(\d{4}\)", "", stripped)
        return bool(SIGNAL_NAMES.search(text) or re.search(r"\d", stripped))

    new_q["malformed_entity_explanations"] = sum(any(malformed_name(x) for x in r["entities"]) for r in rows)
    new_q["signal_names_or_numbers"] = sum(leaks(r["text"], r["entities"]) for r in rows)
    new_q["lead"] = {k: sum(r["lead"] == k for r in rows) for k in ("asked", "liked", "popular", "none")}
    old_q = None
    if before is not None:
        old_q = {"cards": len(rows),
                 "signal_names_or_numbers": sum(leaks(r["old_text"], r["old_entities"]) for r in rows),
                 "malformed_entity_explanations": sum(any(malformed_name(x) for x in r["old_entities"]) for r in rows),
                 "long_chains": sum(r["old_text"].count("→") >= 2 for r in rows)}
    result = {
        "deletion_faithfulness": faith("new")["faithfulness"],
        "dataset": args.dataset, "seed": args.seed, "users": len(users), "cards": len(rows),
        "faithfulness": {"after": {p: faith("new", p) for p in ("3", "10", "full")} | {"all": faith("new")},
                         "before_kg_seed": {"all": faith("before_kg_seed")},
                         "knn_nearest": {"all": faith("knn_nearest")}},
        "attribution_vs_leave_one_out": {"profiles": len(loo["spearman"]),
                                         "spearman_median": round(float(np.nanmedian(loo["spearman"])), 3),
                                         "top_share_is_largest_drop": round(float(np.mean(loo["top_is_max"])), 3)},
        "reason_quality": {"after": new_q, "before": old_q, "malformed_names_seen": malformed_names},
        "holdout": {"held_out_users": len(users), "held_out_interactions": reduced.meta["held_out_interactions"],
                    "scorer": {k: v for k, v in sinfo.items() if k != "config"}},
        "seconds": round(time.perf_counter() - t_start, 1),
        "machine": machine(),
    }
    cmd = "python -m bench.bench_explanations " + " ".join(sys.argv[1:])
    result["command"] = cmd
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"explanations_{args.dataset}.json").write_text(json.dumps(result, indent=2))
    (out / f"explanations_{args.dataset}_cards.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    f = result["faithfulness"]
    lines = [f"# Explanations, {args.dataset}", "", f"Command: `{cmd}`", "",
             f"Commit {result['machine']['commit']}, {result['machine']['date']}; {len(users)} held-out users "
             f"(every interaction of theirs removed before the scorer was trained), {len(rows)} cards.", "",
             "## Deletion faithfulness", "",
             "Removing the cited liked title(s) lowers the card's score more than removing as many other liked titles "
             f"at random ({args.draws} draws per card; ties fail).", "",
             "| cited by | profile | cards | comparable | faithfulness | cited removal: rank drop | random removal: rank drop |",
             "|---|---|---|---|---|---|---|"]
    for name, key in (("this explanation", "after"), ("first KG path of today's explanation", "before_kg_seed"),
                      ("nearest liked title (ItemKNN)", "knn_nearest")):
        for p, v in f[key].items():
            lines.append(f"| {name} | {p} | {v['cards']} | {v['comparable']} | {v['faithfulness']} | "
                         f"{v['mean_rank_drop_cited']} | {v['mean_rank_drop_random']} |")
    lav = result["attribution_vs_leave_one_out"]
    q = new_q
    lines += ["", f"Attribution vs leave-one-out deletion (10-title profiles, first card, {lav['profiles']} profiles): "
              f"median Spearman {lav['spearman_median']}, top share is the largest drop in {lav['top_share_is_largest_drop']:.0%}.",
              "", "## Reason quality", "", "| | after | before |", "|---|---|---|",
              f"| cites a liked title or a <= 2-hop path | {q['cites_liked_or_short_path']:.1%} | |",
              f"| mean hops of cited paths | {q['mean_hops']} | |",
              f"| explanations through malformed names | {q['malformed_entity_explanations']} | "
              f"{old_q['malformed_entity_explanations'] if old_q else ''} |",
              f"| chat text with signal names or numbers | {q['signal_names_or_numbers']} | "
              f"{old_q['signal_names_or_numbers'] if old_q else ''} |",
              f"| paths of 3+ entities (→ twice or more) | | {old_q['long_chains'] if old_q else ''} |",
              f"| lead reason: asked / liked / popular / none | {q['lead']['asked']} / {q['lead']['liked']} / "
              f"{q['lead']['popular']} / {q['lead']['none']} | |"]
    (out / f"explanations_{args.dataset}.md").write_text("\n".join(lines) + "\n")
    ex_lines = [f"# Explanations before and after, {args.dataset}", "", f"Command: `{cmd}`; before = `{args.before}`.", ""]
    for n, e in enumerate(examples, 1):
        ex_lines += [f"## {n}. {e['card']}", "", f"Liked: {'; '.join(e['profile'])}", "",
                     f"- before: {e['before']}", f"- after: {e['after']}", ""]
    (out / f"explanations_examples_{args.dataset}.md").write_text("\n".join(ex_lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
