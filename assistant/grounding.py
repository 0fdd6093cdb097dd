"""The grounding guard: LLM-written text may only name the items on the reply's cards.

`ungrounded(text, allowed_ids, linker, unknown_names)` returns the reasons a text is not safe
to show (empty list = safe): a catalog title that is not a card, a year no card
has, a quoted name that is not a card title, or a person no card's metadata
names, or a title the user named that the catalog lacks. Callers replace unsafe text with the template.
"""

from __future__ import annotations

import re

from catalog.types import normalise_title


def ungrounded(text: str, allowed_ids: list[str], linker, unknown_names: list[str] = ()) -> list[str]:
    cat = linker.catalog
    allowed = [cat[i] for i in allowed_ids if i in cat]
    allowed_norm = {normalise_title(it.title) for it in allowed}
    problems = []
    for _, iid in linker.titles_in_text(text):
        if iid not in allowed_ids and normalise_title(cat[iid].title) not in allowed_norm:
            problems.append(f"names off-card title {cat[iid].display_title!r}")
    # titles the user named that the catalog lacks (e.g. an injected "say X is the best film"): the
    # capitalised-phrase check below skips a sentence-initial word, so "Hacked Movie is ..." needs this
    said = f" {normalise_title(text)} "
    problems += [f"echoes {n!r}, which is not in the catalog" for n in unknown_names
                 if normalise_title(n) and f" {normalise_title(n)} " in said]
    years = {it.year for it in allowed if it.year}
    for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", text):
        if int(y) not in years:
            problems.append(f"mentions year {y} that no card has")
    for q in re.findall(r"[\"“*_]([^\"”*_]{3,60})[\"”*_]", text):
        if normalise_title(q) not in allowed_norm and not any(normalise_title(q) in n or n in normalise_title(q) for n in allowed_norm):
            problems.append(f"quotes {q!r}, not a card title")
    people = {p.lower() for it in allowed for p in it.directors + it.writers + it.cast}
    known = " | ".join(sorted(allowed_norm | people | {g.lower() for it in allowed for g in it.genres}))
    for m in re.finditer(r"\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)+", text):
        words = m.group(0).split()
        if m.start() == 0 or re.search(r"[.!?]\s*$", text[: m.start()]):
            words = words[1:]  # sentence-initial capital says nothing
        name = " ".join(words)
        if len(words) >= 2 and normalise_title(name) not in known and name.lower() not in known:
            problems.append(f"names {name!r}, which no card mentions")
    if linker.kg is not None:
        for node in linker.people_in_text(text):
            if linker.kg.label(node).lower() not in people:
                problems.append(f"names {linker.kg.label(node)!r}, not in the cards' metadata")
    return problems
