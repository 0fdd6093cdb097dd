"""Shared fixtures: a tiny hand-written catalog, the real ML-100K dataset and KG, the real local LLM.

Real data lives under $RECASSIST_HOME (default ~/.cache/recassist), fetched by
`make test` before pytest runs; fixtures fetch it themselves if it is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.cli import paths_from_env  # noqa: E402
from catalog.paths import Paths  # noqa: E402
from catalog.types import Catalog, Dataset, Interactions, Item  # noqa: E402

TINY_ITEMS = [
    Item("alien", "Alien", 1979, genres=("Horror", "Sci-Fi"), directors=("Ridley Scott",), writers=("Dan O'Bannon",),
         cast=("Sigourney Weaver", "John Hurt"), countries=("United Kingdom", "United States"), languages=("English",),
         studios=("20th Century Studios",)),
    Item("blade", "Blade Runner", 1982, genres=("Film-Noir", "Sci-Fi"), directors=("Ridley Scott",),
         writers=("Hampton Fancher", "David Peoples"), cast=("Harrison Ford", "Sean Young"),
         countries=("United States",), languages=("English",), studios=("Warner Bros.",)),
    Item("gladiator", "Gladiator", 2000, genres=("Action", "Drama"), directors=("Ridley Scott",),
         cast=("Russell Crowe",), countries=("United States",), languages=("English",), studios=("DreamWorks",)),
    Item("starwars", "Star Wars", 1977, genres=("Action", "Sci-Fi"), directors=("George Lucas",),
         writers=("George Lucas",), cast=("Harrison Ford", "Mark Hamill"), countries=("United States",),
         languages=("English",), studios=("Lucasfilm",)),
    Item("empire", "Empire Strikes Back, The", 1980, genres=("Action", "Sci-Fi"), directors=("Irvin Kershner",),
         writers=("George Lucas", "Lawrence Kasdan"), cast=("Harrison Ford", "Mark Hamill"),
         countries=("United States",), languages=("English",), studios=("Lucasfilm",)),
    Item("toystory", "Toy Story", 1995, genres=("Animation", "Children's", "Comedy"), directors=("John Lasseter",),
         writers=("Joss Whedon",), cast=("Tom Hanks", "Tim Allen"), countries=("United States",),
         languages=("English",), studios=("Pixar",)),
    Item("amelie", "Amelie", 2001, genres=("Comedy", "Romance"), directors=("Jean-Pierre Jeunet",),
         cast=("Audrey Tautou",), countries=("France",), languages=("French",)),
    Item("nometa", "Obscure Film", 1990, genres=("Drama",)),
]


def tiny_interactions(catalog: Catalog) -> Interactions:
    rows = [("u1", "alien", 5), ("u1", "blade", 4), ("u1", "starwars", 3), ("u2", "starwars", 5), ("u2", "empire", 5),
            ("u2", "toystory", 2), ("u3", "toystory", 5), ("u3", "amelie", 4), ("u3", "alien", 1)]
    users = sorted({u for u, _, _ in rows})
    return Interactions(
        user_ids=users,
        users=np.array([users.index(u) for u, _, _ in rows], np.int32),
        items=np.array([catalog.index(i) for _, i, _ in rows], np.int32),
        ratings=np.array([r for _, _, r in rows], np.float32),
        timestamps=np.arange(len(rows), dtype=np.int64),
    )


@pytest.fixture(scope="session")
def tiny_dataset() -> Dataset:
    cat = Catalog(TINY_ITEMS)
    return Dataset("tiny", cat, tiny_interactions(cat), {})


@pytest.fixture(scope="session")
def paths() -> Paths:
    return paths_from_env()  # the same resolution as the CLI and the app


@pytest.fixture(scope="session")
def ml100k(paths) -> Dataset:
    from catalog import load_dataset_by_name

    return load_dataset_by_name("ml-100k", paths)


@pytest.fixture(scope="session")
def ml100k_kg(ml100k, paths):
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.load_or_build(paths.kg_path("ml-100k"), ml100k)


@pytest.fixture(scope="session")
def qwen(paths):
    """The default local model (Qwen2.5-Coder-0.5B Q4_K_M) in-process; loaded once per test session."""
    from assistant.llm.llama_cpp import LlamaCppBackend
    from assistant.models import fetch_model

    return LlamaCppBackend(fetch_model("qwen2.5-coder-0.5b", paths.cache_dir), n_threads=2, timeout_s=180)


@pytest.fixture(scope="session")
def ml100k_assistant(ml100k, ml100k_kg, paths, tmp_path_factory):
    """The real assistant on the ML-100K artifacts (vector index, scorer, act classifier), rules + templates
    (llm none), with its own feedback database. Shared by the test modules: use distinct session ids."""
    from assistant.build import build_assistant
    from assistant.config import AssistantConfig

    cfg = AssistantConfig(home=paths.home, llm="none", feedback_db=tmp_path_factory.mktemp("fb") / "fb.sqlite")
    a = build_assistant(cfg, dataset=ml100k, kg=ml100k_kg)
    assert a.index is not None and a.scorer is not None and a.nlu.classifier is not None, \
        f"artifacts missing: {a.notes} (run `recassist build`)"
    return a
