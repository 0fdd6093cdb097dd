"""The dialogue state of one session: explicit, inspectable, serialisable data.

Two parts with different lifetimes:
  * the long-term profile (liked / disliked / seen item ids, interest entities such as
    "person:Ridley Scott"): what the user told us about their taste. "Start over" keeps it;
    "forget me" deletes it.
  * the current request (`Request`): hard constraints (genres, decades, years, people,
    countries, languages), negative constraints (genres, people, titles), reference items
    ("like X") and free text. Constraints persist from turn to turn until the user changes
    them (assistant.dialogue.dst applies each turn's update: add, replace, relax, reset).

Plus what the session has shown: every item shown (never shown twice unless asked), the
pages in order, the current ranked result list and how many of its items were served, and
an open question (a title to disambiguate) with the request it belongs to.

`to_dict` / `from_dict` round-trip everything but the locks, so the session store can save the
state after every turn and a restart (or the next `recassist ask --session S`) continues the
conversation. What it does not do: decide anything (assistant.dialogue) or run tools.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field, fields

STATE_VERSION = 1


@dataclass
class Request:
    """The current request's constraints. Empty lists / None mean "no constraint"."""

    genres: list[str] = field(default_factory=list)  # item has ALL of them (catalog labels)
    decades: list[str] = field(default_factory=list)  # ANY of them ("1990s")
    year_min: int | None = None  # inclusive
    year_max: int | None = None
    people: list[str] = field(default_factory=list)  # ALL of them (catalog spellings)
    countries: list[str] = field(default_factory=list)  # ANY
    languages: list[str] = field(default_factory=list)  # ANY
    not_genres: list[str] = field(default_factory=list)  # none of them
    not_people: list[str] = field(default_factory=list)
    not_decades: list[str] = field(default_factory=list)  # none of them: decades ("1980s") or single years ("1997")
    not_countries: list[str] = field(default_factory=list)  # none of them; items without a country never pass
    not_languages: list[str] = field(default_factory=list)  # none of them; items without a language never pass
    excluded: list[str] = field(default_factory=list)  # item ids never to show for this request
    references: list[str] = field(default_factory=list)  # item ids: "something like X"
    query: str = ""  # free text for semantic retrieval
    # the open part (meanings in catalog.facets)
    moods: list[str] = field(default_factory=list)  # ALL of them (soft: dropped, and said, when nothing suits)
    kept_genres: list[str] = field(default_factory=list)  # of `genres`, those kept through a mood shift ("action,
    # then something more emotional"): no mood works against them
    audience: str = ""  # "kids" | "clean" | "no_adult" (catalog.facets.kids_ok / clean_ok / no_adult_ok)
    rated: list[str] = field(default_factory=list)  # MPAA ratings allowed (ANY); unrated items never match
    runtime_min: int | None = None  # minutes; items without a runtime never match
    runtime_max: int | None = None  # exclusive
    qualities: list[str] = field(default_factory=list)  # ALL of them: acclaimed | hidden_gem | classic | oscar
    oscars_min: int | None = None  # at least this many Oscar wins; items without awards data never match
    unmatched: list[str] = field(default_factory=list)  # asked for, no data: said in the reply
    leanings: list[str] = field(default_factory=list)  # genres the wording leans to (a learned reading): ranked
    # first within what the constraints allow, never a filter (tools.rank_candidates)
    leaned_qualities: list[str] = field(default_factory=list)  # quality words the wording leans to (learned:
    # ["well_reviewed"]): rank as `qualities` do, never filter, never relaxed
    any_of: list[str] = field(default_factory=list)  # "genres" / "people": ANY of the listed values, not ALL
    core_genres: list[str] = field(default_factory=list)  # of `genres`, those needed even when genres are ANY-of
    listed: list[str] = field(default_factory=list)  # "genres" / "people" written as one list: may fall back to ANY

    HARD = ("genres", "decades", "year_min", "year_max", "people", "countries", "languages",
            "moods", "audience", "rated", "runtime_min", "runtime_max", "qualities", "oscars_min")

    def has_filters(self) -> bool:
        return any(getattr(self, f) not in (None, [], "") for f in self.HARD)

    def refuses(self) -> bool:
        """A genre, person, decade, country or language refused."""
        return bool(self.not_genres or self.not_people or self.not_decades or self.not_countries or self.not_languages)

    def is_empty(self) -> bool:
        return not (self.has_filters() or self.refuses() or self.excluded or self.references or self.query
                    or self.unmatched or self.leanings or self.leaned_qualities)

    def copy(self) -> "Request":
        return Request(**{f.name: (list(v) if isinstance(v := getattr(self, f.name), list) else v) for f in fields(self)})


@dataclass
class SessionState:
    session_id: str
    # -- long-term profile ---------------------------------------------------------------
    liked: list[str] = field(default_factory=list)  # item ids, oldest first
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # KG nodes the user is interested in
    # -- the current request -------------------------------------------------------------
    request: Request = field(default_factory=Request)
    # -- what was shown ----------------------------------------------------------------
    results: list[str] = field(default_factory=list)  # current request's ranked item ids, best first
    scores: dict[str, float] = field(default_factory=dict)  # item id -> score in `results`
    shown: list[str] = field(default_factory=list)  # every item shown in this session, in order
    pages: list[list[str]] = field(default_factory=list)  # the card lists shown, in order
    cards: list[str] = field(default_factory=list)  # the cards on screen now ("why 2" points here)
    pending: dict | None = None  # open question: {"kind": "which_title", "written": str, "options": [ids], ...}
    onboarding: dict | None = None  # {"step": int, "answers": {...}} while onboarding runs
    turn: int = 0
    last_act: str = ""
    # -- tool scratch (per turn; kept so a tool chain can be resumed) ------------------------
    candidates: list[str] | None = None  # current candidate set (ids); None = whole catalog
    ranked: list[tuple[str, float]] = field(default_factory=list)  # last ranking (id, score)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    # held for a whole turn, button or onboarding start (Assistant._saved): one write of the session at a time;
    # re-entrant, since a turn may start onboarding itself
    turn_lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    row_version: int = field(default=0, repr=False, compare=False)  # the stored row this state was read from

    PROFILE_FIELDS = ("liked", "disliked", "seen", "entities")
    _TRANSIENT = ("lock", "turn_lock", "row_version")

    # -- profile ----------------------------------------------------------------------------
    def apply(self, item_id: str, kind: str) -> None:
        """Feedback on one item: like | dislike | seen | not_interested (= dislike for ranking).
        A like or dislike replaces an earlier opposite one; "seen" keeps whichever the user gave."""
        with self.lock:
            for lst in (self.liked, self.disliked):
                if item_id in lst and kind != "seen":
                    lst.remove(item_id)
            if kind == "like":
                self.liked.append(item_id)
            elif kind in ("dislike", "not_interested"):
                self.disliked.append(item_id)
            if kind in ("seen", "like", "dislike") and item_id not in self.seen:
                self.seen.append(item_id)
            if self.candidates is not None and item_id in self.candidates and kind != "like":
                self.candidates = [i for i in self.candidates if i != item_id]

    def answered(self, slot: str) -> list[str]:
        """Items the user liked, disliked, or only saw ("seen" without a like or dislike)."""
        with self.lock:
            if slot == "seen":
                return [i for i in self.seen if i not in self.liked and i not in self.disliked]
            return list(getattr(self, slot))

    def add_entity(self, node: str) -> None:
        with self.lock:
            if node not in self.entities:
                self.entities.append(node)

    def replace_with(self, other: "SessionState", version: bool) -> None:
        """Take every field of `other` in place (the locks stay this object's; the stored row version too
        unless `version`), so code holding this object sees the other state."""
        keep = ("lock", "turn_lock") + (() if version else ("row_version",))
        with self.lock:
            for f in fields(self):
                if f.name not in keep:
                    setattr(self, f.name, getattr(other, f.name))

    def profile_dict(self) -> dict:
        with self.lock:
            return {f: list(getattr(self, f)) for f in self.PROFILE_FIELDS}

    def load_profile(self, d: dict) -> None:
        with self.lock:
            for f in self.PROFILE_FIELDS:
                setattr(self, f, list(d.get(f, [])))

    def clear_profile(self) -> None:
        with self.lock:
            for f in self.PROFILE_FIELDS:
                setattr(self, f, [])

    # -- request and results ----------------------------------------------------------------
    def reset_request(self) -> None:
        """"Start over": a new empty request; the profile and what was shown stay."""
        with self.lock:
            self.request = Request()
            self.results, self.scores, self.cards, self.pending = [], {}, [], None
            self.candidates, self.ranked = None, []

    def blocked(self) -> set[str]:
        """Items never to show for the current request: shown, liked, disliked, seen, excluded, references."""
        with self.lock:
            return (set(self.shown) | set(self.liked) | set(self.disliked) | set(self.seen)
                    | set(self.request.excluded) | set(self.request.references))

    def scorer_profile(self, catalog, extra_liked: list[str] = ()):
        """The scorer's Profile: liked (+ the request's references), disliked, seen, entities; ids not in the
        catalog dropped."""
        from scorer.base import Profile

        with self.lock:
            liked = [i for i in dict.fromkeys(list(self.liked) + list(extra_liked)) if i in catalog]
            return Profile(liked=liked, disliked=[i for i in self.disliked if i in catalog and i not in liked],
                           seen=[i for i in self.seen if i in catalog], entities=list(self.entities))

    # -- persistence --------------------------------------------------------------------------
    def to_dict(self) -> dict:
        with self.lock:
            d = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in self._TRANSIENT}
            d = {k: (asdict(v) if isinstance(v, Request) else v) for k, v in d.items()}
            d["ranked"] = [list(p) for p in self.ranked]
            d["version"] = STATE_VERSION
            import copy

            return copy.deepcopy(d)

    @classmethod
    def from_dict(cls, d: dict) -> "SessionState":
        names = {f.name for f in fields(cls)} - set(cls._TRANSIENT)
        kw = {k: v for k, v in d.items() if k in names}
        kw["request"] = Request(**{k: v for k, v in (d.get("request") or {}).items()
                                   if k in {f.name for f in fields(Request)}})
        kw["ranked"] = [(i, float(s)) for i, s in d.get("ranked", [])]
        return cls(**kw)
