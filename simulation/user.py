"""Simulated users who want one hidden target item and never say its title.

Three profiles:

- "vague" (scripted): turn 1 names three liked titles and one genre of the target
  (`vague_open`), turn 2 narrows to the target's decade (`decade_followup`), turns 3-5
  ask for other options (`other_options`). Never names a person.
- "taste" (scripted): turn 1 names three liked titles (`taste_open`), turns 2-5 ask for
  more (`more`). Reveals no fact about the target at all.
- "facts" (reactive, the issue #7 user kept for comparison): reveals the target's KG
  facts one per turn, broad to specific (genre + decade, director, cast/country/studio,
  writer), and answers onboarding questions from the target's genres.

Scripted utterances are drawn with a seeded RNG from the pools in simulation.phrasings
(written without reading the assistant's parser), and liked titles are typed the way
users type them (`noisy_title`): no year, often lowercase, article dropped or moved,
sometimes a typo. A scripted user's script does not depend on the replies, so every
system hears exactly the same words for a target.

No utterance contains the target's title: `leaks` checks the normalised title (and the
title without its article) as whole words, and a template or liked title that would leak
is never chosen.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from catalog.types import Catalog, Item, normalise_title
from simulation.phrasings import POOLS

SCRIPTED_PROFILES = ("vague", "taste")
PROFILES = SCRIPTED_PROFILES + ("facts",)

TYPO_P = 0.15
LOWER_P = 0.5
ARTICLES = ("the", "a", "an", "il", "la", "le", "les", "el", "das", "der", "die", "l'")
_TRAILING_ARTICLE = re.compile(r"^(?P<body>.*), (?P<art>the|a|an|il|la|le|les|el|das|der|die|l')$", re.I)
_LEADING_ARTICLE = re.compile(r"^(?P<art>the|a|an)\s+(?P<body>\S.*)$", re.I)
_PAREN = re.compile(r"\s*\([^)]*\)")
_DECADE_WORDS = {20: "twenties", 30: "thirties", 40: "forties", 50: "fifties", 60: "sixties", 70: "seventies",
                 80: "eighties", 90: "nineties"}


class LeakError(ValueError):
    """No utterance of a pool can be said without naming the target's title."""


# -- leak check ------------------------------------------------------------------
def title_forms(title: str) -> list[str]:
    """Normalised forms of a title that must never appear in an utterance: the title and, when it
    starts with an article, the title without it ('godfather' for 'Godfather, The')."""
    norm = normalise_title(title)
    forms = [norm] if norm else []
    head, _, rest = norm.partition(" ")
    if rest and head in ARTICLES:
        forms.append(rest)
    return forms


def leaks(utterance: str, title: str) -> bool:
    """True if `utterance` contains the title (normalised, whole words)."""
    text = f" {normalise_title(utterance)} "
    return any(f" {f} " in text for f in title_forms(title))


# -- surface forms -----------------------------------------------------------------
def genre_word(genre: str) -> str:
    """'Sci-Fi' -> 'sci-fi', "Children's" -> "children's", 'Film-Noir' -> 'film-noir'."""
    return genre.lower()


def decade_forms(year: int) -> tuple[str, ...]:
    """Ways a user names the decade of `year`: ('90s', '1990s', 'nineties') for 1994."""
    d = year // 10 * 10
    full = f"{d}s"
    if 1920 <= d <= 1990:
        return (f"{d % 100:02d}s", full, _DECADE_WORDS[d % 100])
    if d == 2000:
        return ("2000s", "00s", "noughties")
    return (full,)


def _typo(title: str, rng: random.Random) -> str:
    """Swap two adjacent letters or drop one letter in one word of >= 5 letters (unchanged if none)."""
    words = title.split(" ")
    long = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) >= 5]
    if not long:
        return title
    i = rng.choice(long)
    w = words[i]
    letters = [j for j, c in enumerate(w) if c.isalpha()]
    if rng.random() < 0.5:  # swap two adjacent letters that differ
        pairs = [j for j in letters if j + 1 < len(w) and w[j + 1].isalpha() and w[j].lower() != w[j + 1].lower()]
        if pairs:
            j = rng.choice(pairs)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            return " ".join(words)
    j = rng.choice(letters[1:])  # drop a letter (never the first, so the word stays recognisable)
    words[i] = w[:j] + w[j + 1:]
    return " ".join(words)


def noisy_title(title: str, rng: random.Random, typo_p: float = TYPO_P, lower_p: float = LOWER_P) -> str:
    """A title as a user types it: year and parenthesised alternate titles dropped; a trailing
    article ('Godfather, The') moved to the front or dropped, a leading one kept or dropped;
    a small typo with p=typo_p; all lowercase with p=lower_p."""
    t = _PAREN.sub("", title).strip() or title.strip()
    m = _TRAILING_ARTICLE.match(t)
    if m:
        t = f"{m.group('art')} {m.group('body')}" if rng.random() < 0.5 else m.group("body")
        if t[:1].islower():
            t = t[:1].upper() + t[1:]
    else:
        m = _LEADING_ARTICLE.match(t)
        if m and rng.random() < 0.5:
            t = m.group("body")
    if rng.random() < typo_p:
        t = _typo(t, rng)
    if rng.random() < lower_p:
        t = t.lower()
    return t


def join_titles(titles: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    if len(titles) <= 1:
        return "".join(titles)
    return ", ".join(titles[:-1]) + " and " + titles[-1]


# -- scripted users ------------------------------------------------------------------
@dataclass
class ScriptedUser:
    """A user whose turns are fixed in advance (they do not react to the replies).

    script[t] is the utterance of turn t+1; facts[t] what the user has revealed by the end of
    that turn, as structured data (for baselines that are told the facts instead of parsing):
    {"genres": ["Comedy"]}, then {"genres": [...], "decade": 1990}, each with "liked" (the ids named
    in turn 1).
    """

    profile: str
    target: Item
    liked: list[str]
    script: list[str]
    facts: list[dict]

    def message(self, turn: int, reply=None) -> str:  # turn is 1-based; replies are ignored
        return self.script[min(turn, len(self.script)) - 1]

    def revealed(self, turn: int) -> dict:
        return dict(self.facts[min(turn, len(self.facts)) - 1])


def _draw(pool: str, rng: random.Random, title: str, used: set[str] | None = None, **fill) -> str:
    """One template of POOLS[pool] filled with `fill`, never one that would leak `title`
    (and, with `used`, not one already said in this episode while others remain)."""
    options = [t for t in POOLS[pool] if not leaks(t.format(**fill), title)]
    if used is not None and any(t not in used for t in options):
        options = [t for t in options if t not in used]
    if not options:
        raise LeakError(f"every {pool!r} utterance names the target {title!r}")
    tpl = rng.choice(options)
    if used is not None:
        used.add(tpl)
    return tpl.format(**fill)


def build_script(profile: str, target: Item, liked: list[Item], rng: random.Random, max_turns: int = 5) -> ScriptedUser:
    """The scripted turns of a "vague" or "taste" user for `target`, mentioning `liked`."""
    titles = [noisy_title(it.title, rng) for it in liked]
    if any(leaks(t, target.title) for t in titles):
        raise LeakError(f"a liked title names the target {target.title!r}")
    joined = join_titles(titles)
    facts: list[dict] = []
    if profile == "vague":
        if not target.genres or not target.year:
            raise LeakError(f"{target.id}: a vague user needs the target's genre and year")
        genre = rng.choice(target.genres)
        script = [_draw("vague_open", rng, target.title, titles=joined, genre=genre_word(genre))]
        facts.append({"genres": [genre]})
        forms = [f for f in decade_forms(target.year) if not leaks(f, target.title)]
        rng.shuffle(forms)
        for form in forms:
            try:
                script.append(_draw("decade_followup", rng, target.title, decade=form))
                break
            except LeakError:
                continue
        else:
            raise LeakError(f"every decade follow-up names the target {target.title!r}")
        facts.append({"genres": [genre], "decade": target.year // 10 * 10})
        follow = "other_options"
    elif profile == "taste":
        script = [_draw("taste_open", rng, target.title, titles=joined)]
        facts.append({})
        follow = "more"
    else:
        raise ValueError(f"unknown scripted profile {profile!r}; choose one of {', '.join(SCRIPTED_PROFILES)}")
    used: set[str] = set()
    while len(script) < max_turns:
        script.append(_draw(follow, rng, target.title, used=used))
        facts.append(dict(facts[-1]))
    for f in facts:
        f["liked"] = [it.id for it in liked]
    return ScriptedUser(profile, target, [it.id for it in liked], script, facts)


# -- the fact-revealing user (issue #7) ------------------------------------------------
_FACT_FIELD = {"director": "directors", "cast": "cast", "country": "countries", "studio": "studios",
               "writer": "writers", "language": "languages"}

@dataclass
class Fact:
    kind: str  # "genre_decade" | "director" | "cast" | "country" | "studio" | "writer" | "language"
    text: str  # the clause revealed, e.g. "directed by Ridley Scott"
    value: str  # the entity name (or genre list)


@dataclass
class SimulatedUser:
    """Profile "facts": knows the target's KG facts and reveals them one per turn, broad to specific
    (genre + decade, director, a cast member, country or studio, a writer), never the title; names a
    few liked items in its first message; answers onboarding questions from the target's genres."""

    target: Item
    catalog: Catalog
    liked: list[str] = field(default_factory=list)  # item ids mentioned as past likes
    seed: int = 0
    facts: list[Fact] = field(init=False)
    _revealed: list[Fact] = field(init=False, default_factory=list)
    profile = "facts"

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
        return leaks(utterance, self.target.title)

    def message(self, turn: int, reply=None) -> str:
        if turn == 1:
            return self.first_message()
        return self.reply(getattr(reply, "question", None), getattr(reply, "options", None))

    def revealed(self, turn: int | None = None) -> dict:
        """What the user has said so far, as structured data (see ScriptedUser)."""
        out: dict = {"liked": list(self.liked)}
        for f in self._revealed:
            if f.kind == "genre_decade":
                out["genres"] = [g for g in f.value.split(",") if g]
                if self.target.year:
                    out["decade"] = self.target.year // 10 * 10
            else:
                out.setdefault("entities", []).append((_FACT_FIELD[f.kind], f.value))
        return out

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
            if f not in self._revealed:
                self._revealed.append(f)
                return f
        return None
