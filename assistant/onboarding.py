"""Cold-start onboarding: three skippable questions whose answers become a profile.

Steps: (1) genres, options = the catalog's most common genres; (2) titles the
user liked, from five *informative* titles; (3) people (directors/actors).
Answers are linked to catalog ids / KG nodes (unlinkable words are ignored and
reported); "skip" moves on, "stop" ends onboarding. The resulting profile
(liked ids + "genre:..."/"person:..." entities) is what the scorer ranks with.

Informative titles: candidates are the 60 most-rated items; each scores
log(1 + #ratings) x entropy of its 1-5 rating histogram (Rashid et al. 2002,
"popularity x entropy": people know the title, and their opinion of it varies,
so an answer says something about taste). Five are picked greedily, each new
pick multiplied by 1 + (genres not yet covered) + 0.5 (new decade), so the
five span different genres and decades; genres chosen in step 1 get a 1.5x boost. The pick is
`scorer.elicitation.informative_rows`, the same code `recassist eval onboarding` evaluates.
"""

from __future__ import annotations

import re

import numpy as np

from scorer.elicitation import entropy_bits, informative_rows

STEPS = ("genres", "titles", "people")
SKIP = re.compile(r"^\s*(skip|pass|none|no|nope|next|don'?t know|idk|-)\s*[.!]?\s*$", re.I)
STOP = re.compile(r"^\s*(stop|quit|cancel|exit|done|finish)\b", re.I)


class Onboarding:
    def __init__(self, dataset, kg, linker):
        self.ds, self.kg, self.linker = dataset, kg, linker
        cat = dataset.catalog
        inter = dataset.interactions
        n = len(cat)
        self.popularity = np.bincount(inter.items, minlength=n)  # (n_items,) #ratings
        hist = np.zeros((n, 5), np.float64)  # (n_items, 5) rating histogram
        r = np.clip(np.rint(inter.ratings).astype(int), 1, 5) - 1
        np.add.at(hist, (inter.items, r), 1)
        self.entropy = entropy_bits(hist)  # (n_items,) bits
        from collections import Counter

        self.top_genres = [g for g, _ in Counter(g for it in cat for g in it.genres).most_common(10)]

    # -- questions ------------------------------------------------------------
    def informative_titles(self, genres: list[str] = (), k: int = 5, pool: int = 60) -> list[str]:
        rows = informative_rows(self.ds.catalog, self.popularity, self.entropy, genres, k, pool)
        return [self.ds.catalog.at(r).id for r in rows]

    def suggested_people(self, genres: list[str] = (), liked: list[str] = (), k: int = 5) -> list[str]:
        """Directors of the most-rated items (in the chosen genres / of liked titles first)."""
        cat = self.ds.catalog
        score: dict[str, float] = {}
        for row in np.argsort(-self.popularity)[:300]:
            it = cat.at(int(row))
            w = float(self.popularity[row]) * (2.0 if set(genres) & set(it.genres) else 1.0) * (3.0 if it.id in liked else 1.0)
            for d in it.directors:
                score[d] = score.get(d, 0.0) + w
        return [p for p, _ in sorted(score.items(), key=lambda kv: -kv[1])[:k]]

    def question(self, state: dict) -> tuple[str, list[str]]:
        step = STEPS[state["step"]]
        if step == "genres":
            return "Which genres do you enjoy? Pick any (or say 'skip').", list(self.top_genres)
        if step == "titles":
            ids = self.informative_titles(state["answers"].get("genres", []))
            state["title_options"] = ids
            return ("Did you like any of these? Answer with numbers or titles (or 'skip').",
                    [self.ds.catalog[i].display_title for i in ids])
        people = self.suggested_people(state["answers"].get("genres", []), state["answers"].get("liked", []))
        return "Any directors or actors you love? Name them (or 'skip').", people

    # -- answers --------------------------------------------------------------
    def parse_answer(self, state: dict, text: str) -> tuple[dict, list[str]]:
        """(profile additions {"genres": [...], "liked": [...], "people": [node...]}, ignored words)."""
        step = STEPS[state["step"]]
        if SKIP.match(text):
            return {}, []
        parts = [p.strip() for p in re.split(r",|;|\band\b|\n", text) if p.strip()]
        if step == "genres":
            found = self.linker.genres_in_text(text)
            ignored = [p for p in parts if not self.linker.genres_in_text(p)]
            return {"genres": found}, ignored
        if step == "titles":
            opts = state.get("title_options", [])
            liked = [opts[int(n) - 1] for n in re.findall(r"\b(\d)\b", text) if 1 <= int(n) <= len(opts)]
            ignored = []
            for p in parts:
                if re.fullmatch(r"[\d\s]+", p):
                    continue
                ids = self.linker.link_title(p)
                iid = ids[0] if ids else None  # most popular first when a title names several items
                if iid:
                    liked.append(iid)
                else:
                    ignored.append(p)
            return {"liked": list(dict.fromkeys(liked))}, ignored
        people, ignored = [], []
        for p in parts:
            found = self.linker.people_in(p, set())
            (people.append(f"person:{found[0][2]}") if found else ignored.append(p))
        return {"people": list(dict.fromkeys(people))}, ignored
