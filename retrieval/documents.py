"""Synthesise one retrieval document per item from catalog fields, never inventing facts.

"1982 film from Hong Kong and United States. Directed by Ridley Scott.
Written by David Peoples, Hampton Fancher. Genres: Film-Noir, Sci-Fi.
Studio: Warner Bros. ... Cast includes Harrison Ford, ..." — only fields the
catalog has are mentioned; cast is described as "cast includes", never as
billing order (the source lists it alphabetically).

`item_documents(catalog)` is what the index and the shared vector cache use:
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


def item_documents(catalog: Catalog) -> list[str]:
    """One document per item in catalog order (cast chosen by catalog-wide prominence)."""
    counts = cast_counts(catalog)
    return [item_document(it, counts) for it in catalog]


def item_document(item: Item, cast_rank: Mapping[str, int] | None = None) -> str:
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
    if item.text:
        parts.append(item.text.strip())
    return " ".join(parts)
