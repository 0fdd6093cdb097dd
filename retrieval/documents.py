"""Synthesise one retrieval document per item from catalog fields, never inventing facts.

"1982 film from Hong Kong and United States. Directed by Ridley Scott.
Written by David Peoples, Hampton Fancher. Genres: Film-Noir, Sci-Fi.
Studio: Warner Bros. ... Cast includes Harrison Ford, ..." — only fields the
catalog has are mentioned; cast is described as "cast includes", never as
billing order (the source lists it alphabetically).
"""

from __future__ import annotations

from catalog.types import Item

MAX_CAST = 8


def _join(names: tuple[str, ...], limit: int | None = None) -> str:
    names = names[:limit] if limit else names
    return ", ".join(names)


def item_document(item: Item) -> str:
    parts = [item.display_title + "."]
    lead = "film" if not item.genres else " ".join(g.lower() for g in item.genres[:3]) + " film"
    origin = f" from {' and '.join(item.countries[:3])}" if item.countries else ""
    when = f"{item.year} " if item.year else ""
    parts.append(f"A {when}{lead}{origin}.")
    if item.directors:
        parts.append(f"Directed by {_join(item.directors)}.")
    if item.writers:
        parts.append(f"Written by {_join(item.writers, 4)}.")
    if item.genres:
        parts.append(f"Genres: {_join(item.genres)}.")
    if item.languages:
        parts.append(f"Language: {_join(item.languages, 3)}.")
    if item.studios:
        parts.append(f"Studio: {_join(item.studios, 3)}.")
    if item.cast:
        more = " and others" if len(item.cast) > MAX_CAST else ""
        parts.append(f"Cast includes {_join(item.cast, MAX_CAST)}{more}.")
    if item.text:
        parts.append(item.text.strip())
    return " ".join(parts)
