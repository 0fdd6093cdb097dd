"""A learned reading of the genres a request's wording leans to, and whether it wants films critics rate, for the
words the rules cannot read.

"gossipy mood. scandals, whispering behind fans" or "stir crazy ... open skies, people outdoors doing stuff"
name no genre, mood example or quality, yet people who write such requests mostly mean dramas and romances,
or adventures and westerns. This model learns that from the development open requests: MiniLM embedding of
the lower-cased message (384-d, the embedder the vector index already loads) -> one logistic regression per
genre (one-vs-rest, L2, fitted with L-BFGS in about a second). The labels of a row are every genre its criteria
ask for (`genres_any` anywhere in its hard or soft predicate; tests/data/open_requests/dev*.jsonl), and QUALITY
("well_reviewed") when they ask for a critic score (`critic_pct_min`): "what would a film professor put on the
syllabus" names no quality word the rules know.

A leaning is a ranking signal, never a filter: tools.rank_candidates orders items of a leaning genre first,
within what the request's constraints already allow, and the reply says it did so and why. Leanings are read
only for genres the message did not name or refuse, nor for the kin of a refused genre ("no kids films": no family or
animated films either; refused_kin). Beside moods the rules read, they are also read (at
BESIDE_THRESHOLD) and are half of the mood fit instead (bench/lobo_leanings.py scores that on the development
splits with each split left out of the training rows). The quality leaning is read where the rules read no quality
word, beside anything else, at QUALITY_THRESHOLD; it ranks by critic score as the "well reviewed" quality word does
(catalog.facets.FacetStats.request_fit), and the reply says it is a guess too.

Training data: assistant/dialogue/data/leanings.jsonl (bench/build_leaning_data.py writes it from the
development splits only). The held-out splits (tests/data/open_requests/heldout*.jsonl) are never read here.
When a leaning is read and when it ranks was chosen by training on dev..dev12 and measuring on dev13..dev19; the
threshold (0.5) and the number of genres kept (3) were set before that. bench/bench_leanings.py measures the model
alone on that split.

A second model of the same form reads whether the wording dates the films (DATED): the label of a row is whether its
criteria name a year (`year`, `year_min`, `year_max`). "something from when my parents were courting" or "a comedy
from back when my dad was a teenager" name no year the rules can read, and fit no cue of entities.unread_years; where
no year was read, the reply then asks which years (assistant.dialogue.policy) rather than listing films from any year.
DATED_THRESHOLD (0.5) was chosen on the development splits, each scored with a model trained without its batch (on the
raw wording), on the requests whose years the rules had not read when the batch was first run (15 batches): 25 of 31
that name years are caught, and 14 of 685 that do not are asked (bench/lobo_leanings.py measures the cards).

What it does not do: decide the act, read moods or explicit genres (open_slots.py, entities.py), or rank.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np

THRESHOLD = 0.5  # a genre is a leaning when its probability is at least this
# beside moods the rules read, a lower bar: there the leaning is half of the fit, not the order (tools.rank_candidates).
# Chosen on the development splits, each batch scored with a model trained without it (ML-100K, soft criteria):
# 0.3 +0.5 pt, 0.5 +0.3 pt; bench/lobo_leanings.py
BESIDE_THRESHOLD = 0.3
MAX_LEANINGS = 3
QUALITY = "well_reviewed"  # the label of rows whose criteria want a critic score; a catalog.facets quality word
QUALITY_THRESHOLD = 0.5  # the quality leaning is read at this probability or more (bench/lobo_leanings.py)
DATED = "dated"  # the label of rows whose criteria name a year: the wording dates the films
DATED_THRESHOLD = 0.5  # the wording is read as dating the films at this probability or more (module doc)
YEAR_KEYS = frozenset({"year", "year_min", "year_max"})


# genres a refusal of one also refuses as a leaning: "no kids films" leans to no family or animated film either
_KIN = {"Children's": ("Family", "Animation"), "Family": ("Children's",)}


def refused_kin(not_genres) -> set[str]:
    """The refused genres and their kin (_KIN): what no leaning may read."""
    return set(not_genres) | {k for g in not_genres for k in _KIN.get(g, ())}


def criterion_genres(pred: dict | None, key: str = "genres_any") -> set[str]:
    """Every genre under `key` anywhere in an open-request predicate (all_of / any_of nest)."""
    out: set[str] = set()
    for k, v in (pred or {}).items():
        if k in ("all_of", "any_of"):
            for sub in v:
                out |= criterion_genres(sub, key)
        elif k == key:
            out |= set(v)
    return out


def criterion_keys(pred: dict | None) -> set[str]:
    """Every key a predicate tests, anywhere in it: {"genres_any", "critic_pct_min", ...}."""
    out: set[str] = set()
    for k, v in (pred or {}).items():
        if k in ("all_of", "any_of"):
            for sub in v:
                out |= criterion_keys(sub)
        else:
            out.add(k)
    return out


def row_labels(row: dict) -> list[str]:
    """A training row's labels: the genres it asks for, and QUALITY when it asks for a critic score."""
    return list(row["asked"]) + ([QUALITY] if row.get("critics") else [])


def dated_labels(row: dict) -> list[str]:
    """A training row's label for the dated model: [DATED] when its criteria name a year."""
    return [DATED] if row.get("dated") else []


def training_rows(path: Path | None = None) -> list[dict]:
    """Rows {"text", "asked": [genres], "critics": bool, "dated": bool, "source"} (bench/build_leaning_data.py)."""
    text = Path(path).read_text() if path else resources.files("assistant.dialogue").joinpath(
        "data/leanings.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _texts(texts: list[str]) -> list[str]:
    return [" ".join(t.lower().split()) for t in texts]


class Leanings:
    """P(the request asks for label g | its wording), for each genre (and QUALITY) seen often enough in the
    training rows. The labels are independent one-vs-rest fits: adding one does not change another's."""

    def __init__(self, embedder, W: np.ndarray, b: np.ndarray, labels: tuple[str, ...],
                 threshold: float = THRESHOLD, max_leanings: int = MAX_LEANINGS,
                 beside_threshold: float = BESIDE_THRESHOLD, quality_threshold: float = QUALITY_THRESHOLD):
        self.embedder = embedder
        self.W, self.b, self.labels = W, b, labels  # W (384, n_labels) float64, b (n_labels,); labels: genres, QUALITY
        self.threshold, self.max_leanings = threshold, max_leanings
        self.beside_threshold, self.quality_threshold = beside_threshold, quality_threshold
        self.dated: Leanings | None = None  # the DATED model (train_all), None when not trained

    @classmethod
    def train_all(cls, rows: list[dict], embedder, cache: Path | None = None) -> "Leanings":
        """The genre-and-quality model, with the DATED model trained on the same rows as its `dated`."""
        model = cls.train(rows, embedder, cache=cache)
        model.dated = cls.train(rows, embedder, cache=cache, labels_of=dated_labels)
        return model

    @classmethod
    def train(cls, rows: list[dict], embedder, l2: float = 1e-4, min_rows: int = 8,
              cache: Path | None = None, labels_of=row_labels) -> "Leanings":
        from scipy.optimize import minimize

        texts = _texts([r["text"] for r in rows])
        from retrieval.embedders import embed_cached

        X = embed_cached(embedder, texts, cache).astype(np.float64)  # (n, 384)
        counts: dict[str, int] = {}
        for r in rows:
            for g in labels_of(r):
                counts[g] = counts.get(g, 0) + 1
        names = tuple(sorted(g for g, c in counts.items() if c >= min_rows))
        Y = np.array([[g in labels_of(r) for g in names] for r in rows], np.float64)  # (n, n_labels)
        n, d = X.shape
        k = len(names)

        def loss(theta):
            W, b = theta[: d * k].reshape(d, k), theta[d * k:]
            P = 1.0 / (1.0 + np.exp(-(X @ W + b)))
            nll = -(Y * np.log(P + 1e-12) + (1 - Y) * np.log(1 - P + 1e-12)).sum() / n
            G = (P - Y) / n  # (n, k)
            return nll + 0.5 * l2 * (W * W).sum(), np.concatenate([(X.T @ G + l2 * W).ravel(), G.sum(0)])

        res = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": 500})
        return cls(embedder, res.x[: d * k].reshape(d, k), res.x[d * k:], names)

    def probabilities(self, text: str) -> dict[str, float]:
        x = np.asarray(self.embedder.embed(_texts([text])), np.float64)  # (1, 384)
        p = 1.0 / (1.0 + np.exp(-(x @ self.W + self.b)))[0]  # (n_labels,)
        return {g: float(v) for g, v in zip(self.labels, p)}

    def read(self, text: str, skip: set[str] = frozenset(), threshold: float | None = None) -> list[str]:
        """The genres (catalog or OMDb labels) the wording leans to, most likely first; not those in `skip`."""
        return self.read_probabilities(self.probabilities(text), skip, threshold)

    def read_probabilities(self, p: dict[str, float], skip: set[str] = frozenset(),
                           threshold: float | None = None, beside: bool = False) -> list[str]:
        """read() from probabilities; `beside`: at the bar for leanings beside moods the rules read."""
        t = threshold if threshold is not None else self.beside_threshold if beside else self.threshold
        ranked = sorted((g for g in p if g not in skip and g != QUALITY and p[g] >= t), key=lambda g: -p[g])
        return ranked[: self.max_leanings]

    def reads_dated(self, text: str) -> bool:
        """Whether the wording dates the films (the DATED model's probability is at least DATED_THRESHOLD)."""
        return self.dated is not None and self.dated.probabilities(text).get(DATED, 0.0) >= DATED_THRESHOLD

    def read_quality(self, p: dict[str, float]) -> list[str]:
        """[QUALITY] when the wording (its probabilities) leans to films critics rate, else []."""
        return [QUALITY] if p.get(QUALITY, 0.0) >= self.quality_threshold else []
