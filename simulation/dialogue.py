"""Dialogue evaluation (issue #13): simulated users vs systems, hit@10 by turn within a turn budget.

Protocol. Per seed, `sample_targets` draws users with >= 5 positives (rating >= 4); each user's
target is their most recent positive whose item has a year and a genre, and three other random
positives are the titles they say they liked. Every (user, target) interaction of that seed is
held out of all models (simulation.holdout: reduced data, its KG, a retrained scorer, and the
popularity the baseline ranks by). Every system answers the same users with the same words in
one process: each turn shows up to k=10 cards; the episode ends when the target is among them
or after max_turns=5 turns.

Reported per profile and system: hit@10 by turn (cumulative share of targets shown by turn
1..5), hit@10 within the budget, mean turns (a miss counts max_turns + 1), re-shown cards (an id
already shown earlier in the episode, or twice in one reply: must be 0), off-catalog cards (must
be 0), errors (turns where respond raised; the turn then shows nothing), mean cards per turn;
per seed and mean +- std over seeds (sample std), plus paired bootstrap 95% intervals over targets
(pooled over seeds) for ratios of hit@10 such as recassist / filter+popularity.

The assistant is a black box: only `respond(session_id, text) -> Reply` and the card ids are used.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from catalog.types import Dataset, RecassistError
from simulation.user import SCRIPTED_PROFILES, LeakError, ScriptedUser, SimulatedUser, build_script, leaks

K = 10
MAX_TURNS = 5
RATIOS = (("recassist", "filter+popularity"), ("recassist-no-scorer", "filter+popularity"),
          ("recassist", "recassist-no-scorer"))


@dataclass
class Target:
    user_id: str
    item_id: str
    liked: list[str]  # other positives of that user, named in the first message
    scripts: dict[str, ScriptedUser] = field(default_factory=dict, repr=False)  # scripted profile -> its turns


@dataclass
class Episode:
    target: str
    hit_turn: int | None  # the turn whose cards first held the target (None: never within the budget)
    off_catalog: int = 0
    reshown: int = 0
    errors: int = 0
    cards: list[int] = field(default_factory=list)  # cards returned per turn
    transcript: list[tuple[str, list[str]]] = field(default_factory=list)  # (user text, shown ids)


# -- targets ---------------------------------------------------------------------------
def sample_targets(ds: Dataset, n: int, seed: int, n_liked: int = 3, min_positives: int = 5, min_rating: float = 4.0,
                   profiles=SCRIPTED_PROFILES, max_turns: int = MAX_TURNS) -> list[Target]:
    """Up to `n` targets, one per sampled user (seeded); each with scripts for the scripted `profiles`.

    A user qualifies with >= min_positives positives (rating >= min_rating); the target is their
    most recent positive (ties: the later row) whose item has a year and >= 1 genre; the liked
    titles are `n_liked` random other positives whose titles do not name the target. Users whose
    scripts cannot avoid naming the target are skipped.
    """
    rng = random.Random(seed)
    inter, cat = ds.interactions, ds.catalog
    by_user: dict[int, list[int]] = {}
    for r in np.flatnonzero(inter.ratings >= min_rating):
        by_user.setdefault(int(inter.users[r]), []).append(int(r))
    users = sorted(u for u, rows in by_user.items() if len({int(inter.items[r]) for r in rows}) >= min_positives)
    rng.shuffle(users)
    out: list[Target] = []
    for u in users:
        rows = sorted(by_user[u], key=lambda r: (int(inter.timestamps[r]), r))
        target = next((cat.at(int(inter.items[r])) for r in reversed(rows)
                       if cat.at(int(inter.items[r])).year and cat.at(int(inter.items[r])).genres), None)
        if target is None:
            continue
        uid = inter.user_ids[u]
        others = sorted({int(inter.items[r]) for r in rows} - {cat.index(target.id)})
        others = [cat.at(i) for i in others if not leaks(cat.at(i).title, target.title)]
        if len(others) < n_liked:
            continue
        liked = random.Random(f"{seed}:liked:{uid}").sample(others, n_liked)
        try:
            scripts = {p: build_script(p, target, liked, random.Random(f"{seed}:{p}:{uid}:{target.id}"), max_turns)
                       for p in profiles if p in SCRIPTED_PROFILES}
        except LeakError:
            continue
        out.append(Target(uid, target.id, [it.id for it in liked], scripts))
        if len(out) == n:
            break
    return out


# -- episodes ----------------------------------------------------------------------------
def run_episode(system, user, session_id: str, catalog, max_turns: int = MAX_TURNS, k: int = K) -> Episode:
    """Drive one episode: the user's turn, the system's cards (first k), stop at the target."""
    ep = Episode(user.target.id, None)
    seen: set[str] = set()
    reply = None
    for turn in range(1, max_turns + 1):
        text = user.message(turn, reply)
        try:
            if getattr(system, "structured", False):
                reply = system.respond(session_id, text, facts=user.revealed(turn))
            else:
                reply = system.respond(session_id, text)
            ids = [c.item_id for c in reply.cards]
        except Exception:  # a crash costs the turn, is counted, and is shown once
            if ep.errors == 0:
                print(f"error in {session_id} turn {turn}:\n{traceback.format_exc()}", file=sys.stderr)
            ep.errors += 1
            reply, ids = None, []
        ep.cards.append(len(ids))
        ids = ids[:k]
        ep.off_catalog += sum(1 for i in ids if i not in catalog)
        for i in ids:
            ep.reshown += i in seen
            seen.add(i)
        ep.transcript.append((text, ids))
        if user.target.id in ids:
            ep.hit_turn = turn
            break
    return ep


def make_user(profile: str, t: Target, ds: Dataset, seed: int):
    if profile == "facts":
        return SimulatedUser(ds.catalog[t.item_id], ds.catalog, liked=t.liked, seed=seed)
    return t.scripts[profile]


def summarise(episodes: list[Episode], max_turns: int = MAX_TURNS) -> dict:
    n = len(episodes)
    turns = [e.hit_turn for e in episodes]
    cards = [c for e in episodes for c in e.cards]
    return {
        "n": n,
        "hit@10": sum(t is not None for t in turns) / n,
        "hit@10_by_turn": [sum(t is not None and t <= j for t in turns) / n for j in range(1, max_turns + 1)],
        "mean_turns": sum(t or max_turns + 1 for t in turns) / n,
        "reshown_cards": sum(e.reshown for e in episodes),
        "off_catalog_cards": sum(e.off_catalog for e in episodes),
        "errors": sum(e.errors for e in episodes),
        "cards_per_turn": sum(cards) / max(len(cards), 1),
    }


def _mean_std(vals: list[float]) -> dict:
    return {"mean": statistics.fmean(vals), "std": statistics.stdev(vals) if len(vals) > 1 else 0.0}


def aggregate(runs: list[dict], max_turns: int = MAX_TURNS) -> dict:
    """Mean and (sample) std over seeds; counts summed."""
    agg = {key: _mean_std([r[key] for r in runs]) for key in ("hit@10", "mean_turns", "cards_per_turn")}
    agg["hit@10_by_turn"] = [_mean_std([r["hit@10_by_turn"][j] for r in runs]) for j in range(max_turns)]
    for key in ("reshown_cards", "off_catalog_cards", "errors", "n"):
        agg[key] = sum(r[key] for r in runs)
    agg["per_seed"] = runs
    return agg


def paired_bootstrap_ratio(a: list[float], b: list[float], n_boot: int = 2000, seed: int = 0) -> dict:
    """mean(a) / mean(b) with a paired (same resampled targets) percentile bootstrap 95% interval."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    n = len(a)

    def ratio(x, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(y > 0, x / np.where(y > 0, y, 1), np.where(x > 0, np.inf, np.nan))

    point = float(ratio(np.array(a.mean()), np.array(b.mean()))) if n else float("nan")
    if n == 0:
        return {"ratio": point, "ci95": [float("nan"), float("nan")], "n": 0}
    idx = np.random.default_rng(seed).integers(0, n, size=(n_boot, n))
    r = ratio(a[idx].mean(1), b[idx].mean(1))
    r = r[~np.isnan(r)]
    r = np.sort(r)  # may hold inf (a resample where b never hit): order statistics, not interpolation
    lo, hi = (r[int(np.floor(0.025 * (len(r) - 1)))], r[int(np.ceil(0.975 * (len(r) - 1)))]) if len(r) else (np.nan, np.nan)
    return {"ratio": point, "ci95": [float(lo), float(hi)], "n": n, "a": float(a.mean()), "b": float(b.mean())}


# -- the whole evaluation --------------------------------------------------------------------
def evaluate(systems: dict | Callable, ds: Dataset, n_targets: int, seeds: list[int], profiles=("vague", "taste"),
             max_turns: int = MAX_TURNS, k: int = K, progress: bool = True, n_liked: int = 3,
             verbose: bool = False, on_episode: Callable[[dict], None] | None = None) -> dict:
    """Run every system on the same targets, users and words for each seed and profile.

    `systems` is a dict name -> system used for every seed, or a callable (seed, targets) ->
    (dict name -> system, info dict) that builds them per seed (e.g. with the targets held out).
    `on_episode`, if given, receives every episode as a dict (seed, profile, system, target, turns).
    """
    from tqdm import tqdm

    per: dict[str, dict[str, list[dict]]] = {p: {} for p in profiles}
    hits: dict[str, dict[str, list[float]]] = {p: {} for p in profiles}
    seed_info = []
    for seed in seeds:
        targets = sample_targets(ds, n_targets, seed, n_liked=n_liked, max_turns=max_turns,
                                 profiles=[p for p in profiles if p in SCRIPTED_PROFILES])
        if not targets:
            raise RecassistError(f"{ds.name}: no user has >= 5 positives with a dated, genred item to be a target")
        info: dict = {"seed": seed, "targets": len(targets)}
        if callable(systems):
            t0 = time.perf_counter()
            built, extra = systems(seed, targets)
            info.update(extra or {})
            info["setup_seconds"] = round(time.perf_counter() - t0, 1)
        else:
            built = systems
        seed_info.append(info)
        for profile in profiles:
            for name, system in built.items():
                t0 = time.perf_counter()
                eps = []
                for j, t in enumerate(tqdm(targets, desc=f"{profile} {name} seed {seed}", disable=not progress)):
                    user = make_user(profile, t, ds, seed)
                    eps.append(run_episode(system, user, f"sim-{seed}-{profile}-{name}-{j}", ds.catalog, max_turns, k))
                    if on_episode is not None:
                        on_episode({"seed": seed, "profile": profile, "system": name, "user": t.user_id,
                                    "target": t.item_id, "liked": t.liked, "hit_turn": eps[-1].hit_turn,
                                    "errors": eps[-1].errors, "turns": eps[-1].transcript})
                s = summarise(eps, max_turns)
                s["seed"] = seed
                s["seconds"] = round(time.perf_counter() - t0, 1)
                per[profile].setdefault(name, []).append(s)
                if verbose:
                    print(f"seed {seed} {profile} {name}: hit@10 {s['hit@10']:.3f} mean turns {s['mean_turns']:.2f} "
                          f"re-shown {s['reshown_cards']} off-catalog {s['off_catalog_cards']} errors {s['errors']} "
                          f"[{s['seconds']}s]", file=sys.stderr)
                hits[profile].setdefault(name, []).extend(float(e.hit_turn is not None) for e in eps)
    out_profiles = {}
    for profile in profiles:
        sys_aggs = {name: aggregate(runs, max_turns) for name, runs in per[profile].items()}
        ratios = {f"{a} / {b}": paired_bootstrap_ratio(hits[profile][a], hits[profile][b])
                  for a, b in RATIOS if a in hits[profile] and b in hits[profile]}
        out_profiles[profile] = {"systems": sys_aggs, "ratios_hit@10": ratios}
    return {"n_targets": n_targets, "seeds": list(seeds), "profiles": list(profiles), "max_turns": max_turns, "k": k,
            "seed_info": seed_info, "results": out_profiles}


def held_out_systems(ds: Dataset, paths, cfg, *, backend=None, scorer_config=None, chat_rec: bool = False,
                     cache_root=None, progress: bool = True) -> Callable:
    """A `systems` callable for `evaluate`: per seed, hold that seed's targets out of the data, the
    KG, the scorer and the popularity counts, then build recassist, recassist-no-scorer and
    filter+popularity (and chat-rec when asked) on the reduced data."""
    from assistant.build import build_assistant, load_index
    from kg.graph import KnowledgeGraph
    from simulation.baselines import ChatRecBaseline, FilterPopularityBaseline
    from simulation.holdout import holdout_dataset, holdout_scorer, item_popularity

    def make(seed: int, targets: list[Target]):
        pairs = [(t.user_id, t.item_id) for t in targets]
        reduced = holdout_dataset(ds, pairs)
        t0 = time.perf_counter()
        kg = KnowledgeGraph.build(reduced)
        kg_s = round(time.perf_counter() - t0, 1)
        scorer, sinfo = holdout_scorer(reduced, kg, paths, seed, pairs, config=scorer_config, cache_root=cache_root,
                                       progress=progress)
        systems = {
            "recassist": build_assistant(cfg, backend=backend, dataset=reduced, kg=kg, scorer=scorer),
            "recassist-no-scorer": build_assistant(cfg, backend=backend, dataset=reduced, kg=kg, scorer=None),
            "filter+popularity": FilterPopularityBaseline(ds.catalog, item_popularity(reduced), k=cfg.k),
        }
        if chat_rec:
            index, why = load_index(reduced, paths, cfg.chroma_url)
            if index is None:
                print(f"note: chat-rec baseline skipped ({why})", file=sys.stderr)
            else:
                systems["chat-rec"] = ChatRecBaseline(index, ds.catalog, llm=backend, k=cfg.k)
        info = {"held_out_pairs": len(pairs), "held_out_interactions": reduced.meta["held_out_interactions"],
                "kg_build_seconds": kg_s, "scorer": {k: v for k, v in sinfo.items() if k != "config"},
                "scorer_config": sinfo["config"]}
        return systems, info

    return make


# -- report ---------------------------------------------------------------------------
def git_commit(cwd: Path | None = None, short: bool = True) -> dict:
    import subprocess

    cwd = cwd or Path(__file__).resolve().parents[1]
    try:
        sha = subprocess.run(["git", "rev-parse", *(["--short"] if short else []), "HEAD"], cwd=cwd, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                                    capture_output=True, text=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return {"commit": "unknown", "dirty": None}
    return {"commit": sha, "dirty": dirty}


def _ms(d: dict, digits: int = 3) -> str:
    return f"{d['mean']:.{digits}f} ± {d['std']:.{digits}f}"


def ratio_text(r: dict) -> str:
    if not np.isfinite(r["ratio"]):
        return f"n/a (denominator hit@10 = {r.get('b', 0):.3f})"
    return f"{r['ratio']:.2f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]"


def write_report(result: dict, out_dir, stem: str) -> Path:
    """<out_dir>/<stem>.json + .md (stem e.g. dialogue_ml-100k_rules)."""
    import json

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.json").write_text(json.dumps(result, indent=2, default=float))
    mt = result["max_turns"]
    commit = result.get("git", {})
    lines = [f"# Dialogue evaluation ({result.get('dataset', '?')}, {result.get('llm', '?')})", "",
             f"Command: `{result.get('command', '')}`", "",
             f"Commit: {commit.get('commit', '?')}{' (with uncommitted changes)' if commit.get('dirty') else ''}; "
             f"dataset {result.get('dataset', '?')}; seeds {result['seeds']}; profiles {', '.join(result['profiles'])}; "
             f"{result['n_targets']} targets per seed; {result['k']} cards per turn, at most {mt} turns "
             f"(a miss counts {mt + 1} turns in mean turns).", "",
             "Targets are held out of every model: per seed, each sampled user's target interactions are removed "
             "from the data the KG, the fusion scorer (retrained) and the baseline's popularity come from.", ""]
    for si in result.get("seed_info", []):
        sc = si.get("scorer", {})
        lines.append(f"- seed {si['seed']}: {si['targets']} targets, {si.get('held_out_interactions', '?')} interactions "
                     f"held out; scorer {'cached' if sc.get('cached') else 'trained'} "
                     f"({sc.get('train_seconds', '?')} s training); setup {si.get('setup_seconds', '?')} s")
    for profile, res in result["results"].items():
        systems = res["systems"]
        lines += ["", f"## Profile `{profile}`", "",
                  "| system | hit@10 within 5 turns | mean turns | re-shown cards | off-catalog cards | errors | cards/turn |",
                  "|---|---|---|---|---|---|---|"]
        for name, s in systems.items():
            lines.append(f"| {name} | {_ms(s['hit@10'])} | {_ms(s['mean_turns'], 2)} | {s['reshown_cards']} | "
                         f"{s['off_catalog_cards']} | {s['errors']} | {_ms(s['cards_per_turn'], 1)} |")
        lines += ["", "hit@10 by turn (cumulative share of targets shown by turn t):", "",
                  "| system | " + " | ".join(f"t={j}" for j in range(1, mt + 1)) + " |",
                  "|---|" + "---|" * mt]
        for name, s in systems.items():
            lines.append(f"| {name} | " + " | ".join(_ms(v) for v in s["hit@10_by_turn"]) + " |")
        if res.get("ratios_hit@10"):
            lines += ["", "Ratios of hit@10 within the budget (paired bootstrap 95% interval over targets, pooled over seeds):", ""]
            lines += [f"- {pair}: {ratio_text(r)} (n = {r['n']})" for pair, r in res["ratios_hit@10"].items()]
        lines += ["", "Per seed (hit@10 by turn 1..5; mean turns):", "", "| system | seed | n | hit@10 by turn | mean turns | seconds |",
                  "|---|---|---|---|---|---|"]
        for name, s in systems.items():
            for r in s["per_seed"]:
                lines.append(f"| {name} | {r['seed']} | {r['n']} | {' / '.join(f'{v:.3f}' for v in r['hit@10_by_turn'])} | "
                             f"{r['mean_turns']:.2f} | {r['seconds']} |")
    md = out_dir / f"{stem}.md"
    md.write_text("\n".join(lines) + "\n")
    return md
