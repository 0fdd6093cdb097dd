"""explain_item: why an item fits this user, in plain words, from data only.

Reasons, in order:
  1. what the user asked for that the item has ("directed by Alfred Hitchcock, as you asked"), and the
     entities they said they like ("stars Tom Hanks, whom you said you like");
  2. the liked titles that drove the score (scorer.attribution: each liked item's share of the fused
     score), worded by the signal family that carried the share: "people who liked Alien also liked
     it", "close in story and themes to Alien";
  3. a knowledge-graph connection from those same liked titles through an informative entity (linked
     to at most 5% of the catalog: a director, writer, studio, shared actor; never a country or a
     major genre): 1-2 hops, 4 hops only when nothing shorter exists; each path re-checked edge by edge
     (kg.paths.verify_path). Only the paths the text cites are returned, so the UI draws those;
  4. without liked titles: popularity and critic or viewer acclaim ("highly rated by critics").
No signal names or numbers go into the text; the per-signal contributions, the per-family totals
and the per-liked-title shares travel as data for the UI panel. No LLM writes any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from tools.context import ToolContext, ToolResult

GENERIC_SHARE = 0.05  # an entity linked to more of the catalog than this explains nothing
# relation of the target-side hop -> how the item relates to the entity
ROLE = {"directed_by": "directed by", "written_by": "written by", "cast_member": "stars", "produced_by": "from",
        "has_genre": "a", "from_country": "from", "in_language": "in", "released_in": "from the"}
# relation of the seed-side hop -> what the entity did for the liked title
DID = {"directed_by": "who directed", "written_by": "who wrote", "cast_member": "who is in", "produced_by": "the studio behind"}
PREFERRED = {"directed_by": 1.0, "written_by": 0.9, "produced_by": 0.7, "cast_member": 0.6, "has_genre": 0.35,
             "from_country": 0.3, "in_language": 0.25, "released_in": 0.1}


class ExplainItemArgs(BaseModel):
    """Explain why a movie was suggested to this user: the liked titles behind it and knowledge-graph connections."""

    title: str | None = Field(None, description="the movie title")
    item_id: str | None = Field(None, description="the catalog id, if known")


@dataclass
class ItemExplanation:
    item_id: str
    title: str
    text: str
    paths: list[list[tuple[str, str, str]]] = field(default_factory=list)  # cited paths, hops (source, relation, target) labels
    path_texts: list[str] = field(default_factory=list)
    contributions: dict[str, float] = field(default_factory=dict)  # signal -> contribution (data, not for chat text)
    score: float | None = None
    reasons: list[str] = field(default_factory=list)  # short plain phrases, most important first
    kg_paths: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)  # (node ids, relations) per cited path
    cited: list[str] = field(default_factory=list)  # liked item ids the text names as the reason
    liked_shares: dict[str, float] = field(default_factory=dict)  # liked title -> share of the score (largest first)
    families: dict[str, float] = field(default_factory=dict)  # family label -> contribution (scorer.attribution)
    lead: str = ""  # what leads: "asked", "liked", "popular", "none"


def _generic_limit(n_items: int) -> float:
    return max(GENERIC_SHARE * n_items, 3)  # (a tiny catalog still lets a person shared by 3 titles count)


def _informative(kg, node: str, n_items: int) -> bool:
    return kg.type_of(node) not in ("item", "user", "decade") and kg.degree(node) <= _generic_limit(n_items)


def _path_phrase(kg, p) -> str:
    """'directed by Ridley Scott, who directed Alien (1979)' for 2 hops; a two-step link for 4 hops."""
    seed = kg.label(p.nodes[0])
    if p.hops == 2:
        ent, r_seed, r_t = kg.label(p.nodes[1]), p.relations[0], p.relations[1]
        if r_t in ("has_genre", "from_country", "in_language"):
            g = ent.lower().replace("-", " ")
            g = g if "film" in g else f"{g} film"
            what = f"{'an' if g[0] in 'aeiou' else 'a'} {g}" if r_t == "has_genre" else f"{ROLE[r_t]} {ent}"
            return f"{what}, like {seed}"
        if r_seed == r_t and r_t == "cast_member":
            return f"stars {ent}, who is also in {seed}"
        return f"{ROLE.get(r_t, r_t)} {ent}, {DID.get(r_seed, 'linked to')} {seed}"
    mid = kg.label(p.nodes[2])
    return f"{kg.label(p.nodes[3])} worked on it and on {mid}, which shares {kg.label(p.nodes[1])} with {seed}"


def meaningful_paths(kg, seeds: list[str], target: str, n_items: int, limit: int = 1, long: bool = True) -> list:
    """Verified paths from `seeds` to `target` through informative entities only: the best 2-hop ones, or
    (long=True) 4-hop ones through people and studios when no 2-hop path exists. Ranked by relation
    (director first), then rarer entity, then the seed's order."""
    from kg.paths import find_paths, verify_path

    if not seeds or not kg.has_item(target):
        return []
    hub = max(1, int(_generic_limit(n_items)))

    def good(p) -> bool:
        return verify_path(kg, p) and all(_informative(kg, n, n_items) for n in p.nodes[1:-1:2])

    def rank(p):
        rel = min(PREFERRED.get(r, 0.05) for r in p.relations)
        return (-rel, -PREFERRED.get(p.relations[-1], 0.05), sum(kg.degree(n) for n in p.nodes[1:-1:2]), seeds.index(
            kg.g.nodes[p.nodes[0]]["item_id"]))

    short = [p for p in find_paths(kg, seeds, target, max_hops=2, limit=50) if good(p)]
    if not short and long:
        short = [p for p in find_paths(kg, seeds, target, max_hops=4, limit=20, hub_degree=hub)
                 if p.hops == 4 and good(p) and all(kg.type_of(n) in ("person", "studio") for n in p.nodes[1:-1:2])]
    return sorted(short, key=rank)[:limit]


def _titles(ctx, ids: list[str]) -> str:
    names = [ctx.catalog[i].display_title for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _role(it, person: str) -> str | None:
    """How the item relates to a person: 'directed by', 'written by', 'stars', or None."""
    return ("directed by" if person in it.directors else "written by" if person in it.writers
            else "stars" if person in it.cast else None)


def _asked(ctx, it, r, entities: list[str]) -> list[str]:
    """Phrases for request constraints and stated likes the item satisfies ('directed by X, as you asked')."""
    from catalog.facets import all_genres

    out = [f"{_role(it, p)} {p}, as you asked" for p in r.people if _role(it, p)]
    genres = [g for g in r.genres if g in all_genres(it)]
    where = [c for c in r.countries if c in it.countries] + [lang for lang in r.languages if lang in it.languages]
    when = f"from the {it.decade}" if r.decades and it.decade in r.decades else ""
    bits = ([" and ".join(g.lower() for g in genres)] if genres else []) + [f"from {w}" for w in where] + ([when] if when else [])
    if bits:
        out.append(" ".join(bits) + ", as you asked")
    facets = ctx.facets
    if facets is not None:
        q_words = {"acclaimed": "highly rated by critics", "classic": "a critically admired classic",
                   "hidden_gem": "acclaimed but little known", "oscar": "an Oscar winner",
                   "many_oscars": "a winner of several Oscars",
                   "crowd_pleaser": "loved by viewers"}
        for q in r.qualities:
            if q in q_words and facets.quality_ok(it, q):
                out.append(f"{q_words[q]}, as you asked")
    for node in entities:
        kind, _, name = node.partition(":")
        if kind == "person" and _role(it, name):
            out.append(f"{_role(it, name)} {name}, whom you said you like")
        elif kind == "genre" and name in it.genres:
            out.append(f"a {name.lower()} film, a genre you said you like")
    return out


def _fallback(ctx, it, families: dict[str, float]) -> list[str]:
    """Reasons without liked titles: acclaim and popularity, from the catalog's own numbers."""
    f, out = ctx.facets, []
    j = ctx.catalog.index(it.id)
    if f is not None:
        if f.critic_of(it.id) >= 0.8:
            out.append("highly rated by critics")
        if f.audience_of(it.id) >= 0.8:
            out.append("rated highly by viewers here")
        if f.pop_pct[j] >= 0.9:
            out.append("one of the most watched titles in the catalog")
    elif ctx.popularity is not None and families.get("popular", 0) > 0:
        out.append("popular with viewers")
    return out


def explain_many(ctx: ToolContext, item_ids: list[str]) -> list[ItemExplanation]:
    """`explain` for several items with one attribution call (the profile's parts are shared)."""
    atts = _attribute(ctx, list(item_ids)) if item_ids else None
    return [explain(ctx, i, attribution=None if atts is None else atts[n]) for n, i in enumerate(item_ids)]


def _attribute(ctx: ToolContext, item_ids: list[str]):
    """scorer.attribution for the fusion scorer; per-signal contributions only (no liked-title shares) for a
    recommender that has just `explain`; None without a scorer."""
    if ctx.scorer is None:
        return None
    from scorer.attribution import attribute

    s = ctx.session
    return attribute(ctx.scorer, s.scorer_profile(ctx.catalog, extra_liked=list(s.request.references)), item_ids)


def explain(ctx: ToolContext, item_id: str, attribution=None) -> ItemExplanation:
    from scorer.attribution import FAMILY_LABELS

    kg, s, it = ctx.kg, ctx.session, ctx.catalog[item_id]
    with s.lock:
        refs = [i for i in s.request.references if i in ctx.catalog and i != item_id]
        liked = [i for i in dict.fromkeys(refs + list(s.liked)) if i != item_id and i in ctx.catalog]
        entities = list(s.entities)
        r = s.request.copy()
    ex = ItemExplanation(item_id, it.title, "")
    att = attribution if attribution is not None else (_attribute(ctx, [item_id]) or [None])[0]
    if att is not None:
        ex.contributions = dict(att.contributions)
        ex.score = att.score
        ex.families = {FAMILY_LABELS[k]: v for k, v in sorted(att.families.items(), key=lambda kv: -abs(kv[1]))
                       if k in FAMILY_LABELS}
        ex.liked_shares = {ctx.catalog[i].display_title: v for i, v in att.liked.items() if i in ctx.catalog}
    reasons = _asked(ctx, it, r, entities)
    if reasons:
        ex.lead = "asked"
    # the liked titles behind the score: the scorer's attribution, else (no scorer) the references
    cited = [i for i in (att.top_liked(2) if att is not None else refs[:1]) if i in ctx.catalog and i != item_id]
    n = len(ctx.catalog)
    if cited:
        fam = "taste"
        if att is not None:
            totals = {f: sum(att.liked_by_family.get(i, {}).get(f, 0.0) for i in cited) for f in ("taste", "story", "people")}
            fam = max(totals, key=totals.get)
        # a 4-hop chain only when the KG carries the score and nothing shorter exists; otherwise it is noise
        paths = meaningful_paths(kg, cited, item_id, n, long=fam == "people" or att is None)
        if fam == "people" and not paths:  # KG similarity through generic entities only: say what else carried it
            fam = max(("taste", "story"), key=totals.get)
        if paths and (fam == "people" or att is None):
            seeds = [kg.g.nodes[p.nodes[0]]["item_id"] for p in paths]
            cited = [i for i in cited if i in seeds] or cited
        elif fam == "story":
            reasons.append(f"close in story and themes to {_titles(ctx, cited)}, which you liked")
        else:
            reasons.append(f"people who liked {_titles(ctx, cited)} also liked it")
        for p in paths:
            ex.paths.append([(kg.label(a), rel, kg.label(b)) for rel, a, b in zip(p.relations, p.nodes, p.nodes[1:])])
            ex.kg_paths.append((tuple(p.nodes), tuple(p.relations)))
            ex.path_texts.append(p.describe(kg))
            reasons.append(_path_phrase(kg, p))
        ex.cited = list(cited)
        ex.lead = ex.lead or "liked"
    elif liked and not reasons:  # liked titles, none of which lifts this one: a short informative link if one exists
        paths = meaningful_paths(kg, liked, item_id, n, long=False)
        for p in paths:
            ex.paths.append([(kg.label(a), rel, kg.label(b)) for rel, a, b in zip(p.relations, p.nodes, p.nodes[1:])])
            ex.kg_paths.append((tuple(p.nodes), tuple(p.relations)))
            ex.path_texts.append(p.describe(kg))
            reasons.append(_path_phrase(kg, p))
            ex.cited.append(kg.g.nodes[p.nodes[0]]["item_id"])
    if not ex.cited:
        extra = _fallback(ctx, it, att.families if att is not None else {})
        reasons += extra[: 2 if not reasons else 1]
        if extra and not ex.lead:
            ex.lead = "popular"
    reasons = list(dict.fromkeys(reasons))
    if not reasons:
        reasons.append("it ranks high among the titles that fit your request")
        ex.lead = ex.lead or "none"
    ex.reasons = reasons
    ex.text = f"{it.display_title}: " + "; ".join(reasons) + "."
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
