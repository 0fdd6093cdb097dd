"""A TransE embedding of the knowledge graph's item->entity triples (the fusion scorer's
`kg_embedding` signal) and the triple table the scorer's other KG signals are built from.

What it does: `kg_triples` lists the KG's content triples (item, relation, entity) in catalog
order - only the relations in `CONTENT_RELATIONS` (directed_by, written_by, cast_member,
has_genre, from_country, in_language, produced_by, released_in); user `rated` edges are never
read, so an evaluation split cannot leak into the features. `train` fits TransE on them in
torch and returns item, entity and relation embeddings, plus each entity's "item-space image"
(where an item having that entity sits), so a stated entity ("person:Ridley Scott") can join
a profile's liked items in one query vector.
What it does not do: score users (scorer.fusion turns the embeddings into a signal), find or
verify paths (kg.paths), or look at interactions.

Why TransE (Bordes et al. 2013) rather than RotatE: the graph is bipartite and star-shaped
(items -> attribute entities, no entity -> entity edges), so there is no relation composition,
symmetry or inversion for RotatE's rotations to model; the only thing the scorer asks of the
embedding is item-item similarity, and TransE's h + r ~ t pulls every item that shares (r, t)
towards the same point t - r - precisely "shares a director / cast member / genre", weighted
by how many such entities two items share. It is also the cheaper of the two (real vectors, one
add per triple), which keeps the extra fit time to seconds.

Training: L2 distance d = |h + r - t|, margin ranking loss relu(margin + d_pos - d_neg) against
`negatives` corruptions per triple (half replace the tail by a random entity reachable through the
same relation - type-constrained, so a genre competes with genres, not with 12k actors - half replace
the head by a random item), Adam, item and entity vectors projected onto the unit sphere after
every step (as in the TransE paper). Deterministic for a seed (torch generator + numpy rng).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from catalog.types import Catalog

# Item->entity relations the KG signals read; kg.graph.RATED ("rated", user->item) is not one of them.
CONTENT_RELATIONS: tuple[str, ...] = ("directed_by", "written_by", "cast_member", "has_genre", "from_country",
                                      "in_language", "produced_by", "released_in")


@dataclass
class KGTriples:
    """The KG's item->entity triples, indexed: item rows are catalog rows."""

    items: np.ndarray  # (m,) int64 catalog row of the head item
    rels: np.ndarray  # (m,) int64 index into `relations`
    ents: np.ndarray  # (m,) int64 index into `entity_ids`
    relations: tuple[str, ...]
    entity_ids: list[str]  # KG node ids, in first-seen order over the catalog
    n_items: int

    def __len__(self) -> int:
        return len(self.items)

    def permute_items(self, perm: np.ndarray) -> "KGTriples":
        """Ablation: item i gets the triples of item perm[i] (perm: (n_items,) permutation)."""
        inv = np.empty_like(perm); inv[perm] = np.arange(len(perm))
        return KGTriples(inv[self.items].astype(np.int64), self.rels, self.ents, self.relations, self.entity_ids,
                         self.n_items)

    def relation_weights(self) -> np.ndarray:
        """(m,) float32 kg.graph.RELATION_WEIGHTS of each triple's relation (the hop weights of kg.paths)."""
        from kg.graph import RELATION_WEIGHTS

        w = np.array([RELATION_WEIGHTS[r] for r in self.relations], np.float32)
        return w[self.rels]


def kg_triples(kg, catalog: Catalog) -> KGTriples:
    """(item, relation, entity) for every content edge of every catalog item the KG knows."""
    ent_index: dict[str, int] = {}
    rel_index = {r: i for i, r in enumerate(CONTENT_RELATIONS)}
    items, rels, ents = [], [], []
    for row, iid in enumerate(catalog.ids):
        if not kg.has_item(iid):
            continue
        for rel, node in kg.entities_of_item(iid):
            if rel not in rel_index:  # only content relations; never "rated"
                continue
            items.append(row); rels.append(rel_index[rel]); ents.append(ent_index.setdefault(node, len(ent_index)))
    as64 = lambda x: np.asarray(x, np.int64)  # noqa: E731
    return KGTriples(as64(items), as64(rels), as64(ents), CONTENT_RELATIONS, list(ent_index), len(catalog))


def catalog_triples(catalog: Catalog) -> KGTriples:
    """`kg_triples` without loading the graph: the same triples in the same order, read from the catalog fields the
    KG is built from (kg.graph.KnowledgeGraph.build: one edge per (item, entity, relation), grouped per entity in
    the order the entity first appears). The large-catalog scorer uses it: the KG of 1M items is ~4 GB."""
    from kg.graph import DECADE_RELATION, ITEM_RELATIONS, node_id

    ent_index: dict[str, int] = {}
    rel_index = {r: i for i, r in enumerate(CONTENT_RELATIONS)}
    items, rels, ents = [], [], []
    for row, it in enumerate(catalog):
        edges: dict[str, list[str]] = {}  # entity node -> relations, as the graph's adjacency holds them
        named = [(node_id(kind, name), rel) for field, (kind, rel) in ITEM_RELATIONS.items() for name in getattr(it, field)]
        for node, rel in named + ([(node_id("decade", it.decade), DECADE_RELATION)] if it.decade else []):
            keys = edges.setdefault(node, [])
            if rel not in keys:
                keys.append(rel)
        for node, keys in edges.items():
            for rel in keys:
                items.append(row); rels.append(rel_index[rel]); ents.append(ent_index.setdefault(node, len(ent_index)))
    as64 = lambda x: np.asarray(x, np.int64)  # noqa: E731
    return KGTriples(as64(items), as64(rels), as64(ents), CONTENT_RELATIONS, list(ent_index), len(catalog))


@dataclass
class KGEmbedding:
    items: np.ndarray  # (n_items, dim) float32, catalog order; zero rows for items without triples
    entities: np.ndarray  # (n_entities, dim) float32
    relations: np.ndarray  # (n_relations, dim) float32
    entity_images: np.ndarray  # (n_entities, dim) float32: mean over the entity's triples of t - r
    has_kg: np.ndarray  # (n_items,) bool, item has at least one triple
    loss_log: list[float] = field(default_factory=list)  # mean training loss per epoch
    seconds: float = 0.0


def entity_images(triples: KGTriples, entities: np.ndarray, relations: np.ndarray) -> np.ndarray:
    """(n_entities, dim): where an item having entity e sits under TransE, t_e - r, averaged over e's triples."""
    img = np.zeros_like(entities)
    cnt = np.zeros(len(entities), np.float32)
    np.add.at(img, triples.ents, entities[triples.ents] - relations[triples.rels])
    np.add.at(cnt, triples.ents, 1.0)
    return (img / np.maximum(cnt, 1.0)[:, None]).astype(np.float32)


def train_triples(triples: KGTriples, dim: int = 64, epochs: int = 25, seed: int = 0, lr: float = 0.02,
                  batch: int = 4096, margin: float = 1.0, negatives: int = 4, progress: bool = False) -> KGEmbedding:
    """Fit TransE on `triples`; see the module docstring for the loss and negative sampling."""
    import torch

    t0 = time.perf_counter()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # small ops: threads only add sync cost (and spin on a busy machine)
    try:
        return _train(triples, dim, epochs, seed, lr, batch, margin, negatives, progress, t0)
    finally:
        torch.set_num_threads(threads)


def _train(triples, dim, epochs, seed, lr, batch, margin, negatives, progress, t0) -> KGEmbedding:
    import torch

    n_items, n_ent, n_rel = triples.n_items, len(triples.entity_ids), len(triples.relations)
    has_kg = np.zeros(n_items, bool); has_kg[triples.items] = True
    if len(triples) == 0:
        z = lambda k: np.zeros((k, dim), np.float32)  # noqa: E731
        return KGEmbedding(z(n_items), z(n_ent), z(n_rel), z(n_ent), has_kg, [], time.perf_counter() - t0)
    g = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    bound = 6.0 / np.sqrt(dim)  # the TransE paper's uniform init
    init = lambda k: (torch.rand(k, dim, generator=g) * 2 - 1) * bound  # noqa: E731
    I = torch.nn.Parameter(torch.nn.functional.normalize(init(n_items), dim=1))  # (n_items, dim)
    E = torch.nn.Parameter(torch.nn.functional.normalize(init(n_ent), dim=1))  # (n_ent, dim)
    R = torch.nn.Parameter(torch.nn.functional.normalize(init(n_rel), dim=1))  # (n_rel, dim)
    opt = torch.optim.Adam([I, E, R], lr=lr)
    heads = np.flatnonzero(has_kg)  # items a corrupted head is drawn from
    tails = [np.unique(triples.ents[triples.rels == r]) for r in range(n_rel)]  # type-constrained tail pools
    h_all, r_all, t_all = (torch.from_numpy(a) for a in (triples.items, triples.rels, triples.ents))

    def dist(h, r, t):  # (..., dim) -> (...) L2 distance |h + r - t|
        return torch.sqrt(((h + r - t) ** 2).sum(-1) + 1e-9)

    from tqdm import tqdm

    bar = tqdm(total=epochs, desc="TransE epochs", leave=False, disable=None if progress else True)
    loss_log: list[float] = []
    for _ in range(epochs):
        perm = rng.permutation(len(triples))
        tot = 0.0
        for s in range(0, len(perm), batch):
            b = perm[s : s + batch]
            h, r, t = h_all[b], r_all[b], t_all[b]  # (B,)
            # negatives: (B, k) corrupted heads / tails; a coin per negative picks which side
            rb = triples.rels[b]
            neg_t = np.empty((len(b), negatives), np.int64)
            for rr in np.unique(rb):
                m = rb == rr
                neg_t[m] = rng.choice(tails[rr], size=(int(m.sum()), negatives))
            neg_h = rng.choice(heads, size=(len(b), negatives))
            side = torch.from_numpy(rng.random((len(b), negatives)) < 0.5)  # True: corrupt the tail
            hn = torch.where(side, h[:, None], torch.from_numpy(neg_h))
            tn = torch.where(side, torch.from_numpy(neg_t), t[:, None])
            d_pos = dist(I[h], R[r], E[t])  # (B,)
            d_neg = dist(I[hn], R[r][:, None], E[tn])  # (B, k)
            loss = torch.relu(margin + d_pos[:, None] - d_neg).mean()
            opt.zero_grad(); loss.backward(); opt.step()
            with torch.no_grad():  # unit-sphere constraint on item and entity vectors
                I.data = torch.nn.functional.normalize(I.data, dim=1)
                E.data = torch.nn.functional.normalize(E.data, dim=1)
            tot += loss.item() * len(b)
        loss_log.append(tot / len(triples))
        bar.update(1); bar.set_postfix(loss=f"{loss_log[-1]:.4f}")
    bar.close()
    items = I.detach().numpy().astype(np.float32)
    items[~has_kg] = 0.0
    ents, rels = E.detach().numpy().astype(np.float32), R.detach().numpy().astype(np.float32)
    return KGEmbedding(items, ents, rels, entity_images(triples, ents, rels), has_kg, loss_log,
                       time.perf_counter() - t0)


def train(kg, catalog: Catalog, dim: int = 64, epochs: int = 25, seed: int = 0, **kw) -> KGEmbedding:
    """TransE on the KG's item->entity triples (`kg_triples`): item embeddings in catalog order."""
    return train_triples(kg_triples(kg, catalog), dim=dim, epochs=epochs, seed=seed, **kw)
