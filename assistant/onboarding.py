"""Cold-start onboarding: skippable questions whose answers become a profile.

Steps: (1) genres, options = the catalog's most common genres; (2) titles, in rounds of ROUND_SIZE
shown as cards, each answered Like / Dislike / Seen it (unmarked = haven't seen), until the user has
liked STOP_AFTER_LIKES titles or MAX_TITLES were shown (the early-stopping rule `recassist eval
onboarding` evaluates); (3) people (directors/actors). Answers are linked to catalog ids / KG nodes
(unlinkable words are ignored and reported); "skip" moves on, "stop" ends onboarding.

Which titles: the greedy questionnaire (`scorer.onboarding_eval.product_questionnaire`), the strategy
that did best on the development seeds of `recassist eval onboarding` (docs/results/onboarding_*.md):
titles added one at a time, each the one whose answers most raised an EASE proxy's NDCG@10 on users'
held-out likes. It is built by `recassist build` into artifacts/<dataset>/onboarding_questionnaire.json.
Without that file (not built yet, or built from other data) the titles are log(1 + #ratings) x
rating entropy with genre/decade coverage (`scorer.elicitation.informative_rows`), and
`build_assistant` prints a note saying so.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np

from scorer.elicitation import entropy_bits, informative_rows

STEPS = ("genres", "titles", "people")
ROUND_SIZE = 5  # titles per question
MAX_TITLES = 15  # titles shown at most (budget 15 in docs/results/onboarding_*.md)
STOP_AFTER_LIKES = 5  # onboarding's titles end after a round once this many are liked (the evaluated rule)
QUESTIONNAIRE_FILE = "onboarding_questionnaire.json"
QUESTIONNAIRE_LENGTH = 20
SKIP = re.compile(r"^\s*(skip|pass|none|no|nope|next|don'?t know|idk|-)\s*[.!]?\s*$", re.I)
NEXT_ROUND = re.compile(r"^\s*(next|continue|more)\s*[.!]?\s*$", re.I)  # the form's Answer with nothing ticked
STOP = re.compile(r"^\s*(stop|quit|cancel|exit|done|finish)\b", re.I)


def questionnaire_key(dataset) -> str:
    """What a saved questionnaire was built from: the catalog's ids and the interactions."""
    h = hashlib.sha256("\x00".join(dataset.catalog.ids).encode())
    inter = dataset.interactions
    for a in (inter.users, inter.items, inter.ratings):
        h.update(a.tobytes())
    return h.hexdigest()[:16]


def build_questionnaire(dataset, path: Path, force: bool = False) -> str:
    """Build and save the greedy questionnaire (skipped when the saved one matches the data)."""
    path = Path(path)
    if not force and load_questionnaire(dataset, path) is not None:
        return f"onboarding questionnaire: up to date ({path})"
    from scorer.onboarding_eval import product_questionnaire

    ids = product_questionnaire(dataset, QUESTIONNAIRE_LENGTH)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"data_key": questionnaire_key(dataset), "strategy": "greedy", "item_ids": ids}, indent=1))
    return f"onboarding questionnaire: {len(ids)} titles -> {path}"


def load_questionnaire(dataset, path: Path) -> list[str] | None:
    """The saved questionnaire's item ids, or None when missing, unreadable or built from other data."""
    try:
        d = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    if d.get("data_key") != questionnaire_key(dataset):
        return None
    ids = [i for i in d.get("item_ids", []) if i in dataset.catalog]
    return ids or None


# what a clause of a titles answer says about the titles in it ("liked 1 and 3, didn't like 2, seen 4")
_DISLIKE = re.compile(r"\b(?:didn'?t|did not|don'?t|do not) (?:like|enjoy|love)|\bdislik\w*|\bhat(?:e|ed)\b|\bnot (?:a fan|for me|"
                      r"great|good)|\b(?:bad|boring|awful|terrible|meh)\b|\U0001F44E")
_UNKNOWN = re.compile(r"\b(?:haven'?t|have not|never|not) (?:seen|watched)|\bdon'?t know|\bnever heard")
_SEEN = re.compile(r"\b(?:seen|saw|watched|ok(?:ay)?|so-so|fine|alright)\b")
_LIKE = re.compile(r"\b(?:lik(?:e|ed)|lov(?:e|ed)|enjoy(?:ed)?|great|good|favou?rites?|amazing)\b|\U0001F44D")


def clause_role(clause: str) -> str | None:
    """"disliked" | "unknown" | "seen" | "liked" | None (no cue) for one clause of a titles answer."""
    low = clause.lower()
    for role, rx in (("disliked", _DISLIKE), ("unknown", _UNKNOWN), ("seen", _SEEN), ("liked", _LIKE)):
        if rx.search(low):
            return role
    return None


class Onboarding:
    def __init__(self, dataset, kg, linker, questionnaire: list[str] | None = None):
        self.ds, self.kg, self.linker = dataset, kg, linker
        self.questionnaire = [i for i in (questionnaire or []) if i in dataset.catalog]
        self.strategy = "greedy" if self.questionnaire else "logpop_entropy"
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

    def next_titles(self, state: dict, k: int = ROUND_SIZE) -> list[str]:
        """The next `k` titles to show: the questionnaire's next ones not shown yet (then the most rated)."""
        shown = set(state.get("shown", []))
        if self.questionnaire:
            ids = [i for i in self.questionnaire if i not in shown][:k]
        else:
            genres = state["answers"].get("genres", [])
            ids = [i for i in self.informative_titles(genres, k + len(shown), pool=60 + len(shown)) if i not in shown][:k]
        for row in np.argsort(-self.popularity, kind="stable"):
            if len(ids) >= k:
                break
            iid = self.ds.catalog.at(int(row)).id
            if iid not in shown and iid not in ids:
                ids.append(iid)
        return ids

    @staticmethod
    def leaves_titles(text: str) -> bool:
        """"skip" leaves the titles; "next" only ends this round."""
        return bool(SKIP.match(text)) and not NEXT_ROUND.match(text)

    def titles_done(self, state: dict) -> bool:
        """The early-stopping rule: enough likes, or the budget of titles is used up."""
        shown = len(state.get("shown", []))
        return (len(state["answers"].get("liked", [])) >= STOP_AFTER_LIKES
                or shown >= min(MAX_TITLES, len(self.ds.catalog)))

    def question(self, state: dict) -> tuple[str, list[str]]:
        step = STEPS[state["step"]]
        if step == "genres":
            return "Which genres do you enjoy? Pick any (or say 'skip').", list(self.top_genres)
        if step == "titles":
            ids = self.next_titles(state)
            state["title_options"] = ids
            state.setdefault("shown", []).extend(i for i in ids if i not in state["shown"])
            rnd = (len(state["shown"]) - 1) // ROUND_SIZE + 1
            more = "" if rnd == 1 else f"A few more ({rnd} of up to {MAX_TITLES // ROUND_SIZE}). "
            return (more + "Do you know any of these? Mark each card Like, Dislike or Seen it, or tick the ones you "
                    "liked, or write e.g. \"liked 1 and 3, didn't like 2, seen 4\". Titles you leave unmarked count as "
                    "not seen ('skip' moves on).", [self.ds.catalog[i].display_title for i in ids])
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
            return self._title_answers(state.get("title_options", []), text)
        people, ignored = [], []
        for p in parts:
            found = self.linker.people_in(p, set())
            (people.append(f"person:{found[0][2]}") if found else ignored.append(p))
        return {"people": list(dict.fromkeys(people))}, ignored

    def _title_answers(self, opts: list[str], text: str) -> tuple[dict, list[str]]:
        """{"liked"/"disliked"/"seen": [ids]} from "liked 1 and 3, didn't like 2, seen 4" or typed titles.
        Each clause's cue decides for the numbers and titles in it; a clause without a cue takes the one
        before it, and the first defaults to liked (a bare "1 and 3" means liked)."""
        out: dict[str, list[str]] = {"liked": [], "disliked": [], "seen": []}
        ignored: list[str] = []
        role = "liked"
        for clause in re.split(r"[,;.\n]|\bbut\b", text):
            if not clause.strip():
                continue
            role = clause_role(clause) or role
            ids = [opts[int(n) - 1] for n in re.findall(r"\b(\d{1,2})\b", clause) if 1 <= int(n) <= len(opts)]
            rest = re.sub(r"\b\d{1,2}\b", " ", clause)
            for part in re.split(r"\band\b|&|\bboth\b", rest):
                part = part.strip(" !?:-'\"#")
                if not part or not re.search(r"[A-Za-z]", part):
                    continue
                bare = re.sub(r"\b(?:i|it|was|were|is|are|the ones?|too|also|really|all|of them|them|number|no\.?)\b",
                              " ", part.lower())
                for rx in (_DISLIKE, _UNKNOWN, _SEEN, _LIKE):
                    bare = rx.sub(" ", bare)
                bare = bare.strip(" !?:-'\"")
                if not bare and clause_role(part):
                    continue  # only the cue ("didn't like")
                found = self.linker.link_title(part) or (self.linker.link_title(bare) if bare else [])
                (ids.append(found[0]) if found else ignored.append(part))  # most rated of a shared title
            if role in out:
                out[role] += [i for i in ids if i not in out[role]]
        return {k: v for k, v in out.items() if v}, ignored
