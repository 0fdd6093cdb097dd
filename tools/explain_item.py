"""explain_item: why an item fits this user, from data only.

Evidence, in order: (1) KG paths from the user's liked / reference items to
the item (kg.paths.find_paths, each re-checked edge by edge with verify_path);
(2) direct edges from the item to entities the user asked for (person, genre);
(3) the request's filters the item satisfies (its own metadata); (4) the fusion
scorer's per-signal contributions (scorer.explain). The text is assembled from
those facts with fixed phrases; no LLM writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from tools.context import ToolContext, ToolResult


class ExplainItemArgs(BaseModel):
    """Explain why a movie was suggested to this user, using knowledge-graph paths and scorer signals."""

    title: str | None = Field(None, description="the movie title")
    item_id: str | None = Field(None, description="the catalog id, if known")


@dataclass
class ItemExplanation:
    item_id: str
    title: str
    text: str
    paths: list[list[tuple[str, str, str]]] = field(default_factory=list)  # hops (source label, relation, target label)
    path_texts: list[str] = field(default_factory=list)
    contributions: dict[str, float] = field(default_factory=dict)
    score: float | None = None
    reasons: list[str] = field(default_factory=list)  # one short grounded phrase per piece of evidence
    kg_paths: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)  # (node ids, relations) per path


SIGNAL_WORDS = {"cf": "people with similar ratings", "collab": "people with similar ratings", "text": "description similarity",
                "kg": "knowledge-graph connections", "pop": "popularity", "bias": "baseline"}


def _signal_word(name: str) -> str:
    for k, v in SIGNAL_WORDS.items():
        if k in name.lower() and k != name.lower() and v != name.lower():
            return f"{name} ({v})"
    return name


def _path_reason(kg, p) -> str:
    """Short prose for a verified path, without repeating the target's title."""
    from kg.graph import RELATION_PHRASES

    seed = kg.label(p.nodes[0])
    if p.hops == 2:
        ent = kg.label(p.nodes[1])
        if p.relations[0] == p.relations[1] == "released_in":
            ent += " too"
        return f"{RELATION_PHRASES.get(p.relations[1], p.relations[1])} {ent}, like {seed}"
    middle = " → ".join(kg.label(n) for n in p.nodes[1:-1])
    return f"linked to {seed} via {middle}"


def explain_many(ctx: ToolContext, item_ids: list[str]) -> list[ItemExplanation]:
    """`explain` for several items with one scorer call (the scorer's profile features are shared)."""
    contribs = None
    if ctx.scorer is not None and item_ids:
        s = ctx.session
        contribs = ctx.scorer.explain(s.scorer_profile(ctx.catalog, extra_liked=list(s.request.references)), list(item_ids))
    return [explain(ctx, i, contributions=None if contribs is None else contribs[n]) for n, i in enumerate(item_ids)]


def explain(ctx: ToolContext, item_id: str, max_paths: int = 2, contributions: dict | None = None) -> ItemExplanation:
    from kg.graph import RELATION_PHRASES, item_node
    from kg.paths import find_paths, verify_path

    kg, s, it = ctx.kg, ctx.session, ctx.catalog[item_id]
    with s.lock:
        refs = list(s.request.references)
        seeds = [i for i in dict.fromkeys(refs + list(s.liked)) if i != item_id and i in ctx.catalog]
        entities = list(s.entities)
        r = s.request
        constraints = {"genres": list(r.genres), "countries": list(r.countries), "languages": list(r.languages),
                       "people": list(r.people), "decades": list(r.decades)}
    ex = ItemExplanation(item_id, it.title, "")
    found = find_paths(kg, seeds, item_id, max_hops=4, limit=max_paths * 3) if seeds and kg.has_item(item_id) else []
    for p in found:
        if not verify_path(kg, p):  # never show an edge the graph does not have
            continue
        ex.paths.append([(kg.label(a), rel, kg.label(b)) for rel, a, b in zip(p.relations, p.nodes, p.nodes[1:])])
        ex.kg_paths.append((tuple(p.nodes), tuple(p.relations)))
        ex.path_texts.append(p.describe(kg))
        ex.reasons.append(_path_reason(kg, p))
        if len(ex.paths) >= max_paths:
            break
    inode = item_node(item_id)
    for node in entities:
        rels = kg.edge_relations(inode, node) if kg.has_item(item_id) else set()
        for rel in sorted(rels):
            ex.paths.append([(kg.label(inode), rel, kg.label(node))])
            ex.kg_paths.append(((inode, node), (rel,)))
            ex.path_texts.append(f"{kg.label(inode)} -{rel}-> {kg.label(node)}")
            ex.reasons.append(f"{it.display_title} {RELATION_PHRASES.get(rel, rel)} {kg.label(node)}, which you said you like")
    matched = []
    for key, values in (("genres", it.genres), ("countries", it.countries), ("languages", it.languages)):
        matched += [v for v in constraints.get(key, []) if v in values]
    matched += [p for p in constraints.get("people", []) if p in it.directors + it.writers + it.cast]
    if constraints.get("decades") and it.decade in constraints["decades"]:
        matched.append(it.decade)
    if matched:
        ex.reasons.append(f"matches your request: {', '.join(matched)}")
    if ctx.scorer is not None:
        contrib = contributions if contributions is not None else ctx.scorer.explain(
            s.scorer_profile(ctx.catalog, extra_liked=refs), [item_id])[0]
        ex.contributions = {k: float(v) for k, v in contrib.items()}
        ex.score = float(sum(ex.contributions.values()))
        top = sorted(ex.contributions.items(), key=lambda kv: -kv[1])
        parts = ", ".join(f"{_signal_word(k)} {v:+.2f}" for k, v in top if abs(v) >= 0.005)
        if parts:
            ex.reasons.append(f"scorer {ex.score:.2f} = {parts}")
    ex.reasons = list(dict.fromkeys(ex.reasons))  # two relations over the same nodes read the same
    if not ex.reasons:
        ex.reasons.append("no knowledge-graph path links it to your liked titles yet; it ranked high for your request")
    ex.text = f"{it.display_title}: " + "; ".join(ex.reasons) + "."
    return ex


def run(ctx: ToolContext, a: ExplainItemArgs) -> ToolResult:
    iid = a.item_id if a.item_id in ctx.catalog else (ctx.resolve_title(a.title) if a.title else None)
    if iid is None:
        return ToolResult(False, f"no catalog title matches {a.title or a.item_id!r}")
    ex = explain(ctx, iid)
    return ToolResult(True, ex.text, [iid], ex)


def make_tool(ctx: ToolContext):
    from langchain_core.tools import StructuredTool

    return StructuredTool.from_function(
        func=lambda **kw: run(ctx, ExplainItemArgs(**kw)).text, name="explain_item",
        description=ExplainItemArgs.__doc__, args_schema=ExplainItemArgs)
