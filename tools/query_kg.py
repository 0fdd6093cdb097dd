"""query_kg: knowledge-graph lookups. An entity name (person, genre, studio, country,
language, decade) -> the items connected to it (becomes the candidate set); a title ->
the entities it connects to (directors, cast, genres, ...)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.context import ToolContext, ToolResult


class QueryKGArgs(BaseModel):
    """Look up the knowledge graph: movies of a person/genre/studio/country (sets the candidate set), or facts about one title."""

    entity: str | None = Field(None, description="a person, genre, studio, country, language or decade name")
    relation: str | None = Field(None, description="optional relation, e.g. directed_by, cast_member, written_by")
    title: str | None = Field(None, description="a movie title to describe instead")


def run(ctx: ToolContext, a: QueryKGArgs) -> ToolResult:
    kg = ctx.kg
    if a.title:
        iid = ctx.resolve_title(a.title)
        if iid is None:
            return ToolResult(False, f"no catalog title matches {a.title!r}")
        facts: dict[str, list[str]] = {}
        for rel, node in kg.entities_of_item(iid):
            facts.setdefault(rel, []).append(kg.label(node))
        text = f"{ctx.catalog[iid].display_title}: " + "; ".join(f"{r} {', '.join(v[:5])}" for r, v in facts.items())
        return ToolResult(True, text, [iid], facts)
    if not a.entity:
        return ToolResult(False, "give an entity name or a title")
    matches = kg.link_entity(a.entity, limit=3)
    if not matches:
        return ToolResult(False, f"nothing in the knowledge graph is called {a.entity!r}")
    m = matches[0]
    ids = [i for i in kg.items_of_entity(m.node, a.relation) if i in ctx.catalog]
    exclude = set(ctx.session.seen) | set(ctx.session.disliked)
    ids = ctx.popular_first([i for i in dict.fromkeys(ids) if i not in exclude])[: ctx.n_candidates]
    with ctx.session.lock:
        ctx.session.candidates = ids
    if not ids:
        return ToolResult(False, f"{m.label} ({m.type}) has no unseen items", [], m.node)
    return ToolResult(True, f"{m.label} ({m.type}): {len(ids)} items; first: {ctx.titles(ids)}", ids, m.node)


def make_tool(ctx: ToolContext):
    from langchain_core.tools import StructuredTool

    return StructuredTool.from_function(
        func=lambda **kw: run(ctx, QueryKGArgs(**kw)).text, name="query_kg",
        description=QueryKGArgs.__doc__, args_schema=QueryKGArgs)
