"""Restate a message in words the reader already knows, before it is read (nlu.Understander.understand).

A kind of film followed by what it does to the viewer ("fast choppy action is just a blur to him",
"westerns do nothing for me", "gory stuff makes me queasy") is restated "no <kind>.", padded with spaces
to the length it replaces so that what follows keeps its place; the linker and the open reader then read
a refusal. A film's age said against the user's, with their birth year in the message ("nothing older than me
(83)"), is restated as that year ("nothing before 1983"). (Dates named by events, "before the moon landing", are
read by the linker: entities._EVENT_YEARS; a bound set by an event that the message dates itself, "made before we
got a colour telly. dad swears that was 1967" or "before the euro launched (jan 99)", is restated "before <year>".)
"<thing>-free" is restated "no <thing>." ("a disney-free zone"), and so are "give <thing> a miss" and "keep <thing> out
of it". A year said in words is written in digits
("nineteen eighty-four", "from ninety four"). A number with "ish" stuck to it is the number
("84 to 87ish"); that step runs last and moves its spaces to the end of the message.

What it does not do: link or read anything. A span that the caller says is a film's title is never
restated ("titanic was boring" dislikes the film).
"""

from __future__ import annotations

import re

# a kind of film followed by what it does to the viewer ("fast choppy action is just a blur to him", "westerns do nothing
# for me", "gory stuff makes me queasy", "musicals drive me nuts"): a refusal, restated as "no <kind>" before reading
_WHO = r"(?:me|him|her|us|them|my \w+|his \w+|her \w+|the \w+)"
_DISLIKED = re.compile(
    r"(?:(?:is|are|'s|'re|r)\s+(?:just\s+|really\s+|way\s+|kinda\s+|kind of\s+|a bit\s+|honestly\s+|always\s+|too\s+|so\s+)*"
    r"(?:a blur|too much|boring|tedious|a chore|torture|unwatchable|a turn[- ]?off|lost on " + _WHO + r"|"
    r"cheesy|corny|dated|cringe|cringey|cringy|cringeworthy|naff|lame|"
    r"not (?:really |exactly |at all )?(?:my|his|her|our|their) (?:thing|cup of tea|jam|scene|bag)|not for " + _WHO + r")|"
    r"(?:does|do)(?:n'?t)? (?:absolutely |literally )?nothing for " + _WHO + r"|"
    r"(?:looks?|feels?|seems?)\s+(?:so\s+|really\s+|too\s+|a bit\s+|kinda\s+)?(?:dated|cheesy|corny|naff|cringe)(?:\s+to\s+" + _WHO + r")?|"
    # what the viewer does when it comes on ("anything rated G or PG and he walks out")
    r"and (?:he|she|they|i|we)(?:'ll| will|'d| would)? (?:just )?(?:walks?|walked|storms?|stormed) out|"
    r"and (?:he|she|they|i|we)(?:'ll| will|'d| would)? (?:just )?(?:leaves?|left) the room|"
    r"(?:makes?|made) " + _WHO + r" (?:so |really |super |all )?(?:queasy|sick|nauseous|squirm|cringe|dizzy|fidgety|restless|"
    r"antsy|twitchy|sleepy|drowsy|want to (?:leave|sleep|scream))|"
    r"(?:bores?|bored) " + _WHO + r"(?: to (?:tears|death|sleep)| senseless| stiff| silly| rigid| witless| to bits)?|(?:annoys?|irritates?) " + _WHO + r"|"
    r"(?:puts?|sends?) " + _WHO + r" (?:straight |right |instantly |immediately )?to sleep|"
    r"(?:is|are|'s|'re) (?:totally |definitely |completely |also |strictly )?(?:out(?=\s*(?:[.!?,;]|$|for\b|too\b|and so\b))|"
    r"off the table|off the menu|a no[- ]?go|not an option|banned|off[- ]limits|vetoed|a hard no|out of the question)|"
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


# a second kind refused the same way right after the first: "cartoons are out and so is anything R rated"
_SO_IS = re.compile(r"\s*,?\s*(?:and\s+)?so\s+(?:is|are|do|does)\s+(?P<kind>(?:any|some)(?:thing|one)[^,.;!?]{1,40}?|"
                    r"[^,.;!?\s][^,.;!?]{0,30}?)(?=\s*(?:[,.;!?]|$))", re.IGNORECASE)


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
        bounds = list(_CLAUSE_START.finditer(text, last, m.start()))
        start = bounds[-1].end() if bounds else last
        kind = text[start:m.start()].strip()
        anything = re.match(r"(?:any|some)(?:thing|one)\b", kind, re.IGNORECASE)
        lengthy = _LENGTH_WORDS.search(re.sub(r"\b(?:19|20)?\d0'?s\b", "", kind))  # a decade ("80s") is no length
        # (a kind after "anything" may be longer: "anything rated G or PG and he walks out")
        if not kind or len(kind.split()) > (6 if anything else 4) or _NOT_A_KIND.search(kind) or (lengthy and not anything):
            continue
        # "horror and gore are off the table": a list of kinds, all refused ("i love horror and gore is out" is not
        # one: its first part is no kind)
        first_at, first = None, ""
        if bounds and re.fullmatch(r",|and|or|&", bounds[-1].group(0).strip(), re.IGNORECASE):
            first_start = bounds[-2].end() if len(bounds) > 1 else last
            first = text[first_start:bounds[-1].start()].strip()
            if first and len(first.split()) <= 3 and not _NOT_A_KIND.search(first) and not _LENGTH_WORDS.search(first) \
                    and not any(a < bounds[-1].start() and b > first_start for a, b in titles):
                first_at = text.index(first, first_start)
        start = text.index(kind, start)
        said = "nothing" + kind[anything.end():] if anything else f"no {kind}"
        width = m.end() - start
        if first_at is not None and len(said) + 4 <= width:  # "no " before the first kind, taken from the padding
            out.append(text[last:first_at] + f"no {first}" + text[first_at + len(first):start] + f"{said}.".ljust(width - 3))
        else:
            out.append(text[last:start] + f"{said}.".ljust(width))  # a sentence's end: no list goes on
        last = m.end()
        more = _SO_IS.match(text, last)  # "cartoons are out and so is anything R rated": refused too
        if more and not _NOT_A_KIND.search(more.group("kind")) and not any(a < more.end() and b > more.start() for a, b in titles):
            kind = more.group("kind")
            anything = re.match(r"(?:any|some)(?:thing|one)\b", kind, re.IGNORECASE)
            said = "nothing" + kind[anything.end():] if anything else f"no {kind}"
            out.append(" " + f"{said}.".ljust(more.end() - last - 1))
            last = more.end()
    return "".join(out) + text[last:]


# a film's age against the user's: "nothing older than me (83)", "made before i was born ... born in 1979"
_THAN_ME = re.compile(r"\b(?P<one>the\s+(?:very\s+)?year\s+(?:right\s+|just\s+)?(?=before|after))?"
                      r"(?:older than (?:me|i am|myself)|before i was born|(?:newer|younger) than (?:me|i am|myself)|"
                      r"after i was born|since i was born)\b", re.IGNORECASE)
_BORN = re.compile(r"\((?:born |b\.? ?)?'?(\d{2}|19\d\d)\)|\bborn (?:in |in the year )?'?(\d{2}|19\d\d)\b|"
                   r"\b(?:i'?m|i am|im)\s+an?\s+'?(\d{2}|19\d\d)\s+(?:baby|kid)\b", re.IGNORECASE)  # ("im a 92 baby")


def _restate_birth_year(text: str) -> str:
    """"older than me" / "before i was born" with the user's birth year in the message: "before <year>" /
    "after <year>" ("nothing older than me (83)" -> "nothing before 1983"). "The year before i was born" is left as
    written: one year, not a bound (the linker reads it)."""
    born = _BORN.search(text)
    if not born:
        return text
    y = int(born.group(1) or born.group(2) or born.group(3))
    year = y if y >= 100 else 1900 + y
    def say(m: re.Match) -> str:
        said = m.group(0)[len(m.group("one") or ""):].lower()
        before = said.startswith(("older", "before"))
        if m.group("one"):  # "the year before i was born": one year, which the linker reads from the words themselves
            return m.group(0)
        return (f"before {year}" if before else f"after {year - 1}").ljust(len(m.group(0)))
    return _THAN_ME.sub(say, text)


# an age in a year: "my mum was 21 in 1977" is her birth year, said so ("my mum was born 1956"), which the linker
# reads with the ages said beside it ("the year she hit 30")
_AGE_IN_YEAR = re.compile(r"\b(?P<who>i|he|she|they|we|(?:my|our|his|her) [a-z]+)\s+(?:was|were|turned)\s+(?P<age>[1-9]\d?)"
                          r"\s+(?:(?:years?|yrs?) old\s+)?in\s+(?P<year>19\d\d)\b", re.IGNORECASE)


_AGE_DATED = re.compile(r"\b(?:the year|when|once|after|since|before)\s+(?:i|he|she|they|we|(?:my|our|his|her) [a-z]+)\s+"
                        r"(?:was|were|turned|hit|reached)\s+[1-9]\d?\b", re.IGNORECASE)


def _restate_age_in_year(text: str) -> str:
    """"was 21 in 1977" -> "was born 1956", padded to the same length, where another age follows and no birth year
    is said."""
    m = _AGE_IN_YEAR.search(text)
    # (only with another age after it that dates a year the way the linker reads one, "the year she hit 30", "once he
    # turned 40": "i was 15 in 1990, what came out that year" asks for 1990, and "turned 18 in 1977 ... from then till
    # he was 25" keeps its year)
    if not m or _BORN.search(text) or not _AGE_DATED.search(text, m.end()):
        return text
    said = f"{m.group('who')} was born {int(m.group('year')) - int(m.group('age'))}"
    return text[:m.start()] + said.ljust(len(m.group(0))) + text[m.end():]


# a bound set by an event the message dates later: "dramas made before we got a colour telly. dad swears that was 1967"
_EVENT_BOUND = re.compile(r"\b(before|after)\s+(?!\d|')(?:[a-z']+\s+){1,8}?[a-z']+\s*[.,;!-]*\s+(?:[a-z']+\s+){0,4}?"
                          r"((?:that|which|it|this)\s*(?:'s|was|were|is|would have been|must have been)\s+"
                          r"(?:in\s+|back in\s+|around\s+|about\s+)?('\d{2}|19\d\d|20\d\d))\b(?!\s*(?:minutes|mins|s\b))",
                          re.IGNORECASE)


# ... or dated in brackets right after it: "before the euro launched (jan 99)"
_EVENT_DATED = re.compile(r"\b(before|after)\s+(?!\d|')(?:[a-z']+\s+){0,6}?[a-z']+\s*"
                          r"(\((?:(?:in|around|about)\s+)?(?:[a-z]{3,9}\.?\s+)?('\d{2}|\d{2}|19\d\d|20\d\d)\))", re.IGNORECASE)


def _restate_event_bound(text: str) -> str:
    """"before <an event> ... that was <year>" or "before <an event> (jan 99)": "before <year>" where the year is
    said, in place of the words from the cue to the year ("made before we got a colour telly. dad swears that was
    1967, the whole street ..." -> "made before 1967 <spaces>, the whole street ...")."""
    m = _EVENT_BOUND.search(text) or _EVENT_DATED.search(text)
    if not m:
        return text
    y = m.group(3).lstrip("'")
    year = int(y) if len(y) == 4 else 1900 + int(y)
    said = f"{m.group(1).lower()} {year}".ljust(m.end(2) - m.start(1))  # the event's words too: nothing else reads them
    return text[:m.start(1)] + said + text[m.end(2):]


# a refusal said around the kind of film: "give the westerns a miss", "keep romance out of it", "leave the musicals out"
_FRAMED = re.compile(r"\b(?:give|giving)\s+(?P<a>(?:the\s+|any\s+)?[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2}?)\s+a\s+(?:miss|wide berth|pass)\b|"
                     r"\b(?:keep|leave)\s+(?P<b>(?:the\s+|any\s+)?[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2}?)\s+out"
                     r"(?:\s+of\s+(?:it|this|the (?:mix|picture|list)))?\b|"
                     # "keep the cartoons for the kids", "save the horror for halloween": not tonight
                     r"\b(?:keep|save|leave)\s+(?P<c>(?:the\s+|any\s+)?[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2}?)\s+for\s+"
                     r"(?:the\s+)?(?:kids|children|little ones|another (?:time|day|night)|later|halloween|christmas)\b",
                     re.IGNORECASE)
_NOT_FRAMED = re.compile(r"^(?:the\s+|any\s+)?(?:it|this|that|them|him|her|me|us|one|night|evening|lights?|things?|"
                         r"door|kids?|dog|cat)$", re.IGNORECASE)


def _restate_framed(text: str, titles: list[tuple[int, int]]) -> str:
    """"give <kind> a miss" / "keep <kind> out (of it)" / "keep <kind> for the kids" restated "no <kind>.", padded
    ("give the westerns a miss" -> "no the westerns." + spaces)."""
    def say(m: re.Match) -> str:
        kind = m.group("a") or m.group("b") or m.group("c")
        if _NOT_FRAMED.match(kind) or any(a <= m.start() < b or m.start() <= a < m.end() for a, b in titles):
            return m.group(0)
        return f"no {kind}.".ljust(len(m.group(0)))
    return _FRAMED.sub(say, text)


# "<thing>-free" refuses the thing ("a disney-free zone", "spider-free please", "horror-free"), except where the
# phrase is an idiom about something else ("stress-free" is a mood, "gluten-free" a diet)
_FREE = re.compile(r"\b([a-z]+)-free\b", re.IGNORECASE)
_FREE_IDIOMS = frozenset("stress worry care hassle guilt tax duty risk hands gluten sugar fat dairy spoiler commitment "
                         "scot cost toll rent fuss pain trouble smoke alcohol nut lactose cruelty carbon plastic "
                         "interest fee royalty".split())


def _restate_free(text: str, titles: list[tuple[int, int]]) -> str:
    """"<thing>-free" restated as "no <thing>." (the refusal ends there, as the dislikes above), padded
    ("disney-free zone" -> "no disney.  zone")."""
    def say(m: re.Match) -> str:
        if m.group(1).lower() in _FREE_IDIOMS or any(a <= m.start() < b for a, b in titles):
            return m.group(0)
        return f"no {m.group(1)}.".ljust(len(m.group(0)))
    return _FREE.sub(say, text)


# a year said in words: "nineteen eighty-four", "from ninety four" (the tens and ones of a year only after "from", "of"
# or "in", and not before a unit: "in ninety five minutes" is a length)
_TENS = {"twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7, "eighty": 8, "ninety": 9}
_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TENS_ONES = r"(" + "|".join(_TENS) + r")(?:[- ]?(" + "|".join(_ONES) + r"))?\b"
_SPELLED_YEAR = re.compile(r"\bnineteen[- ]?" + _TENS_ONES + r"|\b((?:from|of|in)\s+)(?:(?:the\s+)?year\s+)?" + _TENS_ONES
                           + r"(?!\s*(?:%|percent|minutes?|mins?|hours?|hrs?|years?|yrs?|seconds?|days?|degrees?|stars?|"
                           r"points?|people|times|kids|or (?:more|so|less|over|under)|\+|" + "|".join(_ONES) + r")\b|-)",
                           re.IGNORECASE)  # (a ones word after: the match stopped short of it)
_SPELLED_SECOND = re.compile(r"\b(1[89]\d\d)(\s*(?:or|and|to|through|thru|until|till|-)\s*)" + _TENS_ONES
                             + r"(?!\s*(?:%|percent|minutes?|mins?|hours?|hrs?|years?|yrs?)\b)", re.IGNORECASE)


def _restate_spelled_year(text: str, titles: list[tuple[int, int]]) -> str:
    """A year said in words is written in digits, padded ("nineteen eighty-four" -> "1984" + spaces; "from ninety
    four" -> "from 94" + spaces: the linker reads a year written short after "from")."""
    def say(m: re.Match) -> str:
        if any(a <= m.start() < b for a, b in titles):
            return m.group(0)
        if m.group(1):
            year = f"19{_TENS[m.group(1).lower()]}{_ONES.get((m.group(2) or '').lower(), 0)}"
        else:
            year = m.group(3) + f"{_TENS[m.group(4).lower()]}{_ONES.get((m.group(5) or '').lower(), 0)}"
        return year.ljust(len(m.group(0)))

    def second(m: re.Match) -> str:  # "nineteen eighty one or eighty two": the second year of the pair, short
        tens_ones = m.group(0)[len(m.group(1)) + len(m.group(2)):]
        return m.group(1) + m.group(2) + f"{_TENS[m.group(3).lower()]}{_ONES.get((m.group(4) or '').lower(), 0)}".ljust(len(tens_ones))
    text = re.sub(r"\bnineteen[- ]?(" + "|".join(_TENS) + r")[- ]?something\b",  # "nineteen sixty-something": the 60s
                  lambda m: m.group(0) if any(a <= m.start() < b for a, b in titles)
                  else f"19{_TENS[m.group(1).lower()]}0s".ljust(len(m.group(0))), text, flags=re.IGNORECASE)
    text = _SPELLED_YEAR.sub(say, text)
    return _SPELLED_SECOND.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in titles) else second(m), text)


_ISH_NUMBER = re.compile(r"\b(\d{1,4})\s?-?ish\b", re.IGNORECASE)


def _restate_ish(text: str, titles: list[tuple[int, int]]) -> str:
    """A number with "ish" stuck to it is that number ("84 to 87ish", "a 90ish minute film", "my 8ish year old"):
    the reader takes numbers as rough already. The spaces saved go to the end of the message, so the number keeps
    its next word (readers match single spaces); run last, as the other steps keep each span in its place."""
    def say(m: re.Match) -> str:
        return m.group(0) if any(a <= m.start() < b for a, b in titles) else m.group(1)
    out = _ISH_NUMBER.sub(say, text)
    return out.ljust(len(text))


def restate(text: str, titles: list[tuple[int, int]] = ()) -> str:
    """`text` with the wording above restated, padded to the same length; `titles` are the (start, end) spans of
    films' titles, never restated."""
    text = _restate_framed(_restate_spelled_year(text, list(titles)), list(titles))
    text = _restate_event_bound(_restate_birth_year(_restate_age_in_year(_restate_free(_restate_dislikes(text, list(titles)),
                                                                                       list(titles)))))
    return _restate_ish(text, list(titles))
