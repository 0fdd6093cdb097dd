"""The assistant: plan-first orchestration of typed tools, grounded answers, explanations, onboarding.

One user turn (`respond`): (1) parse — Planner turns the text into a linked
Plan (one constrained LLM call, or rules); (2) tools — run in code from the
plan: update_profile for stated likes/dislikes/seen, search_items / query_kg
to build the candidate set (ids only), (3) scorer — rank_candidates, explain
each card from verified KG paths + scorer contributions; (4) answer — the LLM
writes one intro sentence from the request and the card titles, checked by
the grounding guard (assistant.grounding); the item list itself is rendered
from the cards. Any LLM failure falls back to templates, so the assistant
works with llm="none"; a turn whose plan call failed says so (LLM_DOWN_NOTE)
and does not wait for the LLM a second time. Messages longer than
MAX_MESSAGE_CHARS are refused with a plain reply. `Reply.timings_ms` holds
parse/tools/scorer/answer.

Native mode (`mode="native"`): a LangChain `create_agent` over the same tool
modules for capable OpenAI-compatible models; cards still come from the
session's ranking, and its text passes the same guard.

What it does not do: build artifacts (recassist build) or render UI.
"""

from __future__ import annotations

import re
import time
from typing import Any, Callable

from assistant.api import Card, Explanation, PathHop, Reply
from assistant.grounding import ungrounded
from assistant.llm import LLMUnavailable
from assistant.onboarding import STEPS, STOP, Onboarding
from assistant.planner import Linker, Plan, Planner, rule_parse
from assistant.sessions import SessionStore
from catalog.types import Dataset, RecassistError, normalise_title
from tools import explain_item, query_kg, rank_candidates, search_items, update_profile
from tools.context import SessionState, ToolContext

HELP = ("I recommend movies from a catalog of {n} titles. Try: \"something like Alien but funnier\", "
        "\"comedies from the 90s\", \"movies directed by Steven Spielberg\", \"why 1\", \"I've seen Toy Story\", "
        "or \"I'm new here\" for a few quick questions.")
_WHY_N = re.compile(r"\bwhy\b.*?(?:#|number |no\.? ?)?\b(\d{1,2})\b|\bwhy\b.*\b(first|second|third|fourth|fifth|last)\b", re.I)
_NOT_N = re.compile(r"^\s*(?:not|no|nope|not that|not that one|skip|hide)\s*(?:#|number )?(\d{1,2})?\s*(?:one)?\s*[.!]?\s*$", re.I)
# few-shot for the intro sentence: generic lead-ins, no titles (the cards carry the items)
ANSWER_SHOTS = [("any thrillers from the 90s?", "Here are some tense 90s thrillers you might enjoy."),
                ("something like Fargo but lighter", "Here are some lighter picks in a similar spirit."),
                ("movies with Meryl Streep", "Here are a few picks featuring the actress you asked for.")]
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
# longer messages are refused with a clear reply: they cannot fit the plan prompt (n_ctx 2048 tokens)
# and the rule parser's title scan grows faster than linearly with the text
MAX_MESSAGE_CHARS = 2000
# added to a reply whose message the rules parsed because the LLM failed (down, timed out, unusable output)
LLM_DOWN_NOTE = "(The language model did not answer properly, so I read your message with simple keyword rules.)"
_CARD_CMD = re.compile(r"^\s*(why|not|no|skip|hide)\s*(?:#|number |no\.? ?)?(\d{1,3})\s*[.!?]?\s*$", re.I)


class Assistant:
    """Implements assistant.api.AssistantAPI. Build with assistant.build.build_assistant(config)."""

    def __init__(self, dataset: Dataset, kg, *, index=None, scorer=None, backend=None, store=None,
                 k: int = 5, n_candidates: int = 60, plan_max_tokens: int = 160, answer_max_tokens: int = 60,
                 mode: str = "plan", native_model=None, notes: list[str] | None = None, index_note: str | None = None):
        self.dataset, self.catalog, self.kg = dataset, dataset.catalog, kg
        self.index, self.scorer, self.backend = index, scorer, backend
        self.k, self.n_candidates, self.answer_max_tokens = k, n_candidates, answer_max_tokens
        self.linker = Linker(dataset, kg)
        self.linker._people_index()  # build lookup tables now: sessions share them read-only
        kg.link_entity("warm-up")
        self.planner = Planner(self.linker, backend, max_tokens=plan_max_tokens)
        self.sessions = SessionStore(store)
        self.onboarding = Onboarding(dataset, kg, self.linker)
        self.mode = mode
        self.native_model = native_model  # a LangChain chat model for mode="native"
        self._native_agents: dict[str, Any] = {}
        self.notes = list(notes or [])  # build-time caveats (no index / no scorer)
        self.index_note = index_note  # why there is no vector index (said in replies that needed free-text search)
        if backend is not None and hasattr(backend, "prime"):
            try:  # cache the plan prompt's KV state now rather than on the first user turn
                backend.prime(self.planner.messages("hello"))
            except LLMUnavailable:
                pass
        if mode == "native":
            self.backend_name = f"native:{getattr(native_model, 'model_name', type(native_model).__name__)}"
        else:
            self.backend_name = backend.name if backend is not None else "template"

    # -- plumbing -------------------------------------------------------------
    def _ctx(self, s: SessionState) -> ToolContext:
        return ToolContext(self.catalog, self.kg, s, index=self.index, scorer=self.scorer,
                           popularity=self.linker.popularity, record=self.sessions.record,
                           n_candidates=self.n_candidates, index_note=self.index_note)

    def _card(self, ctx: ToolContext, item_id: str, score: float) -> Card:
        it = self.catalog[item_id]
        ex = explain_item.explain(ctx, item_id)
        return Card(item_id=it.id, title=it.display_title, year=it.year, score=round(float(score), 4),
                    people=list(it.directors[:2]) + [c for c in it.cast[:2] if c not in it.directors],
                    genres=list(it.genres), why=ex.reasons[0] if ex.reasons else "", explanation=to_api(ex))

    # -- AssistantAPI -----------------------------------------------------------
    def respond(self, session_id: str, text: str, on_cards: Callable[[list[Card]], None] | None = None) -> Reply:
        s = self.sessions.get(session_id)
        text = (text or "").strip()
        if not text:
            return Reply(HELP.format(n=len(self.catalog)), intent="other", backend="template")
        if len(text) > MAX_MESSAGE_CHARS:
            return Reply(f"Your message is too long ({len(text):,} characters; the limit is {MAX_MESSAGE_CHARS:,}). "
                         "Please send a shorter request, e.g. \"sci-fi from the 80s like Alien\".",
                         intent="other", backend="template")
        with s.turn_lock:  # turns of one session run one at a time; tools may run in worker threads
            if s.onboarding is not None:
                return self._onboarding_answer(s, text)
            if self.mode == "native":
                return self._respond_native(s, text)
            return self._respond_plan(s, text, on_cards)

    def why(self, session_id: str, item_id: str) -> Explanation:
        if item_id not in self.catalog:
            raise RecassistError(f"unknown item id {item_id!r}; ask 'why N' for the N-th suggestion")
        s = self.sessions.get(session_id)
        return to_api(explain_item.explain(self._ctx(s), item_id))

    def feedback(self, session_id: str, item_id: str, kind: str) -> Reply:
        if kind not in ("like", "dislike", "seen", "not_interested"):
            raise RecassistError(f"unknown feedback {kind!r}; use like, dislike, seen or not_interested")
        if item_id not in self.catalog:
            raise RecassistError(f"unknown item id {item_id!r}")
        s = self.sessions.get(session_id)
        with s.lock:
            ctx = self._ctx(s)
            update_profile.apply_feedback(ctx, item_id, kind)
            title = self.catalog[item_id].display_title
            words = {"like": f"Noted: you liked {title}.", "dislike": f"Noted: you didn't like {title}.",
                     "seen": f"Noted: you've seen {title}; I won't suggest it again.",
                     "not_interested": f"OK, no more {title}."}
            cards = self._rerank(ctx) if s.ranked else []
            text = "\n".join([words[kind] + (" Updated suggestions:" if cards else "")]
                              + [f"{n}. {c.title} — {c.why}" for n, c in enumerate(cards, 1)])
            return Reply(text, cards=cards, intent="feedback", backend="template")

    def start_onboarding(self, session_id: str) -> Reply:
        s = self.sessions.get(session_id)
        with s.lock:
            s.onboarding = {"step": 0, "answers": {}}
            q, opts = self.onboarding.question(s.onboarding)
            return Reply("Let's find out what you like: three quick questions, each can be skipped. " + q,
                         intent="onboarding", question=q, options=opts, backend="template")

    def profile(self, session_id: str) -> dict:
        s = self.sessions.get(session_id)
        with s.lock:
            d = s.profile_dict()
            d["liked_titles"] = [self.catalog[i].display_title for i in d["liked"] if i in self.catalog]
            d["disliked_titles"] = [self.catalog[i].display_title for i in d["disliked"] if i in self.catalog]
            d["seen_titles"] = [self.catalog[i].display_title for i in d["seen"] if i in self.catalog]
            d["onboarding"] = None if s.onboarding is None else STEPS[s.onboarding["step"]]
            return d

    # -- plan-first turn ----------------------------------------------------------
    def _respond_plan(self, s: SessionState, text: str, on_cards=None) -> Reply:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        shortcut = self._shortcut(s, text)
        if shortcut is not None:
            return shortcut
        plan = self.planner.parse(text)
        timings["parse"] = _ms(t0)
        reply = self._execute(s, plan, timings, on_cards)
        if plan.llm_error is not None:
            reply.text = f"{reply.text}\n{LLM_DOWN_NOTE}"
        reply.timings_ms = {**timings, **reply.timings_ms}
        reply.timings_ms["total"] = _ms(t0)
        return reply

    def _shortcut(self, s: SessionState, text: str) -> Reply | None:
        """Commands about the shown cards ("why 2", "not 1") need no LLM."""
        m = _WHY_N.search(text)
        if m and s.shown:
            n = int(m.group(1)) if m.group(1) else (len(s.shown) if m.group(2).lower() == "last" else ORDINALS[m.group(2).lower()])
            if 1 <= n <= len(s.shown):
                return self._explain_reply(s, s.shown[n - 1])
        m = _NOT_N.match(text)
        if m and s.shown:
            n = int(m.group(1)) if m.group(1) else 1
            if 1 <= n <= len(s.shown):
                return self.feedback(s.session_id, s.shown[n - 1], "not_interested")
        m = _CARD_CMD.match(text)
        if m:  # "why 9" / "not 9" with no 9th card shown
            n = len(s.shown)
            shown = f"I showed you {n} suggestion{'s' if n != 1 else ''}" if n else "I haven't suggested anything yet"
            hint = f"; say '{m.group(1).lower()} 1' to '{m.group(1).lower()} {n}'" if n else "; ask for a recommendation first"
            return Reply(f"There is no suggestion number {m.group(2)}: {shown}{hint}.", intent="other", backend="template")
        return None

    def _execute(self, s: SessionState, plan: Plan, timings: dict, on_cards=None) -> Reply:
        ctx = self._ctx(s)
        t0 = time.perf_counter()
        notes: list[str] = []
        if plan.unknown_titles:
            notes.append(self._unknown_message(plan.unknown_titles))
        if plan.intent == "onboarding":
            return self.start_onboarding(s.session_id)
        if plan.intent == "other" and not (plan.title_ids() or plan.has_filters()):
            if notes:
                return Reply(notes[0], intent="other", backend="template")
            lead = "I can only read requests in English for now. " if _mostly_non_latin(plan.text) else ""
            return Reply(lead + HELP.format(n=len(self.catalog)), intent="other", backend="template")
        # stated likes / dislikes / seen go to the profile first (persisted)
        done = []
        for slot, kind in (("liked", "like"), ("disliked", "dislike"), ("seen", "seen")):
            for iid in getattr(plan, slot):
                update_profile.apply_feedback(ctx, iid, kind)
                done.append(f"{'liked' if kind == 'like' else 'disliked' if kind == 'dislike' else 'seen'} {self.catalog[iid].display_title}")
        if plan.intent == "explain":
            target = plan.reference or (plan.liked[0] if plan.liked else None)
            if target is None:
                msg = notes[0] if notes else "Which suggestion? Say 'why 1' for the first card, or name the title."
                return Reply(msg, intent="explain", backend="template", timings_ms=timings)
            return self._explain_reply(s, target)
        if plan.intent == "feedback":
            if not done:
                msg = notes[0] if notes else "Tell me which title: e.g. \"I've seen Alien\" or \"not 2\"."
                return Reply(msg, intent="feedback", backend="template")
            cards = self._rerank(ctx) if s.ranked else []
            head = "Noted: " + "; ".join(done) + "." + (" Updated suggestions:" if cards else "")
            lines = [head] + [f"{n}. {c.title} — {c.why}" for n, c in enumerate(cards, 1)] + notes
            return Reply("\n".join(lines), cards=cards, intent="feedback", backend="template")
        if plan.intent == "more_like" and plan.reference is None and not plan.has_filters() and not plan.liked:
            return Reply(notes[0] if notes else "Which title should I find similar movies to?", intent="more_like",
                         backend="template")
        if plan.year_min and plan.year_max and plan.year_min > plan.year_max:
            head = ("Noted: " + "; ".join(done) + ". ") if done else ""
            return Reply(f"{head}Those limits contradict each other: after {plan.year_min} and before {plan.year_max} "
                         "leaves no year. Which one did you mean?", intent=plan.intent, backend="template")
        # recommend / more_like: candidates -> rank -> cards
        people_labels = [self.kg.label(p) for p in plan.people]
        s.seeds = [plan.reference] if plan.reference else []
        s.constraints = {"genres": plan.genres, "decades": plan.decades, "countries": plan.countries,
                         "languages": plan.languages, "people": people_labels,
                         "year_min": plan.year_min, "year_max": plan.year_max}
        query = plan.query
        if plan.reference:
            from retrieval.documents import item_document

            query = (item_document(self.catalog[plan.reference]) + " " + plan.query).strip()
        res = search_items.run(ctx, search_items.SearchItemsArgs(
            query=query, genres=plan.genres, people=people_labels,
            year_min=plan.year_min, year_max=plan.year_max, decades=plan.decades, countries=plan.countries,
            languages=plan.languages, k=self.n_candidates))
        if plan.reference:
            self._add_kg_neighbours(ctx, plan)
        timings["tools"] = _ms(t0)
        if not res.ok and not s.candidates:
            return Reply((res.text[0].upper() + res.text[1:] + ". " + " ".join(notes)).strip(), intent=plan.intent,
                         backend="template", timings_ms=timings)
        t1 = time.perf_counter()
        ranked = rank_candidates.run(ctx, rank_candidates.RankCandidatesArgs(k=self.k))
        if not ranked.ok:
            return Reply(ranked.text[0].upper() + ranked.text[1:] + ".", intent=plan.intent, backend="template", timings_ms=timings)
        cards = [self._card(ctx, i, sc) for i, sc in s.ranked]
        s.shown = [c.item_id for c in cards]
        timings["scorer"] = _ms(t1)
        if on_cards is not None and cards:
            on_cards(list(cards))  # the UI can show them while the answer sentence is written
        notes = notes + list(dict.fromkeys(ctx.notes))
        t2 = time.perf_counter()
        intro, backend = self._intro(plan, cards, done)
        timings["answer"] = _ms(t2)
        text = "\n".join([intro] + [f"{n}. {c.title} — {c.why}" for n, c in enumerate(cards, 1)] + notes)
        return Reply(text, cards=cards, intent=plan.intent, backend=backend, timings_ms=timings)

    def _add_kg_neighbours(self, ctx: ToolContext, plan: Plan) -> None:
        """For "more like X": add items sharing X's specific entities (director, writer, cast, studio)."""
        s = ctx.session
        extra: list[str] = []
        for rel, node in self.kg.entities_of_item(plan.reference, ("directed_by", "written_by", "cast_member", "produced_by")):
            if self.kg.degree(node) <= 60:
                extra += self.kg.items_of_entity(node)
        blocked = set(s.seen) | set(s.disliked) | {plan.reference}
        extra = [i for i in ctx.popular_first(list(dict.fromkeys(extra))) if i not in blocked and i in self.catalog]
        if plan.has_filters() and s.candidates is not None:
            return  # filters were asked for: keep the filtered set only
        base = s.candidates or []
        s.candidates = list(dict.fromkeys(base + extra[: self.n_candidates]))

    def _rerank(self, ctx: ToolContext) -> list[Card]:
        ranked = rank_candidates.run(ctx, rank_candidates.RankCandidatesArgs(k=self.k))
        if not ranked.ok:
            return []
        cards = [self._card(ctx, i, sc) for i, sc in ctx.session.ranked]
        ctx.session.shown = [c.item_id for c in cards]
        return cards

    def _explain_reply(self, s: SessionState, item_id: str) -> Reply:
        t0 = time.perf_counter()
        ctx = self._ctx(s)
        ex = explain_item.explain(ctx, item_id)
        score = dict(s.ranked).get(item_id, ex.score or 0.0)
        it = self.catalog[item_id]
        card = Card(item_id=it.id, title=it.display_title, year=it.year, score=round(float(score), 4),
                    people=list(it.directors[:2]), genres=list(it.genres), why=ex.reasons[0], explanation=to_api(ex))
        return Reply(ex.text, cards=[card], intent="explain", backend="template", timings_ms={"tools": _ms(t0)})

    def _unknown_message(self, names: list[str]) -> str:
        from rapidfuzz import fuzz

        parts = []

        def core(title: str) -> str:  # normalised, without a leading article
            return re.sub(r"^(the|a|an) ", "", normalise_title(title))

        for name in names:
            # suggest only titles close to the whole name (WRatio alone offers "Net, The" for "The Dark Knight")
            close = [self.catalog[i].display_title for i, _ in self.catalog.search_titles(name, limit=10, min_score=70)
                     if fuzz.ratio(core(name), core(self.catalog[i].title)) >= 70][:3]
            msg = f"I couldn't find \"{name}\" in the catalog ({len(self.catalog)} movies)."
            if close:
                msg += " Did you mean: " + "; ".join(close) + "?"
            parts.append(msg)
        return " ".join(parts)

    def _intro(self, plan: Plan, cards: list[Card], done: list[str]) -> tuple[str, str]:
        """(intro sentence, backend name). The LLM's sentence must pass the grounding guard."""
        template = self._template_intro(plan, cards, done)
        if self.backend is None or not cards or self.answer_max_tokens <= 0 or plan.llm_error is not None:
            return template, "template"  # (an LLM that just failed this turn's plan call is not asked twice)
        from prompts import render

        msgs = [{"role": "system", "content": render("answer")}]
        for q, a in ANSWER_SHOTS:
            msgs += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
        msgs.append({"role": "user", "content": plan.text[:300]})
        try:
            out = self.backend.complete_text(msgs, max_tokens=self.answer_max_tokens)
        except LLMUnavailable:
            return template, "template"
        out = _first_sentences(out)
        # it may name the cards and the titles the user named this turn, nothing else
        # (nor a title the user named that the catalog lacks)
        if not out or ungrounded(out, [c.item_id for c in cards] + plan.title_ids(), self.linker, plan.unknown_titles):
            return template, "template"
        if done:
            out = "Noted: " + "; ".join(done) + ". " + out
        return out, self.backend.name

    def _template_intro(self, plan: Plan, cards: list[Card], done: list[str]) -> str:
        pre, post = [], []
        if plan.decades:
            pre.append("/".join(plan.decades))
        if plan.languages:
            pre.append("/".join(plan.languages) + "-language")
        if plan.genres:
            pre.append("/".join(plan.genres))
        if plan.year_min:
            post.append(f"from {plan.year_min} on")
        if plan.year_max:
            post.append(f"up to {plan.year_max}")
        if plan.people:
            post.append("with " + ", ".join(self.kg.label(p) for p in plan.people))
        if plan.countries:
            post.append("from " + ", ".join(plan.countries))
        if plan.reference:
            post.append("similar to " + self.catalog[plan.reference].display_title)
        head = ("Noted: " + "; ".join(done) + ". ") if done else ""
        n = len(cards)
        return f"{head}Here {'is' if n == 1 else 'are'} {n} {' '.join(pre + ['pick' if n == 1 else 'picks'] + post)}:"

    # -- onboarding ---------------------------------------------------------------
    def _onboarding_answer(self, s: SessionState, text: str) -> Reply:
        ctx = self._ctx(s)
        st = s.onboarding
        if STOP.match(text):
            s.onboarding = None
            return Reply("Onboarding stopped. Ask for anything, e.g. \"a comedy from the 90s\".", intent="onboarding",
                         backend="template")
        add, ignored = self.onboarding.parse_answer(st, text)
        for g in add.get("genres", []):
            update_profile.add_interest(ctx, f"genre:{g}")
        for iid in add.get("liked", []):
            update_profile.apply_feedback(ctx, iid, "like")
        for node in add.get("people", []):
            update_profile.add_interest(ctx, node)
        for key, vals in add.items():
            st["answers"].setdefault(key, []).extend(vals)
        note = f"(I couldn't match: {', '.join(i.rstrip('.') for i in ignored)}.) " if ignored else ""
        st["step"] += 1
        if st["step"] < len(STEPS):
            q, opts = self.onboarding.question(st)
            return Reply(note + q, intent="onboarding", question=q, options=opts, backend="template")
        s.onboarding = None
        ans = st["answers"]
        summary = []
        if ans.get("genres"):
            summary.append("genres " + ", ".join(ans["genres"]))
        if ans.get("liked"):
            summary.append("liked " + "; ".join(self.catalog[i].display_title for i in ans["liked"]))
        if ans.get("people"):
            summary.append("people " + ", ".join(self.kg.label(p) for p in ans["people"]))
        s.seeds, s.candidates = [], None
        s.constraints = {"genres": ans.get("genres", [])}
        if ans.get("genres"):  # candidates: items in ANY chosen genre (the scorer weighs the rest)
            pool = [it.id for it in self.catalog if set(ans["genres"]) & set(it.genres)]
            blocked = set(s.liked) | set(s.seen) | set(s.disliked)
            s.candidates = ctx.popular_first([i for i in pool if i not in blocked])[: self.n_candidates * 3]
        cards = self._rerank(ctx)
        head = ("Thanks! Your profile: " + "; ".join(summary) + ".") if summary else "No problem, we skipped everything."
        extra = list(dict.fromkeys(ctx.notes))
        text = "\n".join([note + head + " Here are some first picks:"] + [f"{n}. {c.title} — {c.why}" for n, c in enumerate(cards, 1)] + extra)
        return Reply(text, cards=cards, intent="onboarding", backend="template")

    # -- native tool calling --------------------------------------------------------
    def _respond_native(self, s: SessionState, text: str) -> Reply:
        from assistant.native import run_native

        t0 = time.perf_counter()
        ctx = self._ctx(s)
        s.ranked = []
        try:
            final = run_native(self, ctx, text)
        except Exception as e:  # the remote model failed mid-run: answer from rules instead
            if not _is_llm_error(e):
                raise
            plan = self.linker.link(rule_parse(text, self.linker), text, "rules")
            reply = self._execute(s, plan, {})
            reply.backend = "template"
            reply.text = f"{reply.text}\n{LLM_DOWN_NOTE}"
            return reply
        cards = [self._card(ctx, i, sc) for i, sc in s.ranked]
        s.shown = [c.item_id for c in cards] or s.shown
        backend = self.backend_name
        if not final or ungrounded(final, [c.item_id for c in cards], self.linker):
            final, backend = (f"Here are {len(cards)} picks:" if cards else HELP.format(n=len(self.catalog))), "template"
        body = [final] + ([f"{n}. {c.title} — {c.why}" for n, c in enumerate(cards, 1)] if cards else [])
        return Reply("\n".join(body), cards=cards, intent="native", backend=backend, timings_ms={"total": _ms(t0)})


def _is_llm_error(e: Exception) -> bool:
    mod = type(e).__module__ or ""
    return isinstance(e, LLMUnavailable) or mod.startswith(("openai", "httpx", "httpcore"))


def _mostly_non_latin(text: str) -> bool:
    """True if most letters are outside the Latin script (CJK, Arabic, Cyrillic, ...)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ord(ch) > 0x24F for ch in letters) > len(letters) / 2


def _first_sentences(text: str, max_chars: int = 240) -> str:
    text = " ".join((text or "").replace("\n", " ").split()).strip().strip('"')
    if len(text) > max_chars:
        cut = max(text.rfind(".", 0, max_chars), text.rfind("!", 0, max_chars))
        text = text[: cut + 1] if cut > 20 else ""
    return text


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def to_api(ex) -> Explanation:
    """tools.explain_item.ItemExplanation -> assistant.api.Explanation."""
    return Explanation(item_id=ex.item_id, title=ex.title, text=ex.text,
                       paths=[[PathHop(a, r, b) for a, r, b in p] for p in ex.paths], path_texts=list(ex.path_texts),
                       contributions=dict(ex.contributions), score=ex.score)
