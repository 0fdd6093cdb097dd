"""Knowledge graph layer (NetworkX): typed nodes/relations, lookups, scored paths."""

from kg.graph import NODE_TYPES, RELATIONS, RELATION_WEIGHTS, EntityMatch, KnowledgeGraph, item_node, node_id
from kg.paths import KGPath, find_paths, verify_path

__all__ = [
    "NODE_TYPES", "RELATIONS", "RELATION_WEIGHTS", "EntityMatch", "KnowledgeGraph",
    "item_node", "node_id", "KGPath", "find_paths", "verify_path",
]
