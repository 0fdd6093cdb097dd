"""Synthesise one retrieval document per item from catalog fields, never inventing facts.

"1982 film from Hong Kong and United States. Directed by Ridley Scott.
Written by David Peoples, Hampton Fancher. Genres: Film-Noir, Sci-Fi.
Studio: Warner Bros. ... Cast includes Harrison Ford, ..." — only fields the
catalog has are mentioned; cast is described as "cast includes", never as
billing order (the source lists it alphabetically).

`item_documents(catalog)` is what the scorer and the shared vector cache use (the index adds
`facts=True`: rating, runtime, awards, critic scores as sentences):
when an item has more than MAX_CAST cast members it names the ones who
appear in the most catalog items (a grounded proxy for prominence; the
alphabetical first eight of Jumanji's cast would omit Robin Williams), still
worded as "cast includes ... and others".
"""

from __future__ import annotations

import re

from collections import Counter
from typing import Mapping

from catalog.types import Catalog, Item

MAX_CAST = 8
_ARTICLE_SUFFIX = re.compile(r"^(?P<body>.*), (?P<art>The|A|An)$")


def reading_title(title: str) -> str:
    """'Empire Strikes Back, The' -> 'The Empire Strikes Back' (MovieLens files the article last)."""
    m = _ARTICLE_SUFFIX.match(title)
    return f"{m.group('art')} {m.group('body')}" if m else title


def _join(names: tuple[str, ...], limit: int | None = None) -> str:
    names = names[:limit] if limit else names
    return ", ".join(names)


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


def cast_counts(catalog: Catalog) -> Counter:
    """name -> number of catalog items listing that person in their cast."""
    return Counter(name for it in catalog for name in set(it.cast))


def item_documents(catalog: Catalog, facts: bool = False) -> list[str]:
    """One document per item in catalog order (cast chosen by catalog-wide prominence).
    `facts`: add the item's rating, runtime, awards and critic scores as sentences (the vector index
    does; the scorer's text signal keeps the documents it was measured with)."""
    counts = cast_counts(catalog)
    return [item_document(it, counts, facts) for it in catalog]


def fact_sentences(item: Item) -> list[str]:
    """'Rated PG.', 'Runs 94 minutes.', 'Won 3 Oscars. ...', "Critics' average 8.1/10 (95% positive reviews)."."""
    from catalog.facets import FINER_GENRES

    a, out = item.attributes, []
    finer = [g for g in a.get("omdb_genres") or () if g in FINER_GENRES and g not in item.genres]
    if finer:
        out.append(f"Also listed as: {', '.join(finer)}.")
    if a.get("rated"):
        out.append(f"Rated {a['rated']}.")
    if a.get("runtime_min"):
        out.append(f"Runs {int(round(float(a['runtime_min'])))} minutes.")
    if a.get("awards"):
        out.append(_sentence(str(a["awards"]).strip()))
    if a.get("critic_rating") not in (None, ""):
        meter = f" ({int(a['critic_meter'])}% positive reviews)" if a.get("critic_meter") not in (None, "") else ""
        out.append(f"Critics' average {float(a['critic_rating']):.1f}/10{meter}.")
    elif a.get("metacritic") not in (None, ""):
        out.append(f"Metacritic score {int(a['metacritic'])}/100.")
    return out


def item_document(item: Item, cast_rank: Mapping[str, int] | None = None, facts: bool = False) -> str:
    title = reading_title(item.title)
    parts = [f"{title} ({item.year})." if item.year else f"{title}."]
    lead = "film" if not item.genres else " ".join(g.lower() for g in item.genres[:3]) + " film"
    origin = f" from {' and '.join(item.countries[:3])}" if item.countries else ""
    when = f"{item.year} " if item.year else ""
    parts.append(f"A {when}{lead}{origin}.")
    if item.directors:
        parts.append(_sentence(f"Directed by {_join(item.directors)}"))
    if item.writers:
        parts.append(_sentence(f"Written by {_join(item.writers, 4)}"))
    if item.genres:
        parts.append(f"Genres: {_join(item.genres)}.")
    if item.languages:
        label = "Language" if len(item.languages) == 1 else "Languages"
        parts.append(f"{label}: {_join(item.languages, 3)}.")
    if item.studios:
        label = "Studio" if len(item.studios) == 1 else "Studios"
        parts.append(_sentence(f"{label}: {_join(item.studios, 3)}"))
    if item.cast:
        more = " and others" if len(item.cast) > MAX_CAST else ""
        cast = item.cast
        if cast_rank is not None and len(cast) > MAX_CAST:
            keep = set(sorted(cast, key=lambda n: (-cast_rank.get(n, 0), n))[:MAX_CAST])
            cast = tuple(n for n in cast if n in keep)  # source order (alphabetical) among the kept
        parts.append(_sentence(f"Cast includes {_join(cast, MAX_CAST)}{more}"))
    if facts:
        parts += fact_sentences(item)
    if item.text:
        parts.append(item.text.strip())
    return " ".join(parts)
