"""update_profile: record likes, dislikes, seen titles and interests in the session profile.

Titles are resolved against the catalog (unknown ones are reported, not
guessed); interests (people, genres) are linked to KG nodes. Every change is
persisted through ctx.record at once.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.context import ToolContext, ToolResult


class UpdateProfileArgs(BaseModel):
    """Record what the user liked, disliked or has already seen, and people/genres they are interested in."""

    liked: list[str] = Field(default_factory=list, description="titles the user liked")
    disliked: list[str] = Field(default_factory=list, description="titles the user disliked / does not want")
    seen: list[str] = Field(default_factory=list, description="titles the user has already seen")
    interests: list[str] = Field(default_factory=list, description="people or genres the user likes")


def apply_feedback(ctx: ToolContext, item_id: str, kind: str) -> None:
    """One feedback event on a known item id: update the session now and persist it."""
    ctx.session.apply(item_id, kind)
    if ctx.record is not None:
        ctx.record(ctx.session.session_id, kind, item_id, {})


def add_interest(ctx: ToolContext, node: str) -> None:
    ctx.session.add_entity(node)
    if ctx.record is not None:
        ctx.record(ctx.session.session_id, "interest", None, {"entity": node})


def run(ctx: ToolContext, a: UpdateProfileArgs) -> ToolResult:
    done, unknown = [], []
    for kind, titles in (("like", a.liked), ("dislike", a.disliked), ("seen", a.seen)):
        for t in titles:
            iid = ctx.resolve_title(t)
            if iid is None:
                unknown.append(t)
                continue
            apply_feedback(ctx, iid, kind)
            done.append(f"{kind} {ctx.catalog[iid].display_title}")
    for name in a.interests:
        m = ctx.kg.link_entity(name, types=("person", "genre", "studio", "country", "language"), limit=1)
        if not m:
            unknown.append(name)
            continue
        add_interest(ctx, m[0].node)
        done.append(f"interest {m[0].label}")
    text = ("updated: " + "; ".join(done)) if done else "nothing updated"
    if unknown:
        text += f". Not in the catalog: {', '.join(repr(u) for u in unknown)}"
    return ToolResult(bool(done), text, [])


def make_tool(ctx: ToolContext):
    from langchain_core.tools import StructuredTool

    return StructuredTool.from_function(
        func=lambda **kw: run(ctx, UpdateProfileArgs(**kw)).text, name="update_profile",
        description=UpdateProfileArgs.__doc__, args_schema=UpdateProfileArgs)
