"""search_items: find candidate items by free text (Chroma vector search) and metadata filters.

Sets the session's candidate set (ids). Without a built vector index, or when
the index fails mid-session (a Chroma server that went away), it filters the
catalog by metadata and orders by popularity, and says so.
"""

from __future__ import annotations

import itertools

from pydantic import BaseModel, Field

from tools.context import ToolContext, ToolResult


class SearchItemsArgs(BaseModel):
    """Find movies matching a description and/or filters; the results become the candidate set."""

    query: str = Field("", description="free-text description (mood, theme, plot); may be empty")
    genres: list[str] = Field(default_factory=list, description="catalog genres, e.g. Sci-Fi, Comedy")
    people: list[str] = Field(default_factory=list, description="director/actor/writer names")
    year_min: int | None = Field(None, description="earliest release year")
    year_max: int | None = Field(None, description="latest release year")
    decades: list[str] = Field(default_factory=list, description='decades like "1980s"')
    countries: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    not_genres: list[str] = Field(default_factory=list, description="genres the movie must not have")
    not_people: list[str] = Field(default_factory=list, description="people who must not be involved")
    not_decades: list[str] = Field(default_factory=list, description='decades or single years the movie must not be from, e.g. "1980s", "1997"')
    not_countries: list[str] = Field(default_factory=list, description="countries the movie must not be from")
    not_languages: list[str] = Field(default_factory=list, description="languages the movie must not be in")
    moods: list[str] = Field(default_factory=list, description="ALL of: feel_good, funny, sad, romantic, date, scary, "
                             "tense, mind_bending, exciting, thoughtful, true_story, family, dark, escapist, inspiring, "
                             "sport, biopic, history, calm, whimsical, upbeat, dark_comedy, light")
    kept_genres: list[str] = Field(default_factory=list, description="genres no mood works against (kept when the "
                                   "user asked for more of a mood: 'action, but more emotional')")
    audience: str = Field("", description='"kids": a children\'s/family/animation film rated G/PG where rated; '
                          '"clean": rated G/PG, or a children\'s/family film (no horror); '
                          '"no_adult": nothing rated R/NC-17 (unrated: no horror)')
    rated: list[str] = Field(default_factory=list, description="MPAA ratings allowed, e.g. G, PG")
    runtime_min: int | None = Field(None, description="shortest runtime in minutes")
    runtime_max: int | None = Field(None, description="runtime below this many minutes")
    any_genre: bool = Field(False, description="the item needs ANY of `genres` instead of ALL")
    core_genres: list[str] = Field(default_factory=list, description="with any_genre: genres of `genres` the item "
                                   "needs as well (Romance AND (Action OR Adventure): genres=[Romance, Action, "
                                   "Adventure], core_genres=[Romance])")
    any_person: bool = Field(False, description="the item needs ANY of `people` instead of ALL")
    qualities: list[str] = Field(default_factory=list,
                                 description="ALL of: acclaimed, hidden_gem, classic, oscar, crowd_pleaser")
    oscars_min: int | None = Field(None, ge=1, description="at least this many Oscar wins")
    k: int = Field(60, ge=1, le=2000, description="how many candidates to keep")


def _catalog_filter(ctx: ToolContext, a: SearchItemsArgs, exclude: set[str]) -> list[str]:
    """Metadata filtering over the catalog (used when no vector index is available); same semantics as
    retrieval.filters: ALL genres, ALL people, ANY country/language/decade, inclusive year range."""
    people = {p.lower() for p in a.people}
    out = []
    for it in ctx.catalog:
        if it.id in exclude:
            continue
        if a.genres and not set(a.genres) <= set(it.genres):
            continue
        if a.year_min and (it.year is None or it.year < a.year_min):
            continue
        if a.year_max and (it.year is None or it.year > a.year_max):
            continue
        if a.decades and it.decade not in a.decades:
            continue
        if a.countries and not set(a.countries) & set(it.countries):
            continue
        if a.languages and not set(a.languages) & set(it.languages):
            continue
        if people and not people <= {p.lower() for p in it.directors + it.writers + it.cast}:
            continue
        out.append(it.id)
    return ctx.popular_first(out)


def _people_of(item) -> set[str]:
    return {p.lower() for p in item.directors + item.writers + item.cast}


def unwanted(item, a: SearchItemsArgs) -> bool:
    """A refused genre, person, decade, country or language. Refusals are read strictly: a genre counts when MovieLens
    or OMDb lists it ("no horror" also leaves out The Silence of the Lambs, which OMDb files under Horror), and an item
    with no people (countries, languages) data at all never passes a refused person (country, language): missing data
    never satisfies a filter."""
    people = _people_of(item)
    from catalog.facets import broad_genres

    genres = broad_genres(item)
    return (bool(set(a.not_genres) & genres) or any(p.lower() in people for p in a.not_people)
            or bool(a.not_people and not people)  # no cast or crew data: cannot be shown to be free of them
            or bool(a.not_decades and (item.decade in a.not_decades or str(item.year) in a.not_decades))
            or bool(a.not_countries and (not item.countries or set(a.not_countries) & set(item.countries)))
            or bool(a.not_languages and (not item.languages or set(a.not_languages) & set(item.languages))))


OPEN_POOL_MAX = 20_000
RELAX_MIN_LEFT = 5  # a soft part is kept in a relaxation only when the items left fill a page


def facet_filter(a: SearchItemsArgs):
    from catalog.facets import FacetFilter

    return FacetFilter(tuple(a.moods), a.audience, tuple(a.rated), a.runtime_min, a.runtime_max, tuple(a.qualities),
                       a.oscars_min, tuple(a.kept_genres))


def soft_label(part: str) -> str:
    from catalog.facets import MOODS

    return MOODS[part].label if part in MOODS else part.replace("_", " ")


def apply_facets(ctx: ToolContext, facet, ids: list[str], k: int) -> list[str]:
    """Keep the ids that pass the open constraints. When none passes them all, as few soft parts (moods, qualities)
    as possible are dropped, the later-read ones first (a mood read earlier is the nearer reading: "scared out of our
    minds ... sleep with the lights on" keeps scary and drops the feel-good that "lights" was near), and that is said."""
    from dataclasses import replace

    from catalog.facets import FacetStats

    stats = ctx.facets if ctx.facets is not None else FacetStats(ctx.catalog, ctx.popularity)
    keep = [i for i in ids if facet.ok(ctx.catalog[i], stats)]
    soft = list(facet.moods) + list(facet.qualities)
    if not keep and soft:
        # a relaxation must leave a page (RELAX_MIN_LEFT); dropping every soft part always may
        enough, kept, keep = min(k, RELAX_MIN_LEFT), (), []
        for n in range(len(soft) - 1, -1, -1):
            for part in itertools.combinations(soft, n):  # in order: subsets keeping the earlier parts come first
                f = replace(facet, moods=tuple(m for m in facet.moods if m in part),
                            qualities=tuple(q for q in facet.qualities if q in part))
                left = [i for i in ids if f.ok(ctx.catalog[i], stats)]
                if len(left) >= enough or (n == 0 and left):
                    kept, keep = part, left
                    break
            if keep:
                break
        if keep:
            dropped = [x for x in soft if x not in kept]
            ctx.relaxed += dropped
            what = [soft_label(x) for x in soft]
            if kept:
                ctx.notes.append(f"nothing that matches the rest of the request is {' and '.join(what)} by the data I "
                                 f"have, so I left out {' and '.join(soft_label(x) for x in dropped)}")
            else:
                ctx.notes.append(f"nothing that matches the rest of the request is {' or '.join(what)} by the data I "
                                 "have, so I left that part out")
    for f in facet.fields_used():
        if stats.counts[f] < 0.95 * stats.n:
            note = stats.coverage_note(f) + ", and the others cannot match"
            if note not in ctx.notes:
                ctx.notes.append(note)
    return keep[:k]


def run(ctx: ToolContext, a: SearchItemsArgs) -> ToolResult:
    if (a.any_genre and len([g for g in a.genres if g not in a.core_genres]) > 1) or (a.any_person and len(a.people) > 1):
        return _run_any(ctx, a)
    s = ctx.session
    exclude = s.blocked()
    try:
        facet = facet_filter(a)
    except ValueError as e:
        return ToolResult(False, f"search failed: {e}")
    has_filters = any([a.genres, a.people, a.year_min, a.year_max, a.decades, a.countries, a.languages])
    # open constraints are checked after retrieval, on a pool; every item of a MovieLens-sized catalog, at most
    # OPEN_POOL_MAX (a 1M-item catalog would otherwise ask the index for all of them)
    k_query = min(len(ctx.catalog), OPEN_POOL_MAX) if not facet.is_empty() else a.k
    if ctx.index is not None:
        from catalog.types import RecassistError
        from retrieval.filters import FilterError, SearchFilters

        try:
            filters = SearchFilters(genres=a.genres, year_min=a.year_min, year_max=a.year_max, decades=a.decades,
                                    countries=a.countries, languages=a.languages, people=a.people,
                                    exclude_ids=sorted(exclude))
            if a.query.strip():
                ids = [h.item_id for h in ctx.index.search(a.query, filters=filters if has_filters or exclude else None,
                                                           k=k_query, documents=False)]  # ids are all it reads
            elif has_filters:
                ids = ctx.popular_first(ctx.index.filter_ids(filters))[: k_query]
            else:
                ids = None
        except FilterError as e:  # a filter the catalog does not know: readable, nothing lost
            return ToolResult(False, f"search failed: {e}")
        except RecassistError as e:  # the index itself failed (its Chroma server went away): filter the catalog
            ctx.notes.append(f"free-text search is unavailable right now, so I used metadata filters and popularity. Cause: {e}")
            ids = _catalog_filter(ctx, a, exclude)[: k_query] if has_filters else None
    else:
        if a.query.strip() and not has_filters:
            why = ctx.index_note or "the vector index is not built (run `recassist build`)"
            ctx.notes.append(f"{why}, so free-text search is unavailable")
        ids = _catalog_filter(ctx, a, exclude)[: k_query] if has_filters else None
    ids = [i for i in ids if i in ctx.catalog and i not in exclude] if ids is not None else None
    negatives = bool(a.not_genres or a.not_people or a.not_decades or a.not_countries or a.not_languages)
    if negatives:  # checked on the items themselves, before the open facets: a mood that only refused items
        # would suit ("anything but a love story" on Valentine's day) is then relaxed, not an empty answer
        pool = ids if ids is not None else ctx.popular_first([i for i in ctx.catalog.ids if i not in exclude])
        if a.not_people and any(not _people_of(ctx.catalog[i]) for i in pool[: a.k]):
            note = "titles with no cast or crew data are left out, since I cannot check who is in them"
            if note not in ctx.notes:
                ctx.notes.append(note)
        wanted = (i for i in pool if not unwanted(ctx.catalog[i], a))
        # no query, no filter and no facet: the first k wanted of the whole catalog (never all of a 1M catalog)
        ids = list(wanted) if ids is not None or not facet.is_empty() else list(itertools.islice(wanted, a.k))
    if not facet.is_empty():
        if ids is None:
            ids = ctx.popular_first([i for i in ctx.catalog.ids if i not in exclude])
        ids = apply_facets(ctx, facet, ids, a.k)
    with s.lock:
        s.candidates = ids
    if ids is None:
        return ToolResult(True, "no query or filters: every catalog item is a candidate", [])
    if not ids:
        return ToolResult(False, "no catalog item matches these filters; try fewer or broader ones", [])
    return ToolResult(True, f"{len(ids)} candidates; first: {ctx.titles(ids)}", ids)


def make_tool(ctx: ToolContext):
    from langchain_core.tools import StructuredTool

    return StructuredTool.from_function(
        func=lambda **kw: run(ctx, SearchItemsArgs(**kw)).text, name="search_items",
        description=SearchItemsArgs.__doc__, args_schema=SearchItemsArgs)


def _run_any(ctx: ToolContext, a: SearchItemsArgs) -> ToolResult:
    """ANY of several genres / people: one search per value, merged in the order of the first search,
    then the ALL-semantics of the other fields as usual (the core genres are part of every search)."""
    slot = "genres" if a.any_genre and len(a.genres) > 1 else "people"
    core = a.core_genres if slot == "genres" else []
    merged: list[str] = []
    last = None
    for v in (x for x in getattr(a, slot) if x not in core):
        one = a.model_copy(update={slot: core + [v], "any_genre": False, "any_person": False, "core_genres": []})
        last = run(ctx, one)
        merged += [i for i in (ctx.session.candidates or []) if i not in merged]
    with ctx.session.lock:
        ctx.session.candidates = ctx.popular_first(merged)[: a.k] if not a.query.strip() else merged[: a.k]
    ids = ctx.session.candidates
    if not ids:
        return last if last is not None else ToolResult(False, "no catalog item matches these filters")
    return ToolResult(True, f"{len(ids)} candidates; first: {ctx.titles(ids)}", ids)
