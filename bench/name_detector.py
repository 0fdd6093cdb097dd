"""An independent detector of unsupported names in LLM text, for measurement only.

The product's checker (assistant.dialogue.nlg.check) links titles and people with the assistant's own
entity linker and compares against the fact sheet's allow-list. This detector shares none of that
code: it scans the text's word n-grams against every catalog title and every catalog person name,
reads 4-digit years, quoted strings and runs of two or more capitalised words, and reports each one
that the facts the model was given do not contain (case-insensitive substring of the facts).
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[A-Za-z0-9À-ÿ'’.&:-]+")
_ARTICLES = ("the ", "a ", "an ")
_STARTERS = {"because", "since", "you", "your", "if", "here", "this", "these", "it", "its", "as", "and", "like",
             "fans", "people", "both", "we", "i", "also", "plus", "with", "the", "a", "an", "just", "since", "so"}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"\s*\(\d{4}\)\s*$", "", s)  # trailing year
    m = re.match(r"^(.*), (the|a|an)$", s)  # "Godfather, The" -> "the godfather"
    if m:
        s = f"{m.group(2)} {m.group(1)}"
    s = re.sub(r"[^a-z0-9 ]+", " ", s)
    return " ".join(s.split())


class NameDetector:
    def __init__(self, catalog):
        self.titles: set[str] = set()
        self.people: set[str] = set()
        for it in catalog:
            t = _norm(it.title)
            if len(t) >= 4:
                self.titles.add(t)
                for a in _ARTICLES:
                    if t.startswith(a) and len(t) - len(a) >= 6:
                        self.titles.add(t[len(a):])
            for p in it.directors + it.writers + it.cast:
                n = _norm(p)
                if len(n.split()) >= 2:
                    self.people.add(n)
        self.display = {it.display_title: _norm(it.title) for it in catalog}  # as the facts write titles
        self.max_n = 10

    def unsupported(self, text: str, facts: str) -> list[str]:
        """Names, titles, years and capitalised phrases in `text` that `facts` does not contain."""
        f = _norm(facts) + " | " + " | ".join(n for d, n in self.display.items() if d in facts)
        out: list[str] = []
        words = _norm(text).split()
        for n in range(self.max_n, 0, -1):
            for i in range(len(words) - n + 1):
                g = " ".join(words[i : i + n])
                if (g in self.titles and (n >= 2 or len(g) >= 6)) or (n >= 2 and g in self.people):
                    if g not in f:
                        out.append(g)
        for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", text):
            if y not in facts:
                out.append(y)
        for q in re.findall(r"[\"“]([^\"”]{2,80})[\"”]", text):
            if _norm(q) not in f:
                out.append(q)
        for m in re.finditer(r"\b[A-Z][\w'’-]*(?:\s+(?:of|the|in|on|a|de|la)?\s*[A-Z][\w'’-]*)*", text):
            start = m.start() == 0 or bool(re.search(r"[.!?:;]\s*$", text[: m.start()]))
            for part in re.split(r"\s+and\s+", m.group(0)):
                ws = part.split()
                if start and ws and ws[0].lower() in _STARTERS:
                    ws = ws[1:]
                while ws and ws[0].lower() in ("of", "the", "in", "on", "a", "de", "la"):
                    ws = ws[1:]
                if not ws or (start and len(ws) == 1 and part == m.group(0)):
                    continue  # one capitalised word opening a sentence
                phrase = " ".join(ws)
                if _norm(phrase) and _norm(phrase) not in f and phrase.lower() not in _STARTERS:
                    out.append(phrase)
                start = False
        return list(dict.fromkeys(out))
