"""Dialogue evaluation: simulated users vs an assistant, hit@k within a turn budget.

An episode: the simulated user (simulation.user) asks for its hidden target;
after each assistant reply the shown cards are checked. The episode ends
when the target's id is among the first 10 cards (hit@10); hit@5 means it
was among the first 5 at that moment. On a miss the user reveals one more fact. Turns-to-hit counts the reply that
first shows the target; a failure counts as max_turns + 1. Off-catalog ids in
cards are counted (they must stay 0).

Also a Chat-Rec-style baseline (retrieval over the conversation + optional
LLM pick, no scorer, no KG) exposing the same `respond` as the assistant, so
both run on the same targets in the same process.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from assistant.api import Card, Reply
from catalog.types import Dataset
from simulation.user import SimulatedUser


@dataclass
class Target:
    user_id: str
    item_id: str
    liked: list[str]  # other positives of that user, mentioned in the first message


@dataclass
class Episode:
    target: str
    hit5_turn: int | None
    hit10_turn: int | None
    off_catalog: int
    transcript: list[tuple[str, list[str]]] = field(default_factory=list)  # (user text, shown ids)


def sample_targets(ds: Dataset, n: int, seed: int, n_liked: int = 3, min_rating: float = 4.0) -> list[Target]:
    """Held-out targets: each sampled user's most recent positive whose item has named entities.

    The user's other positives (highest-rated first) become the liked items it mentions.
    """
    rng = random.Random(seed)
    inter = ds.interactions
    cat = ds.catalog
    by_user: dict[int, list[int]] = {}
    pos = np.flatnonzero(inter.ratings >= min_rating)
    for r in pos:
        by_user.setdefault(int(inter.users[r]), []).append(int(r))
    users = sorted(u for u, rows in by_user.items() if len(rows) > n_liked)
    rng.shuffle(users)
    out: list[Target] = []
    for u in users:
        rows = sorted(by_user[u], key=lambda r: int(inter.timestamps[r]))
        last = rows[-1]
        item = cat.at(int(inter.items[last]))
        if not item.directors:
            continue
        rest = sorted(rows[:-1], key=lambda r: -float(inter.ratings[r]))
        liked = [cat.at(int(inter.items[r])).id for r in rest[:n_liked]]
        out.append(Target(inter.user_ids[u], item.id, liked))
        if len(out) == n:
            break
    return out


def run_episode(assistant, user: SimulatedUser, session_id: str, max_turns: int = 5) -> Episode:
    ep = Episode(user.target.id, None, None, 0)
    text = user.first_message()
    for turn in range(1, max_turns + 1):
        reply: Reply = assistant.respond(session_id, text)
        ids = [c.item_id for c in reply.cards]
        ep.off_catalog += sum(1 for i in ids if i not in user.catalog)
        ep.transcript.append((text, ids))
        if user.target.id in ids[:5]:
            ep.hit5_turn = turn
        if user.target.id in ids[:10]:  # the user has seen it: the episode ends
            ep.hit10_turn = turn
            break
        text = user.reply(reply.question, reply.options)
    return ep


def summarise(episodes: list[Episode], max_turns: int) -> dict:
    n = len(episodes)
    fail = max_turns + 1
    return {
        "n": n,
        "hit@10": sum(e.hit10_turn is not None for e in episodes) / n,
        "hit@5": sum(e.hit5_turn is not None for e in episodes) / n,
        "avg_turns": sum(e.hit10_turn or fail for e in episodes) / n,
        "off_catalog_cards": sum(e.off_catalog for e in episodes),
    }


def evaluate(systems: dict, ds: Dataset, n_targets: int, seeds: list[int], max_turns: int = 5, progress: bool = True,
             n_liked: int = 3) -> dict:
    """Run every system on the same targets for each seed; mean and std over seeds."""
    from tqdm import tqdm

    from catalog.types import RecassistError

    per_seed: dict[str, list[dict]] = {name: [] for name in systems}
    for seed in seeds:
        targets = sample_targets(ds, n_targets, seed, n_liked=n_liked)
        if not targets:
            raise RecassistError(f"{ds.name}: no user has more than {n_liked} positives on items with named entities")
        for name, system in systems.items():
            t0 = time.perf_counter()
            eps = []
            for j, t in enumerate(tqdm(targets, desc=f"{name} seed {seed}", disable=not progress)):
                user = SimulatedUser(ds.catalog[t.item_id], ds.catalog, liked=t.liked, seed=seed)
                eps.append(run_episode(system, user, f"sim-{name}-{seed}-{j}", max_turns))
            s = summarise(eps, max_turns)
            s["seconds"] = round(time.perf_counter() - t0, 1)
            per_seed[name].append(s)
    out = {}
    for name, runs in per_seed.items():
        agg = {}
        for key in ("hit@10", "hit@5", "avg_turns"):
            vals = [r[key] for r in runs]
            agg[key] = {"mean": statistics.fmean(vals), "std": statistics.pstdev(vals)}
        agg["off_catalog_cards"] = sum(r["off_catalog_cards"] for r in runs)
        agg["per_seed"] = runs
        out[name] = agg
    return {"n_targets": n_targets, "seeds": seeds, "max_turns": max_turns, "systems": out}


class ChatRecBaseline:
    """Chat-Rec-style: retrieve top-20 by the whole conversation's text, optionally let the LLM pick 10.

    No scorer, no KG. Per-session conversation kept in a dict keyed by session id.
    """

    backend_name = "chat-rec"

    def __init__(self, index, catalog, llm=None, pool: int = 20):
        self.index, self.catalog, self.llm, self.pool = index, catalog, llm, pool
        self._turns: dict[str, list[str]] = {}
        self._shown: dict[str, set[str]] = {}

    def respond(self, session_id: str, text: str, on_cards=None) -> Reply:
        turns = self._turns.setdefault(session_id, [])
        turns.append(text)
        shown = self._shown.setdefault(session_id, set())
        hits = [h for h in self.index.search(" ".join(turns), k=self.pool + len(shown)) if h.item_id not in shown][: self.pool]
        ids = [h.item_id for h in hits]
        if self.llm is not None and ids:
            ids = self._llm_pick(turns, ids)
        cards = [Card(item_id=i, title=self.catalog[i].display_title, year=self.catalog[i].year, score=0.0) for i in ids[:10]]
        shown.update(c.item_id for c in cards)
        return Reply(text="", cards=cards, intent="recommend", backend=self.backend_name)

    def _llm_pick(self, turns: list[str], ids: list[str]) -> list[str]:
        listing = "\n".join(f"{n}. {self.catalog[i].display_title}" for n, i in enumerate(ids))
        schema = {
            "type": "object",
            "properties": {"picks": {"type": "array", "items": {"type": "integer"}, "maxItems": 10}},
            "required": ["picks"],
        }
        msgs = [
            {"role": "system", "content": "You pick the 10 candidate numbers that best fit the user's request. Answer JSON."},
            {"role": "user", "content": f"Request: {' '.join(turns)}\nCandidates:\n{listing}"},
        ]
        try:
            picks = self.llm.complete_json(msgs, schema, max_tokens=80).get("picks", [])
        except Exception:
            return ids
        chosen = [ids[p] for p in dict.fromkeys(picks) if isinstance(p, int) and 0 <= p < len(ids)]
        return chosen + [i for i in ids if i not in chosen]


def write_report(result: dict, out_dir, dataset: str, command: str) -> "Path":
    """docs/results/dialogue_<dataset>.json + .md: one row per system, mean ± std over seeds."""
    import json
    from pathlib import Path

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = {"command": command, "dataset": dataset, **result}
    (out_dir / f"dialogue_{dataset}.json").write_text(json.dumps(payload, indent=2))
    lines = [f"# Dialogue evaluation ({dataset})", "", f"Command: `{command}`", "",
             f"{result['n_targets']} held-out targets per seed, seeds {result['seeds']}, at most {result['max_turns']} turns, "
             f"LLM: {result.get('llm', '?')}. Failure counts as {result['max_turns'] + 1} turns.", "",
             "| system | hit@10 | hit@5 | avg turns | off-catalog cards |", "|---|---|---|---|---|"]
    for name, s in result["systems"].items():
        f = lambda k: f"{s[k]['mean']:.3f} ± {s[k]['std']:.3f}"  # noqa: E731
        lines.append(f"| {name} | {f('hit@10')} | {f('hit@5')} | {f('avg_turns')} | {s['off_catalog_cards']} |")
    md = out_dir / f"dialogue_{dataset}.md"
    md.write_text("\n".join(lines) + "\n")
    return md
