"""FROZEN BASELINE: the rule parser the assistant used before the dialogue pipeline (commit 4c322fa).

Kept only so benchmarks can measure "today's rules" side by side with the new NLU
(bench/bench_nlu.py); the assistant no longer imports it. Do not improve it.

Original description: turn one user message into a grounded Plan: constrained LLM parse, then linking.

Pipeline: (1) one JSON-schema-constrained LLM call (prompts/plan.txt) returns a
RawPlan: intent plus the names the user wrote (titles, people, genres, places,
years); (2) `Linker` keeps a name only if it is supported by the user's text
(small models invent titles) and links to a catalog item or KG node (fuzzy),
else drops it; titles the user did write but the catalog lacks are reported in
`unknown_titles`. When the LLM is unavailable, `rule_parse` (deterministic
keyword/vocabulary matching) produces the RawPlan instead.

What it does not do: run tools or rank anything (assistant.agent does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, PrivateAttr

from catalog.types import Dataset, normalise_title

INTENTS = ("recommend", "more_like", "explain", "feedback", "onboarding", "other")
Intent = Literal["recommend", "more_like", "explain", "feedback", "onboarding", "other"]


class RawPlan(BaseModel):
    """What the LLM (or the rule parser) extracted, names as written by the user."""

    intent: Intent = "other"
    liked: list[str] = Field(default_factory=list)
    disliked: list[str] = Field(default_factory=list)
    seen: list[str] = Field(default_factory=list)
    reference: str | None = None
    people: list[str] = Field(default_factory=list)
    genres: list[str] = Field(default_factory=list)
    decade: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    countries: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    query: str = ""
    # set by rule_parse only: which titles / intent came from an explicit cue word in the text
    _cued_titles: set = PrivateAttr(default_factory=set)
    _cued_intent: bool = PrivateAttr(default=False)


def plan_schema() -> dict:
    """JSON schema for the constrained call: `intent` required, every other field optional
    (a small model writes only what it found: fewer tokens, fewer invented values).

    Length caps (maxLength / maxItems, enforced by llama.cpp's grammar) stop a small
    model from looping inside a string until max_tokens cuts the JSON."""
    name = {"type": "string", "maxLength": 60}
    strs = {"type": "array", "items": name, "maxItems": 4}
    opt_str = {"anyOf": [name, {"type": "null"}]}
    opt_int = {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    props = {
        "intent": {"type": "string", "enum": list(INTENTS)},
        "liked": strs, "disliked": strs, "seen": strs, "reference": opt_str,
        "people": strs, "genres": strs, "decade": opt_str, "year_min": opt_int, "year_max": opt_int,
        "countries": strs, "languages": strs, "query": {"type": "string", "maxLength": 100},
    }
    return {"type": "object", "properties": props, "required": ["intent"], "additionalProperties": False}


@dataclass
class Plan:
    """A RawPlan after linking: only ids/labels that exist in the catalog or KG."""

    intent: str
    text: str
    liked: list[str] = field(default_factory=list)  # item ids
    disliked: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    reference: str | None = None  # item id
    people: list[str] = field(default_factory=list)  # KG node ids "person:<name>"
    genres: list[str] = field(default_factory=list)  # catalog genre labels
    decades: list[str] = field(default_factory=list)  # "1980s"
    year_min: int | None = None
    year_max: int | None = None
    countries: list[str] = field(default_factory=list)  # KG labels
    languages: list[str] = field(default_factory=list)
    query: str = ""
    unknown_titles: list[str] = field(default_factory=list)  # written by the user, not in the catalog
    dropped: list[str] = field(default_factory=list)  # extracted but unsupported by the text / unlinkable
    source: str = "rules"  # "llm" or "rules"
    cued: list[str] = field(default_factory=list)  # rules only: item ids whose slot an explicit cue word decided
    cued_intent: bool = False  # rules only: the intent came from an explicit cue word
    llm_error: str | None = None  # why the LLM parse failed this turn (the rules parsed instead), None if it did not

    def title_ids(self) -> list[str]:
        return list(dict.fromkeys(self.liked + self.disliked + self.seen + ([self.reference] if self.reference else [])))

    def has_filters(self) -> bool:
        return bool(self.people or self.genres or self.decades or self.year_min or self.year_max or self.countries or self.languages)


# Words that name a catalog genre (lower-case; plurals handled by _genre_words).
GENRE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Sci-Fi": ("sci-fi", "scifi", "sci fi", "science fiction", "science-fiction", "space"),
    "Comedy": ("comedy", "comedies", "funny", "funnier", "comic", "hilarious", "laugh"),
    "Romance": ("romance", "romantic", "romcom", "rom-com", "love story"),
    "Horror": ("horror", "scary", "frightening"),
    "Animation": ("animation", "animated", "cartoon", "cartoons", "anime"),
    "Children's": ("children's", "children", "kids", "kid", "family", "childrens"),
    "Thriller": ("thriller", "thrillers", "suspense", "suspenseful"),
    "Documentary": ("documentary", "documentaries", "doc"),
    "Film-Noir": ("film-noir", "film noir", "noir"),
    "Musical": ("musical", "musicals"),
    "Western": ("western", "westerns", "cowboy", "cowboys"),
    "War": ("war",),
    "Crime": ("crime", "gangster", "heist", "mafia"),
    "Mystery": ("mystery", "mysteries", "whodunit"),
    "Fantasy": ("fantasy",),
    "Action": ("action",),
    "Adventure": ("adventure", "adventures"),
    "Drama": ("drama", "dramas", "dramatic"),
}
DECADE_WORDS = {"twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
                "seventies": 1970, "eighties": 1980, "nineties": 1990}
LANGUAGE_ADJ = {"french": "French", "italian": "Italian", "german": "German", "spanish": "Spanish", "japanese": "Japanese",
                "russian": "Russian", "chinese": "Chinese", "mandarin": "Mandarin", "cantonese": "Cantonese", "swedish": "Swedish",
                "portuguese": "Portuguese", "polish": "Polish", "hindi": "Hindi", "dutch": "Dutch", "czech": "Czech",
                "english": "English", "greek": "Greek", "persian": "Persian", "danish": "Danish", "korean": "Korean"}
COUNTRY_ALIASES = {"usa": "United States", "us": "United States", "america": "United States", "uk": "United Kingdom",
                   "britain": "United Kingdom", "england": "United Kingdom", "china": "People's Republic of China",
                   "british": "United Kingdom", "american": "United States"}


def _norm(s: str) -> str:
    return normalise_title(s)


def _strip_article(s: str) -> str:
    return re.sub(r"^(the|a|an) ", "", s)


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9']+", " ", text.lower()) + " "


class Linker:
    """Links extracted names to catalog ids / KG nodes, keeping only what the text supports."""

    def __init__(self, dataset: Dataset, kg=None):
        self.catalog = dataset.catalog
        self.kg = kg
        n = len(self.catalog)
        # (n_items,) int64 number of interactions per item: tie-break for ambiguous titles
        self.popularity = np.bincount(dataset.interactions.items, minlength=n) if len(dataset.interactions) else np.zeros(n, np.int64)
        self.genres = sorted({g for it in self.catalog for g in it.genres})
        self._genre_lc = {g.lower(): g for g in self.genres}
        self.countries = sorted({c for it in self.catalog for c in it.countries})
        self.languages = sorted({c for it in self.catalog for c in it.languages})
        self._people: dict[str, str] | None = None
        self._surnames: dict[str, str] | None = None
        self._max_title_words = max((len(t.split()) for t in self.catalog._by_norm), default=1)

    # -- support checks -------------------------------------------------------
    @staticmethod
    def supported(value: str, text: str, threshold: float = 85.0) -> bool:
        """True if `value` (a name the parser extracted) is (fuzzily) written in `text`."""
        from rapidfuzz import fuzz

        v, t = _norm(value), _norm(text)
        if not v:
            return False
        if f" {v} " in f" {t} ":
            return True
        return len(v) >= 4 and fuzz.partial_ratio(v, t) >= threshold

    # -- titles ---------------------------------------------------------------
    def link_title(self, name: str) -> str | None:
        """The catalog id for a title as the user wrote it: exact (normalised) or a close
        whole-title fuzzy match (typos), never a partial one ("The Matrix Reloaded" is not "Loaded")."""
        from rapidfuzz import fuzz

        hits = self.catalog.search_titles(name, limit=5, min_score=85.0)
        q = _strip_article(_norm(name))
        def close(title: str) -> bool:  # typo-level difference, or the main title before a subtitle
            t = _strip_article(_norm(title))
            main = _strip_article(_norm(title.split(":")[0])) if ":" in title else None
            return fuzz.ratio(q, t) >= 88 or (main is not None and fuzz.ratio(q, main) >= 92)

        good = [(i, s) for i, s in hits if s == 100.0 or close(self.catalog[i].title)]
        if not good:
            return None
        best = max(s for _, s in good)
        top = [i for i, s in good if s == best]
        return max(top, key=lambda i: int(self.popularity[self.catalog.index(i)]))

    def titles_in_text(self, text: str) -> list[tuple[int, str]]:
        """Catalog titles written verbatim (normalised) in the text -> [(char position, item id)], longest spans first.

        A one-word span must be capitalised or quoted in the original text."""
        tokens = [(m.start(), m.group()) for m in re.finditer(r"[A-Za-z0-9'&:.-]+", text)]
        found: list[tuple[int, int, str]] = []
        taken: set[int] = set()
        for size in range(min(self._max_title_words, len(tokens)), 0, -1):
            for i in range(len(tokens) - size + 1):
                if any(j in taken for j in range(i, i + size)):
                    continue
                span = text[tokens[i][0]: tokens[i + size - 1][0] + len(tokens[i + size - 1][1])]
                norm = _norm(span)
                if norm not in self.catalog._by_norm:
                    continue
                if size == 1 and not (span[:1].isupper() or span[:1].isdigit()):
                    continue
                if size <= 2 and norm in _COMMON_SPANS:
                    continue
                if size == 1 and len(norm) < 3:
                    continue
                iid = self.link_title(span)
                if iid:
                    found.append((tokens[i][0], size, iid))
                    taken.update(range(i, i + size))
        found.sort()
        return [(pos, iid) for pos, _, iid in found]

    # -- entities -------------------------------------------------------------
    def link_person(self, name: str, text: str | None = None) -> str | None:
        """A KG person node for `name`; with `text`, the person's surname must be written there
        (stops "French" linking to "French Stewart")."""
        if self.kg is None:
            return None
        hits = self.kg.link_entity(name, types=("person",), limit=5, min_score=88.0)
        if text is not None:
            w = _words(text)
            hits = [h for h in hits if f" {_words(h.label.split()[-1]).strip()} " in w]
        if not hits:
            return None
        best = max(h.score for h in hits)
        return max((h for h in hits if h.score == best), key=lambda h: self.kg.degree(h.node)).node

    def _people_index(self):
        if self._people is None:
            self._people, surname_nodes = {}, {}
            if self.kg is not None:
                for node in self.kg.nodes_of_type("person"):
                    label = self.kg.label(node)
                    self._people[label.lower()] = node
                    parts = label.split()
                    if len(parts) >= 2:
                        surname_nodes.setdefault(parts[-1].lower(), []).append(node)
            # a bare surname links only when one well-connected person carries it
            self._surnames = {}
            for s, nodes in surname_nodes.items():
                strong = [n for n in nodes if self.kg.degree(n) >= 4]
                if len(strong) == 1 and len(s) >= 4:
                    self._surnames[s] = strong[0]
        return self._people, self._surnames

    def people_in_text(self, text: str) -> list[str]:
        people, surnames = self._people_index()
        toks = re.findall(r"[A-Za-z][A-Za-z.'-]*", text)
        out: list[str] = []
        used: set[int] = set()
        for size in (3, 2):
            for i in range(len(toks) - size + 1):
                if any(j in used for j in range(i, i + size)):
                    continue
                span = " ".join(toks[i:i + size])
                if span.lower() in people and all(t[0].isupper() for t in toks[i:i + size]):
                    out.append(people[span.lower()])
                    used.update(range(i, i + size))
        for i, t in enumerate(toks):
            if i not in used and t[0].isupper() and t.lower() in surnames and i > 0:
                out.append(surnames[t.lower()])
        return list(dict.fromkeys(out))

    def link_genre(self, name: str, text: str) -> str | None:
        """A catalog genre for `name`, only if the genre (or a synonym) is written in the text."""
        w = _words(text)
        key = name.strip().lower()
        genre = self._genre_lc.get(key)
        if genre is None:
            for g, syns in GENRE_SYNONYMS.items():
                if key in syns or key.rstrip("s") in syns:
                    genre = g
                    break
        if genre is None or genre not in self.genres:
            return None
        words = (genre.lower(),) + GENRE_SYNONYMS.get(genre, ())
        return genre if any(f" {_words(s).strip()} " in w for s in words) else None

    def genres_in_text(self, text: str) -> list[str]:
        w = _words(text)
        out = [g for g in self.genres if any(f" {_words(s).strip()} " in w for s in (g.lower(),) + GENRE_SYNONYMS.get(g, ()))]
        return out

    def link_place(self, name: str, kind: str, text: str) -> str | None:
        """Link a country ("country") or language ("language") name written in the text."""
        if not self.supported(name, text):
            return None
        key = name.strip().lower()
        vocab = self.countries if kind == "country" else self.languages
        by_lc = {v.lower(): v for v in vocab}
        if key in by_lc:
            return by_lc[key]
        if kind == "country" and key in COUNTRY_ALIASES and COUNTRY_ALIASES[key] in vocab:
            return COUNTRY_ALIASES[key]
        if kind == "language" and key in LANGUAGE_ADJ and LANGUAGE_ADJ[key] in vocab:
            return LANGUAGE_ADJ[key]
        return None

    # -- whole plan -----------------------------------------------------------
    def link(self, raw: RawPlan, text: str, source: str) -> Plan:
        plan = Plan(intent=raw.intent, text=text, query=raw.query.strip(), source=source, cued_intent=raw._cued_intent)
        seen_ids: set[str] = set()

        def title(name: str) -> str | None:
            if not name or not name.strip():
                return None
            if not self.supported(name, text):
                plan.dropped.append(name)
                return None
            iid = self.link_title(name)
            if iid is not None and name in raw._cued_titles:
                plan.cued.append(iid)
            if iid is None:
                person = self.link_person(name, text)
                if person is not None and self.kg.link_entity(name, types=("person",), limit=1)[0].score >= 95:
                    if person not in plan.people:
                        plan.people.append(person)  # "movies with Tom Hanks": a person, not a title
                else:
                    plan.unknown_titles.append(name.strip())
            return iid

        for slot in ("liked", "disliked", "seen"):
            for name in getattr(raw, slot):
                iid = title(name)
                if iid and iid not in seen_ids:
                    getattr(plan, slot).append(iid)
                    seen_ids.add(iid)
        if raw.reference:
            plan.reference = title(raw.reference)
        for name in raw.people:
            node = self.link_person(name, text) if self.supported(name, text) else None
            if node is None:
                plan.dropped.append(name)
            elif node not in plan.people:
                # a person who is also a linked title (e.g. "Hamlet") is not a person here
                plan.people.append(node)
        for name in raw.genres:
            g = self.link_genre(name, text)
            if g is None:
                plan.dropped.append(name)
            elif g not in plan.genres:
                plan.genres.append(g)
        for kind, names, dest in (("country", raw.countries, plan.countries), ("language", raw.languages, plan.languages)):
            for name in names:
                v = self.link_place(name, kind, text)
                if v is None:
                    plan.dropped.append(name)
                elif v not in dest:
                    dest.append(v)
        years = _years_in_text(text)
        if raw.decade:
            d = _parse_decade(raw.decade)
            if d and d in years["decades"]:
                plan.decades.append(f"{d}s")
            else:
                plan.dropped.append(raw.decade)
        for slot in ("year_min", "year_max"):
            v = getattr(raw, slot)
            if v is not None:
                if v in years["years"]:
                    setattr(plan, slot, int(v))
                elif not (plan.decades and _parse_decade(str(v)) in years["decades"]):
                    plan.dropped.append(str(v))
        # intents that need a reference title fall back to the only linked title
        if plan.intent in ("more_like", "explain") and plan.reference is None:
            ids = plan.liked + plan.seen
            if len(ids) == 1:
                plan.reference = ids[0]
                plan.liked = [i for i in plan.liked if i != ids[0]]
                plan.seen = [i for i in plan.seen if i != ids[0]]
        return plan


_COMMON_SPANS = {"the", "a", "an", "it", "movie", "movies", "film", "films", "something", "love", "action", "crime", "war",
                 "drama", "comedy", "horror", "fantasy", "romance", "mystery", "thriller", "western", "now", "why", "like",
                 "more", "heat", "ransom", "nobody", "yes", "no", "kids", "family", "friends", "sabrina", "up", "i",
                 "french", "music", "funny", "scream", "seven", "dead", "ten", "big", "home", "kiss me", "please",
                 "i like it", "what", "a little", "my", "one", "top", "old", "new", "good"}


def _parse_decade(s: str) -> int | None:
    s = s.strip().lower()
    m = re.match(r"^(?:(1[89]|20)?(\d)0)'?s?$", s)
    if m:
        century = m.group(1)
        base = int(m.group(2)) * 10
        if century:
            return int(century) * 100 + base
        return 2000 + base if base <= 20 else 1900 + base
    if s in DECADE_WORDS:
        return DECADE_WORDS[s]
    return None


def _years_in_text(text: str) -> dict:
    t = text.lower()
    years = {int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", t)}
    decades = set()
    for m in re.finditer(r"\b(1[89]|20)?(\d)0'?s\b|\b'(\d)0s\b", t):
        d = _parse_decade(m.group(0).lstrip("'"))
        if d:
            decades.add(d)
    for w, d in DECADE_WORDS.items():
        if w in t:
            decades.add(d)
    return {"years": years, "decades": decades}


# ----------------------------------------------------------------------------- rules
_EXPLAIN = re.compile(r"\b(why|explain|reason|how come)\b", re.I)
_ONBOARD = re.compile(r"\b(new here|i'?m new|get started|set ?up my|onboard|ask me (some )?questions|don'?t know what i like|help me start)\b", re.I)
_MORE_LIKE = re.compile(r"\b(similar to|(?<!i )(?<!i really )(?<!i do )(?<!n't )(?<!not )(?<!'d )(?<!would )like|more like|in the vein of|reminds? me of|same vibe as)\s+", re.I)
_REQUEST = re.compile(r"\b(recommend|suggest|want|looking for|show me|find|give me|any|something|watch|what should|ideas?|in the mood|pick|need|some|movies?|films?|what else|what next|anything|more|similar|others?)\b", re.I)
_LIKED = re.compile(r"\b(i (really )?(liked|loved|enjoyed|like|love|adore)|(was|is) (great|amazing|awesome)|thumbs up|(?<!not a )(?<!not a big )fan of)\b", re.I)
_DISLIKED = re.compile(r"\b(hated|hate|didn'?t like|did not like|don'?t like|do not like|disliked|dislike|boring|can'?t stand|not a (big )?fan|thumbs down|not that|awful|terrible)\b", re.I)
_SEEN = re.compile(r"\b(seen|watched|saw)\b", re.I)
_AFTER = re.compile(r"\b(after|since|newer than|from)\s+(1[89]\d\d|20\d\d)\b", re.I)
_BEFORE = re.compile(r"\b(before|older than|until|pre-?)\s*(1[89]\d\d|20\d\d)\b", re.I)
# a capitalised name: capitalised words, with "of" / "the" / ... only between them ("Lord of the Rings")
_NAME = r"([A-Z][\w'&:-]*(?:\s+(?:(?:of|the|and|a|in|on)\s+)*[A-Z0-9][\w'&:-]*)*)"
_UNKNOWN_LIKED = re.compile(r"\b(?:[Ii] (?:really )?(?:liked|loved|enjoyed|adored|like|love|adore)|(?<!not a )(?<!not a big )fan of)\s+" + _NAME)
_UNKNOWN_DISLIKED = re.compile(r"\b(?:hated|didn'?t like|did not like|don'?t like|do not like|disliked|can'?t stand|not a (?:big )?fan of)\s+" + _NAME)
_UNKNOWN_SEEN = re.compile(r"\b(?:seen|watched|saw)\s+" + _NAME)


def rule_parse(text: str, linker: Linker) -> RawPlan:
    """Deterministic parse used when the LLM is down (and measured as a baseline)."""
    raw = RawPlan()
    titles = linker.titles_in_text(text)
    for pos, iid in titles:
        name = linker.catalog[iid].title
        clause = re.split(r"[.;!?]|\bbut\b", text[:pos], flags=re.I)[-1]
        cues = []  # (end position, priority, slot) of the last cue of each kind before the title
        for prio, (rx, slot) in enumerate(((_LIKED, "liked"), (_SEEN, "seen"), (_MORE_LIKE, "reference"),
                                           (_EXPLAIN, "reference"), (_DISLIKED, "disliked"))):
            ms = list(rx.finditer(clause))
            if ms:
                cues.append((ms[-1].end(0) - len(ms[-1].group(0)) + len(ms[-1].group(0).rstrip()), prio, slot))
        slot = max(cues)[2] if cues else "reference"
        if cues:
            raw._cued_titles.add(name)
        if slot == "reference":
            raw.reference = raw.reference or name
        else:
            getattr(raw, slot).append(name)
    if raw.reference is None:
        # "like <Capitalised Words>" that no catalog title matched: report it as an unknown title
        m = re.search(r"\b(?:similar to|like|why did you suggest|why)\s+((?:[A-Z0-9][\w':-]*\s?){1,6})", text)
        if m and not titles and not _not_a_title(m.group(1).strip(), linker):
            raw.reference = m.group(1).strip()
    if not titles:
        # "I loved Avatar" / "I've seen Inception": a capitalised name after a like/dislike/seen cue
        # that no catalog title matched goes to that slot, so linking reports it as an unknown title
        for rx, slot in ((_UNKNOWN_LIKED, "liked"), (_UNKNOWN_DISLIKED, "disliked"), (_UNKNOWN_SEEN, "seen")):
            for m in rx.finditer(text):
                name = m.group(1).strip()
                if name != raw.reference and not _not_a_title(name, linker) and name not in getattr(raw, slot):
                    getattr(raw, slot).append(name)
    raw.people = [linker.kg.label(n) for n in linker.people_in_text(text)] if linker.kg is not None else []
    title_words = {_norm(linker.catalog[i].title) for _, i in titles}
    raw.genres = [g for g in linker.genres_in_text(text) if _norm(g) not in title_words]
    yrs = _years_in_text(text)
    if yrs["decades"]:
        raw.decade = f"{min(yrs['decades'])}s"
    m = _AFTER.search(text)
    raw.year_min = int(m.group(2)) if m else None
    m = _BEFORE.search(text)
    raw.year_max = int(m.group(2)) if m else None
    w = _words(text)
    for adj, lang in LANGUAGE_ADJ.items():
        if f" {adj} " in w and lang != "English":
            raw.languages.append(lang)
    for c in linker.countries:
        if re.search(rf"\b(from|in|made in) {re.escape(c.lower())}\b", text.lower()):
            raw.countries.append(c)
    cued = True
    if _EXPLAIN.search(text):
        raw.intent = "explain"
    elif _ONBOARD.search(text):
        raw.intent = "onboarding"
    elif raw.reference and _MORE_LIKE.search(text):
        raw.intent = "more_like"
    elif (raw.liked or raw.disliked or raw.seen or re.search(r"\bnot that\b", text, re.I)) and not _REQUEST.search(_strip_titles(text, titles, linker)):
        raw.intent = "feedback"
    elif _REQUEST.search(text) or raw.genres or raw.people or raw.decade or raw.liked or raw.reference:
        raw.intent = "recommend" if not raw.reference else "more_like"
        cued = raw.intent == "recommend"
    else:
        raw.intent = "other"
        cued = False
    raw._cued_intent = cued
    return raw


def _not_a_title(name: str, linker: Linker) -> bool:
    """True if a capitalised name the rules caught is a genre, language, place or person ("I like Sci-Fi"),
    so it is not reported as an unknown title."""
    words = set(_norm(name).split())
    return bool(_norm(name) in _COMMON_SPANS or linker.genres_in_text(name)
                or words & (set(LANGUAGE_ADJ) | set(COUNTRY_ALIASES) | set(DECADE_WORDS))
                or any(_norm(c) == _norm(name) for c in linker.countries) or linker.people_in_text(name))


def _strip_titles(text: str, titles, linker: Linker) -> str:
    for _, iid in titles:
        text = re.sub(re.escape(linker.catalog[iid].title), " ", text, flags=re.I)
    return text
