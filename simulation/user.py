"""A simulated user who wants one hidden target item (InteRecAgent protocol, hardened).

The user knows the target's KG facts and reveals them one turn at a time,
broad to specific (genre + decade, then director, a cast member, country or
studio, a writer), never the title: every utterance is checked against the
target's normalised title and any fact that would leak it is skipped. The
user may also mention items they liked before (from their training history).

What it does not do: decide hits (simulation.dialogue does) or call any LLM:
utterances are templated, so runs are deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from catalog.types import Catalog, Item, normalise_title


@dataclass
class Fact:
    kind: str  # "genre_decade" | "director" | "cast" | "country" | "studio" | "writer" | "language"
    text: str  # the clause revealed, e.g. "directed by Ridley Scott"
    value: str  # the entity name (or genre list)


@dataclass
class SimulatedUser:
    target: Item
    catalog: Catalog
    liked: list[str] = field(default_factory=list)  # item ids mentioned as past likes
    seed: int = 0
    facts: list[Fact] = field(init=False)
    revealed: list[Fact] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(f"{self.seed}:{self.target.id}")
        t = self.target
        facts: list[Fact] = []
        genre = " ".join(g.lower() for g in t.genres[:2]) or "movie"
        decade = f"from the {t.decade}" if t.decade else ""
        facts.append(Fact("genre_decade", f"a {genre} film {decade}".strip(), ",".join(t.genres[:2])))
        if t.directors:
            facts.append(Fact("director", f"directed by {t.directors[0]}", t.directors[0]))
        if t.cast:
            actor = rng.choice(t.cast)
            facts.append(Fact("cast", f"with {actor} in the cast", actor))
        if t.countries:
            facts.append(Fact("country", f"made in {t.countries[0]}", t.countries[0]))
        elif t.studios:
            facts.append(Fact("studio", f"produced by {t.studios[0]}", t.studios[0]))
        if t.writers:
            writer = next((w for w in t.writers if w not in t.directors), t.writers[0])
            facts.append(Fact("writer", f"written by {writer}", writer))
        if t.languages and t.languages[0] != "English":
            facts.append(Fact("language", f"in {t.languages[0]}", t.languages[0]))
        self.facts = [f for f in facts if not self.leaks(f.text)]

    def leaks(self, utterance: str) -> bool:
        """True if the utterance contains the target's title (normalised, whole words)."""
        title = normalise_title(self.target.title)
        return bool(title) and f" {title} " in f" {normalise_title(utterance)} "

    def first_message(self) -> str:
        fact = self._next_fact()
        liked = [self.catalog[i].title for i in self.liked[:3] if i in self.catalog and i != self.target.id]
        liked = [t for t in liked if not self.leaks(t)]
        intro = f"I liked {', '.join(liked)}. " if liked else ""
        msg = f"{intro}Recommend me {fact.text}." if fact else f"{intro}Recommend me a movie."
        return msg if not self.leaks(msg) else "Recommend me a movie."

    def reply(self, question: str | None = None, options: list[str] | None = None) -> str:
        """The next turn after a miss: answer an onboarding question, else reveal one more fact."""
        if question and options:
            wanted = {g.lower() for g in self.target.genres}
            picks = [o for o in options if o.lower() in wanted]
            return ", ".join(picks) if picks else "skip"
        fact = self._next_fact()
        if fact is None:
            return "None of those are it. Any other ideas?"
        return f"None of those. It's {fact.text}."

    def _next_fact(self) -> Fact | None:
        for f in self.facts:
            if f not in self.revealed:
                self.revealed.append(f)
                return f
        return None
