"""Utterance pools for the simulated user.

Each entry of ``POOLS`` maps an intent of the simulated user to a tuple of
paraphrased templates. The simulator picks one template at random and fills it
with ``str.format``. The pools try to sound like different real people typing
into a chat box: some lowercase and terse, some chatty with irrelevant detail,
questions and statements, a bit of slang, the odd British spelling, emoji or
small typo in ordinary words.

These templates were written WITHOUT reading the assistant's parser, rules or
tests (nothing under ``assistant/``, ``tools/`` or ``tests/`` was consulted),
so they are not tuned to what the assistant happens to recognise. No template
names a specific movie, person or year by itself.

Placeholder conventions (filled by the simulator):

``{titles}``
    An already-joined list of 1-3 liked movie titles, e.g.
    ``"toy story, fargo and heat"``. The simulator decides case, typos and the
    joining; templates never alter it and put no typos near it.
``{genre}``
    One lowercase genre word such as ``comedy``, ``thriller``, ``sci-fi``,
    ``action``, ``animation``, ``film-noir`` or ``children's``. Templates use it
    as a modifier (``{genre} picks``, ``some {genre} movies``) and never put an
    indefinite article directly before it, so words starting with a vowel and
    ``children's`` read acceptably.
``{decade}``
    A bare decade such as ``90s``, ``1990s`` or ``nineties``. Templates supply
    ``the`` themselves where grammar needs an article (``from the {decade}``).

Pools and their placeholders:

- ``vague_open``: ``{titles}``, ``{genre}`` - first message with liked movies
  and a genre request.
- ``genre_open``: ``{genre}`` - first message, genre only.
- ``decade_followup``: ``{decade}`` - follow-up narrowing the previous request
  to a decade.
- ``other_options``: none - asks for different options than those shown.
- ``taste_open``: ``{titles}`` - first message, liked movies only.
- ``more``: none - asks for more suggestions.
"""

POOLS: dict[str, tuple[str, ...]] = {
    "vague_open": (
        "big fan of {titles} -- got any {genre} picks for tonight?",
        "I loved {titles}. Could you recommend some {genre} movies?",
        "so i really liked {titles}, what {genre} stuff should i watch",
        "Hi! My partner and I just rewatched {titles} and had a great time. "
        "We're in the mood for some {genre} films now, any ideas?",
        "{titles} are some of my faves. looking for {genre} recs pls",
        "Enjoyed {titles}. Want {genre}. Suggestions?",
        "ok so {titles} = perfect movies imo. any {genre} stuff you'd "
        "point me to?",
        "Rainy evening here and I've got snacks sorted. I liked {titles} -- "
        "what {genre} films would you reccomend?",
        "tbh {titles} are kind of my taste. need some good {genre} movies 🍿",
        "If I liked {titles}, which {genre} titles would you suggest?",
        "Been on a bit of a kick lately: {titles}. Fancy something off the "
        "{genre} shelf next, what've you got?",
        "{genre} recs for someone who liked {titles}?",
    ),
    "genre_open": (
        "got any good {genre} movies?",
        "I'm in the mood for some {genre} films tonight. What do you suggest?",
        "{genre} recs pls",
        "Can you recommend some {genre} movies?",
        "looking for {genre} picks, nothing too long if possible lol",
        "Hey, friends are coming over later and we want to watch some "
        "{genre} movies. Ideas?",
        "what are some decent {genre} flicks",
        "After some {genre} films for the weekend, cheers",
        "suggest me some {genre} movies",
        "Fancy watching {genre} stuff tonight, what would you recomend?",
        "any {genre} movies worth watching? 🙏",
        "I want {genre} movies. Go.",
    ),
    "decade_followup": (
        "ideally from the {decade}",
        "anything from the {decade}?",
        "can you narrow that down to the {decade}?",
        "Preferably something made in the {decade}, if you have any.",
        "hmm, I'm more into stuff from the {decade} tbh",
        "only {decade} ones pls",
        "What about ones from the {decade}?",
        "ooh, do you have anything from back in the {decade}? love that era",
        "Could you stick to the {decade}?",
        "the {decade} would be ideal",
        "I'd prefer ones from around the {decade}.",
        "something from the {decade} maybe? my dad's visiting and he's into "
        "that period",
    ),
    "other_options": (
        "show me other ones",
        "hmm, what else have you got?",
        "not feeling any of these, anything different?",
        "Could you suggest some other options?",
        "nah, seen those. others?",
        "Those don't really grab me. What else is there?",
        "can you give me different ones pls",
        "meh. something else?",
        "I'm not sure about those, got any alternatives?",
        "none of these tbh, try again?",
        "Hmm, not quite what I was after. Any other sugestions?",
        "ok but like... other picks? 😅",
    ),
    "taste_open": (
        "I loved {titles}. What should I watch next?",
        "big fan of {titles}, any recs?",
        "just watched {titles}, what's next",
        "My favourite films are {titles}. Can you recommend something similar?",
        "if i liked {titles} what else would i like",
        "{titles} -- more like these pls",
        "Hey! I've been working through a watchlist and {titles} were easily "
        "the best so far. What would you suggest after them?",
        "Really enjoyed {titles}. Anything in a similar vein?",
        "ok so {titles} are my comfort movies. whats something new i might "
        "like 🙂",
        "Looking for recommendations based on {titles}.",
        "tbh nothing beats {titles} for me, but give me something close?",
        "Liked {titles}. Suggestions?",
    ),
    "more": (
        "more please",
        "next",
        "any others?",
        "Can you show me a few more?",
        "more",
        "got any more?",
        "Keep them coming!",
        "what else?",
        "ok, more suggestions pls",
        "Could I see some more recommendations?",
        "those are good, any more like that?",
        "moar 😄",
    ),
}
