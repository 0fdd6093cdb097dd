"""Restate a message in words the reader already knows, before it is read (nlu.NLU.understand).

Two kinds of wording are restated, each padded with spaces to the length it replaces, so that what
follows keeps its place:
  - a kind of film followed by what it does to the viewer ("fast choppy action is just a blur to him",
    "westerns do nothing for me", "gory stuff makes me queasy") -> "no <kind>." (a refusal, which the
    linker and the open reader read);
  - a well-known event used as a date, after a word of time ("after the korean war ended", "between
    the fall of saigon and the challenger disaster") -> its year ("after 1953", "between 1975 and 1986");
    "a gulf war film" is a subject, left as it is.

What it does not do: link or read anything. A span that the caller says is a film's title is never
restated ("titanic was boring" dislikes the film; "Apollo 13" is not the moon landing).
"""

from __future__ import annotations

import re

# a kind of film followed by what it does to the viewer ("fast choppy action is just a blur to him", "westerns do nothing
# for me", "gory stuff makes me queasy", "musicals drive me nuts"): a refusal, restated as "no <kind>" before reading
_WHO = r"(?:me|him|her|us|them|my \w+|his \w+|her \w+|the \w+)"
_DISLIKED = re.compile(
    r"(?:(?:is|are|'s|'re|r)\s+(?:just\s+|really\s+|way\s+|kinda\s+|kind of\s+|a bit\s+|honestly\s+|always\s+)*"
    r"(?:a blur|too much|boring|tedious|a chore|torture|unwatchable|a turn[- ]?off|lost on " + _WHO + r"|"
    r"not (?:really |exactly |at all )?(?:my|his|her|our|their) (?:thing|cup of tea|jam|scene|bag)|not for " + _WHO + r")|"
    r"(?:does|do)(?:n'?t)? (?:absolutely |literally )?nothing for " + _WHO + r"|"
    r"(?:makes?|made) " + _WHO + r" (?:queasy|sick|nauseous|squirm|cringe|dizzy|want to (?:leave|sleep|scream))|"
    r"(?:bores?|bored) " + _WHO + r"(?: to (?:tears|death|sleep))?|(?:annoys?|irritates?) " + _WHO + r"|"
    r"(?:puts?|sends?) " + _WHO + r" to sleep|"
    r"(?:is|are|'s|'re) (?:totally |definitely |completely |also |strictly )?(?:out(?=\s*(?:[.!?,;]|$|for\b|too\b))|"
    r"off the table|a no[- ]?go|not an option|banned|off[- ]limits|vetoed|a hard no|out of the question)|"
    r"(?:drives?|drove) " + _WHO + r" (?:nuts|crazy|mad|insane|up the wall|bonkers)|"
    r"(?:gets?|got) on (?:my|his|her|our|their) nerves|(?:gives?|gave) " + _WHO + r" (?:a headache|headaches|motion sickness))\b")
# the clause before it: the kind of film is its last one to four words, none a pronoun or a person ("anything over
# two hours is torture" is restated "nothing over two hours"; a length or a number only after "anything")
_CLAUSE_START = re.compile(r"(?:[.!?;,:]|\b(?:but|and|though|although|because|cause|since|plus|so|also)\b)\s*", re.IGNORECASE)
_NOT_A_KIND = re.compile(r"\b(?:i|he|she|it|that|this|they|we|you|which|what|who|everything|nothing|"
                         r"kids?|dad|mum|mom|wife|husband|brother|sister|son|daughter|partner|boyfriend|girlfriend|"
                         r"friends?|family|grandma|grandpa|nan|everyone|everybody|someone|\w+'s|one|movie|film|"
                         r"no|not|never|thinks?|says?|said|finds?|feels?)\b", re.IGNORECASE)
_LENGTH_WORDS = re.compile(r"\b(?:over|under|longer|shorter|than|more|less|after|before|past|older|newer|hours?|hrs?|"
                           r"mins?|minutes?)\b|\d", re.IGNORECASE)


def _restate_dislikes(text: str, titles: list[tuple[int, int]]) -> str:
    """`text` with each "<kind> <does something bad to the viewer>" restated as "no <kind>", padded with spaces to
    the same length ("fast choppy action is just a blur to him" -> "no fast choppy action." + spaces). A kind that
    ends in one of the `titles` spans (start, end) is left as it is: "titanic was boring" dislikes the film."""
    out, last = [], 0
    for m in _DISLIKED.finditer(text):
        if any(a < m.start() <= b + 1 for a, b in titles):
            continue
        if not re.search(r"\s$", text[:m.start()]):
            continue
        starts = [c.end() for c in _CLAUSE_START.finditer(text, last, m.start())]
        start = starts[-1] if starts else last
        kind = text[start:m.start()].strip()
        anything = re.match(r"(?:any|some)(?:thing|one)\b", kind, re.IGNORECASE)
        if not kind or len(kind.split()) > 4 or _NOT_A_KIND.search(kind) or (_LENGTH_WORDS.search(kind) and not anything):
            continue
        start = text.index(kind, start)
        said = "nothing" + kind[anything.end():] if anything else f"no {kind}"
        out.append(text[last:start] + f"{said}.".ljust(m.end() - start))  # a sentence's end: no list goes on
        last = m.end()
    return "".join(out) + text[last:]


# well-known events that people date things by, with their year ("before the moon landing" = before 1969). The
# wording must name the event, not only a place or a name ("challenger" alone is no date)
_WAR2 = r"(?:ww2|wwii|ww ii|world war (?:2|ii|two)|the second world war)"
_EVENTS: list[tuple[str, int]] = [
    (r"the attack on pearl harbou?r|pearl harbou?r (?:was )?(?:attack|bomb)(?:ed|ing)?", 1941),
    (r"d-?day(?: landings?)?", 1944),
    (r"the end of " + _WAR2 + "|" + _WAR2 + r" ended|v-?e day|v-?j day|the war ended in europe", 1945),
    (r"the berlin airlift", 1948),
    (r"the end of the korean war|the korean war ended|the korean armistice", 1953),
    (r"sputnik(?: (?:was )?launched| went up)?", 1957),
    (r"the cuban missile crisis", 1962),
    (r"(?:jfk|kennedy|president kennedy) (?:was )?(?:shot|assassinated|killed)|the (?:jfk|kennedy) assassination|"
     r"(?:jfk|kennedy)'?s assassination", 1963),
    (r"the summer of love", 1967),
    (r"(?:mlk|martin luther king(?: jr)?) (?:was )?(?:shot|killed|assassinated)", 1968),
    (r"the (?:first )?moon landing|(?:we|man|men|they|armstrong|apollo 11) (?:first )?(?:landed|walked) on the moon|"
     r"the first man on the moon", 1969),
    (r"the beatles (?:broke up|split(?: up)?)|the beatles'? break-?up", 1970),
    (r"nixon resigned|nixon'?s resignation", 1974),
    (r"the fall of saigon|saigon fell|the end of the vietnam war|the vietnam war ended", 1975),
    (r"the bicentennial", 1976),
    (r"elvis died|the death of elvis|elvis'?s? death", 1977),
    (r"(?:john )?lennon (?:was )?(?:shot|killed|died)|(?:john )?lennon'?s death", 1980),
    (r"mtv (?:launched|started|went on (?:the )?air)", 1981),
    (r"live aid", 1985),
    (r"the challenger (?:disaster|explosion|exploded|blew up|crash(?:ed)?)|challenger (?:exploded|blew up)", 1986),
    (r"chernobyl(?: disaster| blew up| exploded| happened)?", 1986),
    (r"the fall of the berlin wall|the berlin wall (?:fell|came down)|the wall came down", 1989),
    (r"the gulf war|desert storm", 1991),
    (r"the soviet union (?:fell|collapsed|broke up)|the end of the cold war|the cold war ended", 1991),
    (r"the (?:la|los angeles) riots", 1992),
    (r"the oklahoma city bombing", 1995),
    (r"(?:princess )?diana died|the death of (?:princess )?diana|(?:princess )?diana'?s death", 1997),
    (r"y2k|the (?:new )?millenn?ium", 2000),
]
_EVENT = re.compile(r"\b(?:" + "|".join(f"(?P<e{i}>{p})" for i, (p, _) in enumerate(_EVENTS)) + r")\b", re.IGNORECASE)


# what makes an event a date: a word of time right before it ("before the moon landing", "the year the wall came
# down", "between the fall of saigon and ..."); "a gulf war film" or "a chernobyl documentary" is a subject
_AS_DATE = re.compile(r"(?:\b(?:before|after|since|until|till|til|during|around|following|prior to|by|from|year|when|than|"
                      r"between|pre|post)|\bbetween\b[^.!?]{1,60}\band)\s+(?:the year\s+(?:of\s+)?)?$", re.IGNORECASE)


def _restate_events(text: str, titles: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for m in _EVENT.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in titles) or not _AS_DATE.search(text[max(0, m.start() - 80):m.start()]):
            continue
        year = _EVENTS[int(next(k for k, v in m.groupdict().items() if v is not None)[1:])][1]
        out.append(text[last:m.start()] + str(year).ljust(len(m.group(0))))
        last = m.end()
    return "".join(out) + text[last:]


def restate(text: str, titles: list[tuple[int, int]] = ()) -> str:
    """`text` with the wordings above restated, each padded to the same length; `titles` are the (start, end) spans
    of films' titles, never restated."""
    return _restate_events(_restate_dislikes(text, list(titles)), list(titles))
