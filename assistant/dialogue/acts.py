"""Dialogue acts and the NLU's output (`Understanding` = act + linked entities).

Acts (what the user does with this message):
  recommend    a new request ("comedies like Fargo", "i loved heat, what next?")
  refine       adds a constraint to the current request ("ideally from the 90s")
  replace      swaps a constraint ("horror instead", "what about westerns?")
  relax        drops a constraint ("any decade is fine")
  more         the next page of the same request ("more please", "show me other ones")
  reject       none of the shown items fit ("none of those")
  feedback     only likes / dislikes / seen ("i've seen jaws", "not a fan of #2")
  explain      why an item was suggested ("why 3", "why fargo?")
  critique     like a shown card, with a change ("like #2 but older", "more like the first one")
  show_again   earlier suggestions again ("show the first ones again")
  start_over   a new search, keeping the profile ("start over")
  forget_me    delete the profile and the session ("forget me")
  onboarding   a new user asks to be guided ("i'm new here")
  out_of_scope greetings, thanks, anything the assistant cannot act on

What it does not do: decide acts (assistant.dialogue.nlu) or change state (assistant.dialogue.dst).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ACTS = ("recommend", "refine", "replace", "relax", "more", "reject", "feedback", "explain", "critique",
        "show_again", "start_over", "forget_me", "onboarding", "out_of_scope")
# acts that only make sense after something was shown / asked
NEEDS_SHOWN = ("more", "reject", "critique", "show_again")
FOLLOW_UPS = ("refine", "replace", "relax")
TITLE_ROLES = ("liked", "disliked", "seen", "reference", "excluded")
RELAX_SLOTS = ("genres", "decades", "years", "people", "countries", "languages", "all")


DESCRIBED_WORDS = 4  # content words that make a message a description ("surprise me with a film i would never pick
# myself" has three, and is a request for anything): the NLU leans it, the policy's help names its words


@dataclass
class Entities:
    """Everything linked in one message. Titles are catalog item ids, people catalog spellings,
    genres catalog labels; `unknown_titles` and `ambiguous` keep the user's own words."""

    liked: list[str] = field(default_factory=list)
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    reference: list[str] = field(default_factory=list)  # "something like X"
    excluded: list[str] = field(default_factory=list)  # "except X", "isn't that"
    explain: list[str] = field(default_factory=list)  # "why fargo?"
    people: list[str] = field(default_factory=list)
    not_people: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    not_genres: list[str] = field(default_factory=list)
    decades: list[str] = field(default_factory=list)  # "1990s"
    not_decades: list[str] = field(default_factory=list)  # "nothing from the eighties": "1980s"; "but skip 1997": "1997"
    year_min: int | None = None
    year_max: int | None = None
    countries: list[str] = field(default_factory=list)
    not_countries: list[str] = field(default_factory=list)  # refused: "nothing american" -> "United States"
    not_languages: list[str] = field(default_factory=list)  # refused: "no french films" -> "French"
    languages: list[str] = field(default_factory=list)
    cards: list[int] = field(default_factory=list)  # 1-based positions of cards on screen
    relax: list[str] = field(default_factory=list)  # slots dropped (RELAX_SLOTS)
    relax_values: list[str] = field(default_factory=list)  # values named as dropped / replaced ("instead of horror")
    card_role: str | None = None  # feedback on `cards`: liked | disliked | seen | not_interested
    direction: str | None = None  # relative to a card or the cards on screen: "older" | "newer" | "shorter" | "longer"
    shift: bool = False  # "funnier", "more emotional": more of something within the current request, which keeps its genres
    # the open part of a request (assistant.dialogue.open_slots; meanings in catalog.facets)
    moods: list[str] = field(default_factory=list)  # catalog.facets.MOODS keys: "feel_good", "sad"
    audience: str = ""  # "kids"
    rated: list[str] = field(default_factory=list)  # MPAA ratings allowed: "pg movies only" -> ["G", "GP", "PG"]
    runtime_min: int | None = None  # minutes
    runtime_max: int | None = None
    qualities: list[str] = field(default_factory=list)  # catalog.facets.QUALITIES: "acclaimed", "hidden_gem"
    oscars_min: int | None = None  # "2+ oscars": at least this many Oscar wins (with the oscar quality)
    not_qualities: list[str] = field(default_factory=list)  # refused: "nothing critics love" -> ["acclaimed"]; not
    # applied (no ceiling is asked for) and never leaned to
    unmatched: list[str] = field(default_factory=list)  # asked for, no data in the catalog: "black and white"
    stand_ins: list[str] = field(default_factory=list)  # what was used instead: "films from before 1960"
    query: str = ""  # words nothing else used, for semantic retrieval
    unused: list[str] = field(default_factory=list)  # words beside what was read, no description: said, not searched
    unread_length: str = ""  # time said ("1h12, then 38 min"), no length read from it: the reply asks how long
    unread_years: str = ""  # years said in words no year was read from ("the year my dad hit 30"): the reply asks which
    # no year read and no words of unread_years, but the wording leans to dating the films (learned, leanings.DATED):
    # the reply asks which years too
    dated_guess: bool = False
    leanings: list[str] = field(default_factory=list)  # genres the wording leans to (learned, dialogue/leanings.py):
    # ranked first, never a filter
    leaned_qualities: list[str] = field(default_factory=list)  # ["well_reviewed"] when the wording leans to films
    # critics rate and the rules read no quality word (learned, dialogue/leanings.py): ranks, never a filter
    any_of: list[str] = field(default_factory=list)  # "genres" / "people" joined by "or": ANY of them, not ALL
    core_genres: list[str] = field(default_factory=list)  # with "genres" in any_of, the ones every item needs:
    # "romance with some action or adventure" = Romance AND (Action OR Adventure)
    listed: list[str] = field(default_factory=list)  # "genres" / "people" written as a list ("westerns and musicals")
    moods_exact: bool = False  # a mood was named by one of its example phrases ("cheer me up"), not only near one
    read_as: list[tuple[str, str]] = field(default_factory=list)  # plot words read as a genre: ("heist", "Crime")
    # a part of a country read as the country, the finest the data has: ("scottish", "United Kingdom")
    read_as_country: list[tuple[str, str]] = field(default_factory=list)
    unknown_titles: list[str] = field(default_factory=list)  # named, not in the catalog
    unknown_reference: bool = False  # one of them was the reference ("like X") or the title to explain
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)  # (as written, candidate ids, most rated first)
    # a surname several people share: (as written, [the person taken, the others]), most films first
    ambiguous_people: list[tuple[str, list[str]]] = field(default_factory=list)
    provisional: list[str] = field(default_factory=list)  # the most rated candidate of each, used until the user says

    def titles(self) -> list[str]:
        return list(dict.fromkeys(self.liked + self.disliked + self.seen + self.reference + self.excluded + self.explain))

    def has_filters(self) -> bool:
        return bool(self.genres or self.decades or self.year_min or self.year_max or self.people
                    or self.countries or self.languages or self.has_open())

    def has_open(self) -> bool:
        """A mood, audience, length or quality constraint."""
        return bool(self.moods or self.audience or self.rated or self.runtime_min or self.runtime_max or self.qualities
                    or self.oscars_min)

    def clear_open(self) -> None:
        """Forget the open part (moods, qualities, ...): a message that only tells feedback asks for none."""
        self.moods, self.qualities, self.audience, self.query, self.rated, self.unused = [], [], "", "", [], []
        self.leanings, self.leaned_qualities, self.unread_length, self.unread_years = [], [], "", ""
        self.dated_guess = False
        self.not_qualities = []
        self.runtime_min = self.runtime_max = self.oscars_min = None

    def has_feedback(self) -> bool:
        return bool(self.liked or self.disliked or self.seen)

    def has_content(self) -> bool:
        """Anything a request could act on."""
        return bool(self.has_filters() or self.titles() or self.refuses() or self.relax or self.unmatched)

    def refuses(self) -> bool:
        """A genre, person, decade, country or language refused."""
        return bool(self.not_genres or self.not_people or self.not_decades or self.not_countries or self.not_languages)

    def read_nothing(self) -> bool:
        """No constraint, title, topic, feedback or card number was read from the message."""
        return not (self.has_content() or self.query or self.unknown_titles or self.ambiguous or self.has_feedback()
                    or self.cards)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Understanding:
    act: str
    entities: Entities
    text: str
    confidence: float = 1.0  # the classifier's probability of `act` (1.0 for exact rules)
    source: str = "rules"  # "rules" | "classifier" | "llm" | "offer" (an answer to a question the assistant asked)
    query: str = ""  # free text for semantic retrieval (from the LLM route)
    llm_error: str | None = None  # why an LLM call failed this turn (the rules answered instead)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["entities"] = self.entities.to_dict()
        return d
