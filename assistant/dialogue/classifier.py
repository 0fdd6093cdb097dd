"""The dialogue-act classifier: sentence embeddings of the entity-masked message + a softmax model.

Input: the message with its linked entities replaced by their kind ("i loved TITLE and TITLE, any
GENRE?"), so the model learns phrasing, not titles, and works on any catalog; plus a few flags of
the conversation (are cards on screen? is there a current request?) and of the masked text (which
entity kinds it holds). Features: the 384-d MiniLM embedding (the one the vector index already
loads) concatenated with those flags. Model: multinomial logistic regression with L2, fitted with
L-BFGS (scipy) in well under a second.

Training data: `assistant/dialogue/data/acts.jsonl` (bench/build_act_data.py writes it), rows
{"masked", "cards", "request", "act", "source"}: phrasings written for the classifier ("authored"), the
development part of the labelled NLU set ("dev") and the development parts of the open-request sets
("open_dev": 792 first messages that ask for films in thirteen writers' own words, "flirty. two people
bickering till they finally kiss"), masked with the ML-100K linker. The held-out parts of both sets
(tests/data/nlu/heldout.jsonl, tests/data/open_requests/heldout*.jsonl) are never read here.

What it does not do: link entities (entities.py) or apply rules / the LLM (nlu.py).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import numpy as np

from assistant.dialogue.acts import ACTS

KINDS = ("TITLE", "PERSON", "GENRE", "DECADE", "YEAR", "PLACE")


def training_rows(path: Path | None = None) -> list[dict]:
    text = Path(path).read_text() if path else resources.files("assistant.dialogue").joinpath("data/acts.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def flags(masked: str, cards: bool, request: bool) -> np.ndarray:
    """(8,) float32: conversation flags + which entity kinds the masked text holds."""
    f = [float(cards), float(request)] + [float(k in masked) for k in KINDS]
    return np.asarray(f, np.float32)


def _clean(masked: str) -> str:
    return re.sub(r"\s+", " ", masked).strip()


class ActClassifier:
    """Softmax over ACTS. Build with `ActClassifier.train(rows, embedder)`."""

    def __init__(self, embedder, W: np.ndarray, b: np.ndarray, acts: tuple[str, ...] = ACTS):
        self.embedder = embedder
        self.W, self.b, self.acts = W, b, acts  # W (dim + 8, n_acts) float64, b (n_acts,)

    @staticmethod
    def _features(embedder, masked: list[str], card_flags, request_flags, cache: Path | None = None) -> np.ndarray:
        from retrieval.embedders import embed_cached

        vecs = embed_cached(embedder, [_clean(m) for m in masked], cache)  # (n, 384)
        extra = np.stack([flags(m, c, r) for m, c, r in zip(masked, card_flags, request_flags)])  # (n, 8)
        return np.concatenate([vecs, 2.0 * extra], axis=1).astype(np.float64)

    @classmethod
    def train(cls, rows: list[dict], embedder, l2: float = 3e-3, cache: Path | None = None) -> "ActClassifier":
        from scipy.optimize import minimize

        X = cls._features(embedder, [r["masked"] for r in rows], [r["cards"] for r in rows], [r["request"] for r in rows],
                          cache)
        y = np.array([ACTS.index(r["act"]) for r in rows])
        n, d = X.shape
        k = len(ACTS)
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1.0
        # class weights: every act counts the same, however many phrasings it has
        counts = Y.sum(0)
        w = (1.0 / np.maximum(counts, 1))[y] * n / k  # (n,)

        def loss(theta):
            W, b = theta[: d * k].reshape(d, k), theta[d * k:]
            Z = X @ W + b
            Z -= Z.max(1, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(1, keepdims=True)
            nll = -(w * np.log(P[np.arange(n), y] + 1e-12)).sum() / n
            G = (P - Y) * w[:, None] / n  # (n, k)
            gW = X.T @ G + l2 * W
            return nll + 0.5 * l2 * (W * W).sum(), np.concatenate([gW.ravel(), G.sum(0)])

        res = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": 400})
        return cls(embedder, res.x[: d * k].reshape(d, k), res.x[d * k:])

    def predict(self, masked: str, cards: bool, request: bool) -> list[tuple[str, float]]:
        """[(act, probability)], most likely first."""
        X = self._features(self.embedder, [masked], [cards], [request])
        z = X @ self.W + self.b
        p = np.exp(z - z.max())
        p = (p / p.sum())[0]
        order = np.argsort(-p)
        return [(self.acts[i], float(p[i])) for i in order]
