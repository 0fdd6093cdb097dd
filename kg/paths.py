"""Scored k-hop paths between a set of seed items and a target item.

A path alternates item and entity nodes, walked without regard to edge
direction: seed -[directed_by]- Ridley Scott -[directed_by]- target (2 hops),
or seed - entity - middle item - entity - target (4 hops). Its score is the
product of the hop weights (kg.graph.RELATION_WEIGHTS); ties prefer rarer
entities. Every returned path is checked edge by edge (`verify_path`).

User nodes are excluded unless asked for: "people who liked X also liked Y"
paths are collaborative evidence, reported separately by the scorer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.graph import RELATION_PHRASES, RELATION_WEIGHTS, KnowledgeGraph, item_node


@dataclass(frozen=True)
class KGPath:
    nodes: tuple[str, ...]  # node ids, seed item first, target item last
    relations: tuple[str, ...]  # len(nodes) - 1 relation names, hop by hop
    score: float

    @property
    def hops(self) -> int:
        return len(self.relations)

    def describe(self, kg: KnowledgeGraph) -> str:
        """Readable form: 'Alien (1979) -directed_by-> Ridley Scott <-directed_by- Blade Runner (1982)'."""
        parts = [kg.label(self.nodes[0])]
        for rel, a, b in zip(self.relations, self.nodes, self.nodes[1:]):
            arrow = f" -{rel}-> " if kg.type_of(a) == "item" else f" <-{rel}- "
            parts.append(arrow + kg.label(b))
        return "".join(parts)

    def sentence(self, kg: KnowledgeGraph) -> str:
        """Prose for 2-hop paths: 'Blade Runner (1982) is directed by Ridley Scott, like Alien (1979)'."""
        seed, target = kg.label(self.nodes[0]), kg.label(self.nodes[-1])
        if self.hops == 2:
            phrase = RELATION_PHRASES.get(self.relations[1], self.relations[1])
            ent = kg.label(self.nodes[1])
            if self.relations[0] == self.relations[1] == "released_in":
                ent = ent + " too"
            return f"{target} {phrase} {ent}, like {seed}"
        return f"{target} connects to {seed}: {self.describe(kg)}"

    def to_dict(self, kg: KnowledgeGraph) -> dict:
        return {
            "nodes": list(self.nodes),
            "labels": [kg.label(n) for n in self.nodes],
            "relations": list(self.relations),
            "score": round(self.score, 6),
            "text": self.describe(kg),
        }


def verify_path(kg: KnowledgeGraph, path: KGPath) -> bool:
    """True iff every hop of `path` is a real edge with the stated relation (either direction)."""
    if len(path.nodes) != len(path.relations) + 1:
        return False
    return all(rel in kg.edge_relations(a, b) for rel, a, b in zip(path.relations, path.nodes, path.nodes[1:]))


def _neighbours(kg: KnowledgeGraph, node: str, exclude_types: frozenset[str]) -> list[tuple[str, str]]:
    """[(relation, neighbour)] ignoring direction, skipping excluded node types."""
    if "user" in exclude_types:  # the common case: a cached item-entity adjacency
        return [(k, v) for k, v in kg.content_neighbours(node) if kg.type_of(v) not in exclude_types]
    out = []
    for _, v, k in kg.g.out_edges(node, keys=True):
        if kg.type_of(v) not in exclude_types:
            out.append((k, v))
    for u, _, k in kg.g.in_edges(node, keys=True):
        if kg.type_of(u) not in exclude_types:
            out.append((k, u))
    return out


def _two_hop_items(
    kg: KnowledgeGraph, start: str, ex: frozenset[str], hub_degree: int, keep: int, avoid: tuple[str, ...]
) -> dict[str, list[tuple[float, str, str, str]]]:
    """Items two hops from `start` via a non-hub entity: mid -> best [(weight, rel_start, entity, rel_mid)]."""
    out: dict[str, list[tuple[float, str, str, str]]] = {}
    for rel_a, ent in _neighbours(kg, start, ex):
        if kg.degree(ent) > hub_degree:
            continue
        wa = RELATION_WEIGHTS.get(rel_a, 0.05)
        for rel_b, mid in _neighbours(kg, ent, ex):
            if mid in avoid or kg.type_of(mid) != "item":
                continue
            out.setdefault(mid, []).append((wa * RELATION_WEIGHTS.get(rel_b, 0.05), rel_a, ent, rel_b))
    for mid, lst in out.items():
        if len(lst) > keep:
            lst.sort(key=lambda t: -t[0])
            del lst[keep:]
    return out


def find_paths(
    kg: KnowledgeGraph,
    seeds: list[str],
    target: str,
    max_hops: int = 4,
    limit: int = 5,
    exclude_types: tuple[str, ...] = ("user",),
    hub_degree: int = 300,
) -> list[KGPath]:
    """Best-scoring paths from any seed item id to the target item id.

    2-hop paths: shared entities. 4-hop paths (when max_hops >= 4): seed -
    entity - middle item - entity - target, found by meeting in the middle
    (items two hops from the seed ∩ items two hops from the target), expanding
    only through entities with degree <= hub_degree (a genre hub links
    everything to everything).
    """
    ex = frozenset(exclude_types)
    tnode = item_node(target)
    if tnode not in kg.g:
        return []
    t_nb: dict[str, list[str]] = {}
    for rel, ent in _neighbours(kg, tnode, ex):
        t_nb.setdefault(ent, []).append(rel)
    paths: dict[tuple, KGPath] = {}

    def add(nodes: tuple[str, ...], rels: tuple[str, ...]) -> None:
        score = 1.0
        for r in rels:
            score *= RELATION_WEIGHTS.get(r, 0.05)
        if (nodes, rels) not in paths:
            paths[(nodes, rels)] = KGPath(nodes, rels, score)

    t_side = None
    for seed in dict.fromkeys(seeds):
        snode = item_node(seed)
        if snode not in kg.g or seed == target:
            continue
        for rel_s, ent in _neighbours(kg, snode, ex):
            for rel_t in t_nb.get(ent, ()):
                add((snode, ent, tnode), (rel_s, rel_t))
        if max_hops >= 4:
            if t_side is None:
                t_side = _two_hop_items(kg, tnode, ex, hub_degree, limit, (tnode,))
            s_side = _two_hop_items(kg, snode, ex, hub_degree, limit, (snode, tnode))
            for mid in s_side.keys() & t_side.keys():
                for _, rel_s, ent, rel_m1 in s_side[mid]:
                    for _, rel_t, ent2, rel_m2 in t_side[mid]:
                        if ent2 != ent:
                            add((snode, ent, mid, ent2, tnode), (rel_s, rel_m1, rel_m2, rel_t))
    ranked = sorted(paths.values(), key=lambda p: (-p.score, p.hops, sum(kg.degree(n) for n in p.nodes[1:-1])))
    return ranked[:limit]
