"""The recommender contract shared by every model: `fit(train, catalog, valid=None)` then
`recommend(user_or_profile, k, candidates) -> (ids, scores)`.

What it does: defines `Profile` (a user described only by items and KG entities, for cold start
and chat), the `Recommender` base class that turns a model's score vector into a masked,
candidate-restricted top-k, and the user/profile -> history conversion every model shares.
What it does not do: define any model (see `scorer.baselines`, `scorer.fusion`) or evaluate
(see `scorer.protocol`).

Models implement `_fit(X)` on the binary (n_users, n_items) training matrix and
`_score_history(H) -> (b, n_items)` for a batch of history rows; models with user embeddings
override `score_users` as well. Iterative models may read `self.valid_csr` (validation
positives, same users) in `_fit` to stop early; it is None when `fit` gets no validation split.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from catalog.types import Catalog, CatalogError, Interactions, RecassistError


class ScorerError(RecassistError):
    """Expected scorer failure (unknown user, model not fitted, missing artifact); says what to do."""


@dataclass
class Profile:
    """A user known only by what they said: item ids and KG entity node ids (e.g. "genre:Sci-Fi")."""

    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)


def binary_csr(inter: Interactions, n_items: int):
    """(n_users, n_items) float32 CSR with 1.0 for every (user, item) event (duplicates collapse)."""
    import scipy.sparse as sp

    X = sp.csr_matrix(
        (np.ones(len(inter), np.float32), (inter.users, inter.items)), shape=(inter.n_users, n_items)
    )
    X.data[:] = 1.0
    return X


class Recommender(ABC):
    """Base of every model. Subclasses set `name` and implement `_fit` and `_score_history`."""

    name: str = "recommender"
    disliked_weight: float = -1.0  # history weight of a disliked item for history-based models

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.train_csr = None  # (n_users, n_items) float32 CSR, 1.0 = training positive
        self.valid_csr = None  # (n_users, n_items) float32 CSR of validation positives, or None
        self._user_row: dict[str, int] = {}

    # -- contract -----------------------------------------------------------
    def fit(self, train: Interactions, catalog: Catalog, valid: Interactions | None = None) -> "Recommender":
        """Fit on `train`; `valid` (same user index as train) is only read by models that stop early."""
        self.catalog = catalog
        self.train_csr = binary_csr(train, len(catalog))
        self.valid_csr = binary_csr(valid, len(catalog)) if valid is not None else None
        self._user_row = {u: i for i, u in enumerate(train.user_ids)}
        self._fit(self.train_csr)
        return self

    def recommend(
        self,
        user_or_profile: "str | Profile",
        k: int = 10,
        candidates: list[str] | None = None,
        exclude_seen: bool = True,
    ) -> tuple[list[str], np.ndarray]:
        """Top-k item ids (best first) and their float32 scores, shape (k',) with k' <= k.

        A str is a training user id; a Profile is scored from its items/entities alone.
        `exclude_seen` drops training items (users) or liked/disliked/seen items (profiles).
        `candidates` restricts the ranking to those ids; unknown ids are ignored.
        """
        self._check_fitted()
        if k <= 0:
            return [], np.zeros(0, np.float32)
        if isinstance(user_or_profile, Profile):
            scores = self.score_profile(user_or_profile)
            seen = self.profile_rows(user_or_profile, ("liked", "disliked", "seen"))
        else:
            row = self.user_row(user_or_profile)
            scores = self.score_users(np.array([row]))[0]
            seen = self.train_csr.indices[self.train_csr.indptr[row] : self.train_csr.indptr[row + 1]]
        return self._top_k(scores, seen, k, candidates, exclude_seen)

    def _top_k(self, scores: np.ndarray, seen, k: int, candidates: list[str] | None,
               exclude_seen: bool) -> tuple[list[str], np.ndarray]:
        """The k best of `scores` (n_items,) among `candidates` (None: all), `seen` rows dropped when asked;
        items scored -inf or NaN are never returned."""
        scores = np.asarray(scores, np.float64).copy()  # (n_items,)
        allowed = np.ones(scores.shape[0], bool)
        if candidates is not None:
            allowed[:] = False
            rows = [self.catalog.index(c) for c in candidates if c in self.catalog]
            allowed[rows] = True
        if exclude_seen and len(seen):
            allowed[np.asarray(seen, int)] = False
        allowed &= np.isfinite(scores)
        idx = np.flatnonzero(allowed)
        # stable ordering: score descending, then catalog row ascending (deterministic ties)
        order = idx[np.lexsort((idx, -scores[idx]))][:k]
        return [self.catalog.ids[i] for i in order], scores[order].astype(np.float32)

    # -- shared helpers -----------------------------------------------------
    def user_row(self, user_id: str) -> int:
        self._check_fitted()
        row = self._user_row.get(user_id)
        if row is None:
            raise ScorerError(
                f"unknown user {user_id!r}: not in this model's training data; "
                "pass a Profile(liked=[...]) to score a new user"
            )
        return row

    def profile_rows(self, profile: Profile, fields=("liked",)) -> np.ndarray:
        rows: list[int] = []
        for f in fields:
            for iid in getattr(profile, f):
                if iid not in self.catalog:
                    raise CatalogError(f"profile.{f} has unknown item id {iid!r}; use catalog ids (search titles first)")
                rows.append(self.catalog.index(iid))
        return np.asarray(sorted(set(rows)), np.int64)

    def profile_history(self, profile: Profile):
        """(1, n_items) CSR history: liked = 1, disliked = `disliked_weight`."""
        import scipy.sparse as sp

        h = np.zeros(len(self.catalog), np.float32)
        h[self.profile_rows(profile, ("disliked",))] = self.disliked_weight
        h[self.profile_rows(profile, ("liked",))] = 1.0
        return sp.csr_matrix(h[None, :])

    def score_users(self, rows: np.ndarray) -> np.ndarray:
        """(b, n_items) scores for training users `rows` (their training items not masked)."""
        return self._score_history(self.train_csr[np.asarray(rows)])

    def score_profile(self, profile: Profile) -> np.ndarray:
        """(n_items,) scores for a profile-only user."""
        return self._score_history(self.profile_history(profile))[0]

    def _check_fitted(self) -> None:
        if self.catalog is None:
            raise ScorerError(f"{self.name} is not fitted; call fit(train, catalog) or load a trained artifact")

    @abstractmethod
    def _fit(self, X) -> None:
        """Fit on X: (n_users, n_items) float32 CSR of training positives."""

    @abstractmethod
    def _score_history(self, H) -> np.ndarray:
        """H: (b, n_items) CSR history weights -> (b, n_items) float32 scores."""
