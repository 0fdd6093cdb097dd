"""Core types shared by every layer: items, catalogs, interactions, datasets.

This package knows nothing about graphs, vectors, models or LLMs. It loads,
validates and fetches data; the layers above (kg, retrieval, scorer, tools,
assistant) import from here and never the other way round.
"""

from catalog.types import Catalog, CatalogError, Dataset, Interactions, Item, RecassistError

__all__ = ["Catalog", "CatalogError", "Dataset", "Interactions", "Item", "RecassistError", "load_dataset_by_name"]


def load_dataset_by_name(name_or_dir: str, paths) -> Dataset:
    """A built-in dataset by name (fetched and prepared on first use), or a BYO directory path."""
    from pathlib import Path

    from catalog.byo import load_dataset
    from catalog.movielens import DATASETS, prepare

    if name_or_dir in DATASETS:
        return prepare(name_or_dir, paths.data_dir, paths.cache_dir)
    p = Path(name_or_dir)
    if p.is_dir():
        return load_dataset(p)
    raise CatalogError(
        f"unknown dataset {name_or_dir!r}; choose one of: {', '.join(DATASETS)}, or pass a directory with items.jsonl/items.csv"
    )
