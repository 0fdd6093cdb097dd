"""An independent detector of false claims in a reply's intro sentence, for measurement only.

The product's checker (assistant.dialogue.nlg.check) compares an intro with the constraints the
assistant applied. This detector does not look at those: it reads what the sentence claims about the
films ("classic black and white films", "funny", "from the 80s", "that don't involve Tom Hanks") and
checks each claim against the cards' own data with the evaluation's predicate language
(bench/open_criteria.py). A claim is false when fewer than `share` of the cards satisfy it; a claim
about something the catalog has no data on (black and white, silent) is always false.

Written separately from the checker so that a rate measured before the checker can fail.
"""

from __future__ import annotations

import re

from bench.open_criteria import satisfies

_LIGHT = ["Comedy", "Family", "Musical", "Animation", "Children's", "Romance"]
_DARK = ["Horror", "War", "Crime", "Thriller"]
_KIDS = {"any_of": [{"rated_in": ["G", "PG"]}, {"genres_any": ["Children's", "Family", "Animation"]}]}

# (pattern, predicate every claimed card should satisfy; None = no data, always false)
CLAIMS: list[tuple[str, dict | None]] = [
    (r"feel[- ]good|uplifting|heart[- ]?warming|cheerful|cheery|light[- ]?hearted|wholesome|cosy|cozy|happy",
     {"all_of": [{"genres_any": _LIGHT}, {"genres_none": _DARK}]}),
    (r"funny|hilarious|laugh\w*|comed(?:y|ies|ic)|humou?r\w*", {"genres_any": ["Comedy"]}),
    (r"escapis[mt]\w*|transport\w*|other[- ]?worldly|another world", {"genres_any": ["Fantasy", "Sci-Fi", "Adventure",
                                                                                   "Animation"]}),
    (r"whimsical|magical|enchanting|fairy[- ]?tales?", {"genres_any": ["Fantasy", "Animation", "Children's", "Family",
                                                                      "Musical"]}),
    (r"inspir\w*|motivat\w*|triumph\w*|underdogs?", {"genres_any": ["Sport", "Biography", "History", "Drama"]}),
    (r"calm\w*|mellow|soothing|gentle|relaxing|peaceful|low[- ]key", {"genres_none": ["Horror", "Thriller", "Action", "War",
                                                                                   "Crime"]}),
    (r"romantic|romances?|love stor(?:y|ies)", {"genres_any": ["Romance"]}),
    (r"sad|cry|crying|tears?|tear[- ]?jerkers?|emotional|moving|touching|poignant|heartbreaking",
     {"genres_any": ["Drama", "Romance"]}),
    (r"horror", {"genres_any": ["Horror"]}),  # the genre by name ("no horror" is not "no thrillers")
    (r"scary|scare\w*|creepy|spooky|frightening|terrifying|chilling", {"genres_any": ["Horror", "Thriller"]}),
    (r"thrill\w*|suspense\w*|tense|gripping", {"genres_any": ["Thriller", "Mystery", "Crime", "Horror"]}),
    (r"action[- ]packed|action|exciting|adrenaline", {"genres_any": ["Action", "Adventure"]}),
    (r"sci[- ]?fi|science[- ]fiction|space", {"genres_any": ["Sci-Fi"]}),
    (r"westerns?", {"genres_any": ["Western"]}),
    (r"war (?:films?|movies?)|wartime", {"genres_any": ["War"]}),
    (r"documentar(?:y|ies)", {"genres_any": ["Documentary"]}),
    (r"musicals?", {"genres_any": ["Musical"]}),
    (r"animated|animation|cartoons?", {"genres_any": ["Animation"]}),
    (r"dramas?|dramatic", {"genres_any": ["Drama"]}),
    (r"crime", {"genres_any": ["Crime"]}),
    (r"myster(?:y|ies)", {"genres_any": ["Mystery"]}),
    (r"noir", {"genres_any": ["Film-Noir"]}),
    (r"fantasy|magical", {"genres_any": ["Fantasy"]}),
    (r"adventures?|adventurous", {"genres_any": ["Adventure"]}),
    (r"children'?s", {"genres_any": ["Children's"]}),
    (r"biograph\w*|biopics?|histor\w*|true stor(?:y|ies)|real events", {"genres_any": ["Biography", "History", "Documentary"]}),
    (r"sports?|sporty|athlet\w*", {"genres_any": ["Sport"]}),
    (r"kids?|children(?!'?s)|child|family|families|all ages|kid[- ]friendly", _KIDS),
    (r"short|quick|brief", {"runtime_max": 110}),
    (r"long|epic|lengthy", {"runtime_min": 130}),
    (r"classics?|timeless|old", {"year_max": 1979}),
    (r"acclaimed|critics?|critically|best|top[- ]rated|highly[- ]rated|masterpieces?|greatest|finest|well[- ]reviewed",
     {"critic_pct_min": 0.6}),
    (r"oscars?|academy awards?|award[- ]winning|awards?", {"oscars_min": 1}),
    (r"hidden gems?|underrated|little[- ]known|obscure|lesser[- ]known|under the radar", {"popularity_pct_max": 0.6}),
    (r"black[- ]and[- ]white|b&w|silent films?|monochrome", None),
]
# a negation reaches up to three words forward, not across a preposition ("no Horror/Thriller for kids")
_NEG = re.compile(r"\b(?:no|not|without|don'?t|doesn'?t|isn'?t|aren'?t|nothing|never|except|excluding|free of|avoid\w*)"
                  r"(?:\s+(?!(?:for|with|from|by|in|rated|to|of)\b)[^\s()]+){0,3}[\s-]*$")
_DECADE = re.compile(r"\b(?:the\s+)?(?:19)?([2-9])0'?s\b")
_YEAR = re.compile(r"\b(19[0-9]{2}|20[0-2][0-9])\b")
_NEG_PERSON = re.compile(r"\b(?:don'?t|doesn'?t|do not|does not|without|no|not|never)\s+(?:\w+\s+){0,3}"
                         r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)")


# "comedy/family/musical", "western or musical": any one of them
# in a list of genre names each word is the genre of that name ("thriller" there is the Thriller genre, not any
# suspenseful film; "war" and "film-noir" have no claim of their own outside a list)
_LIST_GENRE = {g.lower(): {"genres_any": [g]} for g in (
    "Action", "Adventure", "Animation", "Biography", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Family",
    "Fantasy", "Film-Noir", "History", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Sport", "Thriller", "War",
    "Western")}
_GENRE_LIST = re.compile(r"\b[a-z][a-z'-]+(?:(?:/| or )[a-z][a-z'-]+)+\b")
_YEAR_BOUND = [(re.compile(r"\b(?:from|since|after)\s+(\d{4})\s*(?:on|onwards|and later)\b"), "year_min", 0),
               (re.compile(r"\bafter\s+(\d{4})\b"), "year_min", 1),
               (re.compile(r"\b(?:before|earlier than|older than)\s+(\d{4})\b"), "year_max", -1),
               (re.compile(r"\b(?:up to|until|through)\s+(\d{4})\b"), "year_max", 0)]
_DECADES = re.compile(r"\b(?:the\s+)?(?:19)?[2-9]0'?s(?:\s*(?:/|or|and|,)\s*(?:the\s+)?(?:19)?[2-9]0'?s)+\b")
_RANGE = re.compile(r"\b(?:from|between)\s+(\d{4})\s+(?:to|and|-|until|through)\s+(\d{4})\b|"
                    r"\b(\d{4})\s*(?:-|\u2013|to|through)\s*(\d{4})\b")  # "1919-1939 dramas"
# "rated G or PG, or a children's/family film": one claim that either holds
_RATED_OR_KIDS = re.compile(r"\brated ((?:[a-z0-9-]+)(?:(?:,| or)\s*[a-z0-9-]+)*),? or (?:an? )?children'?s/family films?\b")
# "similar to True Crime (1995)": a title named with its year is a film, not a claim about the picks
_TITLE_WITH_YEAR = re.compile(r"(?:(?:[A-Z0-9][\w'&:.,!?-]*|of|the|and|a|in|on|to|for)\s+){0,8}[A-Z0-9][\w'&:.,!?-]*\s*\(\d{4}\)")
_MINUTES = [(re.compile(r"\b(?:under|less than|below)\s+(\d+)\s*min"), "runtime_max"),
            (re.compile(r"\b(?:at least|over|more than)\s+(\d+)\s*min"), "runtime_min")]


_SHARES = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "fifth": 0.2, "tenth": 0.1}
_CRITIC_SHARE = re.compile(r"\bcritic (?:score|rating)s? in the top (half|quarter|third|fifth|tenth|\d{1,2}%)")


# "nothing from the 1980s", "no 70s films": a refused era (_NEG stops at prepositions)
_NEG_ERA = re.compile(r"\b(?:no|not|nothing|never|except|excluding|without|none)\s+(?:(?:films?|movies?|anything|stuff|"
                      r"made|released)\s+)?(?:(?:from|in|of)\s+)?$")


def _neg_era(before: str) -> bool:
    return bool(_NEG_ERA.search(before) or _NEG.search(before))


def _single(low: str, pat: str, pred: dict | None, start: int, end: int) -> tuple[str, dict | None, bool]:
    return low[start:end], pred, bool(_NEG.search(low[:start]))


def claims_in(text: str) -> list[tuple[str, dict | None, bool]]:
    """(claimed words, predicate, negated) for each claim in the sentence. Words joined by "/" are one
    claim that any of them holds ("Comedy/Family/Musical by genre")."""
    out = []
    # the user's own words quoted back ("matching “even critics”") are no claim about the films: blanked out
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    low = re.sub(r"\u201c[^\u201d]*\u201d", blank, _TITLE_WITH_YEAR.sub(blank, text).lower())
    taken: list[tuple[int, int]] = []
    for m in _RATED_OR_KIDS.finditer(low):
        ratings = [r.strip().upper() for r in re.split(r",|\bor\b", m.group(1)) if r.strip()]
        out.append((m.group(0), {"any_of": [{"rated_in": ratings}, {"genres_any": ["Children's", "Family"]}]},
                    bool(_NEG.search(low[: m.start()]))))
        taken.append((m.start(), m.end()))
    # "120 minutes long": a length's unit, not the claim "long" (the number is read by _MINUTES)
    for m in re.finditer(r"\b\d+\s*(?:minutes?|mins?)\s+(long)\b", low):
        taken.append((m.start(1), m.end(1)))
    # "critic score in the top half / 40%": the share said, not any critic claim
    for m in _CRITIC_SHARE.finditer(low):
        share = _SHARES.get(m.group(1)) or int(m.group(1).rstrip("%")) / 100
        out.append((m.group(0), {"critic_pct_min": round(1 - share, 4)}, bool(_NEG.search(low[: m.start()]))))
        taken.append((m.start(), m.end()))
    for lm in _GENRE_LIST.finditer(low):
        if any(a <= lm.start() < b for a, b in taken):
            continue
        preds = []
        for word in re.split(r"/| or ", lm.group(0)):
            # in a list of genre names ("children's/musical/comedy/family") a word is the genre of that name
            pred = _LIST_GENRE.get(word) or next((p for pat, p in CLAIMS if p is not None
                                                  and re.fullmatch(rf"(?:{pat})", word)), None)
            if pred is not None:
                preds.append(pred)
        if preds:
            out.append((lm.group(0), {"any_of": preds}, bool(_NEG.search(low[: lm.start()]))))
            taken.append((lm.start(), lm.end()))
    for pat, pred in CLAIMS:
        for m in re.finditer(rf"\b(?:{pat})\b", low):
            if any(a <= m.start() < b for a, b in taken):
                continue
            out.append(_single(low, pat, pred, m.start(), m.end()))
    bounded: set[int] = set()
    for m in _DECADES.finditer(low):  # "1970s/1980s", "the 70s or 80s": any of them
        ds = [1900 + int(x) * 10 for x in re.findall(r"(?:19)?([2-9])0'?s", m.group(0))]
        out.append((m.group(0), {"any_of": [{"year_min": d, "year_max": d + 9} for d in ds]},
                    _neg_era(low[: m.start()])))
        taken.append((m.start(), m.end()))
    for m in _DECADE.finditer(low):
        if any(a <= m.start() < b for a, b in taken):
            continue
        d = 1900 + int(m.group(1)) * 10
        out.append((m.group(0), {"year_min": d, "year_max": d + 9}, _neg_era(low[: m.start()])))
    for m in _RANGE.finditer(low):
        a, b = (1, 2) if m.group(1) else (3, 4)
        out.append((m.group(0), {"year_min": int(m.group(a)), "year_max": int(m.group(b))}, _neg_era(low[: m.start()])))
        bounded |= {m.start(a), m.start(b)}
    for pat, key, shift in _YEAR_BOUND:
        for m in pat.finditer(low):
            if m.start(1) in bounded:
                continue
            out.append((m.group(0), {key: int(m.group(1)) + shift}, False))
            bounded.add(m.start(1))
    for pat, key in _MINUTES:
        for m in pat.finditer(low):
            out.append((m.group(0), {key: int(m.group(1)) + (0 if key == "runtime_max" else 0)}, False))
    for m in _YEAR.finditer(low):  # titles named with their year are blanked in `low` ("2001: A Space Odyssey (1968)")
        if m.start() in bounded or re.search(rf"\({m.group(1)}\)", text):  # "(1994)" after a title names the film
            continue
        out.append((m.group(0), {"year": int(m.group(1))}, _neg_era(low[: m.start()])))  # "nothing from 1997"
    return out


def _ml_genres_only(item):
    """The item as the detector judges genre claims: MovieLens genres plus only OMDb's finer genres
    (OMDb's lists are broad: Fargo is "Comedy" there, and a claim "comedies" above Fargo is false)."""
    from dataclasses import replace

    finer = {"Family", "Biography", "History", "Sport", "Music"}
    attrs = dict(item.attributes)
    attrs["omdb_genres"] = [g for g in attrs.get("omdb_genres") or () if g in finer]
    return replace(item, attributes=attrs)


def false_claims(text: str, card_items: list, stats, share: float = 0.8) -> list[str]:
    """The claims of `text` that the cards do not bear out (empty = no false claim)."""
    if not text or not card_items:
        return []
    bad = []
    card_items = [_ml_genres_only(it) for it in card_items]
    for words, pred, negated in claims_in(text):
        if pred is None:
            if not negated:
                bad.append(f"{words!r}: no data")
            continue
        ok = sum(satisfies(it, pred, stats) != negated for it in card_items) / len(card_items)
        if ok < share:
            bad.append(f"{'not ' if negated else ''}{words!r}: {ok:.0%} of cards")
    for m in _NEG_PERSON.finditer(text):  # "movies that don't involve Tom Hanks" above Tom Hanks films
        name = m.group(1)
        involved = sum(name in (it.directors + it.writers + it.cast) for it in card_items)
        if involved:
            bad.append(f"says not {name!r}, but {involved} card(s) involve them")
    return bad
