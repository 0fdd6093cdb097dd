"""Read the open part of a request: mood and occasion, quality, audience, length, and what the
catalog has no data on. Whatever words are left become the free-text query for semantic retrieval.

How each part is read:
  length, audience, quality, no-data   closed word classes: patterns ("under 90 minutes", "for my
                                       6 year old", "hidden gems", "black and white")
  mood / occasion                      open class: every 1-4 word window of what is left is embedded
                                       (MiniLM) and compared with example phrases of each mood in
                                       data/moods.txt; the nearest mood is taken when its cosine is at
                                       least `threshold` (chosen on the development requests only)
  praise of titles named               a clause that holds a title, a word of liking and no ask, genre or "like X"
                                       ("big fan of heat", "fargo and heat were the best") says how much they
                                       were liked, which the liked titles carry: no quality or query is read from
                                       it. Moods still are ("loved how dark se7en was"), and so are lengths and
                                       ages ("my 6 year old loved toy story")
  query                                content words nothing else used ("about space travel"); beside other
                                       constraints only after a topic cue ("about", "set in"), else `unused`
  time said, no length read           clock times and amounts of time ("1h12, then 38 min", "its quarter past
                                       7 and im asleep by 9") where no length could be worked out from them:
                                       `unread_length`, so that the policy asks how long a film may be
What a mood means for the candidates (genres that serve it) is catalog.facets.MOODS.

Input: the message and the Entities the linker found (its spans are masked out first).
Output: fields set on those Entities (moods, audience, runtime_min/max, qualities, unmatched, query, unused,
unread_length).
What it does not do: decide the act, change the session, or search.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import numpy as np

from catalog.facets import KIDS_GENRES, MOODS, NOT_MOOD, QUALITIES

DATA = Path(__file__).parent / "data" / "moods.txt"
QUALITY_DATA = Path(__file__).parent / "data" / "qualities.txt"
QUALITY_THRESHOLD = 0.6  # a window nearer a quality example than any mood example, by at least this cosine
OLD_BEFORE = 1970  # "something old": released before this year
ABOUT_MIN = 15  # "about 2 hours": 105 to 135 minutes
SINGLE_WORD_MARGIN = 0.1  # a one-word window needs threshold + this (chosen on dev4: "fall" -> "falling in love" 0.63)
# a one-word window that is not all the content words of a quality example needs this near it ("acclaimed" is 0.82 from
# "critically acclaimed"; "sleeping" is 0.70 from "slept on"). On the development splits the lone words read as a
# quality below it were incidental (sleeping x4, discovered x2, cut x2, fill x2, crowd), above it two of three right
LONE_QUALITY_WORD = 0.8
# a request that reads as nothing else: its nearest mood, said as a stand-in, when at least this near. Not tuned:
# on dev..dev8 the stand-in is tried once (F049, "dinner" -> date-night 0.53); "something cozy" is 0.53 from feel-good
STAND_IN_FLOOR = 0.45
# a stand-in is read from at most this many words left unread (a subject the examples name, "boxing", from any number).
# Chosen on the development splits (tests/data/open_requests/dev*.jsonl): of the stand-ins read from 8 or more words,
# 6 of 10 named a mood the criteria contradict ("the lift" -> scary, "head is soup" -> mind-bending)
STAND_IN_MAX_WORDS = 7
MAX_QUERY_WORDS = 4  # leftover words beyond this are not used as a free-text description

_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "an": 1, "a": 1}
_UNIT = r"(hours?|hrs?|h|minutes?|mins?|m)\b(?:\s+and a half)?"
_AMOUNT = r"(\d+(?:\.\d+)?|one|two|three|an|a)\s*(?:and a half\s+)?"
_LENGTH_BOUND = r"(?:under|below|less than|shorter than|max|at most|over|longer than|more than|at least)"  # before a number
_LONGISH = r"(?:long-?ish|on the long(?:er)? side|(?:a bit|fairly|kinda|kind of|somewhat|pretty) long)"
# "long-ish but not insane", "long but not 3 hours": a long film with a ceiling; "insane" is about the length, not
# a refused mood (also when a number gave the length: "long-ish but not insane, like 2h15 to 2h40")
_LONG_CAPPED = re.compile(r"\b(?:long|" + _LONGISH + r")\s*,?\s*(?:but|though|just|yet)?\s*not (?:too |overly |super |insanely |crazy |"
                r"ridiculously )?(?:insane(?:ly long)?|crazy(?: long)?|ridiculous|excessive|epic|bonkers|nuts|mad|long|endless|"
                r"(?:a |an )?(?:marathon|epic)|(?:three|3) ?(?:hours?|hrs?))\b")
_LENGTH = [  # (pattern, runtime_min, runtime_max): "n" takes the number and unit from groups 1-2
    # "80-95 mins", "between 90 and 110 minutes": a range ("range": groups 1-2 are the bounds in minutes)
    (re.compile(r"\b(\d{2,3})\s*(?:min(?:ute)?s?\s*)?(?:-|–|to|and)\s*(\d{2,3})\s*(?:minutes?|mins?)\b"), "range", "range"),
    # a bare number of minutes with its bound after it: "thats 90 or under", "ninety tops" (number words are digits by
    # now), "95 at most"
    (re.compile(r"(?<!\bto )(?<![-\d])\b([6-9]\d|1\d\d|2[0-4]\d)\s*(mins?|minutes|)\s*,?\s+(?:or (?:under|less|shorter|below)|"
                r"tops|max(?:imum)?|at (?:the )?most)\b"), None, "n"),
    # "anything over 2 hours is way too long", "two and a half hours is too long for her": the most a film can take
    (re.compile(r"\b(?:(?:anything|everything|stuff|films?|movies?)\s+)?(?:over|more than|longer than|above|past)\s+" + _AMOUNT
                + _UNIT + r"\s+(?:is|are|'s|would be)\s+(?:[a-z]+\s+)?too (?:long|much)\b"), None, "n"),
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"\s+(?:is|are|'s|would be)\s+(?:[a-z]+\s+)?too (?:long|much)\b"), None, "under"),
    # "it overheats after about 105 min so it has to be shorter than that", "about an hour and a half so under that"
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"[^.!?]{0,60}?\b(?:(?:shorter|less|under|no longer|not longer|not more) than|under|below) that\b"),
     None, "under"),
    # "train leaves in exactly 97 minutes": the time until something else happens is the most a film can take
    (re.compile(r"\b(?:leaves?|leaving|starts?|departs?|boards?|boarding|lands?|arrives?|closes?|ends?|dies|due|ready|"
                r"done|back|home|over|called)\s+in\s+(?:exactly |about |around |roughly |like |just |only |another )?"
                + _AMOUNT + _UNIT), None, "n"),
    # "nothing past the 100 minute mark"
    (re.compile(r"\b(?:nothing|not|no movies?|no films?)\s+(?:(?:that|which)(?:'?s| is)?\s+(?:[a-z']+\s+)?)?"
                r"(?:over|longer than|more than|above|past)\s+(?:the\s+)?" + _AMOUNT
                + _UNIT + r"(?:\s+mark)?"), None, "n"),
    # "wrapped up by the 2 hour mark", "done before the 90 minute mark"
    (re.compile(r"\b(?:by|before|inside|within|under)\s+the\s+" + _AMOUNT + r"[- ]?" + _UNIT + r"\s+mark\b"), None, "n"),
    # "nothing shorter than 1h50": at least that long
    (re.compile(r"\b(?:nothing|not|no movies?|no films?)\s+(?:under|shorter than|less than|below)\s+(?:the\s+)?" + _AMOUNT
                + _UNIT), "n", None),
    # "can't do anything longer than 2 hours", "don't want something over 90 minutes"
    (re.compile(r"\b(?:can'?t|cannot|don'?t|do not|won'?t|wont|will not|would not|wouldn'?t|doesn'?t|does not|asleep|bored|"
                r"zone out|nod off|doze off)\s+(?:[a-z']+\s+){0,3}?"
                r"(?:over|longer than|more than|above|past)\s+"
                + _AMOUNT + _UNIT), None, "n"),
    # ("an hour and 35, not a minute over")
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"\s*,?\s*(?:max(?:imum)?|tops|or (?:less|shorter|under)|at (?:the )?most|"
                r"(?:and |but )?(?:not|never|no) (?:a (?:single )?(?:minute|min|second|moment) )?(?:over|more|longer)|"
                r"(?:and |but )?no (?:more|longer))\b(?!\s+than\b)"), None, "n"),
    (re.compile(r"\b(?:under|sub|less than|shorter than|no (?:more|longer) than|below|max(?:imum)?|at most|within|inside(?: of)?|"
                r"fits? in(?:to)?|"
                r"(?:only |just )?(?:got|have|has)(?: about| around| roughly| like| exactly| only| just)?|"
                r"after(?: like| about| around| roughly)?)\s+"
                + _AMOUNT + _UNIT), None, "n"),
    (re.compile(r"\b(?:over|more than|longer than|at least|above)\s+" + _AMOUNT + _UNIT), "n", None),
    # "two hours forty or more", "100 min minimum": at least that long
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"\s*(?:or (?:more|longer|over|above)|minimum|at (?:the )?least|plus\b|\+)"),
     "n", None),
    # "100 mins give or take 5", "2 hours plus or minus 10": about that long, by the margin given ("margin": group 3)
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"\s*,?\s*(?:give or take|plus or minus|\+/-|±|either way by)\s*(\d{1,2})\b"),
     "margin", "margin"),
    # "the ferry crossing is 2 hrs 15", "my flight's like 3 hours": the length of a trip is the most a film can take
    # ("the bus to the airport takes 1h35": where it goes may come between)
    (re.compile(r"\b(?:flight|crossing|drive|ride|trip|journey|commute|layover|train|bus|ferry|shift|break)"
                r"(?:\s+(?:to|from|into|across|over|out of|home)(?:\s+(?:the|my|our|work|school))?(?:\s+[a-z']+){0,3}?)?"
                r"(?:'s|s| is| takes| lasts)"
                r"\s+(?:about |around |roughly |like |only |just |exactly )?" + _AMOUNT + _UNIT), None, "n"),
    # "stuck in the car park for 2h10", "waiting at the garage for 90 mins": where the user waits, the time there is
    # (not "been sitting here for 2 hours", time already gone)
    (re.compile(r"(?<!been )\b(?:stuck|waiting|sat|sitting|trapped|stranded|parked|camped|hanging around|killing time)\b"
                r"(?:\s+[a-z']+){0,6}?\s+for\s+(?:about |around |roughly |like |another |the next |a good |a solid )?"
                + _AMOUNT + _UNIT), None, "n"),
    # "maybe 100 mins of battery", "90 minutes of charge left": the time there is, the most a film can take
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"\s+(?:worth )?(?:of )?(?:battery|charge|juice|power)(?: left)?\b"),
     None, "n"),
    # "the timer says 1h38 left", "45 mins to kill", "an hour and a half to spare": the time there is
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"\s+(?:left(?!\s+(?:me|us|him|her|them|you|it|a|an|the)\b)|remaining|to go|to kill|"
                r"to spare|free)\b"), None, "n"),
    # "2.5hrs ish", "around 2 hours": about that long, a quarter of an hour either way
    (re.compile(r"\b(?:about|around|roughly|approximately|approx|circa)\s+" + _AMOUNT + _UNIT + r"|\b" + _AMOUNT + r"\s*"
                r"(hours?|hrs?|h|minutes?|mins?|m)\s*-?\s*(?:ish|or so|give or take)\b"), "about", "about"),
    # "something 90 min long": about that long, not a long film
    (re.compile(r"\b" + _AMOUNT + r"(hours?|hrs?|h|minutes?|mins?|m)\s+(?:long|in length)\b"), "about", "about"),
    # "90 minute movies", "a 100-minute film", "90 min action films" (the genre is blanked by now): a length said of
    # the film, about that long (not "a 20 minute walk"; "a 100-minute comedy", the genre last, is not read)
    (re.compile(r"\b(\d{2,3})[- ]?(minute|min)[- ](?:[a-z]+ |\s+)?(?:movies?|films?|flicks?|features?|ones?)\b"),
     "about", "about"),
    # after the lengths in numbers, before "not too long", which would read it as a short film
    (_LONG_CAPPED, 120, 170),
    (re.compile(r"\b" + _LONGISH + r"(?!\s+(?:than|time|ago|while|weekend|day|week|night|shift|as)\b)"), 120, None),
    (re.compile(r"\b(short(?! of\b)|quick|brief|not too long|nothing too long|not long|shortish|"
                # "havent got long", "we dont have long", "it cant be long": little time
                r"(?:have|has|had)(?:n'?t| not) got long|(?:not|ain'?t) got long|(?:do|does|did)(?:n'?t| not) have (?:that |very )?long|"
                r"(?:can'?t|cannot|mustn'?t|shouldn'?t|won'?t) be (?:too |very |that |super )?long|"
                # "cant sit still for long", "he wont last long": little time
                r"(?:can'?t|cannot|won'?t|wont|doesn'?t|don'?t|never)\s+(?:[a-z']+\s+){1,3}?(?:for )?long|"
                r"(?:isn'?t|is not|aren'?t|are not|wasn'?t|not) (?:too|that|overly|very|super|crazy) long|"
                # "avoid anything too long", "not anything overly long"
                r"(?:avoid(?:ing)?|not|no|nothing) (?:anything|something|stuff|films?|movies?|ones?) (?:too|that|overly|very|super|crazy) long)\b"),
     None, 100),
    (re.compile(r"\b(?:(\d|two|three|four)[- ]hours?(?: long)? (?:movies?|films?|epics?))"), "hours", None),
    # "2.5 hours minimum", "2 hours or more": at least that long
    (re.compile(r"\b" + _AMOUNT + _UNIT + r"\s*(?:minimum|at (?:the )?least|or (?:more|longer)|plus|\+)"), "n", None),
    # "something i can lose a whole afternoon in", "to fill an entire evening": a long film
    (re.compile(r"\b(?:lose|losing|spend|spending|fill|filling|sink|sinking|kill|killing|eat up|take up|get lost in)\s+"
                r"(?:a |the |an |my |our )?(?:whole|entire|full)\s+(?:afternoon|evening|morning|day|night|sunday|saturday)\b"),
     150, None),
    # "the longer the better": a long film, and its words are all taken (not "better" as a query)
    (re.compile(r"\b(?:the )?(?:longer|lengthier)(?:,)? the better\b"), 150, None),
    # not "as long as", nor a long thing that is no film ("brooding men in long coats")
    # (nor "for long", "any longer", "no longer": how long someone lasts, "she wont last any longer")
    (re.compile(r"(?<!\bfor )(?<!\bany )(?<!\bno )\b(long|longer|longest|epic|lengthy|sprawling)\b"
                r"(?!\s+(?:time|ago|while|weekend|day|week|night|shift|as|story|stories|shot|way|haul|run|term)\b)"
                r"(?! (?!(?:movies?|films?|flicks?|ones?|epics?|watch(?:es)?|and|or|but|please|pls|is|for|with|enough|"
                r"i|we|you|that|which|so|"
                r"af|too|tho|though|if|one|sagas?|stories|story|to (?:pass|kill|fill|watch|sink|get lost|eat up|use up|while away|"
                r"make the time))\b)[a-z])"), 150, None),
]
# the bare words of the short and long readings above (not "not too long", which says its own refusal)
_SHORT_OR_LONG = frozenset("short quick brief shortish long longer longest epic lengthy sprawling".split())
_FEATURE_LENGTH = re.compile(r"\b(?:full|proper|a|an|any)?\s*feature[- ]length\b")
_NOT_OVERLONG = re.compile(r"\b(?:not|nothing|isn'?t|without being|no)\s+(?:too\s+|overly\s+|that\s+)?(?:bloated|overlong|over-long|"
                           r"drawn[- ]out|padded)\b")
_AGE = re.compile(r"\b(?:son|daughter|brother|sister|kids?|child(?:ren)?|nephew|niece|cousin|grand(?:son|daughter|kids?)|boy|girl|"
                  r"toddler|twin|triplet)s?(?: is| are|'s| who is)?(?: only| just| nearly| almost| about| around)?(?: turned| turning)? "
                  r"(\d{1,2})(?: and (\d{1,2}))?\b|"
                  r"\b(\d{1,2})(?: and a half| & a half|½)?[- ]?(?:(?:year|yr)s?[- ]?olds?|y/?o|y\.o\.?)(?![\w/])|\bage[sd]? (\d{1,2})\b|"
                  r"\b(?:youngest|oldest|eldest|little one|baby)(?: one)?(?: is|'s)(?: only| just)? (\d{1,2})\b|"
                  # "2 boys tonite (8 and 10)": ages in brackets a few words after the children
                  r"\b(?:boys|girls|kids|children|sons|daughters|nephews|nieces|cousins|grandkids|school|class|club|group|students|"
                  r"pupils|scouts|troop)\b[^.()]{0,25}\((?:(?:they'?re|theyre|they are|ages?|aged)\s+)?(\d{1,2})"
                  r"(?:\s*(?:and|&|,|-|–|to)\s*(\d{1,2}))?\)|"
                  # "gf's little boy (7)", "my stepson (hes 8)": one child, the age in brackets right after
                  r"\b(?:(?:step|grand|god|foster )?(?:son|daughter|kid|child)|boy|girl|lad|lass|nephew|niece|toddler)\s*"
                  r"\((?:(?:he'?s|hes|she'?s|shes|aged?)\s+)?(\d{1,2})\)|"
                  # "11-14 yr olds", "ages 8 to 10"
                  r"\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})[- ]?(?:(?:year|yr)s?[- ]?olds?|y/?o)\b|"
                  # a child's birthday: "sleepover for my daughters 11th", "my son's 7th birthday party"
                  r"\b(?:son|daughter|kid|child|boy|girl|nephew|niece|grandson|granddaughter|twins)'?s\s+(\d{1,2})(?:st|nd|rd|th)\b")
# an age someone was, not who watches ("a film i loved when i was 10 years old", "from when my dad was 12 yrs old")
_PAST_AGE = re.compile(r"\b(?:when|while|since|back when|the year)\s+(?:i|we|he|she|they|(?:my|our|his|her|their)\s+\w+)\s+"
                       r"(?:was|were|turned)\s+(?:only\s+|just\s+|about\s+|around\s+|like\s+)?$|"
                       # who the user is with all day, not who watches ("i spend all day with thirty 9 year olds")
                       r"\b(?:all|every)\s+(?:day|week)(?:\s+long)?\s+with\s+(?:[a-z]+\s+)?$")
# a child named in the message makes "hes 8", "she just turned 2" an age ("(hes 8)" after "my stepson")
_CHILD = re.compile(r"\b(?:(?:step|grand|god|foster )?(?:sons?|daughters?|kids?|child(?:ren)?)|foster(?:ing)?|nephews?|nieces?|little ones?|"
                    r"wee ones?|wee (?:boy|girl|lad|lass|man)|bairns?|weans?|kiddos?|"
                    r"toddlers?|bab(?:y|ies)|boys?|girls?|twins|mokopuna|mokos)\b")
# ages written as words: a child's here ("theyre six"), anyone's in entities ("the year i turned sixteen")
AGE_WORDS = {w: n for w, n in _NUM.items() if w not in ("a", "an")} | {
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "twenty-one": 21, "twenty one": 21, "thirty": 30, "forty": 40, "fifty": 50}
_CHILD_AGE = re.compile(r"\b(?:(?:he|she|they)(?:'s|s| is| are|'re|re)|(?:just |only )?turn(?:ed|ing|s))(?: only| just| now)?"
                        r"(?: turned| turning)? (\d{1,2}|" + "|".join(sorted(AGE_WORDS, key=len, reverse=True)) + r")\b(?!\s*(?:%|/|times|out of|of\b|more\b|stars|mins?|minutes|hours?|hrs?|"
                        r"years? (?:ago|later)|pm|am|:))")
_KIDS_ARE = re.compile(r"\b(?:kids|children|little ones)\s+(?:are|is)(?: only| just)? (\d{1,2})(?: and (\d{1,2}))?\b"
                       r"(?!\s*(?:/|%|times|out of|stars))")
_KIDS = re.compile(
    r"\b(?:for (?:the |my |our )?(?:kids?|children|little ones|toddlers?|son|daughter|nephew|niece|grandkids?)|"
    r"kid[- ]?friendly|child[- ]?friendly|toddler[- ]?friendly|suitable for (?:kids|children|all ages)|all ages|"
    r"(?:the )?whole (?:family|whanau|fam|clan|brood)|family (?:movie|film)(?: night)?|(?:with|incl(?:uding|\.)?|plus) (?:the |my |our )?(?:kids|children|little ones|wee ones)|"
    r"(?:my )?kids? (?:can|could) watch|rated g\b|g[- ]rated|toddlers?|kiddie|children'?s (?:movie|film)s?|"
    r"kids'? (?:movie|film)s?|middle school(?:ers)?|primary school|elementary school|grade school|"
    r"kindergart(?:en|ners?|eners?)|kindy|pre-?school(?:ers)?|reception class|nursery class|"
    # "the little ones are with us tonight", "the kids are over"
    r"(?:the |my |our )?(?:little ones|kiddies|kiddos|little 'uns|littl(?:e|ies) uns?|littlies|tots)\s+(?:are|r|will be)\s+"
    r"(?:with|here|over|staying|up|around|watching|joining|in))\b")
# a teenager watching, not "my dad was a teenager back then" (who someone was)
# a refusal up to three words before "teen": "not the soppy teenage stuff", "no teen movies" (a kind of film refused)
_REFUSED_TEEN = re.compile(r"\b(?:no|not|nothing|without|none of|hate|avoid|skip)\b(?:\s+[\w'-]+){0,3}\s+$")
_TEEN = r"(?<!was a )(?<!was )(?<!were )(?<!still a )(?<!in his )(?<!in her )(?<!in my )teen(?:ager)?s?"
_NO_ADULT = re.compile(
    r"\b(?:nothing (?:too )?(?:adult|rude|explicit|violent|graphic|raunchy|dirty|r[- ]rated)|"
    r"(?:no|nothing with|without(?: any)?) (?:violence|gore|r[- ]rated|rated r|r rated|adult (?:stuff|content|themes|scenes))\b|"
    r"(?:offend|offensive|conservative|prudish|easily shocked)|safe for work|sfw|work[- ]appropriate|inoffensive|"
    r"(?:nobody|no one|noone|no-one) (?:could|would|will|can|is going to) (?:possibly )?(?:object|complain|be offended)|"
    r"(?:no|nothing|not) r\b(?![-'])|"
    r"(?:not|nothing|isn'?t|aren'?t|never|no movies?|no films?) (?:rated r|r[- ]rated)|"
    # "the principal wont allow anything R rated", "r rated films are not allowed"
    r"(?:won'?t|wont|will not|doesn'?t|does not|don'?t|do not|can'?t|cannot)\s+(?:allow|permit|let (?:us|them|me|him|her) "
    r"(?:watch|see|show))\s+(?:anything\s+|any(?:\s+films?|\s+movies?)?\s+|films?\s+|movies?\s+)?(?:rated r|r[- ]rated)|"
    r"(?:rated r|r[- ]rated)(?: films?| movies?| stuff)? (?:is|are) not allowed|"
    # "thriller yes, r rated no": refused after it, as an answer
    r"(?:rated r|r[- ]rated)\s*[,:-]?\s*(?:no|nope|nah|is a no|is out)(?=\s*(?:$|[,.;!?]))|clean(?![- ](?:shaven|cut|up))|pg[- ]?13|" + _TEEN + r"|appropriate|suitable|"
    r"(?:with|for) (?:my |our |the )?(?:grandparents|grand(?:ma|pa|mother|father|dad)|granddad|granny|nana|nan|parents|"
    r"in-laws)|(?:grand(?:ma|pa|mother|father|dad)|granddad|granny|nana|nan|gran|nanna|in-laws)\b[^.!?]{0,40}\b"
    r"(?:religious|strict|old|\d\d(?!\d)|goes to (?:mass|church)))")  # (her age, not "turns 100")
# content refused, or upsetting: "no swearing or sex scenes whatsoever", "upset by swearing or violence".
# Swearing, sex or nudity: rated G/PG or a children's/family film, not just "no R"; violence: no violent genres
_REFUSE = (r"\b(?:no|nothing with|without(?: any)?|not|nothing|zero|nobody|no ?one|hates?|upset (?:by|over|at)|bothered by|(?:freaks?|freaked) out (?:at|over|by)|terrified (?:of|by)|skip|avoid|steer clear of|"
           r"(?:can'?t|cannot|won'?t|doesn'?t|don'?t) (?:stand|handle|take|deal with|do|abide|tolerate|sit through|bear)|"
           # "my wife refuses to watch anything violent", "he won't watch anything with swearing"
           r"(?:refuses?|refused|won'?t|will not|doesn'?t|does not|don'?t|do not|can'?t|cannot) (?:to )?(?:watch|see|sit through)|"
           r"uncomfortable with|offended by|minus|allergic to|(?:tuts?|tutting|tutted|winces?|cringes?|squirms?) at|(?:can'?t|cannot|won'?t) be doing with|(?:not|isn'?t|aren'?t) (?:ok|okay|fine|into) with)\s+(?:\w+\s+){0,2}?")
_ADULT_WORDS = (r"(?:swearing|swears?|swore|cursing|curse words|bad language|profanity|sex scenes?|sexual|sex|nudity|naked|steamy|raunchy|"
                r"smutty|explicit|kissing(?: scenes?)?|kisses|snogging|smooching|making out|effing and blinding|f[- ]?bombs?|"
                r"f[- ]words?|foul language|cussing|cuss words|rude words|blasphemy|blaspheming|bedroom scenes?|love scenes?|"
                # "nothing with language or bedroom stuff" (not a foreign or sign language)
                r"bedroom (?:stuff|bits|antics)|(?<!foreign )(?<!other )(?<!another )(?<!sign )(?<!english )(?<!original )(?<!a )"
                r"language(?!\s+(?:films?|movies?|barrier|other|but|i|we)\b))")
_VILLAINS = r"baddies|baddys|bad guys|villains"  # refused: no violent genres, but no MPAA ceiling either
_HARM_WORDS = (r"(?:violence|violent|gore|gory|blood|bloody|killing|fighting|fights|shooting|shootings|shoot-?outs?|guns?|"
               r"gunfights?)")
_VIOLENT_WORDS = r"(?:" + _VILLAINS + "|" + _HARM_WORDS + r")"
_CONTENT = r"(?:" + _ADULT_WORDS + "|" + _VIOLENT_WORDS + r")"
_CONTENT_LIST = _CONTENT + r"(?:\s*(?:,|or|and|/|&)\s*(?:any(?:thing)?\s+)?" + _CONTENT + r")*"  # "swearing, sex or gore"
_REFUSED_CONTENT = re.compile(_REFUSE + _CONTENT_LIST + r"\b(?:\s+(?:whatsoever|at all|please|pls))?")
_CONTENT_UPSETS = re.compile(r"\b" + _CONTENT_LIST + r"(?:\s+on[- ]?screen|\s+in (?:a |the )?(?:movies?|films?))?\s+(?:really |just |always |will )?"
                             r"(?:upsets?|bothers?|scares?|distresses?|disturbs?|triggers?|freaks? (?:her|him|them|me|us) out)\b|"
                             # "any violence and shes straight out of the room", "any swearing and he switches it off"
                             r"\bany\s+" + _CONTENT_LIST + r"\s+and\s+(?:she|he|they|we|i|(?:my|our|his|her)\s+\w+)(?:'?s|'?re|'?ll| is| are| will)?"
                             r"\s+(?:\w+\s+){0,2}?(?:out|off|gone|leaves?|leaving|walks? out|switch(?:es)? (?:it )?off|turns? (?:it )?off|"
                             r"done|upset|in tears|crying)\b")
VIOLENT_GENRES = ("Horror", "War", "Crime", "Thriller", "Action")
# a kind of film dismissed as for little children: refused ("cartoons are for babies" -> no animation)
_FOR_BABIES = re.compile(r"\b(?:(cartoons?|animated (?:stuff|movies|films|ones)|animation|anime)|(kids'? (?:movies|films|stuff)|"
                         r"children'?s (?:movies|films)|kiddie (?:movies|films|stuff))) (?:are|is) (?:just |only |strictly )?"
                         r"for (?:babies|little kids|kids|toddlers|children|little ones)\b")
# films for little children refused in other words ("nothing babyish", "the 13 yo wont call babyish", "they think
# anything made for kids is babyish"): no children's films (a rating called babyish is the rating reader's)
_BABYISH = re.compile(r"\b(?:nothing|no|not|none|never|wont call|won'?t call|calls? (?:it|them|everything|anything)|"
                      r"think\w* (?:\w+ ){0,5}?(?:is|are))\s+(?:too\s+|remotely\s+|even slightly\s+)?"
                      r"(?:babyish|baby-ish|childish|kiddy|kiddie|for babies)\b")
# songs refused: no musicals ("where nobody bursts into song", "no singing please", "fast forwards every musical number")
_NO_SONGS = re.compile(r"\b(?:(?:nobody|no ?one|no-one) (?:ever )?(?:bursts?|breaks?) (?:out )?in(?:to)? (?:a )?songs?|"
                       r"(?:no|without(?: any)?|zero|nothing (?:with|that has) (?:any )?) ?(?:singing|songs|musical numbers?|song and dance(?: numbers?)?)|"
                       r"(?:skips?|fast[- ]?forwards?|hates?|can'?t (?:stand|bear|stomach|abide)) (?:\w+ )?(?:the |all the |every |each )?"
                       r"(?:songs?|singing|(?:musical )?numbers?|musical bits))\b")
# the children are not watching ("kids FINALLY asleep", "the kids are at their dads"; a holiday after "at" is when they
# watch, "the kids at christmas"), or a film for grown-ups is asked
# for ("something for us adults", "grown up stuff"): no children's, family or animated films, unless one is named
_AWAY = (r"(?:are |is |r )?(?:\w+ )?(?:asleep|in bed|(?:off |gone )?to bed|down for the night|sleeping|napping|away|out of the "
         r"house|out (?:tonight|for the (?:night|evening|day))|out(?=\s*(?:[,.;!]|so\b|and\b))|at (?:their |a |the |my |our |his |her )?(?!heart\b|home\b|all\b|least\b|most\b|times\b|it\b|christmas\b|xmas\b|"
         r"easter\b|halloween\b|thanksgiving\b|hanukkah\b|bedtime\b|weekends?\b)[a-z']+|"
         r"with (?:their|my|our|the) [a-z']+)")
_GROWN_UPS = re.compile(r"\b(?:for (?:us |the |just the )?(?:grown[- ]?ups|adults)\b(?! only)|grown[- ]?up (?:stuff|movies?|films?)|"
                        r"(?:something|anything) (?:a bit |more |properly )?grown[- ]?up\b|"
                        # (not the children a film is for: "something for my kids at christmas", nor the user as a
                        # child: "feel like a kid at a sleepover again", "as a kid at camp")
                        r"(?<!for )(?<!for my )(?<!for the )(?<!for our )(?<!like a )(?<!as a )(?<!was a )"
                        r"(?:kids?|children|little ones)\s+" + _AWAY + r"|"
                        r"(?:kid|child)[- ]free)")
_AWAY_WORDS = re.compile(r"(?<![\w'])" + _AWAY)  # the same words where the linked "kids" is already blanked
_CLEAN = re.compile(r"\b(?:keep(?:ing)? (?:it|the language|the dialogue|things)|nice and|squeaky|totally|completely|strictly) clean\b|"
                    # "something where nobody has to look away at any scene"
                    r"\b(?:nobody|no ?one|no-one|none of us) (?:has|have|needs?|wants?|will have|would have|ends? up having) to "
                    r"(?:look away|cover (?:their|his|her|our|my) eyes|squirm|blush|cringe)\b|"
                    r"\b(?:clean|no bad|no foul|no strong|no rude) language\b|"
                    r"\b(?:the second|as soon as|whenever|if|when) (?:anyone|someone|somebody|people|they|characters?) "
                    r"(?:swears?|curses?|kiss(?:es)?|snogs?|gets? naked|makes? out|has sex)\b|"
                    # a reaction to it: "tuts at any swearing", "cringes at kissing scenes"
                    r"\b(?:tuts?|tutting|tutted|winces?|cringes?|frowns?|huffs?|groans?|blushes?|squirms?) (?:at|whenever|when|if) "
                    r"(?:any |the |all |a )?" + _ADULT_WORDS)
# kissing or making out refused: no romances either ("leaves the room if anyone kisses")
_KISSING = re.compile(r"\b(?:kiss(?:es|ing)?|snog(?:s|ging)?|smooch(?:es|ing)?|making out|makes? out)\b")
# an MPAA rating asked for by name ("pg movies only", "rated G", "PG or below"); refusals ("no R") are _NO_ADULT.
# A rating allows the milder ones too (GP is PG's old name)
_RATED = re.compile(r"(?<![\w-])(?:(?:only |just )?rated (g|pg)\b(?!-)|(g|pg)[- ]rated\b|(pg)(?= (?:movies?|films?|stuff|ones|only|"
                    r"or (?:below|under|less|lower|milder)|at most|max)\b)|only (g|pg)\b(?!-)(?! ?13)|"
                    # a ceiling said outright: "sensei says nothing above PG", "no higher than pg"
                    r"(?:nothing|no(?:thing)? (?:higher|above|more) than|nothing (?:above|over|past|beyond|stronger than)|"
                    r"max(?:imum)?(?: of)?) (?:an? )?(?:rating of |rated )?(g|pg)\b(?!-)(?! ?13)|"
                    # "PG is the limit", "g is the line": the ceiling, as "pg-13 is the line" is PG-13's
                    r"(g|pg)(?![\w-])(?! ?13) is (?:the|our|her|his|their|my) (?:line|limit|max|maximum|ceiling|cap)|"
                    # "PG is as far as she will go", "pg tops", "pg and no higher"
                    r"(g|pg)(?![\w-])(?! ?13)(?: is as far as (?:i|we|he|she|they|you|(?:my|our|his|her|their|the) [\w'-]+) "
                    r"(?:go|goes|will go|'?ll go|can go|would go|is willing to go|are willing to go|lets? (?:them|him|her|me|us) go)|"
                    r",? tops|,? (?:and|but) no (?:higher|further|more)\b)|"
                    # "the manager says keep it to PG", "max rating pg": the ceiling
                    r"keep(?:ing)? (?:it|things|everything|them) (?:to |at |under |below )?(?:an? )?(g|pg)\b(?!-)(?! ?13)|"
                    r"(?:max(?:imum)?|highest|top) rating(?: of| is| =|:)? (g|pg)\b(?!-)(?! ?13)|"
                    # below PG-13: "pg-13 is too much for them", "has to be under pg-13" (G and PG)
                    r"(?:below|under|less than|lower than|milder than|short of|beneath) (?:an? )?(?:rated )?(pg)(?=-? ?13\b)|"
                    r"(pg)(?=-? ?13(?: rated| rating| films?| movies?| stuff)? (?:is|was|would be|'s|are|were) (?:still |way |a bit |"
                    r"a step |one step |just |probably |definitely )?too (?:much|far|strong|adult|old|mature|risky|edgy|"
                    r"scary|grown[- ]up|intense))|"
                    # "something pg please", "anything PG for the kids": up to that rating
                    r"(?:something|anything|summat|owt|keep it)\s+(g|pg)(?![\w-])(?! ?13)(?!\s*(?:or|and|\+)\s*(?:above|higher|up|over|more)))")
_RATINGS_UP_TO = {"g": ["G"], "pg": ["G", "GP", "PG"]}
# a rating refused ("nothing rated G or PG", "no pg or g-rated stuff"): the others are asked for
_RATED_REFUSED = re.compile(r"\b(?:nothing|no|not|never|none|anything but)\s+(?:rated\s+)?(g|pg)(?:[- ]rated)?(?![-\w])(?! ?13)"
                            r"(?:\s*(?:or|/|,|and|nor)\s*(?:rated\s+)?(g|pg)(?:[- ]rated)?(?![-\w])(?! ?13))?")
_RATINGS_ONLY = {"g": ["G"], "pg": ["PG", "GP"]}
# PG-13 refused, alone or with R / NC-17 ("nothing rated pg-13 or r, its for my 9 yo"): up to PG
_PG13_REFUSED = re.compile(r"\b(?:nothing|no|not|never|none)\s+(?:rated\s+)?(?:(?:r|nc-?17)\s*(?:or|/|,|and|nor)\s*)?"
                           r"pg-?13(?:[- ]rated)?(?![-\w])")
# a rating asked for as exactly that one ("rated exactly pg-13", "only pg-13 ones"), and the British "U or PG"
_RATED_EXACT = re.compile(r"\b(?:(?:rated |is )?(?:exactly|strictly|specifically|only|just) (?:rated )?pg-?13|pg-?13 only|"
                          r"first (?:ever |real |proper )?pg-?13|"  # "her first ever pg-13 movie on her birthday"
                          r"pg-?13 and nothing else)\b")
# rated R asked for as the floor ("nothing below an R rating", "R rated only", "an r-rated comedy")
_RATED_R = re.compile(r"\b(?:nothing (?:below|under|less than|lower than|milder than|softer than|tamer than) (?:an? )?r\b(?!-)"
                      r"(?:[- ]?rated| rating)?|(?:only|just|strictly) (?:rated )?r\b(?!-)(?:[- ]rated)?|"
                      r"(?:an? )?r[- ]rated\b(?! (?:is|are|'s|or (?:below|less|under|lower|milder)|at most|max))(?!\s*[,:-]?\s*(?:no|nope|nah)\b)|"
                      r"rated r\b(?! (?:is|are|or (?:below|less|under|lower|milder)|at most|max))(?!\s*[,:-]?\s*(?:no|nope|nah)\b)|r or (?:nc-?17|above|higher|harder)|"
                      # "R is the floor", "at least an R", "R minimum"
                      r"(?<![\w'-])r(?:[- ]rated)? (?:is|as) the (?:floor|minimum|min|baseline|starting point)\b|"
                      r"at least (?:an? )?r\b(?!-)(?:[- ]rated)?|r(?:[- ]rated)? (?:minimum|or harder|at least)\b)")
# R said as the ceiling, or NC-17 refused ("R is as far as i go", "i draw the line at nc-17", "nothing above R")
_R_MAX = re.compile(r"(?<![\w'-])(?:r(?:[- ]rated)? (?:is as far as (?:i|we|he|she|they|you) (?:go|will go|'?ll go|can go)|"
                    r"max(?:imum)?\b|at most|tops|is the (?:line|limit|max|maximum|ceiling|cap))|"
                    r"(?:draw|draws|drawing|drew) the line at (?:an? )?nc-?17|(?:nothing|no|not|never) (?:rated )?nc-?17|"
                    r"nothing (?:above|over|past|beyond|higher than|stronger than) (?:an? )?r\b(?!-)|up to (?:an? )?r\b(?![-'])(?:[- ]rated)?|"
                    # the British 18 refused ("no 18s", "nothing rated 18"): up to R
                    r"(?:nothing|no|not|never)\s+(?:rated\s+|cert(?:ificate)?\s+)?(?:an?\s+)?18s?(?:\s*(?:rated|certs?|certificates?))?"
                    r"(?!\s*(?:-|\+|%|mins?|minutes?|years?|yrs?|y/?o|yo)\b)(?![\w-]))")
# PG-13 said as the ceiling ("pg-13 max", "nothing above pg-13", "pg13 is the line")
# (the British 12A / 12 is the same ceiling: "her mums rule is nothing above a 12A")
_FINISH_BEFORE = re.compile(r"\b(?:finish(?:es|ed)?|done|over|ends?|ended|wrapped up)\s+(?:well\s+|way\s+|comfortably\s+|just\s+)?"
                            r"before\s+(?:it|that|then|they|she|he|we)\b")
_PG13 = r"(?:pg-?13|12a|(?:rated|cert(?:ificate)?) 12|12 (?:rating|cert(?:ificate)?))"
_PG13_MAX = re.compile(rf"\b(?:{_PG13} (?:max(?:imum)?|at most|tops|or (?:below|under|less|lower|milder))|"
                       rf"(?:nothing|no(?:thing)? (?:higher|above|more) than|nothing (?:above|over|past)|up to|max(?:imum)?(?: of)?) "
                       rf"(?:an? )?{_PG13}|"
                       rf"{_PG13} is (?:the (?:line|limit|max|ceiling|cap)|where (?:i|we|he|she|they|you) draw the line)|"
                       # the British 15 and 18 refused ("nothing rated 15 or 18", "no 15s"), or "nothing above a 12"
                       rf"(?:nothing|no|not|never)\s+(?:rated\s+|cert(?:ificate)?\s+)?(?:an?\s+)?15s?(?:\s*(?:or|/|,|and|nor)\s*(?:an?\s+)?18s?)?"
                       rf"(?:\s*(?:rated|certs?|certificates?|films?|movies?))?(?!\s*(?:-|\+|%|mins?|minutes?|years?|yrs?|y/?o|yo)\b)|"
                       rf"(?:nothing|no(?:thing)?) (?:above|over|higher than|past|beyond) an? 12a?(?!\s*(?:-|\+|%|mins?|minutes?|years?|yrs?|y/?o|yo)\b))\b")
_RATED_UK = re.compile(r"\b(?:rated )?(?:an? )?u(?: or |/| and )(?:an? )?pg(?:[- ]rated)?\b(?![- ]?13)|\brated u\b")
_NOT_SCARY = re.compile(r"\b(?:(?:gets?|is|are) (?:\w+ )?(?:scared|frightened)(?: \w+)? eas(?:il)?y|(?:gets?|is|are) (?:super |very |really )?"
                        r"easily (?:scared|frightened)|scares? (?:\w+ )?eas(?:il)?y|nothing (?:too )?(?:scary|frightening|creepy)|"
                        r"not (?:too )?(?:scary|frightening)|no (?:scary|frightening) (?:stuff|bits|scenes))")
_ENGLISH = re.compile(r"\b(?:english(?:[- ]language)?(?: films?| movies?)? only|only (?:in )?english|in english|"
                      r"english[- ]language|english[- ]speaking|(?:no|without|w/o|hate|not reading) subtitles?|subtitles? (?:is|are) (?:out|a no)|"
                      # "not really in the mood for reading subtitles", "too tired for subtitles", "cant be bothered with subtitles"
                      r"(?:not (?:really |quite )?in the mood for|(?:don'?t|do not) (?:really )?(?:want|fancy|feel like)|too tired (?:for|to)|"
                      r"can'?t be bothered (?:with|to))\s+(?:reading\s+|read\s+)?subtitles?|"
                      r"(?:can'?t|cannot|can not|doesn'?t|don'?t|won'?t|wont|unable to) (?:\w+ )?read (?:the )?subtitles?|"
                      r"nothing (?:with|in) subtitles?|no foreign(?:[- ]language)?(?: films?| movies?| stuff)?|"
                      r"(?:except|anything but|not|nothing|no|without)\s+(?:[\w,]+\s+|,\s*){0,4}?(?:foreign(?:[- ]language)?|subtitled)"
                      r"(?: films?| movies?| stuff| ones)?)\b")
# (\s+: a genre named in between is already blanked out, "except documentaries or foreign" reads "except   or foreign")
# "40 romcoms and musicals this semester. ANYTHING but those two": the genres named before are refused
_BUT_THOSE = re.compile(r"\b(?:(?:anything|everything|something|whatever)\s+(?:but|except|other than|besides|apart from)|"
                        r"none of|no more of|nothing like)\s+(?:those|these|them|either(?: of (?:those|them))?|both)"
                        r"(?:\s+(?:two|three|ones?|kinds?|types?|genres?|things?))?\b")
_LIVE_ACTION = re.compile(r"\b(?:live[- ]action|(?:with|but|using|played by) (?:actual |real )(?:people|actors|humans)|"
                          r"not (?:animated|a cartoon|cartoons))\b")
# a length said as time the user has, not the film's length ("waiting on a repair, they said an hour 45ish"):
# "about N" is then the most a film can take
# ("baby asleep on my chest and she does about 2 hours if im lucky": how long a nap lasts is the time there is)
_BUDGET = re.compile(r"\b(?:wait(?:ing)?|repairs?|appointment|layover|laundry|lunch ?break|battery|charge|till|until|asleep|"
                     r"naps?|nap ?time|sleeps?|if (?:i'?m|we'?re|im) lucky|"
                     r"before (?:i|we|she|he|they|the \w+) (?:have to|has to|need to|needs(?: to)?|gotta|must|wakes?(?: up)?|gets? (?:back|home|up)|"
                     r"leaves?|starts?|go|goes)|(?:the|my) (?:train|bus|ride|shift) "
                     r"(?:leaves|starts|is in))\b")
# the time there is, worked out: between two clock times ("starts at 6:15, has to be over by 7:35"; "doors at 7,
# caretaker locks up at 10:30"), or a span that is named and then cut ("2 and a half hour layover and ive got to leave
# 20 min"; "two 50 min periods, minus 5 min each"); less a break, shared by a double bill
_CLOCK = r"(\d{1,2})(?::([0-5]\d))?\s*(am|pm)?"
# (a time the viewers are free from, before another time, starts it too: "done eating by 8:40 ... in bed by 10:15")
_CLOCK_START = re.compile(r"\b(?:(?:starts?|starting|begins?|beginning|doors(?: open)?|kicks? off|lights (?:go )?down)\s+(?:at\s+)?|"
                          r"(?:done|finished|through|free|home|back)\s+(?:[a-z']+\s+){0,3}?(?:by|at|around|from)\s+)"
                          r"(?:about |around )?" + _CLOCK + r"(?![\d:])")
_CLOCK_END = re.compile(r"\b(?:over|done|finished|finish|wrapped up|out|back|home|ends?|closes?|locks? up|lights out|bed|asleep|"
                        r"bedtime|until|till|til|leaves?|leaving|go|goes|gone|"
                        # "meeting mates at 8", "picking her up at 9:30": where the viewer must be next
                        r"(?:meeting|seeing|picking|collecting|plans)(?:\s+[a-z']+){0,2}?(?:\s+up)?\s+at|"
                        # "the next feed is at 11", "next train's at 6:40": what comes next, and when
                        r"next\s+[a-z]+(?:\s+[a-z]+)?\s*(?:is|'s|s|starts?|due)(?:\s+due)?\s+at)"
                        r"\s+(?:by\s+|at\s+|is\s+)?(?:about |around )?"
                        + _CLOCK + r"(?![\d:])")
# a start said after the end: "gotta be finished by 10, we're starting at 8:15"
_CLOCK_BEGIN = re.compile(r"\b(?:starts?|starting|begins?|beginning|kicks? off)\s+(?:at\s+)?(?:about |around )?" + _CLOCK + r"(?![\d:])")
# the time now, said as a clock time ("its 4:45 now", "now its 8:10"): the start, wherever the end is said
_CLOCK_NOW = re.compile(r"\b(?:it'?s|its)\s+(?:about |around |already |just )?" + _CLOCK + r"\s+now\b|"
                        r"\bnow(?:,)?\s+(?:it'?s\s+|its\s+)?(?:about |around |already |just )?" + _CLOCK + r"(?![\d:])|"
                        # "its 8:30", "it's 7pm": a time of day, so the time now, also without "now"
                        r"\b(?:it'?s|its)\s+(?:about |around |already |just |only )?(\d{1,2})(?::([0-5]\d)\s*(am|pm)?|()\s*(am|pm))(?![\d:])")
# a time said the British way, written as a clock time before the times are read ("half 8" is 8:30, "quarter past 7"
# 7:15, "quarter to 9" 8:45, "twenty past 6" 6:20)
_SAID_TIME = re.compile(r"\b(?:half past|half|quarter past|quarter to|(five|ten|twenty|twenty-five) (past|to))\s+"
                        r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
                        r"(?!\s*(?:hours?|hrs?|h\b|min|mins|minutes?|years?|yrs?|of\b|o'clock\s+in the morning))")
_MINS = r"(\d{1,3}|five|ten|fifteen|twenty|thirty|forty|forty-five)\s*(?:min(?:ute)?s?)\b"
# a span from one clock time to another, one of them written as a time ("7 till 9:30", "from 6pm to 8")
_CLOCK_RANGE = re.compile(r"(?<![\d:.])" + _CLOCK + r"\s*(?:till|til|until|to|-|–)\s*" + _CLOCK
                          + r"(?![\d:]|\s*(?:mins?|minutes?|hours?|hrs?|years?|yrs?|y/?o|stars?|%))")
# the way to where the viewer must be, out of the time there is ("the airport's 20 min away")
_TRAVEL = re.compile(r"\b" + _MINS + r"\s+(?:away|drive|walk|ride)\b(?!\s+(?:movies?|films?))|"
                     r"\b(?:takes?|need|needs|allow)\s+(?:about |like |around )?" + _MINS + r"\s+to (?:(?:get|drive|walk) (?:there|to)|"
                     r"get ready|get dressed|get changed|change|shower|do my (?:hair|makeup))\b")
_SPAN_NOUNS = r"(?:layover|flight|train ride|drive|ride|crossing|journey|commute|wait|gap|window|break|slot)"
_SPAN_NAMED = re.compile(r"\b(\d(?:\.\d)?|an|one|two|three|four)\s*(and a half\s+)?(?:hours?|hrs?)\s+" + _SPAN_NOUNS + r"\b")
_SPAN_PARTS = re.compile(r"\b(two|2|three|3|four|4)\s+(\d{2,3})\s*(?:min(?:ute)?s?)\s+(?:periods|lessons|classes|sessions|slots|"
                         r"sittings|evenings|nights|halves|parts|lunch ?breaks)\b")
_SPAN_CUT = re.compile(r"\b(?:leave|minus|less|take off|lose|losing|save|keep|allow|set aside|need)\s+(?:about |like |around )?"
                       + _MINS + r"(?=[^.!?]{0,40}?(?:\beach\b|\bto\b|\bfor\b|[.,!?]|$))")
_SPAN_BREAK = re.compile(r"\b" + _MINS + r"\s+(?:break|interval|intermission|gap|pause)\b")
_DOUBLE_BILL = re.compile(r"\b(?:double (?:bill|feature|header)|two (?:films|movies)|2 (?:films|movies)|back to back)\b")
_EACH_WAY = re.compile(r"\b" + _MINS + r"\s+(?:each way|there and (?:\w+ )?back|both ways)\b")
# a trip's two legs, said apart ("45 min there and 45 back", "40 min each way ... in one day")
_LEGS = re.compile(r"\b" + _MINS + r"\s+(?:there|(?:to|into) (?:work|school|town|the office))\s+and\s+"
                   r"(?:(\d{1,3}|five|ten|fifteen|twenty|thirty|forty|forty-five)(?:\s*min(?:ute)?s?)?\s+)?(?:back|home)\b|"
                   r"\b" + _MINS + r"\s+each way\b(?=[^.!?]*\b(?:(?:in )?(?:one|a|the same) day|round ?trip|both ways|"
                   r"there and back)\b)")


def _clock(h: str, m: str | None, ampm: str | None) -> int:
    return (int(h) % 12 + (12 if ampm == "pm" else 0)) * 60 + int(m or 0)


def _said_time(m: re.Match) -> str:
    """"half 8" -> "8:30", "quarter to 9" -> "8:45", padded to the length it replaces."""
    h = _number(m.group(3)) if not m.group(3).isdigit() else int(m.group(3))
    said = m.group(0).split()[0]
    mins = {"half": 30, "quarter": 15}.get(said) if not m.group(1) else {"five": 5, "ten": 10, "twenty": 20, "twenty-five": 25}[m.group(1)]
    if m.group(2) == "to" or m.group(0).startswith("quarter to"):
        h, mins = (h - 1) % 12 or 12, 60 - mins
    return f"{h}:{mins:02d}".ljust(len(m.group(0)))


def time_budget(low: str) -> tuple[int, list[tuple[int, int]]] | None:
    """The minutes a film may take, worked out from clock times or a named span that is cut, and the spans read;
    None when the message has neither."""
    low = _SAID_TIME.sub(_said_time, low)
    # "its 9 on the dot", "8 sharp", "10 o'clock": the hour as a clock time (padded, so that spans keep their place)
    low = re.sub(r"\b(\d{1,2})\s*(?:on the dot|sharp|o'?clock)\b", lambda m: f"{m.group(1)}:00".ljust(len(m.group(0))), low)
    now = _CLOCK_NOW.search(low)
    a = _CLOCK_START.search(low)
    b = _CLOCK_END.search(low, a.end()) if a else None
    spans: list[tuple[int, int]] = []
    if a and b and (a.group(2) or a.group(3) or b.group(2) or b.group(3)):  # one of them written as a time
        total = (_clock(*b.groups()) - _clock(*a.groups())) % (12 * 60)
        spans += [a.span(), b.span()]
    elif (a := _CLOCK_BEGIN.search(low)) and (ends := [e for e in _CLOCK_END.finditer(low, 0, a.start())]) \
            and (a.group(2) or a.group(3) or ends[-1].group(2) or ends[-1].group(3)):
        b = ends[-1]  # the end said first: "gotta be finished by 10, we're starting at 8:15"
        total = (_clock(*b.groups()) - _clock(*a.groups())) % (12 * 60)
        spans += [b.span(), a.span()]
    elif now and (b := _CLOCK_END.search(low)):  # "we have to leave at 6:20 and its 4:45 now"
        g = now.groups()  # three alternatives, each (hour, minutes, am/pm); the last has a second am/pm group
        start = next((g[i], g[i + 1], g[i + 2] or (g[i + 4] if i == 6 else None)) for i in (0, 3, 6) if g[i])
        total = (_clock(*b.groups()) - _clock(*start)) % (12 * 60)
        spans += [now.span(), b.span()]
    elif (r := _CLOCK_RANGE.search(low)) and any(r.group(i) for i in (2, 3, 5, 6)):  # "band practice is 7 till half 9"
        total = (_clock(*r.group(4, 5, 6)) - _clock(*r.group(1, 2, 3))) % (12 * 60)
        spans.append(r.span())
    elif (n := _SPAN_NAMED.search(low)) and (cut := _SPAN_CUT.search(low, n.end())):
        total = round((_NUM.get(n.group(1)) or float(n.group(1))) * 60) + (30 if n.group(2) else 0) \
            - _minute_count(cut.group(1))
        spans += [n.span(), cut.span()]
    elif (legs := _LEGS.search(low)):  # "45 min there and 45 back": both legs
        first = legs.group(1) or legs.group(3)
        total = _minute_count(first) + _minute_count(legs.group(2) or first)
        spans.append(legs.span())
    elif (n := _SPAN_NAMED.search(low)):  # "a 2 hour flight"; "5 hr train ride, want to fit 2 movies in" (shared below)
        total = round((_NUM.get(n.group(1)) or float(n.group(1))) * 60) + (30 if n.group(2) else 0)
        spans.append(n.span())
    elif (p := _SPAN_PARTS.search(low)):
        k = _number(p.group(1))
        cut = _SPAN_CUT.search(low, p.end())
        total = k * (int(p.group(2)) - (_minute_count(cut.group(1)) if cut else 0))
        spans += [p.span()] + ([cut.span()] if cut else [])
    else:
        return None
    if (brk := _SPAN_BREAK.search(low)):
        total -= _minute_count(brk.group(1))
        spans.append(brk.span())
    if (each := _EACH_WAY.search(low)) and not any(a <= each.start() < b for a, b in spans):  # (not legs read above)
        total -= 2 * _minute_count(each.group(1))  # "the party is 2 till 4:30 and its 15 min each way": both legs
        spans.append(each.span())
    bills = [m.span() for m in _DOUBLE_BILL.finditer(low)]
    if bills:
        total //= 2
        spans += bills
    return (total, spans) if 30 <= total <= 360 else None


# time said in a request that no reading above turned into a length (unread_length): clock times, and amounts of
# time that could bound a film ("1h12, then 38 min on the local bus"), but not an age, a count or a past span
# (what follows an amount of time that makes it no time the viewer has: "2 hours ago", "an hour a day", "3 hours of
# sleep", "2 hours difference", "10 years old")
_NOT_TIME_HAD = (r"ago|late|later|earlier|early|behind|ahead|a (?:day|week|night|month)|per|"
                 r"of (?:sleep|traffic|driving|homework|practice|work)|difference|old|older|younger|"
                 # "cancelled by text an hour before.": a time gone by, not one the viewer has
                 r"before(?=\s*(?:[.,;!?]|$|and\b|so\b|but\b|lol\b))")
_CLOCK_WORD = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_NOT_CLOCK_AFTER = (r"(?!\s*(?:years?|yrs?|y/?o\b|yo\b|%|percent|stars?|kids?|people|of us|films?|movies?|times|episodes?|"
                    r"seasons?|out of|/|'?s\b|th\b|st\b|nd\b|rd\b|and a half years?))")
# (British times, "half 8", "quarter to 9", are matched as written: the span is quoted back)
_ANY_CLOCK = re.compile(r"\b\d{1,2}:[0-5]\d\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)(?![a-z])|"
                        r"\b(?:half|quarter|five|ten|twenty|twenty-five) (?:past |to )?" + _CLOCK_WORD + r"\b" + _NOT_CLOCK_AFTER
                        + r"|\b" + _CLOCK_WORD + r" o'?clock\b|\b(?:midnight|noon|midday)\b|"
                        r"\b\d{1,2}(?::[0-5]\d)?\s?(?:am|pm)?(?=\s+(?:till|til|until)\b)|"  # "band practice is 7 till half 9"
                        r"\b(?:by|till|til|until|before|at|it'?s|its)\s+(?:about |around |nearly |almost |just |already )?"
                        + _CLOCK_WORD + r"(?::[0-5]\d)?(?:\s?(?:am|pm))?\b"
                        + _NOT_CLOCK_AFTER)
_AMOUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "fifteen": 15,
                 "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "ninety": 90, "half a": 0.5,
                 "half an": 0.5}
_ANY_AMOUNT = re.compile(r"\b(\d{1,3}(?:\.\d)?|" + "|".join(sorted(_AMOUNT_WORDS, key=len, reverse=True)) + r")\s*"
                         r"((?:and (?:a |an )?(?:half|quarter|three quarters?) )?(?:hours?\b|hrs?\b|hrs?(?=\d)|h(?=\d)|h\b)|"
                         r"(?:-?ish\s*)?(?:minutes?\b|mins?\b)|(?<=\d)m\b)(?:\s*(?:and\s+)?(\d{1,2})\s*(?:minutes?|mins?|m)?\b)?"
                         r"(?![-\s]*(?:" + _NOT_TIME_HAD + r"|role|scene|part|cameo|appearance)\b)")
# a bare number of minutes beside a bound ("like under 90", "so 95 tops", "not over 100")
_BOUND_AMOUNT = re.compile(r"\b(?:under|over|below|above|max|at most|less than|more than|shorter than|longer than)\s+(?:like |about |around )?"
                           r"([6-9]\d|1\d\d|2[0-4]\d)\b(?!\s*(?:%|percent|years?|yrs?|ratings?|votes?|reviews?|films?|movies?|people|"
                           r"kids|pounds|lbs|quid|dollars|bucks|euros|mph|km|miles|degrees|followers|stars?))|"
                           r"(?<!\bto )(?<!-)\b([6-9]\d|1\d\d|2[0-4]\d)\s+(?:tops|max|at most|or less|or under)\b")  # (not "60 to 65 max")
# a life event at an age, not at a clock time: "started at 5, left at 11", "married at 25"
_AGE_AT = re.compile(r"\b(?:started|starting|left|leaving|finished|began|retired|married|graduated|joined|quit|dropped out|"
                     r"moved out|moved away)(?:\s+(?:school|uni|college|home|work|[a-z']+(?:\s+[a-z']+)?))?\s+$")
# ("until he married nan at 23": who was married may come between)
_FOR_BEFORE = re.compile(r"\bfor\s+(?:about |around |like |roughly |nearly |almost |over )?$")


def _amount_minutes(m: re.Match) -> float:
    if m.re is _BOUND_AMOUNT:
        return float(m.group(1) or m.group(2))
    n = float(m.group(1)) if m.group(1)[0].isdigit() else _AMOUNT_WORDS[m.group(1)]
    unit = m.group(2)
    if unit.startswith("and "):  # "two and a half hours", "2 and three quarter hours"
        n += 0.5 if "half" in unit else (0.75 if "three" in unit else 0.25)
        unit = unit.split()[-1]
    return n * 60 + int(m.group(3) or 0) if unit.startswith("h") else n


def _times_said(low: str) -> tuple[list[re.Match], list[re.Match]]:
    """The amounts of time a film could be bounded by (10 minutes to 5 hours, not what something lasts: "for 3
    hours") and the clock times, in `low`."""
    amounts = [m for m in _ANY_AMOUNT.finditer(low)
               if 10 <= _amount_minutes(m) <= 300 and not _FOR_BEFORE.search(low[:m.start()])]
    clocks = [m for m in _ANY_CLOCK.finditer(low) if not (m.group(0).startswith("at") and _AGE_AT.search(low[:m.start()]))]
    return sorted(amounts + list(_BOUND_AMOUNT.finditer(low)), key=lambda m: m.start()), clocks


def said_length(low: str) -> tuple[int, int] | None:
    """Where a request says the time the viewer has, where it says some: two clock times ("its quarter past 7 and im
    asleep by 9"), a clock time and an amount of time, two amounts ("1h12, then 38 min"), or one amount a film
    could last; the span from the first to the last of them (the first alone when they are far apart). None for a
    lone clock time ("its 3am"), an amount something else lasts ("doomscrolling for 3 hours"), or one no film fits
    in ("6 hrs on a coach"). It says only that a length was meant, not which."""
    amounts, clocks = _times_said(low)
    if len(clocks) >= 2 or (clocks and amounts):
        said = sorted(clocks + amounts, key=lambda m: m.start())
    elif any(_amount_minutes(m) >= 30 for m in amounts) or len(amounts) >= 2:
        said = amounts
    else:
        return None
    a, b = said[0].start(), said[-1].end()
    return (a, b) if b - a <= 60 else said[0].span()


def _minute_count(word: str) -> int:
    return int(word) if word.isdigit() else _words_number(word)


_OLD = re.compile(r"\b(?:something|anything|nothing|films?|movies?|stuff|really|proper|very|an?) (?:[a-z]+ and )?old\b(?!-fashioned)|"
                  r"\bold[- ]fashioned (?:mood|movies?|films?|stuff|ones)\b|\b(?:something|anything) old[- ]fashioned\b|"
                  r"\bthe older,? the better\b|"
                  r"\bold (?:movies?|films?|stuff|ones)\b|"
                  r"\bolder (?:movies?|films?|stuff)\b")
_RECENT = re.compile(r"\b(recent|newer|latest|new releases?|the newest)\b")
# what the user thinks of an era said right after it ("old films look weird to me", "old stuff bores me"): a refusal
_ERA_PANNED = re.compile(r"(?:\s*,)?\s+(?:(?:cos|because|as|since)\s+)?(?:they\s+)?(?:all\s+|just\s+)?(?:(?:look|looks|seem|seems|feel|feels|are|is|r)\s+(?:so\s+|too\s+|really\s+|"
                         r"kinda\s+|a bit\s+|all\s+|just\s+)?(?:weird|dated|cheap|fake|boring|slow|naff|cheesy|awful|terrible|"
                         r"crap|rubbish|off-putting|unwatchable)\b|(?:bore|bores|put|puts)\s+me\b|(?:do|does) nothing for me\b|"
                         r"(?:are|is)(?:n'?t| not) (?:for me|my thing)\b)")
# the noun after a refused subject that says it is a kind of film ("no possession stuff", "no kidnapping plots")
_REFUSED_KIND = frozenset("stuff movies movie films film plots plot scenes scene storylines storyline stories story themes "
                          "ones content vibes type kind or and nor".split())
# where a refused thing would be: "no spiders anywhere in it", "no barking dogs on screen" (a thing in the film)
_ON_SCREEN = frozenset({"anywhere", "whatsoever", "onscreen", ("on", "screen"), ("in", "it"), ("in", "them"), ("at", "all")})
# words said after "no" at a clause's end that refuse no thing in a film ("no worries", "no spoilers pls", "no rush")
_NOT_THINGS = frozenset("worries worry thanks spoilers spoiler excuses regrets complaints expectations plans ads problems "
                        "problem questions rules limits strings takers dice feelings ifs buts kids snacks phones "
                        "interruptions breaks pauses way idea clue rush pressure hurry biggie doubt matter kidding joke "
                        "lie offense offence preference preferences shame judgement judgment cap stress sweat "
                        "exceptions exception more less longer thank guilt regret fuss hassle bother commitment "
                        "distractions either filler mid conflict involvement".split())
# critics' ratings refused: viewers' ratings are meant ("highest rated ... not critics", "forget the critics")
_NOT_CRITICS = re.compile(r"\b(?:not (?:the |by |what )?critics|(?:forget|ignore|screw|never mind|not) (?:the )?critics|"
                          r"critics (?:be damned|are wrong|don'?t count|dont count))\b")
# critics' scorn, not their praise ("something critically panned", "critics hated it"): no acclaim asked for
_PANNED = re.compile(r"\b(?:critically (?:panned|mauled|savaged|slated|hated|reviled)|(?:panned|mauled|savaged|slated|hated|"
                     r"trashed) by (?:the )?(?:critics|reviewers)|(?:critics|reviewers) (?:hated|panned|slated|trashed|savaged))\b")
_BY_VIEWERS = re.compile(r"\bby (?:actual |real |regular |normal |ordinary )?(?:viewers|audiences?|people|fans|users|the public)\b")
_NOT_PRAISE_AFTER_BEST = ("picture", "actor", "actress", "director", "foreign", "friend", "friends", "mate", "mates",
                          "bud", "buds", "pal", "pals", "bet", "man", "part")
# "critics and the general public", "critics & ordinary viewers": both kinds of praise asked for
_CRITICS_AND_PUBLIC = r"critics (?:and|&|or) (?:the )?(?:\w+ )?(?:people|ppl|viewers|audiences?|fans|public|punters)"

# "little seen" said as who saw it: a few people (or nobody, or most people not) and a verb of seeing or knowing
# ("most people have never heard of", "not many people have seen", "hardly anybody caught", "that nobody i know has
# watched"), and films that missed their audience ("never found an audience", "slipped through the cracks", "didn't get
# the attention they deserved", "lesser seen")
_FEW_SAW = (r"(?:(?:nobody|no ?one|no-one|few(?: people| folks| ppl)?|not (?:many|a lot of|that many|too many)(?: people| folks| ppl)?|"
            r"(?:hardly|barely|scarcely) (?:anyone|anybody))(?: i know| we know| else)?(?: (?:has|have|'s|had|would|will|ever|"
            r"even|really|actually|properly|already))*|(?:most|the average) (?:people|folks|ppl|viewers|person)"
            r"(?: (?:have|has|had|would|will|'ve))?(?: never| not|n'?t| probably never)) "
            r"(?:seen|saw|watched|watch|heard of|heard about|know|knows|known|know about|knows about|caught|noticed|discovered|"
            r"remember|remembers|talks? about|mentions?|brings? up)\b"
            # not a twist or a mystery: "nobody saw it coming", "no one knows who did it"
            r"(?!\s+(?:it|that|this|them|him|her|the \w+)\s+coming|\s+(?:who|what|where|why|how|if|whether|when|which)\b)|"
            r"(?:never|didn'?t|did not|failed to) (?:found|find|got|get|gotten) (?:an? |the |its |their |much |enough |any )?"
            r"(?:audience|attention|love|credit|recognition|buzz|press)|(?:slipped|fell|slip|fall) through the cracks|"
            r"(?:lesser|little|rarely|seldom)[- ](?:seen|watched|viewed)|(?:got|gets|had|with) (?:no|zero|little) (?:press|buzz|hype)|"
            # with any word or few between: "nobody outside the uk has seen", "barely anyone actually watched", "nobody
            # brings up anymore", "hardly anyone remembers", "no one's talking about"
            r"(?:nobody|no one|no-one|few people)(?: [a-z]+){0,3}?(?: has| have|'s)? (?:heard of|seen)|"
            r"(?:nobody|no one|no-one)(?:'?s| is)? (?:talks about|talking about|watched)|"
            r"(?:barely|hardly|scarcely) (?:anyone|anybody)(?: \w+)? (?:watched|saw|has seen|seen|knows|remembers|"
            r"talks about|mentions)|(?:nobody|no one|no-one) (?:\w+ )?(?:brings?|bring) (?:it |them )?up|"
            r"(?:nobody|no one|no-one) (?:\w+ )?remembers")
_QUALITY = {
    "hidden_gem": re.compile(r"\b(" + _FEW_SAW + r"|hidden gems?|(?:hidden|buried) treasures?|underrated|under[- ]rated|"
                             r"obscure|lesser[- ]known|little[- ]known|under the radar|overlooked|"
                             r"(?:not|nothing|non|less)[- ](?:so |very |too |that |the |the most |any )?(?:famous|well[- ]known|popular|mainstream|big[- ]name)|undiscovered|"
                             r"off the beaten|slept[- ]on|cult|"
                             r"(?:less|not enough) (?:love|attention|credit) than (?:they|it) deserve[sd]?|"
                             r"deserve[sd]? (?:more|better) (?:love|attention|credit|recognition)|under[- ]?appreciated|"
                             r"forgotten gems?|unsung|under[- ]?(?:seen|watched|viewed)|deep cuts?|criminally ignored|"
                             # films that failed to find an audience: "films that flopped", "box office bombs", "got ignored"
                             r"(?:that|which|who) (?:flopped|bombed|tanked)|flops|box[- ]office (?:flops?|bombs?|failures?|"
                             r"disasters?)|(?:flopped|bombed|tanked) at the box[- ]office|(?:got|were|was|get) ignored|"
                             r"went unnoticed)\b"),
    "many_oscars": re.compile(r"\b((?:a (?:bunch|lot|ton|load|handful)|lots|loads|tons) of (?:oscars|academy awards)|"
                              r"(?:several|multiple|many|numerous|(?:three|four|five|3|4|5) or more|a sweep of) "
                              r"(?:oscars|academy awards)|(?:swept|clean(?:ed)? up at) the oscars|most oscars)\b"),
    "oscar": re.compile(r"\b(oscars?|academy awards?|award[- ]winn(?:ing|ers?)|won (?:an? |any )?(?:oscar|award)s?|"
                        r"awards?|best picture)\b"),
    "classic": re.compile(r"\b(classics?|golden age|old[- ]school|timeless|old hollywood|time[- ]tested|tried and tested|"
                          r"(?:stood|stands?|standing|withstood) the test of time)\b"),
    "crowd_pleaser": re.compile(r"\b(crowd[- ]?pleasers?|crowd[- ]?pleasing|fan favou?rites?|(?<!my )(?<!our )(?<!his )(?<!her )(?:most |much[- ]|universally )?beloved|"
                                r"people[- ]pleasers?|something for everyone|(?:different|mixed|varied) tastes?|"
                                # "gets the audience on their feet applauding", "standing ovations"
                                r"(?:audiences?|crowds?|people|room|everyone|cinema|theat(?:er|re)) (?:\w+ )?on (?:their|its|our) feet|"
                                r"standing ovations?|(?:audiences?|crowds?) (?:\w+ )?(?:applaud(?:ing|s|ed)?|clapp?(?:ing|s|ed)?)|"
                                r"(?:nobody|no ?one|none of us)(?: will| would| can| could)? (?:fight|argue|complain|bicker|"
                                r"disagree|moan)s?(?: over| about| at)?|agree on nothing|(?:can'?t|never|don'?t) agree on anything|"
                                r"(?:every(?:one|body)(?:'?s)?|all (?:\d+ |four |five |six )?of us|the whole (?:group|room|crowd)) (?:will|would|can|could|"
                                r"(?:is )?(?:gonna|going to))"
                                r" (?:\w+ )?(?:like|love|enjoy|agree on)|audiences? (?:love|loved|adore)|"
                                r"(?:5|five)[- ]stars?|10 ?/ ?10|ten out of ten|(?:every|each) (?:viewer|user|person|one)|"
                                r"every(?:one|body) (?:loves?|loved|rates?|rated|liked?|adored?|enjoy(?:s|ed)?)|"
                                # "something people actually enjoy, not critics darlings"
                                r"(?:people|folks|viewers|audiences?) (?:actually |genuinely |really )(?:enjoy|love|like)d?|"
                                r"(?:regular|normal|ordinary) (?:people|folks|viewers)(?: both| all| also)? (?:actually )?"
                                r"(?:love|loved|like|liked)|" + _CRITICS_AND_PUBLIC + r"|"
                                r"(?:people|viewers|audiences?|users|fans)(?: (?:who|that)(?:'?ve| have)? (?:actually )?(?:seen|watched) "
                                r"(?:them|it|the films?|those))? (?:actually )?rated? (?:the )?(?:highest|best|most|highly)|"
                                r"(?:trust|prefer|believe) (?:normal |regular |ordinary )?(?:viewers|audiences?|people|fans)|"
                                r"(?:rated|ranked|scored|loved|voted(?: for)?) by (?:actual |real |regular |normal |ordinary )?"
                                r"(?:viewers|audiences?|people|fans|users|the public|punters|moviegoers))\b"),
    # grown-up content asked for (a refusal, "no raunchy stuff", is read first by _REFUSED_CONTENT and used up)
    "adult": re.compile(r"\b(raunchy|raunchiest|smutty|steamy|sultry|erotic|bachelor(?:ette)? part(?:y|ies)|stag (?:do|night|party)|"
                        r"(?:r[- ]rated|rated r|r) (?:is|are|'s) (?:totally |perfectly |completely |absolutely )?"
                        r"(?:fine|ok|okay|good|great|preferred)(?:,? (?:preferred|even|actually|"
                        r"ideally|tbh))*|"
                        r"(?:prefer|preferably|ideally) r[- ]rated|r[- ]rated (?:preferred|please|pls)|for grown[- ]?ups only|"
                        r"adults? only|(?:proper|properly|real|actual|strictly|grown[- ]?up) adult (?:stuff|films?|movies?|content|fare))\b"),
    "well_reviewed": re.compile(r"\b((?:a|any|some|something|anything) (?:really )?good|(?<!-)(?<!feel )good(?=\s+(?:[a-z'-]+\s+){0,2}?(?:stuff|ones|movies?|films?|flicks?)\b)|"
                                r"beautiful|gorgeous|stunning|brilliant|masterful|powerful|stays? (?:with|w/?) you|"
                                r"clever|smart|intelligent|not (?:too )?(?:cheesy|dumb|stupid|boring)|"
                                r"(?:won'?t|wouldn'?t|don'?t|not) (?:be )?bor(?:e|ed|ing))\b"),
    "acclaimed": re.compile(r"\b(best(?! (?:" + "|".join(_NOT_PRAISE_AFTER_BEST) + r")\b)(?![\w ]{0,25}\bof (?:my|our|his|her|their) li(?:fe|ves)\b)|acclaimed|certified fresh|critically|top[- ]rated|highly[- ]rated|highest[- ]rated|best[- ]rated|"
                            r"well[- ]reviewed|masterpieces?|greatest|finest|must[- ]see|must[- ]watch(?:es)?|can'?t[- ]miss|"
                            r"(?:highest|best|top)[- ]scor(?:ing|ed)|great|excellent|top notch|flawless|"
                            r"impeccable|top[- ]tier|perfect (?:10s?|films?|movies?|scores?)|"
                            r"top[- ]notch|good reviews|rave reviews|high(?:ly)? (?:rated|scored?)|"
                            r"(?:really|actually|genuinely|seriously|truly|properly) (?:any )?(?:good|great)|worth (?:watching|seeing|the time|it|(?:my|your|our|his|her|their) (?:time|while)|a (?:watch|look))|"
                            r"(?:that|which) (?:was|were|is|are) (?:actually )?any good|critics'? (?:love|loved|favou?rites?)|"
                            # a star rating or a critic's verdict: "four stars and up", "5 star", "two thumbs up";
                            # what the critics' canon is called: "seminal", "landmark", "goated", "no duds"
                            r"(?:four|4|4\.5|five|5)[- ]?stars?(?: and up| or (?:more|above|better)|\+| plus| only)?|"
                            r"(?:two |2 |big )?thumbs up|seminal|landmark|influential|groundbreaking|goated|no duds|"
                            # "as good as people say", "lives up to the hype"
                            r"as good as (?:people|everyone|everybody|they|critics|the reviews) (?:say|said|claim|reckon|make out)|"
                            r"(?:lives?|lived|living) up to (?:the|its|their) (?:hype|reputation|billing)|"
                            r"deserv(?:e|es|ed|ing) (?:the|its|their) (?:hype|reputation|praise|acclaim)|"
                            + _CRITICS_AND_PUBLIC + r"|of all time|all[- ]time)\b"),
}
# a number of Oscar wins: "2+ oscars", "at least three academy awards", "more than 4 oscars", "swept the oscars, like
# 5+ wins" (a bare count of wins only where the message names the Oscars)
_N = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven)"
_OSCARS_N = re.compile(r"\b(?:(at least|more than|over|won|with|minimum(?: of)?)\s+)?" + _N + r"\s*(\+|or more|plus)?\s*"
                       r"(?:oscars|academy awards|oscar wins)\b")
_WINS_N = re.compile(r"\b(?:(at least|more than|over)\s+)?" + _N + r"\s*(\+|or more|plus)?\s*wins\b")
# how known a film is: refused ("avoid the popular stuff", "sick of mainstream stuff"), the little-known ones are asked for
_FAME = re.compile(r"\b(?:famous|well[- ]known|popular|mainstream|big[- ]name)\b")
# things the catalog has no data on: said in the reply, never silently ignored
_NO_DATA = [
    (re.compile(r"\b(black[- ]and[- ]white|black & white|b&w|b/w|monochrome|in colou?r)\b"), "black and white"),
    (re.compile(r"\b(based (?:on|off) (?:a |the )?(?:book|novel|comic|play|manga|video ?game|game|tv show|cartoon|toy)s?|"
                r"book adaptations?|adapted from)\b"), "book adaptations"),
    (re.compile(r"\b(soundtracks?|score by|music by)\b"), "soundtracks"),
    (re.compile(r"\b(budget|box office|blockbusters?)\b"), "budgets or box office"),
    (re.compile(r"\b(?:filmed|shot|set|takes place|taking place) (?:in|at|on|by)(?: the)?(?: (?!nothing\b|but\b|and\b|with\b|from\b|please\b|pls\b|for\b)[a-z]+){1,2}"),
     "where a film is set or shot"),
    (re.compile(r"\b(twist ending|plot twists?|twists?|ending)\b"), "plots and endings"),
    (re.compile(r"\b(silent (?:film|movie)s?|silent era|(?<!no )(?<!without )(?<!w/o )(?<!hate )(?<!nothing with )(?<!nothing in )subtitles?|dubbed)\b"),
     "silent films, subtitles or dubbing"),
    (re.compile(r"\b(streaming|netflix|on tv tonight|in cinemas|in theaters)\b"), "where a film is showing"),
    # what a film is about (its plot, characters, setting or technique): no plot or keyword data
    (re.compile(r"\b(comic[- ]books?|superhero(?:es)?|super[- ]heroes|graphic novels?|video[- ]?games?|zombies?|vampires?|"
                r"werewolf|werewolves|dinosaurs?|sharks?|robots?|aliens?|time[- ]travel\w*|high[- ]school|college|prom|"
                r"stop[- ]motion|claymation|christmas|xmas|(?:unreliable )?narrators?|serial killers?|(?<!no )(?<!without )villains?|"
                r"submarines?|hit ?m[ae]n|assassins?|cops?|police|detectives?|creature features?|monsters?)\b"),
     "what a film is about"),
    (re.compile(r"\b(best picture|best (?:actor|actress|director)|palme d'?or|golden globes?)\b"), "award categories"),
    (re.compile(r"\b(remakes?|remade)\b"), "remakes"),
    (re.compile(r"\b(fourth wall|4th wall|(?:talks?|talking|speaks?|speaking|looks?|looking) (?:straight |right |directly )?"
                r"(?:to|into|at) the camera)\b"), "breaking the fourth wall"),
    (re.compile(r"\b(real[- ]time)\b"), "films told in real time"),
    # a review site's own score: the critics' average the data has stands in ("100% on rotten tomatoes")
    (re.compile(r"\b(rotten tomatoes|tomatometer|imdb|metacritic|letterboxd)\b"), "review site scores"),
]
# where someone was or is in their life, said before a word that could be a film's subject ("i was in college from 86
# to 90", "my senior year of high school", "i went to high school in the 80s"): the subject is no film asked for ("my
# son is a dinosaur nut" still asks for one)
_LIFE_CONTEXT = re.compile(r"(?:\b(?:i|we|he|she|they|(?:my|our|his|her|their)\s+\w+)(?:(?:'m|'re| am| are| is| was| were)"
                           r"\s+(?:still\s+)?(?:in|at)|\s+(?:went|go|goes|started|finished|left|got)\s+(?:to|through|out of|in|at))"
                           r"|\b(?:my|our|his|her|their)\s+(?:\w+\s+)?(?:years?|days|time|first year|senior year|final year|"
                           r"last year)\s+(?:in|at|of)|\bclass of\s+'?\d{2,4}\s+(?:in|at|from)?|\bwhile\s+(?:i|we|he|she|they)\s+"
                           r"(?:was|were)\s+(?:in|at)|\bback when\s+(?:i|we|he|she|they|(?:my|our|his|her|their)\s+\w+)\s+"
                           r"(?:was|were)\s+(?:in|at))\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?$")
# a thing or a kind of character a film has, which no data names ("movies w skateboarding in them", "a deaf character")
_TOPIC_IN_IT = re.compile(r"\b(?:w/?|with|has|have|having|featuring)\s+(?:a |an |some |any )?((?:[a-z]+ )?[a-z]{3,})\s+"
                          r"(in (?:it|them)\b|characters?\b|leads?\b|protagonists?\b|heroe?s?\b|heroines?\b)")
# what a character has ("the main character has a stutter", "a hero with a limp"): no data on characters
_CHARACTER_HAS = re.compile(r"\b(?:main character|main characters|lead character|the lead|hero|heroine|protagonist|a character|"
                            r"characters?)\s+(?:who\s+|that\s+)?(?:has|have|had|with)\s+(?:a |an )"
                            r"([a-z]{3,}(?: [a-z]{3,})?)")
# a stand-in the data can support for a no-data phrase: films before this year (said in the reply)
_PROXY = {"black and white": ("year_max", 1959, "films from before 1960"),
          "plots and endings": ("mood", "tense", "thrillers and mysteries"),
          "award categories": ("quality", "oscar", "films that won at least one Oscar"),
          "review site scores": ("quality", "acclaimed", "the films critics rate highest")}
# what a film is about, and the genre that carries it (a stand-in, said in the reply; used only when the request
# names no genre or mood of its own)
_TOPIC_GENRE = {"zombie": "Horror", "vampire": "Horror", "werewolf": "Horror", "shark": "Horror", "alien": "Sci-Fi",
                "robot": "Sci-Fi", "time": "Sci-Fi", "dinosaur": "Adventure", "superhero": "Action", "super": "Action",
                "comic": "Action", "graphic": "Action", "stop": "Animation", "claymation": "Animation",
                "christmas": "Children's|Family", "xmas": "Children's|Family", "high": "Comedy", "college": "Comedy",
                "prom": "Comedy", "unreliable": "Mystery|Thriller", "narrator": "Mystery|Thriller",
                "serial": "Thriller|Crime", "villain": "Thriller|Crime", "submarine": "War|Thriller",
                "hitman": "Crime|Thriller", "hitmen": "Crime|Thriller", "hit": "Crime|Thriller", "assassin": "Thriller|Crime",
                "cop": "Crime", "police": "Crime", "detective": "Mystery|Crime", "creature": "Horror|Sci-Fi",
                "monster": "Horror|Sci-Fi"}  # "A|B": the first the catalog has
# subjects the item documents (plots) may name: besides the stand-in genre, they stay words of the free-text query
_TOPIC_QUERY = re.compile(r"submarines?|hit ?m[ae]n|assassins?|cops?|police|detectives?|creature features?|monsters?")
_PARTNER = re.compile(r"\b(?:with|w/?|for) (?:my |a |the )?(?:girlfriend|boyfriend|gf|bf|wife|husband|partner|date|crush|spouse|other half)\b|"
                      r"\bdate[- ]?night\b|\bdate movie\b|\bfirst date\b|\bromantic evening\b|\bvalentine'?s?\b")
# a later clause (after punctuation or a chat filler) that refers back with an object pronoun
_COMMENT_CLAUSE = re.compile(r"(?:(?<=[,.;:!?()])|(?<=\blol\b)|(?<=\blmao\b))[^,.;:!?()]*?\b(?:him|his|her|hers|them|their)\b"
                             r"[^,.;:!?()]*")
# an aside about someone else ("my dad ran a leg of the torch relay lol", "my grandad still talks about it"): context,
# not a description of the film wanted, unless it says what they like ("my son loves dinosaurs")
_ASIDE = re.compile(r"(?:^|(?<=[,.;:!?()])|(?<=\blol\b)|(?<=\blmao\b))\s*(?:(?:my|our|his|her|their)\s+[a-z'\-]+|he|she|they|"
                    r"it)\b[^,.;:!?()]*")
_TASTE_WORDS = re.compile(r"\b(?:loves?|liked?|likes|into|obsessed|wants?|enjoys?|prefers?|fan|adores?|favou?rites?|"
                          r"asked for|asks for|begging|requested)\b")
# words whose opposite a mood example may hold: the window means the other way (OpenReader._opposed)
_OPPOSITE_PAIRS = [("high", "low"), ("heavy", "light"), ("fast", "slow"), ("big", "small"), ("more", "less"),
                   ("loud", "quiet"), ("happy", "sad"), ("dark", "bright"), ("hard", "easy"), ("serious", "silly"),
                   ("long", "short"), ("old", "new"), ("lots", "little"), ("high", "badly"), ("well", "badly")]
_OPPOSITE: dict[str, tuple[str, ...]] = {}
for _a, _b in _OPPOSITE_PAIRS:
    _OPPOSITE[_a] = _OPPOSITE.get(_a, ()) + (_b,)
    _OPPOSITE[_b] = _OPPOSITE.get(_b, ()) + (_a,)
_FILM_WORDS = frozenset("cinema cinemas theatre theater theatres theaters pictures pics".split())  # no mood alone
# what carries a refusal on to the next kind: "and so do biopics", "same goes for thrillers" (here and in the linker)
SAME_GOES = r"(?:and so (?:do|does|are|is)|(?:and )?(?:the )?same (?:goes )?(?:for|with)|ditto(?: for)?)"
# refusals the mood reader reads as "not" (OpenReader): "avoid", "sick of", "cant stand", "im so over", "not a fan of"
# (the words alone, also the linker's: entities._OVER_LIST)
STRONG_REFUSAL_WORDS = (r"\b(?:avoid(?:ing)?|steer(?:ing)? clear of|(?:stay|keep)(?:ing)? away from|(?:sick|tired)(?: to death)? of|"
                        r"done with|fed up with|had enough of|can'?t (?:stand|bear|stomach|abide)|"
                        r"i'?m (?:so |totally |kinda |really |well )?over|not (?:really |that |too )?into|"
                        r"not (?:a |the )?(?:big |huge |massive |great )?fan of)\b")
# (not before what films are about: "steer clear of stories about families splitting up")
_STRONG_REFUSAL = re.compile(STRONG_REFUSAL_WORDS + r"(?!\s+(?:[a-z]+\s+){0,2}(?:about|where|in which)\b)")
_STRONG_REFUSED_BEFORE = re.compile(_STRONG_REFUSAL.pattern + r"\s+(?:anything\s+|any\s+|the\s+|stuff\s+)?$")
_NEGATORS = frozenset("no not nothing none never without less fewer isn't isnt aren't arent don't dont doesn't doesnt nor zero "
                      "won't wont wouldn't wouldnt shouldn't shouldnt".split())
# the words up to three after a refusal: "nobody has a bad day", "zero guilt"
_AFTER_REFUSAL = re.compile(r"\b(?:" + "|".join(sorted(_NEGATORS | {"nobody", "no one", "noone"}, key=len, reverse=True))
                            + r")((?:\s+[a-z'-]+){1,3})")
# an outburst threatened: "i will scream", "im gonna literally cry"
_OUTBURST = (r"(?:(?:i|we|they)'?ll|(?:he|she)'ll|(?:i|we|they|he|she) will|i'?m gonna|im gonna|i'?m going to|i might|i'?d)\s+(?:literally\s+|actually\s+)?"
             r"(?:scream|cry|die|lose it|explode|riot|quit)\b")
# words that ask, after a comma: a refusal before them has ended ("nothing sad, something exciting")
_ASKING = frozenset("something anything just but instead rather give want more maybe preferably ideally".split())
# a relative clause or a modal after "nothing": the refusal reaches over the clause ("nothing that would scare a 6 year old")
_RELATIVE = frozenset("that thatll that'll thats that's which where would will could might gonna likely".split())
# words between a negator and the refused word: "not too slow", "nothing too dark", "don't want to think"
_DEGREE = frozenset("too very so overly that anything something some a an want wanna need to have any or and make makes me more of "
                    "with involving featuring "  # "nothing with a crying baby in it"
                    "us the one those these about".split())  # "won't make me think", "not one of the jokey ones"
# words that carry no content for retrieval (request scaffolding)
# the patterns the open reader reads phrases with: grown-up content, quality words, no-data phrases
# a length written with digits ("2h15 to 2h40", "97 minutes")
# an amount of time, not one that is past, recurring or about something else ("2 hours ago", "an hour a day", "an hour
# behind", "3 hours of sleep", "a 2 hour film" (read as the length above))
_TIME_SAID = re.compile(r"\b(\d+(?:\.\d+)?|an|one|two|three|four)\s*(hours?|hrs?|h|minutes?|mins?)\b(\s+and a half)?"
                        r"(?![-\s]*(?:" + _NOT_TIME_HAD + r"|each|every|long|movies?|films?|flicks?|away|drive|walk|"
                        r"ride|there|back|time difference)\b)")
_DURATION = re.compile(r"\b\d\s?h(?:rs?|ours?)?\s?\d{0,2}(?:\s*(?:to|-|–|or)\s*\d\s?h(?:rs?|ours?)?\s?\d{0,2})?\b|"
                       r"\b\d{2,3}\s*(?:min(?:ute)?s?)\b")
_OPEN_PATTERNS = [re.compile(r"\b" + _CONTENT + r"\b"), *_QUALITY.values(), *(pat for pat, _ in _NO_DATA)]

_STOP = set("""a an the and or but for of to in on at by with from about some any something anything somethin smth me my i i'm
im i'd id we our us you your can could would should will want wanna need looking look find give show recommend
suggest suggestion suggestions recommendation recommendations rec recs pick picks please pls plz thanks thank
movie movies film films flick flicks watch watching to tonight today night evening weekend now what whats what's good
nice like really very just maybe kind sort of one ones that this these those it is are be been was have has
had do does did get got go going into up out so too also more other others else new old some thing things
any ideas idea options option list top lol haha hmm ok okay yeah yes no not dont don't isn't aren't im
pass there here where when which who how why if then than as well let's lets see seen time feel mood there's theres
whatever enjoy enjoyed love loved liked prefer preferably ideally around kinda sorta bit little lot lots
haven't havent i've ive i'll we've you've seen except besides apart excluding without barring ta cheers
anybody everyone nobody someone people person guys friends tonite tonight's
less fewer twenties thirties forties fifties sixties seventies eighties nineties decade decades year years era
its it's been being week weeks day days month today's tomorrow yesterday morning afternoon monday tuesday wednesday
thursday friday saturday sunday weekend bed home place house screen background party plane class whole entire
he him his she her they them their theirs mine yours ours who whom whose done made make makes came come
comes put take watch watched watches show shows tell told know think thought say said bonus points least
once times million everyone everybody somebody anyone regular normal actually basically literally honestly obviously set earliest latest
especially probably amazing awesome cool kinda stuff things type types lots bunch few many much proper properly
son daughter brother sister mom mum dad parents grandparents nephew niece kid kids child children wife husband
girlfriend boyfriend partner friend family visiting loves visits old year-old yr olds min mins minute minutes
hour hours long short quick directed direct directs starring stars star featuring
written acted acting cast answer reply respond say write writes system user assistant prompt instruction
instructions ignore previous sentence intro text above mode repeat developer ever only rated lol already next half before after while pls nothing finished saw left happens happen ago
onwards onward oldies newer older later earlier born doesnt doesn't didnt didn't isnt wont won't end
grandad granddad grandpa grandma granny nana grandmother grandfather twins in-laws inlaws gets shift starts
af requires require zero cant can't thats that's whats hes he's shes she's theyre they're youre you're
nite rates rate rating ratings u ur ya yall y'all gonna gotta wanna kinda entirely totally completely else
won win wins winning winner winners junk crap garbage trash none etc pls thinks way asleep fall nan grew grown between putting am pm arent wasnt werent even tho though over
still doing every each per order ppl fit fits hate hates hated foster fostering plot plots storyline storylines best through thru
obsessed ish em instead genre genres similar gimme lemme idk tbh ngl omg btw imo thx ty hey hi hello yo dunno sth
skip skipping banned ban bans banning dozen dozens hundred hundreds million millions gazillion
january february march april june july august september october november december th st nd rd""".split())


_ASKS = re.compile(r"\b(?:recommend\w*|suggest\w*|want|wanna|need|looking for|show me|find me|give me|got any|"
                   r"what (?:came out|should|to watch|can i watch)|something|anything|any (?:good )?(?:movies?|films?)|"
                   r"putting (?:something|a (?:movie|film)) on|put (?:something|a (?:movie|film)) on)\b")


def asked_words(text: str) -> list[str]:
    """The content words of a message that asks for films ("what came out the year the berlin wall fell" ->
    berlin, wall, fell); [] when the message does not ask for anything (small talk gets the help text alone)."""
    return content_words(text)[:6] if _ASKS.search(text.lower()) else []


def _titles_last(masked: str) -> bool:
    """In the masked text, the thing named last before "none of them" / "anything but those" is a title, not a genre."""
    m = _BUT_THOSE.search(masked.lower())
    marks = re.findall(r"\b(TITLE|GENRE)\b", masked[:m.start()]) if m else []
    return bool(marks) and marks[-1] == "TITLE"


def content_words(text: str) -> list[str]:
    """The content words of a message, asking words or not ("sunday hangover. zero brain cells left" -> hangover,
    brain, cells, left; "what should i watch tonight?" -> none)."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()  # "película" -> "pelicula"
    return list(dict.fromkeys(w for w in _words(plain) if not _stop(w)))


def open_phrase(phrase: str, whole: bool = False) -> bool:
    """`phrase` (lower case) names something the open reader reads (violence, swearing, a quality, a mood word, a
    plot element), so it is not an unknown title ("she loves a good weepy but cant stand violence").
    `whole`: only when one such pattern covers the whole phrase ("black and white", not "my best friend's wedding")."""
    p = phrase.strip().lower()
    if whole:
        p = re.sub(r"^(?:the|a|an)\s+", "", p)
        return any((m := pat.search(p)) is not None and m.group(0) == p for pat in _OPEN_PATTERNS)
    if any(pat.search(p) for pat in _OPEN_PATTERNS):
        return True
    words = [w for w in re.findall(r"[a-z][a-z'\-]*", p) if not _stop(w) and w not in ("good", "great", "nice")]
    return bool(words) and all(w in _example_words() for w in words)


def length_phrase(phrase: str) -> bool:
    """`phrase` is only a length written with digits ("2h15 to 2h40", "97 minutes"), maybe after comparison words
    ("than 110 min", "no more than 90 mins"), so it is no title."""
    low = re.sub(r"^(?:(?:than|under|over|about|around|roughly|like|less|more|longer|shorter|no|not|at|most|least|"
                 r"max|maximum|tops|just|only|exactly)\s+)+", "", phrase.strip().lower())
    return _DURATION.fullmatch(re.sub(r"\s*-?ish$", "", low)) is not None  # ("2h10 to 2h25ish")


def open_spans(low: str) -> list[tuple[int, int]]:
    """(start, end) of each phrase in `low` (lower case) that one open pattern reads (content, quality, no-data):
    a title found inside one ("no serial killer stuff" holds "Killer") is that phrase, not the title."""
    return [(m.start(), m.end()) for pat in _OPEN_PATTERNS for m in pat.finditer(low) if " " in m.group(0).strip()]


_EXAMPLE_WORDS: set[str] = set()


def _example_words() -> set[str]:
    if not _EXAMPLE_WORDS:  # read-only after the first call: the words of every mood example phrase
        _EXAMPLE_WORDS.update(w for _, ph in load_examples() for w in ph.split())
    return _EXAMPLE_WORDS


def _words(text: str) -> list[str]:
    """The words of lower-case text; a word may hold digits ("ww2", "r2d2": said back as written)."""
    return [w.rstrip("'-") for w in re.findall(r"[a-z][a-z0-9'\-]*", text)]


def _words_and_turns(rest: str) -> tuple[list[str], set[int]]:
    """The words of `rest` with "," between sentences (a break no mood window or refusal reaches over), and the
    positions of asking words right after a comma ("nothing sad, something exciting": "something")."""
    words: list[str] = []
    turn: set[int] = set()
    for k, part in enumerate(re.split(r"[.!?;]+(?=\s|$)", rest)):
        if k:
            words.append(",")
        comma = False
        for tok in re.findall(r"[a-z][a-z0-9'\-]*|,", part):  # the words of _words, and commas
            if tok == ",":
                comma = True
                continue
            if comma and tok.rstrip("'-") in _ASKING:
                turn.add(len(words))
            words.append(tok.rstrip("'-"))
            comma = False
    return words, turn


# "space" as a room or a place, not outer space ("got a parking space", "i need my space"): read by the linker's genres
# (entities) and blanked before the moods are read
ROOM_SPACE = re.compile(r"\b(?:parking|office|personal|storage|breathing|head|living|work|safe|open|green|floor|shelf|disk|"
                        r"my|our|his|her|their|some|enough|more|white|blank|crawl)\s+(space)\b")


_LIKING = frozenset("love loved loves liked like likes enjoy enjoyed enjoys prefer".split())


def _part_of(windows: list[str], examples: list[str], words: list[str]) -> np.ndarray:
    """(n_windows, n_examples) bool: the window's words are some, not all, of the example's words, the words it lacks
    are all words no window starts or ends on ("top" of "top shelf"), and the message (`words`) does not say the
    whole example. ("gem" is still "forgotten gem": "forgotten" could have been in a window.)"""
    said = f" {' '.join(words)} "
    ex = [(set(p.split()), f" {p} " in said) for p in examples]
    def lacks_only_scaffolding(e: set[str], w: set[str]) -> bool:  # "critics loved it" lacks a word of liking: still read
        return all(_stop(x) and x not in _LIKING for x in e - w)
    return np.array([[set(w.split()) < e and lacks_only_scaffolding(e, set(w.split())) and not whole for e, whole in ex]
                     for w in windows], dtype=bool).reshape(len(windows), len(ex))


# verbs of putting up with something, after "can't" ("can't stand", "can't bear"): the words of a refusal, no topic
_TAKE_VERBS = frozenset("stand bear stomach abide handle tolerate take".split())


def _before_genres(masked: str | None, allowed: set[str]) -> list[list[str]]:
    """For each genre mark of `masked`, the words right before it, up to three, that are all `allowed` words
    ("an amusement park GENRE" -> ["amusement", "park"], "found footage GENRE"); runs that are empty are left out."""
    out = []
    for m in re.finditer(r"((?:[a-z'-]+\s+){1,3})GENRE\b", (masked or "").lower().replace("genre", "GENRE")):
        run: list[str] = []
        words = m.group(1).split()
        for i in range(len(words) - 1, -1, -1):
            w = words[i]
            if w not in allowed or w in _TAKE_VERBS and i and re.fullmatch(r"can'?t|cannot|couldn'?t|won'?t", words[i - 1]):
                break  # "i can't stand GENRE": a refusal, no kind of genre film ("stand up GENRE" still is one)
            run.insert(0, w)
        if run:
            out.append(run)
    return out


def _kind_phrases(rest: str, skip: set[str]) -> list[str]:
    """The kinds of film named as "<up to three words> movies/films/flicks", as said, less the scaffolding, refusals
    and `skip` words before them ("no haunted house movies" -> "haunted house")."""
    out = []
    for m in _KIND_NP.finditer(rest):
        said = _words(m.group(1))
        while said and (_stop(said[0]) or said[0] in _NEGATORS or said[0] in skip):
            said.pop(0)
        if said:
            out.append(" ".join(said).replace("time-", "time "))
    return out


def _refused_before(low: str, pos: int) -> bool:
    """A refusal right before `pos` ("not rated pg", "isnt rated R", "no pg-13"): at most one word between."""
    return re.search(r"\b(?:" + "|".join(_NEGATORS) + r"|hate|avoid)\s+(?:\w+\s+)?$", low[:pos]) is not None \
        or _STRONG_REFUSED_BEFORE.search(low[max(0, pos - 40):pos]) is not None \
        or re.search(r"\b(?:won'?t|wont|will not|doesn'?t|does not|don'?t|do not|can'?t|cannot|not)\s+(?:allow|permit)\w*\s+"
                     r"(?:\w+\s+)?$", low[max(0, pos - 40):pos]) is not None  # "id rather steer clear of R rated",
    # "the principal wont allow anything R rated"


# a refusal up to three words before a word of era, length or quality ("i dont want anything long", "nothing critics love")
_REFUSED_NEAR = re.compile(r"\b(?:no|not|nothing(?! (?:short|less) (?:of|than)\b)|none|never|hate|dislike|(?:do|does|did)n'?t (?:like|love|enjoy|want|do|"
                           r"care for|get on with))\b(?:\s+\w+){0,3}\s+$")


def _refused_word(low: str, m: re.Match) -> bool:
    """Whether the word of era, length or quality matched by `m` is refused: "no old films", "nothing recent", "i hate
    old movies", "i dont do black and white", "nothing short", "i dont want anything long", "no oscar bait"."""
    return m.group(0).startswith("nothing") or _refused_before(low, m.start()) \
        or _REFUSED_NEAR.search(low[:m.start()]) is not None


# "<topic> movies": up to three words right before a plural kind of film
_KIND = r"((?:[a-z'-]+\s+){1,3})(?:movies|films|flicks)\b"
_KIND_NP = re.compile(r"\b" + _KIND)
# a sentence that opens with it ("revenge flicks. someone gets wronged ..."): a request without an ask word
_KIND_PLURAL = re.compile(r"(?:^|[.!?]\s+)\s*(?:(?:some|any|more)\s+)?" + _KIND)
# words that introduce what a film is about: what follows is a description, also beside other constraints
_TOPIC_CUE = re.compile(r"\b(?:about|featuring|involving|set (?:in|on|during|at)|takes? place|where|in which|with (?:a |an |some )?"
                        r"(?:[a-z'-]+ )?in it|centered on|centred on|based around|revolving around|themed)\b")


# A clause that names titles and says what the user thinks of them ("big fan of heat", "toy story and fargo were
# easily the best"): how much they were liked, which the liked titles already carry, not a quality of the films
# wanted. No quality or query is read from its words (OpenReader.read; moods are). A clause that asks ("anything like
# heat"), names a genre ("i love dark thrillers like heat") or gives titles as examples ("films like heat") is a
# request.
_CLAUSE_BREAK = re.compile(r"(?i)[.!?;,]+(?=\s|$)|\s[-\u2013\u2014]{1,2}\s|[-\u2013\u2014]{2}|\b(?:but|however|though)\b")
_PRAISE = re.compile(r"(?i)\b(?:lov(?:e|ed|es|ing)|liked|enjoyed|adored?|(?:re-?)?watched|fan|favou?rites?|faves?|comfort|"
                     r"obsessed)\b|\bTITLE\b[^.!?;]*?\b(?:is|are|was|were)\b|=")
_EXAMPLES_OF = re.compile(r"(?i)\b(?:like|such as|similar to|in the vein of|along the lines of|than)\s+TITLE\b")


def _clauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of `text` between clause breaks (sentence ends, commas, dashes, "but")."""
    cuts = [0] + [x for m in _CLAUSE_BREAK.finditer(text) for x in (m.start(), m.end())] + [len(text)]
    return list(zip(cuts[::2], cuts[1::2]))


def praise_spans(masked: str, low: str) -> list[tuple[int, int]]:
    """Spans of `low` (the lowercased message with linked spans blanked) that only praise titles the user names:
    each clause of `masked` (linked spans as TITLE, GENRE, ...) that holds a TITLE and a word of liking, and no
    asking cue, genre or "like TITLE". The clauses of the two are paired in order; [] when they do not pair up."""
    m_parts, l_parts = _clauses(masked), _clauses(low)
    if len(m_parts) != len(l_parts):
        return []
    spans = []
    for (a, b), span in zip(m_parts, l_parts):
        clause = masked[a:b]
        if re.search(r"\bTITLE\b", clause) and _PRAISE.search(clause) and not re.search(r"\bGENRE\b", clause) \
                and not _EXAMPLES_OF.search(clause) and not _ASKS.search(clause.lower()):
            spans.append(span)
    return spans


def _read_anything(ents) -> bool:
    """The message named or asked for something the catalog can act on (or a title it lacks)."""
    return bool(ents.has_content() or ents.unknown_titles or ents.ambiguous or ents.cards or ents.query)


def _opposite(mood: str, genres: list[str]) -> str:
    """The mood a refusal of `mood` asks for (NOT_MOOD). Upbeat beside a genre it works against is the milder
    feel-good: "a drama, but nothing depressing" is a lighter drama, not upbeat (which refuses every drama)."""
    m = NOT_MOOD[mood]
    return "feel_good" if m == "upbeat" and set(MOODS[m].avoid) & set(genres) else m


def _stop(word: str) -> bool:
    """Scaffolding, not content: a stop word, also with 's ("grandma's"), or one letter."""
    return (word in _STOP or word.removesuffix("'s") in _STOP or len(word) <= 1
            or re.sub(r"'(?:re|m|ve|ll|d)$", "", word) in _STOP)  # "we're", "i'm", "they've": a pronoun


def load_examples(path: Path = DATA, keys=None) -> list[tuple[str, str]]:
    """(mood key, example phrase) rows from data/moods.txt ("key: phrase; phrase; ..."); `keys`: the keys
    allowed (the moods, or the qualities for data/qualities.txt)."""
    return [(key, p.lstrip("~").strip()) for key, p in _rows(path, MOODS if keys is None else keys)]


def subject_phrases(path: Path = DATA) -> dict[str, str]:
    """Example phrases marked "~" in data/moods.txt (subjects no data names, "~boxing") -> their mood key."""
    return {p[1:].strip(): key for key, p in _rows(path, MOODS) if p.startswith("~")}


def _rows(path: Path, keys) -> list[tuple[str, str]]:
    """(key, phrase as written, lower case) rows of an example file ("key: phrase; phrase; ...")."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, rest = line.partition(":")
        key = key.strip()
        if key not in keys:
            raise ValueError(f"{path}: unknown key {key!r}; one of {', '.join(keys)}")
        rows += [(key, p.strip().lower()) for p in rest.split(";") if p.strip()]
    return rows


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_UNDER_100 = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS) + r"))?|" + "|".join(_TEENS) + r")")
# "ninety", "forty-five", "one hundred and ten", "a hundred and one": 10..199 in words
_NUMBER_WORDS = (r"\b(?:(?:(?:one|a) hundred(?:\s+(?:and\s+)?(?:" + _UNDER_100 + "|" + "|".join(_UNITS) + r"))?)|"
                 + _UNDER_100 + r")\b")


def _words_number(words: str) -> int:
    """"one hundred and ten" -> 110, "forty-five" -> 45 (what _NUMBER_WORDS matches)."""
    ws = re.split(r"[\s-]+", words.strip())
    n = 0
    for i, w in enumerate(ws):
        if w == "hundred":
            n += 100
        elif not (i + 1 < len(ws) and ws[i + 1] == "hundred"):  # "one" / "a" before "hundred" is its count
            n += _TENS.get(w, _TEENS.get(w, _UNITS.get(w, 0)))
    return n


def _number(word: str) -> int:
    """"3" or "three" -> 3."""
    return int(word) if word.isdigit() else _NUM[word]


def _minutes(num: str | None, unit: str, half: bool = False) -> int:
    n = 1.0 if num is None else float(_NUM.get(num, num) if not num.replace(".", "").isdigit() else num)
    n += 0.5 if half else 0.0  # "an hour and a half"
    return int(round(n * 60 if unit.startswith("h") else n))


def core_genres(masked: str, genres: list[str], marks_genres: list[list[str]] | None = None) -> list[str]:
    """In "GENRE but with some GENRE or GENRE", the genre outside the "or" run is needed by every item:
    Romance AND (Action OR Adventure). `marks_genres`: the genres of each GENRE mark (Linked.genre_marks), so that
    a genre named twice ("romantic ... like romance + crime or thriller") is one genre; without it, `genres` are
    taken to be in the order of the marks, one each."""
    marks = [m.start() for m in re.finditer(r"\bGENRE\b", masked)]
    run = re.search(r"\bGENRE\b(?:\s*(?:,|/)\s*(?:or\s+)?GENRE\b)*\s*,?\s*\bor\b\s*(?:maybe\s+|even\s+)?\bGENRE\b", masked)
    if not run or len(marks) < 3:
        return []
    if marks_genres is not None and len(marks_genres) == len(marks):
        inside = {g for pos, gs in zip(marks, marks_genres) if run.start() <= pos < run.end() for g in gs}
        outside = list(dict.fromkeys(g for pos, gs in zip(marks, marks_genres) if not run.start() <= pos < run.end()
                                     for g in gs if g not in inside))
    elif len(marks) == len(genres):
        outside = [g for pos, g in zip(marks, genres) if not run.start() <= pos < run.end()]
    else:
        return []
    # joined to the run by "with", "but", "and", "plus" (not a second "or" list)
    joined = re.search(r"\b(?:with|but|and|plus|that has|that's|thats|mixed with|meets)\b", masked)
    return outside if outside and joined and len(outside) < len(genres) else []


# a comparative said of the cards on screen -> the mood it asks more of (catalog.facets.MOODS)
COMPARATIVE_MOODS = {"lighter": "light", "sillier": "light", "goofier": "light", "darker": "dark", "grittier": "dark",
                      "bleaker": "dark", "scarier": "scary", "creepier": "scary", "spookier": "scary", "gorier": "scary",
                      "funnier": "funny", "sadder": "sad", "happier": "feel_good", "cheerier": "feel_good",
                      "calmer": "calm", "gentler": "calm", "quieter": "calm", "tenser": "tense", "weirder": "mind_bending",
                      "trippier": "mind_bending", "sweeter": "feel_good", "cozier": "calm", "cosier": "calm"}
# words after "too" that complain of no mood ("too long" is a length, "me too" agrees)
_NOT_COMPLAINTS = frozenset("long short old new recent many few much bad late early".split())
_TOO_RELATIVE = {"long": "shorter", "lengthy": "shorter", "short": "longer", "old": "newer", "dated": "newer",
                 "new": "older", "recent": "older", "modern": "older"}


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class OpenReader:
    """Reads mood, quality, audience, length and no-data words; leaves the rest as the query."""

    def __init__(self, embedder=None, threshold: float = 0.55, latest_year: int | None = None,
                 genres: frozenset[str] = frozenset()):
        self.embedder = embedder
        self.genres = genres  # the catalog's genre labels: a stand-in genre must be one of them
        self.latest_year = latest_year  # the catalog's newest year: "recent" = its last three years
        self.threshold = threshold
        self.examples = load_examples()
        self.subjects = subject_phrases()  # "boxing" -> "sport": read as the mood, and said to have no data
        self.quality_examples = load_examples(QUALITY_DATA, QUALITIES)
        # a word -> the examples of two or more words that hold it, or a longer form of it ("feeling": "feel-good")
        self._example_words: dict[str, list[int]] = {}
        self._parts = [re.split(r"[\s-]+", p) for _, p in self.examples]
        for j, parts in enumerate(self._parts):
            for w in set(parts) if len(parts) >= 2 else ():
                self._example_words.setdefault(w, []).append(j)
        # each example's words, for OpenReader._opposed; none for an example that refuses ("no slow bits", "nothing
        # heavy"): it already means the other way, so "fast" is not opposed to it
        self._opposable = [set() if set(parts) & _NEGATORS else set(parts) for parts in self._parts]
        self._vectors: np.ndarray | None = None  # (n_examples, 384) float32, lazily
        self._quality_vectors: np.ndarray | None = None  # (n_quality_examples, 384) float32, lazily

    def _example_vectors(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = self.embedder.embed([p for _, p in self.examples])  # (n_examples, dim)
        return self._vectors

    def read_comparatives(self, text: str, ents) -> None:
        """With cards on screen, "lighter please", "something scarier": more of a mood than they have. Only then:
        "i want to feel lighter after" in a first message is no request for a light film."""
        low = _ascii_lower(text)
        for w in re.findall(r"\b[a-z]+(?:er|ier)\b", low):
            mood = COMPARATIVE_MOODS.get(w)
            if mood and not re.search(rf"\b(?:no|not|nothing|isn'?t|any) {w}\b", low):
                if mood not in ents.moods:
                    ents.moods.append(mood)
                ents.moods_exact = True  # named, not only near a word
                ents.query = " ".join(x for x in ents.query.split() if x != w)  # applied, not searched
                ents.unused = [u for u in (" ".join(x for x in u.split() if x != w) for u in ents.unused) if u]

    def read_complaints(self, text: str, ents) -> None:
        """With cards on screen, "too grim", "way too scary" complain about them: the mood named after "too" is
        refused, not asked for ("too grim, lighter please" asks for the light mood only). When no other mood is
        left, the mood that stands for its opposite is asked for (NOT_MOOD)."""
        low = _ascii_lower(text)
        said = re.findall(r"\btoo (?:much )?([a-z][a-z-]+)", low)
        for w in said:  # "too long" / "too old": the other way than the cards on screen, not a long or an old film
            if w in _TOO_RELATIVE and not re.search(r"\d", low):
                ents.direction = _TOO_RELATIVE[w]
                if ents.direction in ("shorter", "longer"):
                    ents.runtime_min = ents.runtime_max = None
                else:
                    ents.year_min = ents.year_max = None
                    ents.decades = []
        named = [m for w in said if w not in _NOT_COMPLAINTS for m in self._moods([w])]
        if not named:
            return
        ents.moods = [m for m in ents.moods if m not in named]
        ents.genres = [g for g in ents.genres if not any(g in MOODS[m].genres for m in named)]  # "too scary": no Horror
        if not ents.moods:
            ents.moods = list(dict.fromkeys(_opposite(m, ents.genres) for m in named if m in NOT_MOOD))

    def read(self, text: str, ents, masked: str | None = None, genre_marks: list[list[str]] | None = None) -> None:
        """Set the open slots on `ents` from `text` (`masked`: the text with linked spans replaced; `genre_marks`:
        the genres of its GENRE marks, Linked.genre_marks)."""
        # "live action only": not animated, which the refusal of cartoons beside it says; no mood, no query word
        blank = lambda m: " " * len(m.group())  # noqa: E731 (same length: offsets into the text stay valid)
        # ("out like a light": asleep; "whatever bar the horrors": "except", which the linker read)
        scaffold = r"(?i)\blive[- ]?action\b|\bout like a light\b|(?<=whatever )bar\b|(?<=anything )bar\b|(?<=everything )bar\b"
        text = re.sub(scaffold, blank, text)
        masked = re.sub(scaffold, blank, masked) if masked else masked
        for kind, slot in (("GENRE", "genres"), ("PERSON", "people")):  # "westerns or musicals": ANY of them
            if masked and re.search(rf"\b{kind}\b[^A-Z]{{0,14}}\b(?:or|OR|Or)\b[^A-Z]{{0,14}}\b{kind}\b", masked) \
                    and len(getattr(ents, slot)) >= 2 and slot not in ents.any_of:
                ents.any_of.append(slot)
            if masked and re.search(rf"\b{kind}s?\b\s*(?:,|&|\b(?i:and|or)\b|/)\s*(?:(?:old|classic|some|good)\s+)?\b{kind}\b",
                                    masked) and len(getattr(ents, slot)) >= 2 and slot not in ents.listed:
                ents.listed.append(slot)  # "westerns and old musicals": a list, not one film with both
        runs = list(re.finditer(r"\bGENRE\b(?:\s*[-/]?\s*\bGENRE\b)*", masked or ""))
        if len(ents.genres) >= 2 and "genres" not in ents.listed and any(
                re.search(r"\b(?:and|or|but|while|whereas)\b|[.;!?]", masked[a.end():b.start()]) for a, b in zip(runs, runs[1:])):
            # genres named apart, across a conjunction or a sentence ("one is all about cowboys and the other wants
            # spaceships"), not as one compound ("a romantic comedy", "horror for kids"): a list too, so that a catalog
            # with none that has all of them offers any of them
            ents.listed.append("genres")
        if masked and "genres" in ents.any_of and not ents.core_genres:
            ents.core_genres = core_genres(masked, ents.genres, genre_marks)
        low = (masked if masked is not None else text).lower()
        # ("TITLE vibes": the reference's own word goes with it)
        low = re.sub(r"\b(?:TITLE(?:\s+vibes?\b)?|PERSON|GENRE|PLACE|YEAR|DECADE)\b", " ", masked or "").lower() if masked else low
        # quoted text is a title or someone else's words, not the user's request, and markup is not words:
        # both blanked out (same length, so positions stay)
        blank = lambda m: " " * len(m.group(0))  # noqa: E731
        low = re.sub(r"[\"\u201c][^\"\u201d]*[\"\u201d]", blank, low)
        low = re.sub(r"(?:(?<=\s)|^)'[^'\n]{1,80}'(?=[\s.,!?;:]|$)", blank, low)
        low = re.sub(r"<[^<>\n]{0,40}>", blank, low)
        # misspelt minutes ("ninety minits", "90 mintues"): "mins", padded so that positions stay
        low = re.sub(r"\b(?:min(?:its?|uts?|ites?|uites?|nutes?)|mintues?|minuets?|mimutes?)\b",
                     lambda m: "mins".ljust(len(m.group(0))), low)
        # "one hundred and ten minutes", "two hours forty": number words of a length written as digits
        low = re.sub(_NUMBER_WORDS + r"(?=\s*(?:minutes?|mins?)\b)", lambda m: str(_words_number(m.group(0))), low)
        # "ninety or under", "a hundred tops": a bare length in words, with its bound after it
        low = re.sub(_NUMBER_WORDS + r"(?=\s*,?\s+(?:or (?:under|less|shorter|below)|tops|max(?:imum)?|at (?:the )?most)\b)",
                     lambda m: str(_words_number(m.group(0))).ljust(len(m.group(0))), low)
        # "a nine year old", "my class of ten year olds": the age in digits
        low = re.sub(r"\b(" + "|".join(sorted(AGE_WORDS, key=len, reverse=True)) + r")(?=[- ](?:(?:year|yr)s?[- ]?olds?|y/?o)\b)",
                     lambda m: str(AGE_WORDS[m.group(1)]), low)
        # "ninety to a hundred and five mins": the first bound of a range too
        low = re.sub(_NUMBER_WORDS + r"(?=\s*(?:-|–|to)\s*\d{2,3}\s*(?:minutes?|mins?)\b)", lambda m: str(_words_number(m.group(0))), low)
        low = re.sub(r"\b((?:an|one|two|three|\d)\s*(?:hours?|hrs?)\s+(?:and\s+)?)" + _NUMBER_WORDS[2:],
                     lambda m: m.group(1) + str(_words_number(m.group(0)[len(m.group(1)):])), low)
        # "between 2 hours and 2h20": whole hours beside minutes are minutes too (then a range of minutes)
        low = re.sub(r"\b(\d)\s?(?:hours?|hrs?|h)\b(?=\s*(?:-|–|to|and)\s*\d\s?h\s?\d{1,2}\b|\s*(?:-|–|to|and)\s*\d{2,3}\s*min)",
                     lambda m: f"{int(m.group(1)) * 60} min", low)
        # "1h45", "2h 10m": written out as minutes (only `low` is read below, so offsets may move)
        # ("2h25ish": about that; the "ish" is kept as a word of its own)
        low = re.sub(r"\b(\d)\s?h(?:rs?|ours?)?\s?(\d{1,2})(?:\s?m(?:ins?)?)?(\s?-?ish)?\b",
                     lambda m: (f"{int(m.group(1)) * 60 + int(m.group(2))} min" + (" ish" if m.group(3) else ""))
                     .ljust(len(m.group(0))), low)
        # "between 1h40 and 2h": whole hours after minutes and a range joint are minutes too
        low = re.sub(r"(\b\d{2,3}\s?min\s*(?:-|–|to|and)\s*)(\d)\s?(?:hours?|hrs?|h)\b",
                     lambda m: m.group(1) + f"{int(m.group(2)) * 60} min", low)
        # "an hour and a quarter", "two hours and three quarters": minutes too
        low = re.sub(r"\b(an|one|two|three|\d)\s*(?:hours?|hrs?)\s+and\s+(a quarter|three quarters)\b",
                     lambda m: f"{_number(m.group(1)) * 60 + (15 if m.group(2) == 'a quarter' else 45)} min".ljust(len(m.group(0))),
                     low)
        # "two and three quarter hours", "one and a quarter hrs": the fraction before the unit
        low = re.sub(r"\b(one|two|three|\d)\s+and\s+(a quarter|a half|three[- ]quarters?)\s+(?:hours?|hrs?)\b"
                     r"(?!\s+" + _SPAN_NOUNS + r"\b)",  # "2 and a half hour layover" is a span, read below
                     lambda m: f"{_number(m.group(1)) * 60 + {'a quarter': 15, 'a half': 30}.get(m.group(2), 45)} min"
                     .ljust(len(m.group(0))), low)
        # "twenty minutes shy of two hours": that much less than the hours
        # (number words before "minutes" are digits by now)
        low = re.sub(r"\b(\d{1,2})\s*(?:minutes?|mins?)\s+(?:shy|short) of\s+(an|one|two|three|\d)\s*(?:hours?|hrs?)\b",
                     lambda m: f"{_number(m.group(2)) * 60 - int(m.group(1))} min", low)
        # "the ninety minute mark, ten either way", "100 mins, give or take 10": a range around it
        around = lambda m: (f"{int(m.group(1)) - _minute_count(m.group(3))}-{int(m.group(1)) + _minute_count(m.group(3))} mins"  # noqa: E731
                            + m.group(2))
        margin = r"(\d{1,2}|five|ten|fifteen|twenty)"
        mark = r"\b(\d{2,3})\s*(?:minutes?|mins?)(?:\s+mark)?([^.!?\d]{0,20}?)\b"
        low = re.sub(mark + margin + r"\s*(?:minutes?|mins?)?\s+(?:either way|each way|give or take|either side)\b", around, low)
        low = re.sub(mark + r"(?:give or take|plus or minus|\+/-)\s*" + margin + r"\b(?:\s*(?:minutes?|mins?))?", around, low)
        # "no longer than a soccer game without the extra time", "about as long as a football match": 90 minutes (with
        # extra time, 120); only after a comparison ("after the football match" is when, not how long)
        low = re.sub(r"\b(than|as|length of|long as)\s+(?:a|one|the|an average)\s+(?:soccer|football|footy)\s+(?:game|match)"
                     r"(\s+(?:with|plus|incl(?:uding)?)\s+(?:the\s+)?extra[- ]time)?(?:\s+(?:without|minus|w/?o)\s+(?:the\s+)?"
                     r"(?:extra|stoppage|injury)[- ]time)?",
                     lambda m: f"{m.group(1)} {120 if m.group(2) else 90} min".ljust(len(m.group(0))), low)
        # "keep it to double-digit minutes", "a single-digit hour" is no length: under 100 minutes
        low = re.sub(r"\b(?:in\s+|to\s+)?(?:double|two)[- ]digits?\s+(?:minutes?|mins?)\b",
                     lambda m: "under 100 min".ljust(len(m.group(0))), low)
        hours_used = re.search(r"\b(?:hours?|hrs?)\b", low)  # before they are written out as minutes below
        # "between 2 and 2.5 hrs": a range of hours with the unit written once; "2.5 hrs": hours with a fraction.
        # One space at most around the joint: a linked word blanked between them ("2 kids and 3 hours") is no range
        low = re.sub(r"\b(\d(?:\.\d+)?)( ?(?:-|–|to|and) ?)(\d(?:\.\d+)?)\s*(?:hours?|hrs?|h)\b",
                     lambda m: f"{round(float(m.group(1)) * 60)}{m.group(2)}{round(float(m.group(3)) * 60)} min"
                     .ljust(len(m.group(0))), low)
        low = re.sub(r"\b(\d\.\d+)\s*(?:hours?|hrs?|h)\b", lambda m: f"{round(float(m.group(1)) * 60)} min".ljust(len(m.group(0))), low)
        # "an hour and a half", "one and a half hours": 90 min (so that "between an hour and a half and an hour 45" is a range)
        low = re.sub(r"\b(?:an|one|1) (?:hours? and a half|and a half hours?)\b|\b1\.5 ?(?:hours?|hrs?)\b",
                     lambda m: "90 min".ljust(len(m.group(0))), low)
        # "an hour and 40 mins", "2 hours 15 minutes": written out as minutes too
        low = re.sub(r"\b(an|one|two|three|\d)\s*(?:hours?|hrs?)\s+(?:and\s+)?(\d{1,2})\s*(?:minutes?|mins?|m)\b|"
                     r"\b(an|one|two|three|\d)\s*(?:hours?|hrs?)\s+(?:and\s+)?([1-5]\d)(?=\s*(?:max|tops|at most|or|ish|and|but|so|$|[,.!?;]))",
                     lambda m: f"{_number(m.group(1) or m.group(3)) * 60 + int(m.group(2) or m.group(4))} min"
                     .ljust(len(m.group(0))), low)
        # "the shortest horror u got, like under 90": a bare number after a bound, with a length word, is minutes
        if re.search(r"\b(?:short|shorter|shortest|long|longer|longest|runtime|run ?time|length|minutes|mins|hours?|hrs?|less)\b", low):
            low = re.sub(r"\b(" + _LENGTH_BOUND + r"\s+(?:like |about |around )?)([6-9]\d|1\d\d|2[0-4]\d)\b(?!\s*(?:%|percent|years?|"
                         r"yrs?|mins?|minutes?|hours?|hrs?|s\b|'?s\b))", lambda m: f"{m.group(1)}{m.group(2)}m", low)
            # "so 95 tops": a bare number before an upper bound word, too
            low = re.sub(r"\b([6-9]\d|1\d\d|2[0-4]\d)(\s+(?:tops|max|at most|or less|or under)\b)",
                         lambda m: f"{m.group(1)}m{m.group(2)}"[:len(m.group(0)) + 1], low)
        # "longer than 2.5 hrs but shorter than 3": a bare small number after a bound, where hours are the unit used
        if hours_used:
            low = re.sub(r"\b(" + _LENGTH_BOUND + r"\s+(?:like |about |around )?)([1-4](?:\.\d+)?)\b(?![.:]\d|\s*(?:%|percent|years?|yrs?|"
                         r"mins?|minutes?|hours?|hrs?|h\b|stars?|kids?|people|of\b|or\b|and\b|to\b|-))",
                         lambda m: f"{m.group(1)}{m.group(2)}h", low)
        used: list[tuple[int, int]] = []

        def take(m):
            used.append((m.start(), m.end()))

        budget = time_budget(low)
        if budget:  # "starts at 6:15, has to be over by 7:35": 80 minutes at most
            # ("1h38 left on the brisket ... something thatll finish before it does": strictly less)
            ents.runtime_max = budget[0] + (0 if _FINISH_BEFORE.search(low) else 1)
            used += budget[1]
        for pat, lo, hi in _LENGTH:
            m = pat.search(low)
            # one reading sets the length; a second one-sided bound may add the other side ("longer than 2.5 hrs
            # but shorter than 3": at least 150, under 180)
            other_side = (lo == "n" and hi is None and ents.runtime_min is None and ents.runtime_max is not None) or \
                         (hi == "n" and lo is None and ents.runtime_max is None and ents.runtime_min is not None)
            if m and other_side and any(a < m.end() and m.start() < b for a, b in used):
                # the words of the first reading ("nothing over 2 hrs" is no "over 2 hrs" too); a later match may be the
                # other side ("no more than 2 hours, at least 100 mins")
                m = next((x for x in pat.finditer(low) if not any(a < x.end() and x.start() < b for a, b in used)), None)
                if m is None:
                    continue
            if m and (other_side or (ents.runtime_min is None and ents.runtime_max is None)):
                half = "and a half" in m.group(0)
                if lo == "range":
                    a, b = sorted((int(m.group(1)), int(m.group(2))))
                    ents.runtime_min, ents.runtime_max = a, b + 1
                elif lo == "about":  # "2.5hrs ish": groups 1-2 or 3-4
                    num, unit = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
                    n = _minutes(num, unit, half)
                    if _BUDGET.search(low):  # the time the user has, about that much: a film that fits in it
                        ents.runtime_max = n + 1
                    else:
                        ents.runtime_min, ents.runtime_max = n - ABOUT_MIN, n + ABOUT_MIN + 1
                elif lo == "margin":
                    n, d = _minutes(m.group(1), m.group(2), half), int(m.group(3))
                    ents.runtime_min, ents.runtime_max = n - d, n + d + 1
                elif lo == "hours":  # "3 hour movies": about that long
                    ents.runtime_min = _minutes(m.group(1), "h") - 15
                elif lo == "n":
                    strict = re.match(r"(?:over|more|longer|above)\b", m.group(0))  # "over 2 hours": 121 at least
                    ents.runtime_min = _minutes(m.group(1), m.group(2), half) + (1 if strict else 0)  # "at least 2 hours": 120
                elif hi == "under":
                    ents.runtime_max = _minutes(m.group(1), m.group(2), half)
                elif hi == "n":
                    strict = re.match(r"(?:under|sub|less|shorter|below|inside)\b", m.group(0)) or _FINISH_BEFORE.search(low)  # "under 90": 89 at most
                    ents.runtime_max = _minutes(m.group(1), m.group(2), half) + (0 if strict else 1)  # "2 hours max": 120 too
                elif (lo, hi) in ((None, 100), (150, None)) and _refused_word(low, m) and m.group(0) in _SHORT_OR_LONG:
                    # "nothing short", "no short films": 90 minutes or more; "i dont want anything long": as "not long"
                    ents.runtime_min, ents.runtime_max = (90, None) if hi == 100 else (None, 100)
                else:
                    ents.runtime_min, ents.runtime_max = lo, hi
                take(m)
        # "feature length" is 80 minutes or more; "not bloated", "nothing overlong" two hours at most (either may add
        # the other side: "feature length but not bloated" is 80 to 120 minutes)
        for pat, side, n in ((_FEATURE_LENGTH, "min", 80), (_NOT_OVERLONG, "max", 121)):
            m = pat.search(low)
            if m and not any(a < m.end() and m.start() < b for a, b in used):
                if side == "min" and ents.runtime_min is None and (ents.runtime_max or 999) > n + 20:
                    ents.runtime_min = n
                elif side == "max" and ents.runtime_max is None and (ents.runtime_min or 0) < n - 20:
                    ents.runtime_max = n
                take(m)
        travel = _TRAVEL.search(low)
        if travel and ents.runtime_max is not None and ents.runtime_min is None and not any(
                a < travel.end() and travel.start() < b for a, b in used):  # "land in 1 hour 53 and the airports 20 min away"
            ents.runtime_max -= _minute_count(travel.group(1) or travel.group(2))
            take(travel)
        if ents.runtime_min is None and ents.runtime_max is None:
            # one amount of time said, that no reading above took ("the brisket needs another 2 hours", "she does about
            # 90 min before she needs feeding"): in a request for a film it is the time there is
            # (not one something lasts or has lasted: "doomscrolling for 3 hours", "chew on for an hour afterwards")
            free = [m for m in _TIME_SAID.finditer(low) if not any(a < m.end() and m.start() < b for a, b in used)
                    and not re.search(r"\bfor\s+(?:about\s+|around\s+|like\s+|roughly\s+|nearly\s+|almost\s+|over\s+)?$",
                                      low[:m.start()])]
            if len(free) == 1 and 40 <= (n := _minutes(free[0].group(1), free[0].group(2), bool(free[0].group(3)))) <= 240:
                ents.runtime_max = n + 1
                take(free[0])
        if ents.runtime_min is None and ents.runtime_max is None:  # time said, no length read from it: asked about
            span = said_length(text.lower())  # (the text as written: it is quoted back)
            nums = re.findall(r"\d+", text[span[0]:span[1]]) if span else []
            if nums and all(len(n) in (2, 4) and (int(n) + (1900 if len(n) == 2 else 0)) in (ents.year_min, ents.year_max)
                            for n in nums):
                span = None  # "from 88 until 92": the years read, not clock times
            if span:
                ents.unread_length = " ".join(text[span[0]:span[1]].split())
        for m in (_LONG_CAPPED.search(low), re.search(r"\b" + _LONGISH, low)):
            if m:  # read above, or a number was more precise: the words are about the length either way
                take(m)
        teen = False
        ages = []  # "my son is 3", "kids are 8 and 11", "a 12 yr old", "youngest is 6": the youngest decides
        for m in _AGE.finditer(low):
            if not _PAST_AGE.search(low[:m.start()]):
                ages += [int(g) for g in m.groups() if g]
            take(m)
        # "my kids are 6 and 9": "kids" was linked as the Children's genre and is blanked in `low`, so the ages
        # are read from the text itself, and their words taken in `low`
        if not ages and (m := _KIDS_ARE.search(text.lower())):
            ages += [int(g) for g in m.groups() if g]
            if (m2 := re.search(r"(?<=\s)(?:are|is)(?: only| just)? \d{1,2}(?: and \d{1,2})?\b", low)):
                take(m2)
        for m in _AGE.finditer(text.lower()):  # the same for the other forms: "his kids (7 and 9)", also beside
            if not _PAST_AGE.search(text.lower()[:m.start()]):  # an age read above ("two kids (8 and 13) ... the 13 yo")
                ages += [int(g) for g in m.groups() if g]
        if not ages and _CHILD.search(text.lower()):  # "my stepson (hes 8)", "she just turned 2"
            for m in _CHILD_AGE.finditer(low):  # "theyre six"
                ages.append(AGE_WORDS.get(m.group(1)) or int(m.group(1)))
                take(m)
        if ages and min(ages) <= 12:
            ents.audience = "kids"
            if min(ages) <= 4 and "Action" not in ents.genres + ents.not_genres:
                # a toddler: nothing violent either, which the kids filter (no horror, thriller, war, crime) allows
                ents.not_genres.append("Action")
        elif ages and min(ages) <= 17:
            ents.audience = "no_adult"
            teen = True
        said_teen = re.search(rf"\b{_TEEN}\b|\bteenage\b", low)
        if said_teen and ents.audience != "kids" and not _REFUSED_TEEN.search(low[max(0, said_teen.start() - 40):said_teen.start()]):
            ents.audience, teen = "no_adult", True
        m = _FOR_BABIES.search(text.lower()) or _BABYISH.search(low)
        if m:
            g = "Animation" if m.re is _FOR_BABIES and m.group(1) else "Children's"
            ents.genres = [x for x in ents.genres if x != g]
            if g not in ents.not_genres:
                ents.not_genres.append(g)
        if _NO_SONGS.search(text.lower()):
            ents.genres = [g for g in ents.genres if g != "Musical"]
            if "Musical" not in ents.not_genres:
                ents.not_genres.append("Musical")
            for m in _NO_SONGS.finditer(low):
                take(m)
        if ents.audience != "kids" and _GROWN_UPS.search(text.lower()):
            # the linked "kids" of "kids are asleep" is no request for children's films
            ents.genres = [g for g in ents.genres if g != "Children's" or "children's" in text.lower()]
            ents.not_genres += [g for g in KIDS_GENRES if g not in ents.not_genres and g not in ents.genres]
            for m in list(_GROWN_UPS.finditer(low)) + list(_AWAY_WORDS.finditer(low)):
                take(m)
        if teen and "Children's" not in ents.not_genres:  # teenagers: nothing rated R, and no children's films
            ents.not_genres.append("Children's")
            ents.genres = [g for g in ents.genres if g != "Children's"]
        m = _LIVE_ACTION.search(low)
        if m and "Animation" not in ents.not_genres:  # "cartoon logic but with real people": not animated
            ents.genres = [g for g in ents.genres if g != "Animation"]
            ents.not_genres.append("Animation")
            take(m)
        m = _BUT_THOSE.search(low)
        if m and masked and _titles_last(masked):
            m = None  # "musicals, but ive done grease and mary poppins so none of them": the titles, not the genre
        if m and ents.not_people and not ents.people:
            take(m)  # "zero baldwins in it. alec, billy, stephen, daniel, none of them": the people, already refused
            m = None
        if m and ents.genres and not ents.not_genres:
            ents.not_genres, ents.genres = list(ents.genres), []
            ents.listed = [x for x in ents.listed if x != "genres"]
            ents.any_of = [x for x in ents.any_of if x != "genres"]
            ents.core_genres = []
            take(m)
        m = _ENGLISH.search(low)
        if m and "English" not in ents.languages:
            ents.languages.append("English")
            take(m)
        refused_rating = _RATED_REFUSED.search(low)
        if refused_rating:  # "nothing rated G or PG, im not 4": the ratings above them
            refused = {r for g in refused_rating.groups() if g for r in _RATINGS_ONLY[g]}
            ents.rated = [r for r in ("G", "GP", "PG", "PG-13", "R", "NC-17") if r not in refused]
            take(refused_rating)
        elif _PG13_REFUSED.search(low):
            refused_rating = _PG13_REFUSED.search(low)
            ents.rated = list(_RATINGS_UP_TO["pg"])
            take(refused_rating)
        m = _KIDS.search(low) if not refused_rating else None
        if m and m.group(0).startswith("with") and re.search(r"\b(?:never|can'?t|cannot|couldn'?t|wouldn'?t|won'?t|not)\b"
                                                            r"[^,.;!?]{0,30}$", low[:m.start()]):
            take(m)  # "something i'd never get to watch with the kids around": what the kids must not see
        elif m:
            ents.audience = "kids"
            take(m)
        m = _RATED_EXACT.search(low) or _RATED_UK.search(low)
        if m and not _refused_before(low, m.start()):
            ents.rated = ["PG-13"] if "13" in m.group(0) else list(_RATINGS_UP_TO["pg" if "pg" in m.group(0) else "g"])
            take(m)
        m = _R_MAX.search(low) if not ents.rated else None
        if m:  # "i draw the line at NC-17, R is as far as i go": every rating up to R
            ents.rated = ["G", "GP", "PG", "PG-13", "R"]
            ents.audience = "" if ents.audience == "no_adult" else ents.audience
            take(m)
        m = _RATED_R.search(low) if not ents.rated else None
        if m and not _refused_before(low, m.start()):
            ents.rated = ["R", "NC-17"]
            take(m)
        m = _RATED.search(low) if not ents.rated else None
        if m and not _refused_before(low, m.start()):
            ents.rated = list(_RATINGS_UP_TO[next(g for g in m.groups() if g)])
            take(m)
        for m in list(_REFUSED_CONTENT.finditer(low)) + list(_CONTENT_UPSETS.finditer(low)) \
                + list(re.finditer(r"\bfamily[- ]friendly\b", low)):
            if re.search(_ADULT_WORDS + r"|family", m.group(0)):  # "family friendly": rated G/PG or a family film
                ents.audience = "kids" if ents.audience == "kids" else "clean"
            if re.search(_VIOLENT_WORDS, m.group(0)):  # no violent genres but those asked for, and nothing rated R
                # ("scary but not gory": horror asked for keeps its thrillers, the other half of "scary")
                # ("spine-tingling but no gore": the scary mood asked for keeps them too)
                scary = "Horror" in ents.genres or "scary" in self._moods(
                    _words(low[:m.start()] + " , " + low[m.end():]))
                keep = set(ents.genres) | (set(MOODS["scary"].genres) if scary else set())
                ents.not_genres += [g for g in VIOLENT_GENRES if g not in ents.not_genres and g not in keep]
                if re.search(_HARM_WORDS, m.group(0)):  # "no villains" is no rating
                    ents.audience = ents.audience or "no_adult"
            take(m)
        for m in _CLEAN.finditer(low):  # "keep it clean", "walks out the second anyone swears": no swearing, so
            ents.audience = "kids" if ents.audience == "kids" else "clean"  # rated G/PG or a family film
            if _KISSING.search(m.group(0)) and "Romance" not in ents.genres and "Romance" not in ents.not_genres:
                ents.not_genres.append("Romance")
            take(m)
        # a ceiling below PG-13 already read ("pg-13 is too much, so below that") says more than "nothing adult"
        below_13 = bool(ents.rated) and set(ents.rated) <= {"G", "GP", "PG"}
        m = _NO_ADULT.search(low) if "R" not in ents.rated else None
        if m and m.group(0).startswith("teen") and _REFUSED_TEEN.search(low[max(0, m.start() - 40):m.start()]):
            m = None  # "not the soppy teenage stuff", "no teen movies": a kind of film refused, not who watches
        if m:
            ents.audience = ents.audience or ("" if below_13 else "no_adult")
            take(m)
        m = _PG13_MAX.search(low) if "R" not in ents.rated else None
        if m:  # "he's 11 so pg-13 max": the ceiling said outright decides over the age
            ents.audience = ents.audience if below_13 else "no_adult"
            take(m)
        m = _NOT_SCARY.search(low)
        scared_easily: list[str] = []  # the genres refused only because someone scares easily
        # ("nothing scary": its "scary" was linked as Horror, so it is read in the text as written)
        if m or _NOT_SCARY.search(_ascii_lower(text)):
            # "gets scared easily": no horror or thrillers (but one asked for by name: "a thriller ... i scare easy")
            for g in ("Horror", "Thriller"):
                if g not in ents.not_genres and g not in ents.genres:
                    ents.not_genres.append(g)
                    scared_easily.append(g)
            if m:
                take(m)
        if ents.year_min is None and ents.year_max is None and not ents.decades:
            m = _OLD.search(low)
            if not m and masked and re.search(r"\bold\s+(?:PLACE\s+)?GENRE\b", masked):
                m = re.search(r"\bold\b", low)  # "old westerns", "the old hollywood musicals": linked words follow
            if m:
                # "no old films please", "i dont like old movies", "nothing old", "old films look weird to me": from
                # OLD_BEFORE on, not before it (the words that pan them are no mood: "weird" is not mind-bending)
                panned = _ERA_PANNED.match(low, m.end())
                if panned or _refused_word(low, m):
                    ents.year_min = OLD_BEFORE
                else:
                    ents.year_max = OLD_BEFORE - 1
                take(m)
                if panned:
                    take(panned)
            m = _RECENT.search(low)
            if m and self.latest_year:
                if _refused_word(low, m):
                    ents.year_max = self.latest_year - 3  # "not the latest fad", "nothing recent": from before those
                else:
                    ents.year_min = self.latest_year - 2
                take(m)
        # praise of titles named: how much they were liked is no quality asked for; what was liked about them may be
        # a mood ("loved how dark se7en was"), so moods are still read there, and lengths and ages were read above
        praise = praise_spans(masked, low) if masked else []
        for m in _FAME.finditer(low):  # "avoid the popular stuff", "i dont want anything famous": the lesser-known ones
            if _refused_word(low, m) and not any(a <= m.start() < b for a, b in used) \
                    and not re.search(r"\bnot (?:just|only|merely|simply)\s+$", low[:m.start()]):  # "good, not just popular"
                if "hidden_gem" not in ents.qualities:
                    ents.qualities.append("hidden_gem")
                take(m)
        for q, pat in _QUALITY.items():
            for m in pat.finditer(low):
                if any(a <= m.start() < b for a, b in praise):
                    continue  # "heat and fargo were easily the best": praise of those titles, not a request
                if q == "adult" and ents.audience == "no_adult" and re.match(r"(?:r[- ]rated|rated r|r)\b", m.group(0)) \
                        and not any(a <= m.start() < b for a, b in used):
                    ents.audience = ""  # "my 17 yo ... R is fine": the rating allowed outright, over the one the age implies
                if q == "adult" and (any(a <= m.start() < b for a, b in used) or ents.audience):
                    continue  # "no raunchy stuff" was a refusal; an audience filter rules it out anyway
                if q == "acclaimed" and re.fullmatch(r"great|good", m.group(1)) and not re.search(r"\b(really|truly|genuinely)\s+$", low[:m.start()]):
                    take(m)  # "a great comedy" is not a request for critics' favourites; the word is used up
                    continue
                if q != "adult" and not re.match(r"(?:not|nothing|non|less|won'?t|wouldn'?t|don'?t)\b", m.group(0)) and (re.search(
                        r"\b(?:not|no|never|isn'?t|(?:doesn'?t|does not|don'?t|do not) (?:need|have) to be|needn'?t be)\s+"
                        r"(?:(?!but\b|and\b)[^,.;!?]){0,25}$", low[:m.start()]) or _refused_word(low, m)):
                    # "like a 7 out of 10, not a masterpiece", "nothing critics love", "no oscar bait", "i hate arty
                    # award winners": refused, and there is no upper bound to ask for
                    if q not in ents.not_qualities:
                        ents.not_qualities.append(q)
                    take(m)
                    continue
                if q not in ents.qualities:
                    ents.qualities.append(q)
                take(m)
        m = _OSCARS_N.search(low) or (_WINS_N.search(low) if re.search(r"\boscars?\b|academy awards?", low) else None)
        if m and (m.group(1) or m.group(3) or "wins" in m.group(0) or m.group(2).isdigit() and int(m.group(2)) > 1):
            n = _number(m.group(2))
            ents.oscars_min = n + 1 if m.group(1) in ("more than", "over") else n
            ents.qualities = [q for q in ents.qualities if q not in ("oscar", "many_oscars")]
            ents.qualities.append("many_oscars" if ents.oscars_min >= 3 else "oscar")
            take(m)
        if "many_oscars" in ents.qualities and "oscar" in ents.qualities:
            ents.qualities.remove("oscar")  # "a bunch of oscars" already says it won one
        if "well_reviewed" in ents.qualities and set(ents.qualities) & {"acclaimed", "classic", "hidden_gem"}:
            ents.qualities.remove("well_reviewed")  # already asks for good reviews
        if "crowd_pleaser" in ents.qualities and "acclaimed" in ents.qualities and not re.search(
                _QUALITY["acclaimed"].pattern.replace(r"|of all time|all[- ]time)", ")"), low):
            ents.qualities.remove("acclaimed")  # "most beloved ... of all time": loved by viewers, not critics
        if "crowd_pleaser" in ents.qualities and "acclaimed" not in ents.qualities and re.search(
                r"\b" + _CRITICS_AND_PUBLIC + r"\b", text.lower()):
            ents.qualities.append("acclaimed")  # "critics and the general public" both: acclaimed too
        if "acclaimed" in ents.qualities and _PANNED.search(text.lower()):
            ents.qualities.remove("acclaimed")  # "something critically panned": scorned, not acclaimed
        if "acclaimed" in ents.qualities and (m := _NOT_CRITICS.search(low)):
            ents.qualities.remove("acclaimed")  # "highest rated by actual viewers, not critics"
            if "crowd_pleaser" not in ents.qualities:
                ents.qualities.append("crowd_pleaser")
            take(m)
            for m in _BY_VIEWERS.finditer(low):
                take(m)
        if "classic" in ents.qualities and "acclaimed" in ents.qualities:
            ents.qualities.remove("acclaimed")  # "best classics": classic already asks for good reviews
        no_data_spans: list[tuple[int, int]] = []
        for m in _TOPIC_IN_IT.finditer(low):  # "anything w a lighthouse in it", "films w a deaf character": no plot data
            words = m.group(1).split()
            if all(_stop(w) or w in _NEGATORS for w in words) or (self._moods(words) and not _refused_before(low, m.start())):
                continue  # ("with actual science in it" reads as a mood; "nothing with a crying baby in it" is a thing)
            # the person's kind is said with its noun ("a strong female lead"), a thing alone ("a lighthouse")
            phrase = m.group(1) if m.group(2).startswith("in ") else f"{m.group(1)} {m.group(2)}"
            if phrase not in ents.unmatched:
                ents.unmatched.append(phrase)
            no_data_spans.append((m.start(1), m.end(2)))
            used.append((m.start(1), m.end(2)))
        for m in _CHARACTER_HAS.finditer(low):  # "the main character has a stutter": no data on characters
            said = m.group(1).split()
            while said and _stop(said[-1]):
                said.pop()
            phrase = " ".join(said)
            if said and not _stop(said[0]) and phrase not in ents.unmatched:
                ents.unmatched.append(phrase)
                no_data_spans.append((m.start(1), m.start(1) + len(phrase)))
                used.append((m.start(), m.start(1) + len(phrase)))
        for pat, _what in _NO_DATA:
            for m in pat.finditer(low):
                if any(a <= m.start() < b for a, b in no_data_spans):
                    continue  # inside a no-data phrase already read ("based on video games")
                if m.group(0).startswith("subtitle") and "English" in ents.languages:
                    continue  # "subtitles are out", "he can't read subtitles": English-language films, read above
                if _what == "what a film is about" and _LIFE_CONTEXT.search(low[:m.start()]) and re.match(
                        r"\s*(?:$|[,.;:!?)]|(?:from|in|at|for|during|and|but|so|when|while|until|till|between|\d)\b)",
                        low[m.end():]):
                    continue  # "i was in college from 86 to 90": where the user was, no subject ("in a zombie mood" is)
                no_data_spans.append((m.start(), m.end()))
                if m.group(0) not in ents.unmatched:
                    ents.unmatched.append(m.group(0))  # the user's own words, said back in the reply
                refused_topic = _ERA_PANNED.match(low, m.end()) if _what == "black and white" else None
                refused_topic = refused_topic or _refused_word(low, m) or re.search(
                    r"\b(?:no|not|nothing|none|without|w/o|hate|except|minus|skip|"
                    r"i'?m (?:so |totally |kinda )?over|sick of|tired of|done with)\b[^,.;!?]{0,25}$", low[:m.start()])
                # the closest the data gets, said in the reply; nothing stands in for what is refused ("no b&w")
                # "a happy ending" says the mood of the ending (read as a mood below), not a twist to stand in for
                mood_of_ending = _what == "plots and endings" and re.search(
                    r"\b(?:happy|sad|feel[- ]good|uplifting|upbeat|bittersweet|tragic|hopeful|sweet|nice|good)\s+$", low[:m.start()])
                slot, value, said = _PROXY.get(_what, (None, None, "")) if not (refused_topic or mood_of_ending) \
                    else (None, None, "")
                if _what == "black and white" and refused_topic and not re.search(r"colou?r", m.group(0)):
                    slot, value, said = "year_min", 1960, "films from 1960 on"  # "i dont do black and white"
                if _what == "budgets or box office" and refused_topic and re.match(r"blockbusters?", m.group(0)):
                    slot, value, said = "quality", "hidden_gem", "lesser-known films"  # "not the blockbusters": the smaller ones
                if slot in ("year_max", "year_min") and ents.year_max is None and ents.year_min is None and not ents.decades:
                    setattr(ents, slot, value)
                    ents.stand_ins.append(said)
                elif slot == "mood" and not ents.moods and not ents.genres:
                    ents.moods.append(value)
                    ents.stand_ins.append(said)
                elif slot == "quality" and said not in ents.stand_ins:
                    if value not in ents.qualities:
                        ents.qualities.append(value)
                    ents.stand_ins.append(said)
                head = re.split(r"[- ]", m.group(0))[0]  # "christmas" (not "christma"), "zombies", "werewolves"
                key = next((k for k in (head, head.removesuffix("s"), re.sub(r"ves$", "f", head))
                            if k in _TOPIC_GENRE), "")
                topic = next((g for g in _TOPIC_GENRE.get(key, "").split("|") if g in self.genres), None)
                if _what == "what a film is about" and topic and not ents.genres and not ents.not_genres \
                        and not ents.audience and not ents.moods and not refused_topic:
                    ents.genres.append(topic)
                    ents.stand_ins.append(f"{topic.lower()} films")
                if not (_what == "what a film is about" and _TOPIC_QUERY.fullmatch(m.group(0))):
                    take(m)  # (a subject the documents may name stays in the free-text query: "submarines")
        m = _PARTNER.search(low)
        if m:
            ents.moods.append("date")
            ents.moods_exact = True  # an occasion written out ("w the gf"), not a mood guessed from similarity
            take(m)
        rest = "".join(" " if any(a <= i < b for a, b in used) else ch for i, ch in enumerate(low))
        # the words said only in praise of titles: no quality and no query is read from them
        praise_only = set(_words(" , ".join(rest[a:b] for a, b in praise))) - set(
            _words("".join(" " if any(a <= i < b for a, b in praise) else ch for i, ch in enumerate(rest))))
        # "no jim carrey pls i cant stand him", "im so sick of his face": a clause that points back at the person
        # is what the user thinks of them, not a description of the film wanted (its words never become the query)
        comment = {w for m in _COMMENT_CLAUSE.finditer(rest) for w in _words(m.group(0))} \
            if ents.people or ents.not_people else set()
        comment |= {w for m in _ASIDE.finditer(rest) if not _TASTE_WORDS.search(m.group(0))
                    for w in _words(m.group(0))}
        rest = re.sub(r"\btime (travel\w*|loops?|machines?)\b", r"time-\1", rest)  # a topic, not the word "time"
        rest = re.sub(r"\bw/o\b", "without", rest)
        # holidays named after a word that is also a subject: "boxing day" (26 December) is no boxing film, a
        # "fathers day" film no film about fathers
        rest = re.sub(r"\b(?:boxing|father'?s|mother'?s) day\b", lambda m: " " * len(m.group(0)), rest)
        # what a film is to soothe is the viewer's feeling, not its mood ("something to soothe the dread": no horror)
        rest = re.sub(r"\b((?:soothe|ease|calm|numb|take (?:my|our|his|her|the) minds? off|distract (?:me|us|him|her) from|"
                      r"shake off|drown out|forget)\s+(?:the\s+|my\s+|our\s+|this\s+|all\s+(?:the\s+|my\s+)?)?)([a-z'-]+)",
                      lambda m: m.group(1) + " " * len(m.group(2)), rest)
        # what a film did to the user once ("that thing gave me nightmares for a month"): a memory, not a mood asked for
        rest = re.sub(r"\b(?:gave|has given|have given|used to give)\s+(?:me|us|him|her|them)\s+nightmares\b",
                      lambda m: " " * len(m.group(0)), rest)
        # an outburst threatened ("if i see one more lawyer i will scream"): exasperation, not a scary or sad film, and
        # what would cause it is refused (read as "no lawyer films")
        rest = re.sub(r"\bif (?:i|we) (?:have to )?(?:see|hear|watch|sit through) (?:one more|another|any more|more) "
                      r"([a-z'-]+(?: [a-z'-]+)?)\s+" + _OUTBURST, lambda m: f"no {m.group(1)} films".ljust(len(m.group(0))), rest)
        rest = re.sub(r"\bif\b[^.!?]{0,60}?\b" + _OUTBURST, lambda m: " " * len(m.group(0)), rest)
        # ... and said as what happens otherwise ("nothing babyish or theyll riot")
        rest = re.sub(r"\b(?:or|otherwise|or else)\s+" + _OUTBURST, lambda m: " " * len(m.group(0)), rest)
        # "moving" as motion, not emotion: "keeps my legs moving", "get moving", "moving house"
        rest = re.sub(r"\b(?:(?:keeps?|kept|keeping|gets?|got|getting|stay|start)\s+(?:[a-z']+\s+){0,2}moving|"
                      r"moving (?:house|home|out|in|day|boxes|van|truck|to)|mov(?:e|es|ed) (?:house|home|out|in|away|abroad|to))\b",
                      lambda m: " " * len(m.group(0)), rest)
        rest = ROOM_SPACE.sub(lambda m: " " * len(m.group(0)), rest)
        # "keep the good mood rolling", "keep the party going": go on with it, not a rollicking film
        rest = re.sub(r"\b(keep|keeps|keeping)(\s+(?:the|it|this|my|our)\s+(?:[a-z]+\s+){0,2}?)(rolling|going)\b",
                      lambda m: m.group(1) + m.group(2) + " " * len(m.group(3)), rest)
        # "by the time i get off (the bus, work)": leaving, not a refusal or a mood
        rest = re.sub(r"\b(?:get|gets|got|getting)\s+off\b", lambda m: " " * len(m.group(0)), rest)
        # "leave westerns off the list", "horror is off the table": the words of a refusal (the linker reads what is
        # refused), not a calm film to doze off to, and no words of the free-text query
        rest = re.sub(r"\b(?:(?:leave|leaving|keep|keeping|take|taking|cross|crossing|strike)\b(?=(?:\s+[a-z'-]+){0,4}?\s+off\b)|"
                      r"off (?:the|my|our|your|tonights|tonight'?s) (?:list|table|menu|cards|agenda|radar|shortlist|lineup|line-up)\b)",
                      lambda m: " " * len(m.group(0)), rest)
        # "the water goes cold", "its freezing out": the weather or the bath, not a chilling film
        rest = re.sub(r"\b(?:goes|gone|went|going|gets?|got|getting|turns?|turned|runs?|ran)\s+(?:\w+\s+)?(?:cold|chilly|freezing)\b|"
                      r"\b(?:cold|chilly|freezing) (?:outside|out there|out|weather|snap|night|evening|day|morning)\b",
                      lambda m: " " * len(m.group(0)), rest)
        # "nobody's in the mood for anything sad", "not in the mood for X": a refusal of X
        rest = re.sub(r"\b(?:not|nobody'?s|nobody is|no one'?s|no one is|noone'?s|isn'?t|aren'?t|am not|i'?m not|none of us (?:are|is))"
                      r"(?: really| really| exactly)? in the mood (?:for|to watch)\b", "not", rest)
        # "ive seen enough blood for one lifetime", "had more than enough of sad films": a refusal of it
        rest = re.sub(r"\b(?:seen|had|watched)\s+(?:more than\s+)?enough(?:\s+of)?\b", lambda m: "not".ljust(len(m.group(0))), rest)
        # "avoid anything too dark", "sick of sad films", "not really into gritty stuff": refusals said in words the
        # mood windows do not know, read as "not"
        rest = _STRONG_REFUSAL.sub(lambda m: "not".ljust(len(m.group(0))), rest)
        # "my 8 yr old cries at anything even a bit sad", "she gets upset over anything scary": what upsets the viewer
        # is refused (a reaction to films, not a mood asked for)
        # "i get upset at sad endings", "terrified of anything spooky", "he cant handle anything scary"; not a wish ("i
        # want to cry at something", "a film to get scared by")
        rest = re.sub(r"(?<!to )\b(?:(?:cries|cry|crying|bawls?|sobs?|(?:gets?|got|getting) (?:upset|scared|freaked out|teary)|"
                      r"upset|freaks? out|freaked out|panics?)\s+(?:at|over|during|with|by)|terrified (?:of|by)|"
                      r"(?:can'?t|cannot|doesn'?t|does not|don'?t|do not|won'?t) (?:handle|cope with))"
                      r"(?:\s+(?:anything|everything|stuff|films?|movies?|any(?:thing)?\s+(?:films?|movies?)))?"
                      r"(?:\s+(?:that'?s|that is|thats))?(?:\s+even)?(?:\s+(?:a (?:bit|little|tad)|remotely|slightly|vaguely|mildly|"
                      r"kinda|kind of|at all))?\b",
                      lambda m: "not".ljust(len(m.group(0))), rest)
        # "documentaries bore me senseless and so do biopics", "no horror, same goes for thrillers": a refusal in the
        # sentence before goes on to what follows
        rest = re.sub(r"(?<=[a-z])\s*,?\s+" + SAME_GOES + r"\b",
                      lambda m: (" not" if re.search(r"\b(?:not|no|nothing|never|hate|hates|bores?|bored|can'?t)\b",
                                                      rest[max(0, rest.rfind(".", 0, m.start()) + 1):m.start()])
                                 else m.group(0)).ljust(len(m.group(0))), rest)
        # "happy with literally any other kind of film": fine with it, no happy film asked for
        rest = re.sub(r"\bhappy (?:with|to (?:watch|try|see))(?=\s+(?:literally\s+|pretty much\s+|basically\s+|just\s+)?"
                      r"(?:any|anything|whatever|most|all|the rest|everything|other)\b)", lambda m: " " * len(m.group(0)), rest)
        # a sentence's end is a break no mood window or refusal reaches over ("somewhere snowy. fargo vibes")
        # (a comma before an asking word ends a refusal: "nothing sad, something exciting"; `turn` holds those words)
        words, turn = _words_and_turns(rest)
        content = [w for w in words if not _stop(w)]
        # a mood word right after a refusal ("nothing depressing") is not asked for; its opposite may be
        # (a refusal reaches over degree words and over the content words it already refused: "not some dumb
        # slapstick thing" refuses "dumb" and "slapstick")
        refused: set[int] = set()
        for i in range(len(words)):
            if any(words[j] in _NEGATORS and all(words[k] in _DEGREE or (k in refused and not _stop(words[k]))
                                                 for k in range(j + 1, i)) and not any(k in turn for k in range(j + 1, i + 1))
                   for j in range(max(0, i - 4), i)):
                refused.add(i)
            elif any(words[j] in ("nothing", "none") and any(words[k] in _RELATIVE for k in range(j + 1, min(i, j + 6)))
                     and not any(k in turn for k in range(j + 1, i + 1)) for j in range(max(0, i - 9), i)):
                refused.add(i)  # "nothing that will give her nightmares", "nothing my 10 year old would have nightmares from"
        mood_words: set[str] = set()  # words a mood was read from
        refused_moods: set[str] = set()  # moods said with a refusal ("nothing tense"): never asked for
        opposites: dict[str, str] = {}  # mood read only as the opposite of a refused one -> that one ("no feelings")
        if refused:
            # the words of a mood's own refusing phrases ("not too heavy": "heavy"), refused here: that mood is asked for
            said_refusing = {k for k, p in self.examples if p.split()[0] in _NEGATORS
                             and {w for w in p.split()[1:] if not _stop(w)} & {words[i] for i in refused}}
            # ... and when all of such a phrase's words are refused here ("nothing too slow" is "nothing slow"), that
            # mood is asked for even where the word alone reads as no mood
            for k, p in self.examples:
                said = {w for w in p.split()[1:] if not _stop(w)}
                if p.split()[0] in _NEGATORS and said and said <= {words[i] for i in refused} and k not in ents.moods:
                    ents.moods.append(k)
                    mood_words |= said
                    ents.moods_exact = True  # the example's own words ("zero thinking required"), not a likeness
            before = set(mood_words)
            refused_read = self._moods([w if i in refused else "," for i, w in enumerate(words)], mood_words)
            refused_text = " " + " ".join(words[i] for i in sorted(refused)) + " "
            # a subject refused inside a genre asked for outright ("horror but no possession or exorcism stuff"): the
            # genre carries the mood it reads as, so neither its opposite is asked for nor its genres refused; its
            # words are said as having no data (below). A mood's own word refused ("a drama, nothing too sad") is not.
            subject = [m for m in refused_read if set(MOODS[m].genres) & set(ents.genres)
                       and not any(k == m and f" {p} " in refused_text for k, p in self.examples)]
            # ... and so is a subject no data names, refused anywhere ("a comedy, nothing with hostages"): no opposite mood
            named = {m for p, m in self.subjects.items() if f" {p} " in refused_text}
            if (subject and len(subject) == len(refused_read)) or (refused_read and set(refused_read) <= named):
                refused_moods.update(refused_read)
                mood_words = before
                refused_read = []
            for mood in refused_read:
                if mood in said_refusing:  # first: "zero slow bits" reads through "nothing slow", exciting, asked for
                    if mood not in ents.moods:
                        ents.moods.append(mood)
                elif NOT_MOOD.get(mood):
                    refused_moods.add(mood)
                    opposite = _opposite(mood, ents.genres)
                    if opposite not in ents.moods:
                        ents.moods.append(opposite)
                        opposites[opposite] = mood
                else:
                    refused_moods.add(mood)
                    if not any(k == mood and p.split()[0] in _NEGATORS for k, p in self.examples):
                        # no opposite ("no history stuff"): the genres that carry it are refused (not for a mood that
                        # can itself be said with a refusal: "dont sugarcoat it" refuses no comedy)
                        ents.not_genres += [g for g in MOODS[mood].genres if g not in ents.not_genres and g not in ents.genres]
            # what is refused and read as nothing ("NO possession or exorcism stuff"): said, never silently dropped
            runs: list[list[int]] = []  # word positions
            for i in sorted(refused):
                w = words[i]
                on_screen = i + 1 < len(words) and (words[i + 1] in _ON_SCREEN or tuple(words[i + 1:i + 3]) in _ON_SCREEN)
                if _stop(w) or w in mood_words or (w in comment and not on_screen) or w in _NEGATORS or w in _DEGREE \
                        or w in _ON_SCREEN:
                    continue
                if runs and i - 1 in refused and (i - 1 == runs[-1][-1] or words[i - 1] in ("or", "and", "nor")):
                    runs[-1].append(i)  # "no possession or exorcism": one phrase
                else:
                    runs.append([i])
            for run in runs:
                # a subject is refused as a kind of film ("no possession stuff", "no kidnapping plots", "no gore or
                # jump scares") or as what a film is about ("not about ww2"); a bare word ("michael not kirk") may be
                # a name, a typo or anything else
                about = run[0] > 0 and words[run[0] - 1] == "about"
                after = words[run[-1] + 1:run[-1] + 3]
                placed = bool(after) and (after[0] in _ON_SCREEN or tuple(after) in _ON_SCREEN)  # "no spiders anywhere"
                if not about and not placed and (not after or after[0] not in _REFUSED_KIND) \
                        and not self._refused_at_end(rest, [words[i] for i in run]) \
                        and " ".join(words[i] for i in run) not in self.subjects:  # (a subject the examples name: "car crashes")
                    continue
                # neighbours are one phrase ("no stiff upper lip ones"), words with "or" between them a list
                phrase = words[run[0]] + "".join((" " if i == j + 1 else " or ") + words[i] for j, i in zip(run, run[1:]))
                if any(set(phrase.split()) <= set(u.split()) for u in ents.unmatched):
                    continue  # said already ("no body horror": the kind refused, read by the linker)
                if phrase not in ents.unmatched:
                    ents.unmatched.append(phrase)
            words = ["," if i in refused else w for i, w in enumerate(words)]
            content = [w for w in words if not _stop(w) and w != ","]
        # praise in words no pattern knows ("reviewers raved", "sleeper hits"); "good ones" alone says little more
        if content and set(ents.qualities) <= {"well_reviewed"}:
            q, q_words = self._quality(["," if w in praise_only else w for w in words])
            if q and q not in ents.qualities:
                ents.qualities = [x for x in ents.qualities if x != "well_reviewed"] + [q]
                words = ["," if w in q_words else w for w in words]
                content = [w for w in content if w not in q_words]
        if content or any(f" {p} " in " " + " ".join(words) + " " for _, p in self.examples if " " in p):
            windows_exact = {p for _, p in self.examples}
            ents.moods_exact = ents.moods_exact or any(p in " ".join(words) for p in windows_exact if len(p) > 3
                                                       and re.search(rf"\b{re.escape(p)}\b", " ".join(words)))
            asked = self._moods(words, mood_words)
            for mood in asked:
                if mood not in ents.moods:
                    ents.moods.append(mood)
            # two moods at most are read from a message; one asked for after the last asking cue that is the opposite
            # of one read (the state the user is in: "jittery, 4 coffees deep ... something slow and calm") is added,
            # and the opposites are settled below
            cues = list(_ASKS.finditer(rest))
            if len(asked) == 2 and cues and cues[-1].start() > 0:
                for mood in self._moods(_words(rest[cues[-1].start():])):
                    if mood not in ents.moods and any(NOT_MOOD.get(mood) == m or NOT_MOOD.get(m) == mood for m in ents.moods):
                        ents.moods.append(mood)
            # an opposite guessed from a refusal that shares no genre with a mood asked outright goes ("feral mood ...
            # no feelings": action-packed, not feel-good too); what was refused still is ("no feelings": no drama)
            for opp, refused_mood in opposites.items():
                clash = [m for m in asked if m not in opposites and not set(MOODS[m].genres) & set(MOODS[opp].genres)]
                if clash and opp in ents.moods and opp not in asked:
                    ents.moods.remove(opp)
                    keep = set(ents.genres) | {g for m in asked for g in MOODS[m].genres}
                    ents.not_genres += [g for g in MOODS[refused_mood].genres if g not in ents.not_genres and g not in keep]
            # a subject the mood was read from ("boxing" -> sports): the catalog cannot say what a film is about
            joined = " " + " ".join(words) + " "
            for phrase, mood in self.subjects.items():
                if mood in ents.moods and f" {phrase} " in joined and phrase not in ents.unmatched \
                        and not any(phrase in u for u in ents.unmatched):
                    ents.unmatched.append(phrase)
                    if f"{MOODS[mood].label} films" not in ents.stand_ins:
                        ents.stand_ins.append(f"{MOODS[mood].label} films")
            # what the films are, read as a mood only by likeness ("haunted house movies" -> scary, "martial arts films"
            # -> action-packed), also right before a genre ("an amusement park horror", words no other reader used):
            # a subject no data names, said so, with the mood as its stand-in
            before_genre = [" ".join(run) for run in _before_genres(masked, set(content))]
            for phrase in _kind_phrases(rest, comment) + before_genre:
                kind = [w for w in phrase.split() if not _stop(w)]
                # (a mood's own words: an example in the phrase, or the phrase part of one, "big dumb" of "big dumb action")
                if not kind or any(f" {p} " in f" {phrase} " or set(kind) <= set(p.split()) for _, p in self.examples) \
                        or any(phrase in u or u in phrase for u in ents.unmatched):
                    continue
                for mood in self._moods(kind):
                    if mood in ents.moods and phrase not in ents.unmatched:
                        ents.unmatched.append(phrase)
                        mood_words.update(kind)  # (no word of it is left for the free-text query)
                        if f"{MOODS[mood].label} films" not in ents.stand_ins:
                            ents.stand_ins.append(f"{MOODS[mood].label} films")
        ents.moods = [m for m in ents.moods if m not in refused_moods]  # also when other words read as it
        if "sad" in ents.moods and re.search(r"\blaugh(?:s|ing)?\s+(?:till|until|so hard|so much)(?:\s+(?:that\s+)?(?:i|we|you|they))?"
                                             r"\s+(?:cry|cried|wee|pee)|\bcry(?:ing)? (?:with )?laugh|\btears of laughter\b", text.lower()):
            ents.moods.remove("sad")  # "laugh till i cry": funny, not sad
            if "funny" not in ents.moods and "Comedy" not in ents.genres:
                ents.moods.append("funny")
        if "upbeat" in ents.moods and "feel_good" in ents.moods:  # "nothing dark or sad": upbeat says feel-good already
            ents.moods.remove("feel_good")
        if "hidden_gem" in ents.qualities:  # "nobody brings up anymore but actually good": its critic bar is the one
            ents.qualities = [q for q in ents.qualities if q not in ("acclaimed", "well_reviewed")]
        for a, b in [(a, b) for a in ents.moods for b in ents.moods if NOT_MOOD.get(a) == b]:
            drop = self._not_asked(rest, (a, b)) if a in ents.moods and b in ents.moods else None
            if drop:  # opposites ("dead quiet ward, need something to keep me awake"): the one not asked for goes
                ents.moods.remove(drop)
        if "scary" in ents.moods and scared_easily:
            # something scary asked for by someone who scares easily ("haunted house movies, my gf scares easy"):
            # the scary films, but the milder ones (rated PG-13 at most), not none of them
            ents.not_genres = [g for g in ents.not_genres if g not in scared_easily]
            if ents.audience in ("", "no_adult") and not ents.rated:
                ents.audience, ents.rated = "", _RATINGS_UP_TO["pg"] + ["PG-13"]
        if re.search(r"\b(?:dark|black|gallows|morbid)\s+humou?r\b", low) and "Comedy" not in ents.genres:
            ents.genres.append("Comedy")  # "i like dark humour": a comedy (and the dark mood, read from "dark")
            if "dark" not in ents.moods:
                ents.moods.append("dark")
        if "dark" in ents.moods and "Comedy" in ents.genres:  # "dark comedies": comedy with a dark strand
            ents.moods[ents.moods.index("dark")] = "dark_comedy"
        if ents.audience == "kids" and set(ents.genres) & {"Horror", "Thriller"} and not ents.rated:
            ents.audience, ents.rated = "", list(_RATINGS_UP_TO["pg"])  # children asking for scary: a PG horror film
        if ents.audience == "no_adult" and "Horror" in ents.genres and not ents.rated:
            # a teenager asking for horror ("my 17 yr old loves a scary one"): nothing rated R, but horror (which the
            # "no_adult" audience never allows)
            ents.audience, ents.rated = "", _RATINGS_UP_TO["pg"] + ["PG-13"]
        if ents.audience == "no_adult" and "R" in ents.rated and not {"G", "PG"} & set(ents.rated):
            # "my 16 yo ... something actually rated R": the rating asked for outright, over the one the age implies
            ents.audience = ""
        if ents.audience == "kids" and "family" in ents.moods:
            ents.moods.remove("family")  # the audience filter already says it
        if ents.audience == "kids" and "Children's" in ents.genres and len(ents.genres) >= 2:
            # "kids on bikes having adventures" for an 11 year old: the audience already asks for children's films (or
            # family or animated ones); the genre on top would also need MovieLens's own Children's label
            ents.genres.remove("Children's")
        leftover = list(dict.fromkeys(w for w in content if w not in mood_words and w not in comment and w not in praise_only))
        if leftover and (_ASKS.search(rest) or _KIND_PLURAL.search(rest)) and not _read_anything(ents):
            # a capitalised word inside a sentence is a name ("Recommend Avatar (2009)"), never a taste
            names = {m.group(0).lower() for m in re.finditer(r"\b[A-Z][\w'-]*", text)
                     if text[:m.start()].strip() and not re.search(r"[.!?:]\s*$", text[:m.start()])}
            # a word just after a refusal is no taste ("nobody has a bad day" is not "bad", "zero guilt" not "guilt")
            refused = {w for m in _AFTER_REFUSAL.finditer(low) for w in m.group(1).split()}
            taste = [w for w in leftover if w not in names and w not in refused]
            stand_in = self._nearest_mood(taste)
            if stand_in and stand_in[1] not in self.subjects and len(taste) > STAND_IN_MAX_WORDS:
                # a long message's nearest word is chance ("beige small talk in the lift" is not "hair-raising"): the
                # learned leaning reads the whole of it instead (nlu.py)
                stand_in = None
            if stand_in:  # "just something cozy": the nearest mood, said as a stand-in (never silently)
                mood, window = stand_in
                ents.moods.append(mood)
                # said as the user named the kind of film it is part of ("haunted house", not "haunted")
                said = next((p for p in _kind_phrases(rest, comment) if f" {window} " in f" {p} "), window)
                ents.unmatched.append(said)
                ents.stand_ins.append(f"{MOODS[mood].label} films")
                leftover = [w for w in leftover if w not in said.split()]
        # what the films are is a topic: "natural disaster movies from the 90s", and a word right before a genre
        # ("a dark space horror movie", "zombie comedies")
        kind = _KIND_NP.search(rest)
        topic = [w for w in _words(kind.group(1)) if w in leftover] if kind else []
        for run in _before_genres(masked, set(leftover)):  # the leftover words right before a genre ("found footage horror")
            topic += [w for w in run if w not in topic]
        topic = topic if not ents.query else []
        if topic:
            ents.query = " ".join(topic).replace("time-", "time ")  # ("time-loop" was one word only for the moods)
            leftover = [w for w in leftover if w not in topic]
        if leftover and ents.unread_years:
            # "what came out the year the old bridge opened": the words that date the films are asked about (which
            # years?), not searched
            dating = set(_words(ents.unread_years.lower()))
            leftover = [w for w in leftover if w not in dating]
        if leftover and len(leftover) <= MAX_QUERY_WORDS:  # longer leftovers are chatter or instructions
            words_left = " ".join(leftover).replace("time-", "time ")
            beside = ents.has_filters() or ents.refuses()
            if ents.query or (beside and not _TOPIC_CUE.search(rest)):
                # words beside what was read, and no topic cue ("hot day, brain off, explosions" leaves "hot brain off";
                # "ive seen raiders ... like a hundred times so skip those" leaves "hundred skip"): not a description.
                # As a query they picked the candidates by title words; they are said as not used instead.
                ents.unused.append(words_left)
            else:
                ents.query = words_left

    @staticmethod
    def _refused_at_end(rest: str, run: list[str]) -> bool:
        """A thing refused with "no" at the end of a clause ("a comedy but no spoofs, the parody stuff ...", "no
        clowns.", "no spider."): one or two words that are no idiom ("no worries", "no rush"); a single word only
        before a sentence's end ("a disney-free zone" was restated "no disney.")."""
        if len(run) > 2 or run[-1] in _NOT_THINGS or len(run[-1]) < 3:
            return False
        plural = re.fullmatch(r"[a-z]{3,}[^s']s", run[-1])
        end = r"(?:[,.;:!?)]|$|\b(?:pls|plz|please)\b)" if plural else r"(?:[.;!?]|$)"
        return re.search(r"\b(?:no|zero|without|nothing with|nothing involving|nothing featuring)\s+" + r"\s+".join(map(re.escape, run))
                         + r"\s*" + end, rest) is not None

    def _nearest_mood(self, words: list[str]) -> tuple[str, str] | None:
        """(mood, window) for the window of `words` nearest a mood example when it is at least STAND_IN_FLOOR near
        it, below the reading threshold: a request whose only words are a taste the examples do not hold ("cozy")."""
        windows = [w for w in self._windows(words) if len(w.split()) <= 2]
        if self.embedder is None or not windows:
            return None
        sims = self.embedder.embed(windows) @ self._example_vectors().T  # (n_windows, n_examples)
        sims = np.where(self._opposed(windows), 0.0, sims)
        # an example said with a refusal ("no thinking required") is no stand-in for the word without it ("thinking")
        refusing = np.array([p.split()[0] in _NEGATORS for _, p in self.examples])  # (n_examples,)
        sims[:, refusing] = 0.0
        i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[i, j] < STAND_IN_FLOOR:
            return None
        return self.examples[int(j)][0], windows[int(i)]

    def _not_asked(self, rest: str, pair: tuple[str, str]) -> str | None:
        """Of two opposite moods read from one message, the one the words after the last asking cue ("need",
        "want", "something") do not read as; None when they read as both ("something bittersweet, happy and sad")
        or neither."""
        cues = list(_ASKS.finditer(rest))
        asked = self._moods(_words(rest[cues[-1].start():])) if cues else []
        a, b = pair
        return (a if b in asked else b) if (a in asked) != (b in asked) else None

    def _opposed(self, windows: list[str]) -> np.ndarray:
        """(n_windows, n_examples) True where a window and an example differ by a word and its opposite ("high
        stakes" / "low stakes", "slow burn" / "fast"): embeddings put such pairs close, but they mean the other way."""
        out = np.zeros((len(windows), len(self.examples)), dtype=bool)
        for i, win in enumerate(windows):
            own = set(re.split(r"[\s-]+", win))
            opp = {o for w in own for o in _OPPOSITE.get(w, ())} - own  # "happy and sad" asks for both
            if opp:
                out[i] = [bool(opp & ws) for ws in self._opposable]
        return out

    def _windows(self, words: list[str]) -> list[str]:
        """The 1-4 word windows of `words` that start and end on content words (at most 40)."""
        windows = []
        for n in (1, 2, 3, 4):
            for i in range(len(words) - n + 1):
                win = words[i:i + n]
                if "," in win or win[0] in _STOP or win[-1] in _STOP:
                    continue
                windows.append(" ".join(win))
        return list(dict.fromkeys(windows))[:40]

    def _quality(self, words: list[str]) -> tuple[str | None, set[str]]:
        """(quality, the words it was read from) for the window nearest a quality example, when that window is
        at least QUALITY_THRESHOLD near it (one word: plus SINGLE_WORD_MARGIN) and nearer it than any mood example."""
        # "my best friend", "the best man": no praise (the quality patterns skip them too)
        words = ["," if w == "best" and nxt in _NOT_PRAISE_AFTER_BEST else w for w, nxt in zip(words, words[1:] + [""])]
        windows = self._windows(words)
        if self.embedder is None or not windows:
            return None, set()
        if self._quality_vectors is None:
            self._quality_vectors = self.embedder.embed([p for _, p in self.quality_examples])
        W = self.embedder.embed(windows)  # (n_windows, dim)
        q_sims = W @ self._quality_vectors.T  # (n_windows, n_quality_examples)
        # a window that is only part of an example misses what made it one ("a shelf of dvds" is no "top shelf")
        q_sims[_part_of(windows, [p for _, p in self.quality_examples], words)] = 0.0
        # a lone word near an example only by its letters ("sleeping" / "slept on", "discovered" / "undiscovered",
        # "cut" / "deep cut") is no quality word unless very near: the example's own words must be all of it
        for i, win in enumerate(windows):
            if " " not in win:
                parts = set(win.split("-"))
                q_sims[i, [j for j, (_, p) in enumerate(self.quality_examples)
                           if not (set(p.split()) - _STOP <= parts) and q_sims[i, j] < LONE_QUALITY_WORD]] = 0.0
        m_best = (W @ self._example_vectors().T).max(axis=1)  # (n_windows,)
        q_best = q_sims.max(axis=1)  # (n_windows,)
        need = np.where([" " in w for w in windows], QUALITY_THRESHOLD, QUALITY_THRESHOLD + SINGLE_WORD_MARGIN)
        ok = (q_best >= need) & (q_best > m_best)
        if not ok.any():
            return None, set()
        keys = [self.quality_examples[int(j)][0] for j in q_sims.argmax(axis=1)]  # each window's nearest quality
        key = keys[int(np.argmax(np.where(ok, q_best, -1.0)))]
        return key, {w for i, win in enumerate(windows) if ok[i] and keys[i] == key for w in win.split()}

    def _moods(self, words: list[str], used: set[str] | None = None) -> list[str]:
        """Moods whose example phrases are nearest to some 1-4 word window of the message. The words of the
        windows that read as a mood are added to `used`."""
        used = set() if used is None else used
        windows = self._windows(words)
        joined = " " + " ".join(words) + " "
        found = [(k, p) for k, p in self.examples if p in windows or (" " in p and f" {p} " in joined)]
        # an example inside a longer one found ("cry" in "laugh till i cry") is that one's word, not its own mood
        exact = [k for k, p in found if not any(p != p2 and f" {p} " in f" {p2} " for _, p2 in found)]
        if not windows:  # only scaffolding words, but an example phrase may be all of them ("makes you think")
            exact = list(dict.fromkeys(exact))[:2]
            used |= {w for k, p in self.examples if k in exact and f" {p} " in joined for w in p.split()}
            return exact
        if self.embedder is None:
            used |= {w for p in windows if p in {e for _, e in self.examples} for w in p.split()}
            return list(dict.fromkeys(exact))[:2]
        W = self.embedder.embed(windows)  # (n_windows, dim)
        sims = W @ self._example_vectors().T  # (n_windows, n_examples)
        sims = np.where(self._opposed(windows), 0.0, sims)
        if exact:  # named by an example phrase: only those moods
            exact = list(dict.fromkeys(exact))[:2]
            self._use_words(exact, windows, sims, joined, used)
            return exact
        # a single word is read as a mood only when it is very near an example ("fall" is not "falling in love")
        one_word = np.array([" " not in w for w in windows])  # (n_windows,)
        sims = np.where(one_word[:, None] & (sims < self.threshold + SINGLE_WORD_MARGIN), 0.0, sims)
        # ... and a word for films themselves is no mood ("peak cinema", "70s cinema" is not "blockbuster")
        sims[[i for i, w in enumerate(windows) if w in _FILM_WORDS]] = 0.0
        # ... nor when it is near only by being a word of a longer example: "vibes" is not "good vibes", "feeling"
        # is not "feel-good" (the example's other words carry the mood)
        for a in np.nonzero(one_word)[0]:
            w = windows[a]
            for k, js in self._example_words.items():
                if w == k or (len(k) >= 4 and w.startswith(k)) or (len(w) >= 4 and k.startswith(w)):
                    # all of an example's words, hyphenated, are the example ("pick-me-up")
                    sims[a, [j for j in js if set(self._parts[j]) - set(w.split("-"))]] = 0.0
        # a word reads as one mood at most: a window nearer another mood than any window holding its words counts
        # for nothing ("brain" alone is "cerebral", but "brain is completely fried" is "brain is fried")
        keys = np.array([k for k, _ in self.examples])  # (n_examples,)
        win_best = sims.max(axis=1)  # (n_windows,)
        win_mood = keys[sims.argmax(axis=1)]  # (n_windows,) each window reads as its nearest mood only
        sims = np.where(keys[None, :] == win_mood[:, None], sims, 0.0)
        # and a lone word that a longer window holding it reads otherwise is read in that context ("brain" alone is
        # "cerebral", but "my brain is mush" is "brain is fried")
        def in_context(a: int, b: int) -> bool:  # window b, longer, reads window a's lone word in its context
            return one_word[a] and not one_word[b] and win_best[b] >= self.threshold

        drop = [any(win_mood[b] != win_mood[a] and set(wa.split()) & set(wb.split())
                    and ((win_best[b] > win_best[a] and not in_context(b, a)) or in_context(a, b))
                    for b, wb in enumerate(windows) if b != a) for a, wa in enumerate(windows)]
        sims[np.array(drop, dtype=bool)] = 0.0
        best = sims.max(axis=0)  # (n_examples,) best window per example
        out: dict[str, float] = {}
        for (k, _), s in zip(self.examples, best):
            if s >= self.threshold:
                out[k] = max(out.get(k, 0.0), float(s))

        kept: list[str] = []
        for k, _ in sorted(out.items(), key=lambda kv: -kv[1]):
            if not any(set(MOODS[k].genres) <= set(MOODS[j].avoid) for j in kept):
                kept.append(k)  # a mood whose genres a nearer one avoids is a misreading ("scary" then "feel-good")
        kept = kept[:2]
        self._use_words(kept, windows, sims, joined, used)
        return kept

    def _use_words(self, moods: list[str], windows: list[str], sims: np.ndarray, joined: str, used: set[str]) -> None:
        """Add to `used` the words a mood was read from (they are not also a free-text description): an example
        phrase written out ("dark"), or a window near the mood's examples that holds none ("transported somewhere");
        a window that is near only through an example word in it ("dark space") gives just that word."""
        phrases = [p for k, p in self.examples if k in moods and (p in windows or f" {p} " in joined)]
        used |= {w for p in phrases for w in p.split()}
        cols = [j for j, (k, _) in enumerate(self.examples) if k in moods]
        if not cols:
            return
        for i in np.nonzero(sims[:, cols].max(axis=1) >= self.threshold)[0]:
            win = f" {windows[i]} "
            if not any(f" {p} " in win for p in phrases):
                used |= set(windows[i].split())
