"""rank_candidates: rank the session's candidate set (or the whole catalog) with the fusion scorer.

Uses the session profile plus the current request's reference items as liked
seeds, and the request's quality and mood words (and a learned quality leaning) as a second ranking signal, and its
leanings (genres the wording leans to) as a third. A genre named on its own ranks as the mood that is just that genre
does (catalog.facets.GENRE_MOOD): "something romantic" puts romances with a war or horror genre last. Never returns items the session blocks (shown, liked, seen, disliked, excluded or reference
items; tools.state.SessionState.blocked). Without a
trained scorer it keeps the candidate order (retrieval / popularity) and says so.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.context import ToolContext, ToolResult


class RankCandidatesArgs(BaseModel):
    """Rank the current candidate set for this user with the trained scorer; returns the top k."""

    k: int = Field(5, ge=1, le=2000, description="how many items to return")


def run(ctx: ToolContext, a: RankCandidatesArgs) -> ToolResult:
    s = ctx.session
    with s.lock:
        cands = None if s.candidates is None else list(s.candidates)
        blocked = s.blocked()
        refs = list(s.request.references)
    if cands is not None:
        cands = [i for i in cands if i not in blocked]
        if not cands:
            return ToolResult(False, "the candidate set is empty (everything matching was already seen or excluded)")
    if ctx.scorer is not None:
        profile = s.scorer_profile(ctx.catalog, extra_liked=refs)
        ids, scores = ctx.scorer.recommend(profile, k=a.k + len(blocked), candidates=cands, exclude_seen=True)
        ranked = [(i, float(sc)) for i, sc in zip(ids, scores) if i in ctx.catalog and i not in blocked][: a.k]
    else:
        note = "no trained scorer is built (run `recassist build`); ranked by retrieval order and popularity"
        if note not in ctx.notes:
            ctx.notes.append(note)
        pool = cands if cands is not None else ctx.popular_first([i for i in ctx.catalog.ids if i not in blocked])
        ranked = [(i, round(1.0 - r / max(len(pool), 1), 4)) for r, i in enumerate(pool[: a.k])]
    ranked = _mix_request_fit(ctx, ranked)
    with s.lock:
        s.ranked = ranked
    if not ranked:
        return ToolResult(False, "nothing left to rank")
    ids = [i for i, _ in ranked]
    return ToolResult(True, "ranked: " + "; ".join(f"{ctx.catalog[i].display_title} ({sc:.2f})" for i, sc in ranked[:10]),
                      ids, ranked)


def _mix_request_fit(ctx: ToolContext, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Quality and mood words are ranking signals too: order by the mean of the personal rank (0..1) and how
    well the item fits them (catalog.facets.FacetStats.request_fit); a quality the wording leans to (learned, where
    no quality word was read) counts as one read. The request's leanings (genres its wording
    leans to, a learned reading; none when it names a genre or a "like X" title) are half of that fit beside moods
    or quality words, and otherwise put items of a leaning genre first, in the mixed order (leaning_role).
    Scores stay the scorer's."""
    r = ctx.session.request
    if not ranked:
        return ranked
    from catalog.facets import all_genres

    n = len(ranked)
    order = [(1 - pos / n, i, sc) for pos, (i, sc) in enumerate(ranked)]  # (mix, id, score), best first
    role, lean = leaning_role(r), set(r.leanings)
    qualities = list(dict.fromkeys(r.qualities + r.leaned_qualities))  # read, then learned ("well_reviewed")
    if r.moods or qualities:
        from catalog.facets import FacetStats

        stats = ctx.facets if ctx.facets is not None else FacetStats(ctx.catalog, ctx.popularity)
        fit = lambda i: stats.request_fit(ctx.catalog[i], r.moods, qualities, tuple(r.kept_genres))  # noqa: E731
        if fit(ranked[0][0]) is not None:  # None: nothing read that ranks (every quality word ranks today)
            if role == "fit":  # the learned reading of the whole wording, beside the words the rules read
                rules_fit = fit
                fit = lambda i: 0.5 * rules_fit(i) + 0.5 * bool(all_genres(ctx.catalog[i]) & lean)  # noqa: E731
            order = sorted(((0.5 * m + 0.5 * fit(i), i, sc) for m, i, sc in order), key=lambda t: -t[0])
    if r.genres and not r.moods:  # "something romantic": the romances with a war or horror genre last (stable)
        from catalog.facets import broad_genres, named_genres_against

        against = named_genres_against(r.genres)
        if against:
            order = sorted(order, key=lambda t: bool(broad_genres(ctx.catalog[t[1]]) & against))
    if role == "first":
        order = sorted(order, key=lambda t: not (all_genres(ctx.catalog[t[1]]) & lean))  # stable: keeps the mix
    return [(i, sc) for _, i, sc in order]


def leaning_role(request) -> str:
    """How a request's leanings rank: "" (none, or a genre or "like X" title already says what kind it is), "fit"
    (half of how well an item fits the moods or quality words read beside them) or "first" (items of a leaning genre
    first)."""
    r = request
    if not r.leanings or r.genres or r.references:
        return ""
    return "fit" if r.moods or r.qualities else "first"


def make_tool(ctx: ToolContext):
    from langchain_core.tools import StructuredTool

    return StructuredTool.from_function(
        func=lambda **kw: run(ctx, RankCandidatesArgs(**kw)).text, name="rank_candidates",
        description=RankCandidatesArgs.__doc__, args_schema=RankCandidatesArgs)
