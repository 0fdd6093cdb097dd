"""The knowledge graph: a typed NetworkX MultiDiGraph over a catalog.

Nodes are strings "<type>:<key>" with attributes `type` and `label`
(item nodes also carry `item_id`). Edges point item -> entity (or user ->
item for `rated`), keyed by relation name, so one pair of nodes can hold
several relations (a person who directed and wrote the same film).

What it does: build from a Dataset, save/load, answer lookups (items of an
entity, entities of an item, fuzzy entity linking) and find scored k-hop
paths between liked items and a target item (kg.paths).
What it does not do: rank items (scorer) or text retrieval (retrieval).
"""

from __future__ import annotations

import pickle
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from catalog.types import Catalog, CatalogError, Dataset

# item field -> (entity node type, relation name)
ITEM_RELATIONS: dict[str, tuple[str, str]] = {
    "directors": ("person", "directed_by"),
    "writers": ("person", "written_by"),
    "cast": ("person", "cast_member"),
    "genres": ("genre", "has_genre"),
    "countries": ("country", "from_country"),
    "languages": ("language", "in_language"),
    "studios": ("studio", "produced_by"),
}
DECADE_RELATION = "released_in"
RATED = "rated"
NODE_TYPES = ("item", "person", "genre", "country", "studio", "language", "decade", "user")
RELATIONS = tuple(r for _, r in ITEM_RELATIONS.values()) + (DECADE_RELATION, RATED)

# Weight of one hop along a relation, used for path scores (product over hops).
# Specific relations (same director) explain more than broad ones (same language).
RELATION_WEIGHTS: dict[str, float] = {
    "directed_by": 1.0,
    "written_by": 0.8,
    "cast_member": 0.6,
    "produced_by": 0.4,
    "has_genre": 0.3,
    "from_country": 0.2,
    "released_in": 0.2,
    "in_language": 0.15,
    "rated": 0.1,
}

# How a relation reads in prose, item -> entity.
RELATION_PHRASES: dict[str, str] = {
    "directed_by": "directed by",
    "written_by": "written by",
    "cast_member": "features",
    "produced_by": "produced by",
    "has_genre": "is a",
    "from_country": "is from",
    "released_in": "was released in the",
    "in_language": "is in",
    "rated": "was rated by",
}

FORMAT_VERSION = 1

# Above this many `rated` edges (interactions rated >= 4, the default threshold of `KnowledgeGraph.build`)
# `recassist build` and `load_or_build` leave users out of the graph: a `rated` edge costs ~590 bytes in the
# NetworkX MultiDiGraph (its key and attribute dicts on both adjacency sides; ML-1M's 575k took 339 MB, measured
# with tracemalloc), so 10M ratings (~6M of them >= 4) would be ~3.5 GB of graph that nothing needs (path
# search and the scorer's KG signals read item-entity edges only). Ratings at that scale live with the
# scorer's data (`Dataset.interactions`). ML-100K has 55k such edges, ML-1M 575k: both keep their users.
MAX_USER_EDGES: int = 2_000_000


def dataset_key(dataset: Dataset) -> str:
    """What a KG is built from: the catalog's entity names and the interactions (for `rated` edges)."""
    import hashlib

    inter = dataset.interactions
    h = hashlib.sha256(dataset.catalog.content_key().encode())
    for a in (inter.users, inter.items, inter.ratings):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


def rated_edge_count(dataset: Dataset, rating_threshold: float | None = 4.0) -> int:
    """How many `rated` edges `KnowledgeGraph.build(dataset, rating_threshold)` would add with users."""
    inter = dataset.interactions
    return len(inter) if rating_threshold is None else int(np.count_nonzero(inter.ratings >= rating_threshold))


def users_fit(dataset: Dataset, rating_threshold: float | None = 4.0) -> bool:
    """Whether the dataset's `rated` edges stay within MAX_USER_EDGES (then the graph holds users)."""
    return rated_edge_count(dataset, rating_threshold) <= MAX_USER_EDGES


def node_id(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def item_node(item_id: str) -> str:
    return node_id("item", item_id)


@dataclass(frozen=True)
class EntityMatch:
    node: str
    label: str
    type: str
    score: float  # 0..100 fuzzy score


class KnowledgeGraph:
    """A MultiDiGraph plus indices; build with `KnowledgeGraph.build(dataset)`."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.g = graph
        self._content_adj: dict[str, list[tuple[str, str]]] | None = None
        self._labels: dict[str, list[str]] | None = None  # type -> labels for fuzzy linking
        self._label_node: dict[tuple[str, str], str] | None = None
        self._degree: dict[str, int] | None = None  # node -> degree, built once (networkx counts on every call)
        self._has_users: bool | None = None  # whether any user node (and so `rated` edges) is in the graph

    # -- construction -------------------------------------------------------
    @classmethod
    def build(cls, dataset: Dataset, rating_threshold: float | None = 4.0, include_users: bool = True) -> "KnowledgeGraph":
        """Build from a dataset. `rated` edges are added for ratings >= rating_threshold
        (None = all interactions); include_users=False leaves users out entirely."""
        g = nx.MultiDiGraph(name=dataset.name, format_version=FORMAT_VERSION)
        for it in dataset.catalog:
            inode = item_node(it.id)
            g.add_node(inode, type="item", label=it.display_title, item_id=it.id)
            for field, (kind, rel) in ITEM_RELATIONS.items():
                for name in getattr(it, field):
                    enode = sys.intern(node_id(kind, name))  # one string per node, not one per edge
                    if enode not in g:
                        g.add_node(enode, type=kind, label=name)
                    g.add_edge(inode, enode, key=rel)  # the relation is the edge key (no attribute dict entry)
            if it.decade:
                dnode = sys.intern(node_id("decade", it.decade))
                if dnode not in g:
                    g.add_node(dnode, type="decade", label=it.decade)
                g.add_edge(inode, dnode, key=DECADE_RELATION)
        if include_users and len(dataset.interactions):
            inter = dataset.interactions
            keep = np.ones(len(inter), bool) if rating_threshold is None else inter.ratings >= rating_threshold
            ids = dataset.catalog.ids
            for uid in inter.user_ids:
                g.add_node(node_id("user", uid), type="user", label=uid)
            for u, i, r in zip(inter.users[keep], inter.items[keep], inter.ratings[keep]):
                g.add_edge(node_id("user", inter.user_ids[u]), item_node(ids[i]), key=RATED, rating=float(r))
        return cls(g)

    def save(self, path: Path, data_key: str | None = None) -> None:
        """Pickle the graph; `data_key` (dataset_key of what it was built from) lets `is_current` tell a stale file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        with tmp.open("wb") as fh:  # a small header first, so `is_current` reads it without the graph (GBs at 1M)
            pickle.dump({"format_version": FORMAT_VERSION, "data_key": data_key}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(self.g, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load_or_build(cls, path: Path, dataset: Dataset) -> "KnowledgeGraph":
        """The saved graph when it was built from `dataset` as it is now, else a fresh build saved there."""
        if cls.is_current(path, dataset):
            return cls.load(path)
        kg = cls.build(dataset, include_users=users_fit(dataset))
        kg.save(path, dataset_key(dataset))
        return kg

    @classmethod
    def is_current(cls, path: Path, dataset: Dataset) -> bool:
        """True iff the saved graph at `path` was built from this dataset's catalog and interactions (reads the
        file's header only; a file from before the header was split off is read whole)."""
        path = Path(path)
        if not path.exists():
            return False
        try:
            with path.open("rb") as fh:
                head = pickle.load(fh)  # noqa: S301 (our own artifact)
        except Exception:  # unreadable: rebuild
            return False
        return head.get("format_version") == FORMAT_VERSION and head.get("data_key") == dataset_key(dataset)

    @classmethod
    def load(cls, path: Path) -> "KnowledgeGraph":
        path = Path(path)
        if not path.exists():
            raise CatalogError(f"{path}: knowledge graph not found (run `recassist kg build`)")
        with path.open("rb") as fh:
            head = pickle.load(fh)  # noqa: S301 (our own artifact)
            if head.get("format_version") != FORMAT_VERSION:
                raise CatalogError(f"{path}: KG format {head.get('format_version')} != {FORMAT_VERSION}; rebuild with `recassist kg build`")
            return cls(head["graph"] if "graph" in head else pickle.load(fh))  # noqa: S301

    # -- stats --------------------------------------------------------------
    def stats(self) -> dict:
        nodes = Counter(t for _, t in self.g.nodes(data="type"))
        edges = Counter(k for _, _, k in self.g.edges(keys=True))
        return {
            "nodes": self.g.number_of_nodes(),
            "edges": self.g.number_of_edges(),
            "nodes_by_type": {t: nodes.get(t, 0) for t in NODE_TYPES},
            "edges_by_relation": {r: edges.get(r, 0) for r in RELATIONS},
        }

    # -- lookups ------------------------------------------------------------
    def has_item(self, item_id: str) -> bool:
        return item_node(item_id) in self.g

    def label(self, node: str) -> str:
        return self.g.nodes[node]["label"]

    def type_of(self, node: str) -> str:
        return self.g.nodes[node]["type"]

    def entities_of_item(self, item_id: str, relations: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
        """[(relation, entity node)] for an item, in insertion order."""
        inode = item_node(item_id)
        if inode not in self.g:
            raise CatalogError(f"unknown item id {item_id!r}")
        return [(k, v) for _, v, k in self.g.out_edges(inode, keys=True) if relations is None or k in relations]

    def items_of_entity(self, node: str, relation: str | None = None) -> list[str]:
        """Item ids connected to an entity node (optionally through one relation)."""
        if node not in self.g:
            raise CatalogError(f"unknown KG node {node!r}")
        if self.type_of(node) == "user":
            return [self.g.nodes[v]["item_id"] for _, v, k in self.g.out_edges(node, keys=True) if relation in (None, k)]
        return [self.g.nodes[u]["item_id"] for u, _, k in self.g.in_edges(node, keys=True) if relation in (None, k) and self.type_of(u) == "item"]

    def prepare(self) -> None:
        """Build, now, the whole-graph indices that lookups otherwise build on first use: degrees, the
        item-entity adjacency (only for a graph with users) and the entity labels (seconds at 1M items;
        milliseconds at ML-100K). Called by the app's warm-up (assistant.build.warm_up) so that no user turn
        pays for them."""
        self._degrees()
        if self._users_in_graph():
            self._content_adjacency()
        self._entity_labels()

    def _users_in_graph(self) -> bool:
        if self._has_users is None:
            self._has_users = any(t == "user" for _, t in self.g.nodes(data="type"))
        return self._has_users

    def _degrees(self) -> dict[str, int]:
        if self._degree is None:
            self._degree = dict(self.g.degree())
        return self._degree

    def degree(self, node: str) -> int:
        return self._degrees().get(node, 0)

    def _content_adjacency(self) -> dict[str, list[tuple[str, str]]]:
        if self._content_adj is None:
            adj: dict[str, list[tuple[str, str]]] = {}
            for u, v, k in self.g.edges(keys=True):
                if k == RATED:
                    continue
                adj.setdefault(u, []).append((k, v))
                adj.setdefault(v, []).append((k, u))
            self._content_adj = adj
        return self._content_adj

    def content_neighbours(self, node: str) -> list[tuple[str, str]]:
        """[(relation, neighbour)] over item-entity edges only (no users), either direction.

        With users in the graph, read from an adjacency built once: path search walks it instead of the full
        graph, where every item also has hundreds of `rated` edges. Without users (large catalogs keep ratings
        out of the KG) every edge is an item-entity edge, so the graph's own adjacency is read, in the same
        order, instead of a copy of it (~40 s and GBs at 1M items).
        """
        if self._users_in_graph():
            return self._content_adjacency().get(node, [])
        if node not in self.g:
            return []
        g = self.g  # an item has out-edges to its entities only, an entity in-edges from its items only
        return ([(k, v) for v, keys in g._succ[node].items() for k in keys]
                + [(k, u) for u, keys in g._pred[node].items() for k in keys])

    def nodes_of_type(self, kind: str) -> list[str]:
        return [n for n, t in self.g.nodes(data="type") if t == kind]

    def _entity_labels(self) -> tuple[dict[str, list[str]], dict[tuple[str, str], str]]:
        """(type -> labels, (type, lower-cased label) -> node) over entity nodes, built once."""
        if self._labels is None:
            labels: dict[str, list[str]] = {}
            label_node: dict[tuple[str, str], str] = {}
            for n, d in self.g.nodes(data=True):
                if d["type"] in ("item", "user"):
                    continue
                labels.setdefault(d["type"], []).append(d["label"])
                label_node[(d["type"], d["label"].lower())] = n
            self._labels, self._label_node = labels, label_node
        return self._labels, self._label_node

    def link_entity(self, name: str, types: tuple[str, ...] | None = None, limit: int = 5, min_score: float = 85.0) -> list[EntityMatch]:
        """Fuzzy-link a free-text name to entity nodes (persons, genres, ...).

        Exact case-insensitive label matches score 100. Items and users are not
        linked here (titles go through Catalog.search_titles).
        """
        from rapidfuzz import fuzz, process

        all_labels, label_node = self._entity_labels()
        q = name.strip()
        if not q:
            return []
        out: list[EntityMatch] = []
        for kind, labels in all_labels.items():
            if types is not None and kind not in types:
                continue
            exact = label_node.get((kind, q.lower()))
            if exact:
                out.append(EntityMatch(exact, self.label(exact), kind, 100.0))
                continue
            for label, score, _ in process.extract(q, labels, scorer=fuzz.WRatio, processor=str.lower, limit=limit):
                if score >= min_score:
                    n = label_node[(kind, label.lower())]
                    out.append(EntityMatch(n, label, kind, float(score)))
        out.sort(key=lambda m: (-m.score, -self.degree(m.node)))
        return out[:limit]

    def edge_relations(self, a: str, b: str) -> set[str]:
        """Relations on edges between a and b in either direction."""
        rels = set()
        if self.g.has_node(a) and self.g.has_node(b):
            rels |= set(self.g.get_edge_data(a, b, default={}).keys())
            rels |= set(self.g.get_edge_data(b, a, default={}).keys())
        return rels


def catalog_item_nodes(kg: KnowledgeGraph, catalog: Catalog) -> list[str]:
    return [item_node(i) for i in catalog.ids if kg.has_item(i)]
