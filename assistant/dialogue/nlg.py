"""The single reply writer: a fact sheet built from the dialogue state and the tool results -> reply text.

Every reply the assistant sends is written here (recommendations, pages, explanations, questions,
acknowledgements, help). `FactSheet` holds only facts: the applied request in words (from the state,
never from the user's wording), the feedback noted this turn, the cards, counts, and caveats. The
template renders it. With an LLM backend the intro sentence above the cards, and the answer to
"why N" (from its plain reasons, within `why_budget_s`), may be phrased by the LLM from the fact
sheet; `check` (the one checker) accepts that text only if every title,
person, year, number and capitalised name it contains is in the fact sheet, and the template is
used otherwise.

What it does not do: choose items, call tools or read the user's message for content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.api import Card
from catalog.facets import MOODS
from tools.state import Request

HELP = ("I recommend movies from a catalog of {n} titles. Try: \"something like Alien but funnier\", "
        "\"comedies from the 90s\", \"movies directed by Steven Spielberg\", \"why 1\", \"more\", \"I've seen Toy Story\", "
        "\"start over\", or \"I'm new here\" for a few quick questions.")
LLM_DOWN_NOTE = "(The language model did not answer properly, so I read your message with simple keyword rules.)"
# few-shot for the intro sentence: facts in, one sentence out (no titles: the cards carry the items)
INTRO_SHOTS = [("picks: Thriller, from the 1990s", "Here are some tense 1990s thrillers you might enjoy."),
               ("picks: similar to Fargo (1996); noted: liked Heat (1995)", "Since you liked Heat, here are picks in the spirit of Fargo."),
               ("more picks: Comedy, with Jim Carrey", "A few more Jim Carrey comedies for you.")]


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def describe(r: Request, catalog) -> tuple[list[str], list[str]]:
    """The applied request as (words before "picks", phrases after it), from the state."""
    pre, post = [], []
    if r.moods:  # "calm, mind-bending Sci-Fi picks": the moods before the genre
        pre.append(", ".join(MOODS[m].label for m in r.moods))
    if r.decades:
        pre.append("/".join(r.decades))
    if r.languages:
        pre.append("/".join(r.languages) + "-language")
    if r.genres:
        if "genres" in r.any_of and r.core_genres:  # "Romance with Action or Adventure"
            pre.append("/".join(r.core_genres) + " with " + " or ".join(g for g in r.genres if g not in r.core_genres))
        else:
            pre.append((" or " if "genres" in r.any_of else "/").join(r.genres))
    if r.year_min is not None and r.year_max is not None and r.year_min == r.year_max:
        post.append(f"from {r.year_min}")
    else:
        if r.year_min is not None:
            post.append(f"from {r.year_min} on")
        if r.year_max is not None:
            post.append(f"up to {r.year_max}")
    if r.people:
        post.append("with " + (" or " if "people" in r.any_of else ", ").join(r.people))
    if r.countries:
        post.append("from " + ", ".join(r.countries))
    if r.references:
        post.append("similar to " + "; ".join(catalog[i].display_title for i in r.references if i in catalog))
    neg = []  # refusals, said last: "picks no Horror rated G or PG" reads as "not rated G or PG"
    if r.not_genres:
        neg.append("no " + "/".join(r.not_genres))
    if r.not_people:
        neg.append("nothing with " + ", ".join(r.not_people))
    if r.not_decades:
        # one "nothing from" each ("nothing from the 1980s, nothing from 1990-1993"): a span after "or" reads as asked for
        neg.append(", ".join("nothing from " + y for y in refused_years(r.not_decades)))
    if r.not_countries:
        neg.append("nothing from " + " or ".join(r.not_countries))
    if r.not_languages:
        neg.append("nothing in " + " or ".join(r.not_languages))
    if r.excluded:
        neg.append("leaving out " + "; ".join(catalog[i].display_title for i in r.excluded if i in catalog))
    if r.moods:
        post.append(mood_genres_phrase(r))
    if r.audience == "kids":
        post.append("for kids (Children's/Family/Animation by genre, rated G or PG where rated, no Horror/Thriller/War/Crime)")
    elif r.audience == "clean":
        post.append("rated G or PG, or a children's/family film; no horror")
    elif r.audience == "no_adult":
        post.append("rated G, PG or PG-13, no horror")
    if r.rated:
        post.append("rated " + " or ".join(x for x in r.rated if x != "GP"))
    if r.runtime_min is not None and r.runtime_max is not None:
        post.append(f"running {r.runtime_min} to {r.runtime_max} minutes")
    elif r.runtime_max is not None:
        post.append(f"under {r.runtime_max} minutes")
    elif r.runtime_min is not None:
        post.append(f"at least {r.runtime_min} minutes long")
    for q in r.qualities:
        if q == "classic":
            pre.append("classic")
        if q in ("oscar", "many_oscars") and r.oscars_min:
            post.append(f"that won at least {r.oscars_min} Oscar{'s' if r.oscars_min > 1 else ''}")
            continue
        post.append(QUALITY_WORDS[q])
    if r.query:
        post.append(f"matching \u201c{r.query}\u201d")
    if neg and post:
        neg[0] = "and " + neg[0]  # "picks rated G or PG, or a children's/family film; no horror and no War/Crime"
    return pre, post + neg


def refused_years(not_decades: list[str]) -> list[str]:
    """How refused decades and years are said: "the 1980s", "1997", and a run of years as "1990-1993"."""
    out: list[str] = []
    run: list[int] = []  # consecutive single years, said as one span

    def flush() -> None:
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
            run.clear()

    for d in not_decades:
        if not d.isdigit():
            flush()
            out.append(("the " + d) if d.endswith("s") else d)
            continue
        if run and int(d) != run[-1] + 1:
            flush()
        run.append(int(d))
    flush()
    return out


_REFUSALS = ("no ", "nothing ", "leaving out ")  # how describe() starts each refusal


def country_name(country: str) -> str:
    """A country as a sentence names it: "the United Kingdom", "the United States"; "France" as it is."""
    return f"the {country}" if country.startswith(("United ", "People's ", "Soviet ")) else country


def mood_genres_phrase(r: Request) -> str:
    """What the moods apply, in one parenthesis: each mood needs one of its genres, and no mood's counter-genre
    may appear ("(Romance/Drama and Sci-Fi/Mystery by genre, no Horror/Action)"). A genre some mood works
    against is left out of every group (an item with it is refused anyway), and a group the named genres
    already meet is left out (with "or" between the named genres, none is)."""
    avoid: list[str] = []
    for m in r.moods:  # a genre kept through a mood shift is never refused by a mood (catalog.facets.mood_ok)
        avoid += [g for g in MOODS[m].avoid if g not in avoid and g not in r.kept_genres]
    named = set(r.genres) if "genres" not in r.any_of else set()
    groups: list[str] = []
    for m in r.moods:
        group = [g for g in MOODS[m].genres if g not in avoid]
        text = "/".join(group)
        if group and not named & set(group) and text not in groups:
            groups.append(text)
    parts = [" and ".join(groups) + " by genre"] if groups else []
    if avoid:
        parts.append("no " + "/".join(avoid))
    return "(" + ", ".join(parts) + ")"


QUALITY_WORDS = {"acclaimed": "highly rated by critics (top quarter of critic scores)",
                 "hidden_gem": "well reviewed but little known (critic score in the top 40%, rated by few users here)",
                 "classic": "(before 1976, critic score in the top half)",
                 "oscar": "that won at least one Oscar",
                 "many_oscars": "that won at least 3 Oscars",
                 "crowd_pleaser": "that users here rate highest (top quarter of mean ratings)",
                 "well_reviewed": "better-reviewed first",
                 "adult": "rated R first"}

# a quality refused ("nothing critics love", "no oscar bait"): no ceiling on it is searched, and the reply says so
REFUSED_QUALITY_WORDS = {"acclaimed": "films critics love", "hidden_gem": "little-known films", "classic": "classics",
                         "oscar": "award winners", "many_oscars": "award winners", "crowd_pleaser": "crowd-pleasers",
                         "well_reviewed": "well-reviewed films", "adult": "adult films"}

# properties an intro sentence can claim, and which applied constraints make each claim true
# (a claim is allowed when any of its keys is in FactSheet.allowed()["claims"])
CLAIMS: list[tuple[re.Pattern, tuple[str, ...]]] = [
    (re.compile(r"\b(feel[- ]good|uplifting|heart[- ]?warming|cheerful|cheery|happy|light[- ]?hearted|wholesome|cosy|cozy)\b"),
     ("feel_good", "light", "upbeat")),
    (re.compile(r"\b(funny|hilarious|laughs?|laughter|comed(?:y|ies|ic))\b"), ("funny", "light", "comedy")),
    (re.compile(r"\b(silly|goofy|zany|wacky|slapstick|madcap|light|lighter)\b"), ("light",)),
    (re.compile(r"\b(sad|cry|crying|tears?|tear[- ]?jerkers?|emotional|moving|heartbreaking|poignant|touching)\b"),
     ("sad", "drama")),
    (re.compile(r"\b(romantic|romances?|love stor(?:y|ies))\b"), ("romantic", "romance")),
    (re.compile(r"\b(scary|scare|frightening|creepy|spooky|terrifying|chilling|horror)\b"), ("scary", "horror")),
    (re.compile(r"\b(suspense\w*|thrilling|thrillers?|tense|gripping|edge of)\b"), ("tense", "scary", "thriller")),
    (re.compile(r"\b(mind[- ]bending|trippy|twists?|twisty|surreal)\b"), ("mind_bending",)),
    (re.compile(r"\b(action[- ]packed|exciting|adrenaline|explosive)\b"), ("exciting", "action")),
    (re.compile(r"\b(thought[- ]provoking|profound|philosophical)\b"), ("thoughtful",)),
    (re.compile(r"\b(dark|gritty|bleak|grim|noir)\b"), ("dark", "film-noir")),
    (re.compile(r"\b(true stor(?:y|ies)|real events|based on)\b"), ("true_story",)),
    (re.compile(r"\b(biopics?|biograph(?:y|ies|ical))\b"), ("biopic",)),
    (re.compile(r"\b(histor(?:y|ical))\b"), ("history",)),
    (re.compile(r"\b(escapis[mt]\w*|transport\w*|other worlds?|otherworldly)\b"), ("escapist",)),
    (re.compile(r"\b(inspir\w*|motivat\w*|pumped|triumph\w*|underdogs?)\b"), ("inspiring",)),
    (re.compile(r"\b(sports?|sporty|athlet\w*|boxing|baseball|football|basketball|hockey|soccer)\b"), ("sport",)),
    (re.compile(r"\b(calm\w*|mellow|soothing|gentle|peaceful|relaxing|low[- ]key)\b"), ("calm", "feel_good")),
    (re.compile(r"\b(whimsical|magical|enchanting|fairy[- ]?tales?)\b"), ("whimsical",)),
    (re.compile(r"\b(kids?|children|child|family|families|all ages|kid[- ]friendly)\b"),
     ("kids", "family", "children's")),
    (re.compile(r"\b(short|quick|brief)\b"), ("short",)),
    (re.compile(r"\b(long|epic|lengthy)\b"), ("long",)),
    (re.compile(r"\b(classics?|timeless)\b"), ("classic",)),
    (re.compile(r"\b(acclaimed|critics?|critically|top[- ]rated|highly[- ]rated|masterpieces?|greatest|best|finest|"
                r"well[- ]reviewed)\b"), ("acclaimed", "classic", "hidden_gem")),
    (re.compile(r"\b(oscars?|academy awards?|award[- ]winning|awards?)\b"), ("oscar", "many_oscars")),
    (re.compile(r"\b(hidden gems?|underrated|little[- ]known|obscure|lesser[- ]known|under the radar)\b"), ("hidden_gem",)),
    (re.compile(r"\b(crowd[- ]pleas\w*|fan favou?rites?|audiences? lov\w*|popular)\b"), ("crowd_pleaser",)),
    (re.compile(r"\b(clean|family[- ]friendly|not rated r|nothing rated r)\b"), ("no_adult", "clean", "kids", "rated")),
    (re.compile(r"\b(black[- ]and[- ]white|b&w|silent)\b"), ()),  # no data: never true
    # a genre named outright: asked for, or every card has it (a mood's genres are only "any of")
    (re.compile(r"\b(sci[- ]?fi|science[- ]fiction)\b"), ("sci-fi",)),
    (re.compile(r"\b(fantasy|fantasies)\b"), ("fantasy",)),
    (re.compile(r"\b(animat\w*|cartoons?)\b"), ("animation",)),
    (re.compile(r"\b(adventures?)\b"), ("adventure",)),
    (re.compile(r"\b(westerns?)\b"), ("western",)),
    (re.compile(r"\b(musicals?)\b"), ("musical",)),
    (re.compile(r"\b(documentar(?:y|ies))\b"), ("documentary",)),
    (re.compile(r"\b(myster(?:y|ies))\b"), ("mystery",)),
    (re.compile(r"\b(dramas?|dramatic)\b"), ("drama", "sad")),
    (re.compile(r"\b(crime)\b"), ("crime",)),
    (re.compile(r"\b(war (?:films?|movies?|stories))\b"), ("war",)),
    (re.compile(r"\b(action)\b"), ("action", "exciting")),
]
_NEG_WORD = (r"(?:not|no|without|nothing|never|none|minus|don'?t|doesn'?t|isn'?t|aren'?t|except|excluding|free of|"
             r"avoid\w*|skip\w*)")
# a hyphenated negation negates only its own word: "no-action comedies" still claims comedies
_NEGATED = re.compile(rf"\b{_NEG_WORD}\b(?!-)[^.!?]{{0,40}}")


def _negated_at(low: str, start: int, end: int) -> bool:
    """The word at low[start:end] is said as refused: a negation in the 40 characters before it, or its own
    hyphenated one ("no-romance", "horror-free")."""
    before = low[max(0, start - 40):start]
    return bool(_NEGATED.search(before + " ") or re.search(rf"\b{_NEG_WORD}-$", before) or low.startswith("-free", end))


@dataclass
class FactSheet:
    kind: str  # the policy's action
    request: Request = field(default_factory=Request)
    noted: list[str] = field(default_factory=list)  # "liked Fargo (1996)"
    changed: str = ""  # "Dropped the decade." (relax / replace / start over)
    cards: list[Card] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # caveats, unknown titles, missing scorer
    more: bool = False  # a further page of the same request
    left: int = 0  # results of this request not yet shown
    text: str = ""  # a fixed message (help, questions, explanations): written by the template
    reasons: list[str] = field(default_factory=list)  # explain: the plain reasons (tools.explain_item), most important first
    cited: list[str] = field(default_factory=list)  # explain: liked item ids the reasons name

    def allowed(self, catalog, kg=None) -> dict[str, set[str]]:
        """What an LLM sentence built from this sheet may name."""
        if self.kind == "explain":
            return self._allowed_explain(catalog)
        items = [catalog[c.item_id] for c in self.cards if c.item_id in catalog]
        items += [catalog[i] for i in self.request.references + self.request.excluded if i in catalog]
        noted_titles = [t for t in self.noted]
        names = {it.display_title.lower() for it in items} | {it.title.lower() for it in items}
        from catalog.types import normalise_title

        names |= {normalise_title(it.title) for it in items}
        people = {p.lower() for it in items for p in it.directors + it.writers + it.cast}
        people |= {p.lower() for p in self.request.people + self.request.not_people}
        words = set()
        for s in list(names) + list(people) + noted_titles:
            words |= set(re.findall(r"[a-z0-9']+", s.lower()))
        genres = {g.lower() for it in items for g in it.genres} | {g.lower() for g in self.request.genres + self.request.not_genres}
        words |= {w for g in genres for w in re.findall(r"[a-z]+", g)}
        words |= {p.lower() for p in self.request.countries + self.request.languages + self.request.not_countries
                  + self.request.not_languages}
        numbers = {str(len(self.cards))} | {str(it.year) for it in items if it.year}
        numbers |= {str(y) for y in (self.request.year_min, self.request.year_max) if y}
        for d in self.request.decades + self.request.not_decades:
            numbers |= {d[:4], d[2:4] + "s", d, d[2:4]}
        for t in noted_titles:
            numbers |= set(re.findall(r"\d{4}", t))
        r = self.request
        for x in (r.runtime_min, r.runtime_max):
            if x is not None:
                numbers.add(str(x))
        # genres asked with "or" ("dramas or comedies") guarantee only their core ones: "comedies" alone is no claim
        # the cards bear out (dev13 with --llm: "Here are some comedies from 1989" above one comedy of five)
        either = "genres" in r.any_of or "genres" in r.listed
        claims = set(r.moods) | set(r.qualities) | {g.lower() for g in (r.core_genres if either else r.genres)}
        if r.audience:
            claims.add(r.audience)
        if r.rated and set(r.rated) <= {"G", "GP", "PG"}:
            claims.add("rated")  # "pg movies only": the picks are clean
        if r.runtime_max is not None and r.runtime_max <= 110:
            claims.add("short")
        if r.runtime_min is not None and r.runtime_min >= 130:
            claims.add("long")
        if self.cards and all(c.item_id in catalog for c in self.cards):  # a genre every card has may be named
            common = set.intersection(*(set(g.lower() for g in catalog[c.item_id].genres) for c in self.cards))
            claims |= common
        positive = {p.lower() for p in r.people} | {g.lower() for g in r.genres}
        card_years = {str(catalog[c.item_id].year) for c in self.cards if c.item_id in catalog and catalog[c.item_id].year}
        # what the request refused may be named only as refused ("comedies from the 1990s" for "not the 90s ones")
        refused = {g.lower() for g in r.not_genres} | {v for d in r.not_decades for v in (d.lower(), d[2:4] + "s")}
        refused |= {c.lower() for c in r.not_countries + r.not_languages}
        return {"names": names, "people": people, "words": words, "numbers": numbers, "claims": claims,
                "positive": positive, "card_years": card_years, "refused": refused}


    def _allowed_explain(self, catalog) -> dict[str, set[str]]:
        """An explanation may name only what its reasons name: the card, the cited liked titles, the
        people and entities in the reasons, and those titles' years."""
        from catalog.types import normalise_title

        items = [catalog[i] for i in [c.item_id for c in self.cards] + self.cited if i in catalog]
        names = {it.display_title.lower() for it in items} | {it.title.lower() for it in items}
        names |= {normalise_title(it.title) for it in items}
        facts = " ".join(self.reasons).lower()
        people = {p.lower() for it in items for p in it.directors + it.writers + it.cast if p.lower() in facts}
        words = set(re.findall(r"[a-z0-9']+", facts))
        for s in list(names) + list(people):
            words |= set(re.findall(r"[a-z0-9']+", s))
        numbers = {str(it.year) for it in items if it.year and str(it.year) in facts + " " + " ".join(names)}
        claims = {k for pat, keys in CLAIMS for k in keys if pat.search(facts)}
        return {"names": names, "people": people, "words": words, "numbers": numbers, "claims": claims, "positive": set()}


def intro_template(sheet: FactSheet, catalog) -> str:
    pre, post = describe(sheet.request, catalog)
    n = len(sheet.cards)
    noun = "pick" if n == 1 else "picks"
    if post and post[0].startswith(_REFUSALS):  # "1990s picks, nothing from 1997", not "picks nothing from 1997"
        noun += ","
    head = ("Noted: " + "; ".join(sheet.noted) + ". ") if sheet.noted else ""
    change = (sheet.changed + " ") if sheet.changed else ""
    more = "more " if sheet.more else ""
    return f"{head}{change}Here {'is' if n == 1 else 'are'} {n} {more}{' '.join(pre + [noun] + post)}:"


def card_lines(cards: list[Card]) -> list[str]:
    return [f"{n}. {c.title} — {c.why}" for n, c in enumerate(cards, 1)]


class Writer:
    """Writes every reply. `backend` (optional) phrases the intro above recommendation cards."""

    def __init__(self, catalog, linker, backend=None, max_tokens: int = 40, why_budget_s: float = 2.0,
                 why_max_tokens: int = 48):
        self.catalog, self.linker, self.backend, self.max_tokens = catalog, linker, backend, max_tokens
        self.why_budget_s, self.why_max_tokens = why_budget_s, why_max_tokens

    def write(self, sheet: FactSheet, use_llm: bool = True) -> tuple[str, str]:
        """(reply text, backend name that phrased it: "template" unless the LLM's text passed the check)."""
        if sheet.kind == "explain" and sheet.reasons and use_llm and self.backend is not None and self.why_max_tokens > 0:
            llm = self._llm_why(sheet)
            if llm:
                head = ("Noted: " + "; ".join(sheet.noted) + ". ") if sheet.noted else ""
                return "\n".join([head + llm, *sheet.notes]).strip(), self.backend.name
        if sheet.kind not in ("recommend", "next_page", "show_again", "acknowledge") or not sheet.cards:
            lines = [sheet.text] if sheet.text else []
            if sheet.kind == "acknowledge" and not sheet.text:
                lines = ["Noted: " + "; ".join(sheet.noted) + "." if sheet.noted else "Noted."]
            return "\n".join([*lines, *sheet.notes]).strip(), "template"
        intro, backend = intro_template(sheet, self.catalog), "template"
        if use_llm and self.backend is not None and self.max_tokens > 0:
            llm = self._llm_intro(sheet)
            if llm:
                head = ("Noted: " + "; ".join(sheet.noted) + ". ") if sheet.noted else ""
                intro, backend = head + llm, self.backend.name
        return "\n".join([intro, *card_lines(sheet.cards), *sheet.notes]), backend

    def raw_intro(self, sheet: FactSheet) -> str | None:
        """The LLM's intro sentence before the check (None when the LLM failed)."""
        from assistant.llm import LLMUnavailable
        from prompts import render

        pre, post = describe(sheet.request, self.catalog)
        facts = f"{'more ' if sheet.more else ''}picks: " + (", ".join(pre + post) or "for you")
        if sheet.noted:
            facts += "; noted: " + "; ".join(sheet.noted)
        msgs = [{"role": "system", "content": render("answer")}]
        for q, a in INTRO_SHOTS:
            msgs += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
        msgs.append({"role": "user", "content": facts})
        try:
            return first_sentences(self.backend.complete_text(msgs, max_tokens=self.max_tokens))
        except LLMUnavailable:
            return None

    def why_messages(self, sheet: FactSheet) -> list[dict]:
        from prompts import render

        facts = f"movie: {sheet.cards[0].title}; reasons: " + "; ".join(sheet.reasons)
        return [{"role": "system", "content": render("why")}, {"role": "user", "content": facts}]

    def raw_why(self, sheet: FactSheet) -> tuple[str | None, float]:
        """(the LLM's explanation before the check, or None when it failed or ran past the budget; seconds)."""
        import time

        from assistant.llm import LLMUnavailable

        t0, parts = time.perf_counter(), []
        stream = self.backend.stream_text(self.why_messages(sheet), max_tokens=self.why_max_tokens)
        try:
            for piece in stream:
                parts.append(piece)
                text = "".join(parts)
                if re.search(r"(?:[a-z]{3}|\))[.!]\s*$", text) and len(text.split()) >= 6:
                    break  # one sentence is the answer: stop generating
                if time.perf_counter() - t0 > self.why_budget_s:
                    return None, time.perf_counter() - t0  # too slow: the template answers
        except LLMUnavailable:
            return None, time.perf_counter() - t0
        finally:
            stream.close()
        return first_sentences("".join(parts), max_chars=300) or None, time.perf_counter() - t0

    def _llm_why(self, sheet: FactSheet) -> str | None:
        out, _ = self.raw_why(sheet)
        if not out or check(out, sheet.allowed(self.catalog), self.linker):
            return None
        return out

    def _llm_intro(self, sheet: FactSheet) -> str | None:
        out = self.raw_intro(sheet)
        if not out or check(out, sheet.allowed(self.catalog), self.linker):
            return None
        return out


_STARTERS = frozenset("here these those this some a an the enjoy check try you your looking great sure if since "
                      "for a few more happy okay ok hope why because perfect absolutely".split())


_Y = r"((?:18|19|20)\d\d)"
# what an intro says about the picks' years: "from 1991 on", "1919-1939 dramas", "from 1991", "1982 and 1968 films"
_YEAR_CLAIMS = [
    (re.compile(rf"\b(?:(?:from|between)\s+)?{_Y}\s*(?:-|\u2013|to|through|until|thru)\s*{_Y}\b|\bbetween\s+{_Y}\s+and\s+{_Y}\b"),
     "range"),
    (re.compile(rf"\b(?:from|since)\s+{_Y}\s*(?:on\b|onwards?\b|and (?:later|after|up)\b|or later\b|\+)|\bafter\s+{_Y}\b"),
     "min"),
    (re.compile(rf"\b(?:before|until|up to|through|no later than)\s+{_Y}\b"), "max"),
    (re.compile(rf"\b(?:from|of|in|released in|made in|during)\s+(?:the\s+)?{_Y}\b(?!\s*(?:-|\u2013|to\b|through|until|thru|on\b|"
                rf"onwards?|and|or|\+))|\b{_Y}(?:\s*(?:,|and|or|&)\s*{_Y})*\s+(?:[a-z-]+\s+){{0,2}}(?:films?|movies?|picks|titles|"
                rf"releases|classics|hits|comedies|dramas|thrillers|westerns|musicals|romances|favou?rites|genre|ones)\b"), "exact"),
]


def year_claims_false(text: str, card_years: set[str]) -> list[str]:
    """Years the sentence says the picks are from, that the cards' own years do not bear out (a year in brackets
    after a title names that film, and is no claim)."""
    years = {int(y) for y in card_years}
    if not years:
        return []
    low = re.sub(r"\(\d{4}\)", lambda m: " " * len(m.group(0)), text.lower())
    problems, taken = [], []
    for pat, kind in _YEAR_CLAIMS:
        for m in pat.finditer(low):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            said = [int(g) for g in m.groups() if g]
            ok = {"range": lambda: all(min(said) <= y <= max(said) for y in years),
                  "min": lambda: all(y >= said[0] + ("after" in m.group(0)) for y in years),
                  "max": lambda: all(y <= said[0] - ("before" in m.group(0)) for y in years),
                  "exact": lambda: years <= set(said)}[kind]()
            if not ok:
                problems.append(f"says the picks are {m.group(0).strip()!r}, which their years do not bear out")
    return problems


def check(text: str, allowed: dict[str, set[str]], linker) -> list[str]:
    """The one checker for LLM text: reasons it names something the fact sheet does not hold (empty = ok)."""
    problems: list[str] = year_claims_false(text, allowed.get("card_years", set()))
    from catalog.types import normalise_title

    for m in linker.titles(text):
        names = {normalise_title(linker.catalog[i].title) for i in m.ids}
        if not names & allowed["names"]:
            problems.append(f"names title {m.written!r}, not in the facts")
    for _, _, p in linker.people_in(text, set()):
        if p.lower() not in allowed["people"]:
            problems.append(f"names {p!r}, not in the facts")
    low = text.lower()
    if "claims" in allowed:
        for pat, keys in CLAIMS:
            m = pat.search(low)
            if m and not set(keys) & allowed["claims"] and not _negated_at(low, m.start(), m.end()):
                problems.append(f"claims {m.group(0)!r}, which the applied constraints do not guarantee")
        for w in allowed.get("refused", ()):  # a refused genre or decade said as if the picks had it
            for m in re.finditer(rf"(?<![\w-])'?{re.escape(w)}(?![\w-])(?!-free)", low):
                # the few words before it; a hyphenated word negates only itself ("no-Drama 1990s comedies")
                before = " ".join(t for t in low[:m.start()].split()[-3:] if "-" not in t.strip("-") or t.endswith("-"))
                if not re.search(rf"\b{_NEG_WORD}\b|\b(?:no|non)-\s*$", before + " "):
                    problems.append(f"says {w!r} of the picks, which the request refused")
                    break
        for m in _NEGATED.finditer(low):  # "movies that don't involve Tom Hanks" when Tom Hanks was asked for
            hit = [w for w in allowed.get("positive", ()) if w and re.search(rf"\b{re.escape(w)}\b", m.group(0))]
            if hit:
                problems.append(f"negates {hit[0]!r}, which the request asked for")
    for num in re.findall(r"\d+(?:'?s)?", text):
        if num.replace("'", "") not in allowed["numbers"]:
            problems.append(f"says {num!r}, not in the facts")
    for q in re.findall(r"[\"“*_]([^\"”*_]{2,60})[\"”*_]", text):
        if normalise_title(q) not in allowed["names"]:
            problems.append(f"quotes {q!r}, not in the facts")
    for m in re.finditer(r"[A-Z][\w'’-]*(?:\s+(?:of|the|and|in|on|a)?\s*[A-Z][\w'’-]*)*", text):
        words = re.findall(r"[A-Za-z0-9']+", m.group(0))
        start = m.start() == 0 or bool(re.search(r"[.!?:]\s*$", text[: m.start()]))
        if start and words and words[0].lower() in _STARTERS:
            words = words[1:]
        if start and len(words) == 1:
            continue  # one capitalised word opening a sentence says nothing
        for w in words:
            lw = w.lower().strip("'")
            if lw in ("i", "of", "the", "and", "in", "on", "a") or lw in allowed["words"]:
                continue
            problems.append(f"names {m.group(0)!r}, not in the facts")
            break
    return problems


def first_sentences(text: str, max_chars: int = 240) -> str:
    text = " ".join((text or "").replace("\n", " ").split()).strip().strip('"')
    if len(text) > max_chars:
        cut = max(text.rfind(".", 0, max_chars), text.rfind("!", 0, max_chars))
        text = text[: cut + 1] if cut > 20 else ""
    return text
