"""Typed agent tools, one module each, all bound to a per-session ToolContext.

search_items (vector search + metadata filters -> candidate set), query_kg
(entity lookups in the knowledge graph -> candidate set), rank_candidates
(fusion scorer over the candidate set), explain_item (the liked titles behind a score, short KG paths,
scorer contributions), update_profile (likes, dislikes, seen, interests).

Each module has a pydantic args model, a plain function `run(ctx, args) ->
ToolResult` (used by the plan-first executor) and `make_tool(ctx)` returning a
LangChain StructuredTool (used by native tool-calling agents). Expected
failures (unknown title, bad filter) come back as readable text; bugs raise.
"""

from __future__ import annotations


def make_tools(ctx) -> list:
    """All five LangChain tools bound to one session's context."""
    from tools import explain_item, query_kg, rank_candidates, search_items, update_profile

    return [m.make_tool(ctx) for m in (search_items, query_kg, rank_candidates, explain_item, update_profile)]
