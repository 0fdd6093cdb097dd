"""The assistant's public contract, shared by the agent, the CLI and the UI.

Plain dataclasses only: no LLM, no I/O. The agent (assistant.agent) returns
these; the UI and CLI render them. Keeping them here lets the UI be tested
against a fake assistant that honours the same Protocol.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable, Literal, Protocol

FeedbackKind = Literal["like", "dislike", "seen", "not_interested"]


@dataclass
class PathHop:
    """One hop of a verified KG path, for rendering (labels, not ids)."""

    source: str
    relation: str
    target: str


@dataclass
class Explanation:
    """Why an item was suggested. Every field comes from data, never from the LLM.

    paths: verified KG paths (each a list of hops) from the user's liked items
    to this item that the text cites; contributions: the fusion scorer's
    per-signal contribution to the score (signal name -> value, they sum to
    `score`; data for developers, never shown as chat text); liked_shares and
    families: the same score split per liked title and per signal family with
    human labels (scorer.attribution); text: plain reasons built from those.
    """

    item_id: str
    title: str
    text: str
    paths: list[list[PathHop]] = field(default_factory=list)
    path_texts: list[str] = field(default_factory=list)
    contributions: dict[str, float] = field(default_factory=dict)
    score: float | None = None
    liked_shares: dict[str, float] = field(default_factory=dict)  # liked title -> its share of the score
    families: dict[str, float] = field(default_factory=dict)  # "people with similar taste" -> contribution
    cited: list[str] = field(default_factory=list)  # liked item ids the text names as the reason

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Card:
    """One recommended catalog item as shown to the user."""

    item_id: str
    title: str  # display title, e.g. "Blade Runner (1982)"
    year: int | None
    score: float
    people: list[str] = field(default_factory=list)  # a few directors/cast, from the catalog
    genres: list[str] = field(default_factory=list)
    why: str = ""  # one-line grounded snippet
    explanation: Explanation | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Reply:
    """The assistant's answer to one user turn."""

    text: str
    cards: list[Card] = field(default_factory=list)
    intent: str = ""
    question: str | None = None  # set when the assistant asks the user something (onboarding)
    options: list[str] = field(default_factory=list)  # suggested quick answers for `question`
    backend: str = ""  # which LLM backend phrased the answer ("template" when none did)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class AssistantAPI(Protocol):
    """What the UI and CLI call. Every method is keyed by session id; sessions never share state."""

    backend_name: str

    def respond(self, session_id: str, text: str, on_cards: Callable[[list[Card]], None] | None = None) -> Reply:
        """One user turn. `on_cards`, if given, is called once with the ranked cards as soon as they exist,
        before the answer sentence is written (a UI shows them early); the returned Reply holds them too."""
        ...

    def why(self, session_id: str, item_id: str) -> Explanation: ...

    def feedback(self, session_id: str, item_id: str, kind: FeedbackKind) -> Reply: ...

    def start_onboarding(self, session_id: str) -> Reply: ...

    def profile(self, session_id: str) -> dict: ...
