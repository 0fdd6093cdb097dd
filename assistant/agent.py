"""The assistant: one turn = understand -> update the dialogue state -> decide -> run tools -> write the reply.

`respond(session_id, text)` runs the stages of assistant.dialogue in order:
  1. nlu      the act and the linked entities (rules for commands, the act classifier, the LLM
              only when the classifier is unsure: no LLM call when the turn is understood);
  2. dst      the state update (add / replace / relax / reset) on the session's explicit state;
              feedback goes to the profile through the update_profile tool (persisted at once);
  3. policy   recommend, next page, show again, explain, ask, acknowledge, reset, forget, ...;
  4. tools    search_items (filters + vector search) -> rank_candidates (fusion scorer) ->
              explain_item for each card; the ranked list stays in the state for paging. When nothing
              matches, the parts of the request that could be left out are counted and offered
              (assistant.dialogue.relax), and "yes" or a number takes one;
  5. nlg      the single reply writer (fact sheet -> template; with an LLM, the intro above the
              cards may be phrased by the LLM and passes the one checker).
The cards are handed to `on_cards` before the reply text is written, so a UI shows them early.
The session state is saved after every turn (assistant.sessions), so a restart or the next
`recassist ask --session S` continues the conversation.

Native mode (`mode="native"`): a LangChain `create_agent` over the same tool modules for capable
OpenAI-compatible models; cards still come from the session's ranking, and its text passes the
same checker. What it does not do: build artifacts (recassist build) or render UI.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any, Callable

from assistant.api import Card, Explanation, PathHop, Reply
from assistant.dialogue import dst, policy, relax
from assistant.dialogue.acts import Entities, Understanding
from assistant.dialogue.entities import EntityLinker
from assistant.dialogue.nlg import HELP, LLM_DOWN_NOTE, REFUSED_QUALITY_WORDS, FactSheet, Writer, check, country_name, describe
from assistant.dialogue.nlu import Context, Understander
from assistant.dialogue.open_slots import OpenReader, asked_words, content_words
from assistant.dialogue.paging import franchise_key, next_page
from assistant.feedback_store import StaleSession
from assistant.llm import LLMUnavailable
from assistant.onboarding import STEPS, STOP, Onboarding
from assistant.sessions import SessionStore
from catalog.facets import FacetStats
from catalog.types import Dataset, RecassistError, normalise_title
from tools import explain_item, rank_candidates, search_items, update_profile
from tools.context import ToolContext
from tools.state import SessionState

__all__ = ["Assistant", "HELP", "LLM_DOWN_NOTE", "to_api"]

# longer messages are refused with a clear reply: they cannot fit the LLM prompt (n_ctx 2048 tokens)
MAX_MESSAGE_CHARS = 2000
SAVE_TRIES = 3  # a turn runs again, on the re-read state, when another process saved the session meanwhile
NOTED = {"like": "liked", "dislike": "disliked", "seen": "seen", "not_interested": "not interested in"}
# the questions asked where time or years were said and not read: (what could not be worked out, the question)
_UNREAD_QUESTIONS = {
    "how_long": ("from it how long a film you have time for",
                 "How many minutes at most? (e.g. \u201c95\u201d or \u201cunder 2 hours\u201d; or \u201cany length\u201d)"),
    "which_years": ("which years that means",
                    "Which years should the films be from? (e.g. \u201c1986\u201d, \u201c1975 to 1984\u201d or "
                    "\u201cbefore 1970\u201d; or \u201cany year\u201d)"),
}

# an answer to "which years?" / "how many minutes?" that sets no limit: "any year", "dont mind", "up to you", "not sure"
_NO_PREFERENCE = (r"(?:(?:oh|um+|hmm+|er+),?\s+)?(?:any|anything|anytime|whatever|doesn'?t matter|does not matter|"
                  r"(?:i )?don'?t (?:care|mind)|(?:i )?do not (?:care|mind)|not fussed|no preference|either|up to you|"
                  r"you (?:choose|pick|decide)|no idea|not sure|dunno|i don'?t know|idk)")


class Assistant:
    """Implements assistant.api.AssistantAPI. Build with assistant.build.build_assistant(config)."""

    def __init__(self, dataset: Dataset, kg, *, index=None, scorer=None, backend=None, store=None,
                 k: int = 5, n_candidates: int = 300, plan_max_tokens: int = 160, answer_max_tokens: int = 40,
                 mode: str = "plan", native_model=None, notes: list[str] | None = None, index_note: str | None = None,
                 classifier=None, nlu_threshold: float = 0.15, why_max_tokens: int = 0,
                 questionnaire: list[str] | None = None, leanings=None):
        self.dataset, self.catalog, self.kg = dataset, dataset.catalog, kg
        self.index, self.scorer, self.backend = index, scorer, backend
        self.k, self.n_candidates, self.answer_max_tokens = k, n_candidates, answer_max_tokens
        self.linker = EntityLinker(dataset, kg)
        self.linker._people_index()  # build lookup tables now: sessions share them read-only
        self.linker._loose_index()
        self.popularity = self.linker.popularity
        embedder = getattr(classifier, "embedder", None) or getattr(index, "embedder", None)
        self.nlu = Understander(self.linker, classifier, backend, threshold=nlu_threshold, max_tokens=plan_max_tokens,
                                open_reader=OpenReader(embedder, latest_year=max((it.year for it in self.catalog if it.year),
                                                                                 default=None),
                                                       genres=frozenset(self.linker.genres)),
                                leanings=leanings, query_spread=index.query_spread if index is not None else None)
        # critic / popularity / user-rating percentiles and field coverage, for the open part of requests
        self.facets = FacetStats.from_dataset(dataset)
        self.writer = Writer(self.catalog, self.linker, backend, answer_max_tokens, why_max_tokens=why_max_tokens)
        self.sessions = SessionStore(store)
        self.onboarding = Onboarding(dataset, kg, self.linker, questionnaire)
        self.mode = mode
        self.native_model = native_model  # a LangChain chat model for mode="native"
        self._native_agents: dict[str, Any] = {}
        self.notes = list(notes or [])  # build-time caveats (no index / no scorer)
        self.index_note = index_note  # why there is no vector index (said in replies that needed free-text search)
        if backend is not None and hasattr(backend, "prime"):
            try:  # cache the NLU prompt's KV state now rather than on the first unsure turn
                backend.prime(self.nlu.messages("hello", Context()))
            except LLMUnavailable:
                pass
        if mode == "native":
            self.backend_name = f"native:{getattr(native_model, 'model_name', type(native_model).__name__)}"
        else:
            self.backend_name = backend.name if backend is not None else "template"

    warm_up_s: dict[str, float] = {}  # seconds per step of assistant.build.warm_up (set by build_assistant)

    def warm_up_steps(self) -> list[tuple[str, Callable[[], Any]]]:
        """(name, callable) steps of the assistant's own that assistant.build.warm_up runs: the open-request
        reader's example embeddings (115 phrases, embedded on the first free-text turn otherwise)."""
        reader = self.nlu.open_reader
        return [("open_reader", reader._example_vectors)] if reader is not None and reader.embedder is not None else []

    # -- plumbing -------------------------------------------------------------
    def _ctx(self, s: SessionState) -> ToolContext:
        return ToolContext(self.catalog, self.kg, s, index=self.index, scorer=self.scorer,
                           popularity=self.popularity, record=self.sessions.record,
                           n_candidates=self.n_candidates, index_note=self.index_note, facets=self.facets)

    def _cards(self, ctx: ToolContext, ids: list[str]) -> list[Card]:
        """Cards for item ids, explained with one scorer call."""
        s = ctx.session
        return [self._card(ctx, i, s.scores.get(i, 0.0), ex) for i, ex in zip(ids, explain_item.explain_many(ctx, ids))]

    def _card(self, ctx: ToolContext, item_id: str, score: float, ex=None) -> Card:
        it = self.catalog[item_id]
        ex = ex or explain_item.explain(ctx, item_id)
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
        def turn() -> Reply:
            if s.onboarding is not None:
                reply = self._onboarding_answer(s, text)
            elif self.mode == "native":
                reply = self._respond_native(s, text)
            else:
                reply = self._turn(s, text, on_cards)
            s.turn += 1
            return reply

        with s.turn_lock:  # every write of one session (turns, buttons, onboarding) runs alone; tools may use threads
            return self._saved(s, turn, keep=lambda r: r.intent != "forget_me")  # nothing forgotten is written back

    def _saved(self, s: SessionState, body: Callable[[], Any], keep: Callable[[Any], bool] = lambda r: True) -> Any:
        """Run `body` on the session as stored now and save the result over the version it read. When another
        process saved the session in between (StaleSession), re-read and run it again, so neither update is lost.
        The events a run records are written with its state (SessionStore.begin), so a discarded run writes nothing;
        a run that raises is undone in the cached session too (SessionStore.restore)."""
        for attempt in range(SAVE_TRIES):
            self.sessions.refresh(s)
            self.sessions.begin(s)
            before = s.to_dict()  # what a failed run is undone to
            try:
                out = body()
            except BaseException:
                self.sessions.discard(s)
                self.sessions.restore(s, before)
                raise
            if not keep(out):
                self.sessions.discard(s)
                return out
            try:
                self.sessions.save(s)
                return out
            except StaleSession:
                if attempt == SAVE_TRIES - 1:
                    raise RecassistError("this conversation was changed from another window at the same moment; "
                                         "please send your message again") from None
        raise AssertionError("unreachable")

    def why(self, session_id: str, item_id: str) -> Explanation:
        if item_id not in self.catalog:
            raise RecassistError(f"unknown item id {item_id!r}; ask 'why N' for the N-th suggestion")
        s = self.sessions.current(session_id)  # another process may have saved the session since this one read it
        return to_api(explain_item.explain(self._ctx(s), item_id))

    def feedback(self, session_id: str, item_id: str, kind: str) -> Reply:
        """A card button. The feedback is recorded; the card stays on screen for a like and leaves otherwise."""
        if kind not in ("like", "dislike", "seen", "not_interested"):
            raise RecassistError(f"unknown feedback {kind!r}; use like, dislike, seen or not_interested")
        if item_id not in self.catalog:
            raise RecassistError(f"unknown item id {item_id!r}")
        s = self.sessions.get(session_id)
        title = self.catalog[item_id].display_title
        words = {"like": f"Noted: you liked {title}.", "dislike": f"Noted: you didn't like {title}.",
                 "seen": f"Noted: you've seen {title}; I won't suggest it again.",
                 "not_interested": f"OK, no more {title}."}

        def apply() -> Reply:
            ctx = self._ctx(s)
            update_profile.apply_feedback(ctx, item_id, kind)
            if kind != "like":
                s.cards = [i for i in s.cards if i != item_id]
            if s.results:  # later pages of this request are ranked with the new feedback
                self._rank(s, ctx)
            return Reply(words[kind], cards=self._cards(ctx, list(s.cards)), intent="feedback", backend="template")

        with s.turn_lock:  # waits for a turn in flight: its held-back events and this one are never mixed
            return self._saved(s, apply)

    def start_onboarding(self, session_id: str) -> Reply:
        s = self.sessions.get(session_id)

        def start() -> Reply:
            s.onboarding = {"step": 0, "answers": {}}
            q, opts = self.onboarding.question(s.onboarding)
            return Reply("Let's find out what you like: a few quick questions, each can be skipped. " + q,
                         intent="onboarding", question=q, options=opts, backend="template")

        with s.turn_lock:
            return self._saved(s, start)

    def profile(self, session_id: str) -> dict:
        """The session's state: the long-term profile (with titles) and the current request, results and page,
        as stored now (also when another app process answered the session's last turns)."""
        s = self.sessions.current(session_id)
        with s.lock:
            d = s.profile_dict()
            for f in ("liked", "disliked", "seen"):
                d[f"{f}_titles"] = [self.catalog[i].display_title for i in d[f] if i in self.catalog]
            d["onboarding"] = None if s.onboarding is None else STEPS[s.onboarding["step"]]
            d["request"] = {**s.to_dict()["request"], "description": self._asked(s.request)}
            d["cards"] = [self.catalog[i].display_title for i in s.cards if i in self.catalog]
            d["shown"] = len(s.shown)
            d["pages"] = len(s.pages)
            d["results_left"] = len([i for i in s.results if i not in s.blocked()])
            d["pending"] = s.pending
            d["last_act"] = s.last_act
            d["turns"] = s.turn
            return d

    # -- one turn -------------------------------------------------------------------------
    def understand(self, s: SessionState, text: str, mode: str = "default") -> Understanding:
        ctx = Context(n_cards=len(s.cards), has_request=bool(s.results) or not s.request.is_empty(),
                      shown_titles=tuple(self.catalog[i].display_title for i in s.cards if i in self.catalog),
                      request_text=" ".join(sum(describe(s.request, self.catalog), [])), cards=tuple(s.cards))
        return self.nlu.understand(text, ctx, mode=mode)

    def _turn(self, s: SessionState, text: str, on_cards=None) -> Reply:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        u = self._answer_pending(s, text) or self.understand(s, text)
        timings["parse"] = _ms(t0)
        ctx = self._ctx(s)
        ops = dst.plan_update(s, u, self.catalog)
        noted = self._apply_feedback(ctx, ops)
        before = s.request.copy()
        dst.apply(s, ops)
        s.last_act = u.act
        action = policy.decide(s, u)
        t1 = time.perf_counter()
        sheet = self._run(s, ctx, u, action, noted, timings)
        if (action.kind == "recommend" and not sheet.cards and sheet.text and u.act in ("refine", "replace", "critique")
                and before.has_filters() and u.entities.has_filters()):
            # the new constraint and the kept ones match nothing together. The newest message wins: as few of the
            # earlier parts as give results are left out ("comedies from the 90s", then "with ridley scott": his 90s
            # films); when none do, the new request is answered alone. Either way the reply says so.
            kept = " ".join(sum(describe(before, self.catalog), [])) or "the earlier filters"
            combined, offer = s.request.copy(), s.pending  # (the offer to leave parts of the combined request out)
            s.pending = None
            dst.apply(s, dst.plan_update(s, Understanding("recommend", u.entities, u.text), self.catalog))
            new_parts = relax.parts(s.request)
            earlier = [k for k in relax.parts(combined) if k not in new_parts]
            least = self._relaxations(s, ctx, combined, keys=earlier, max_offers=1) if earlier else []
            if least:
                with s.lock:
                    s.request = relax.without(combined, least[0].keys)
            retry = self._run(s, ctx, u, action, noted, timings)
            if retry.cards:
                retry.changed = (f"Nothing matched that together with the earlier request ({kept}), so I "
                                 + (f"left out {least[0].label}." if least else "dropped the earlier filters."))
                sheet = retry
            else:  # nothing either way: the state is the combined request again, as the reply (and its offer) says
                with s.lock:
                    s.request, s.pending = combined, offer
        timings["tools"] = _ms(t1) - timings.get("scorer", 0.0)
        if on_cards is not None and sheet.cards:
            on_cards(list(sheet.cards))  # the UI can show them while the answer sentence is written
        t2 = time.perf_counter()
        text_out, backend = self.writer.write(sheet, use_llm=u.llm_error is None)
        timings["answer"] = _ms(t2)
        if u.llm_error is not None:
            text_out = f"{text_out}\n{LLM_DOWN_NOTE}"
        timings["total"] = _ms(t0)
        return Reply(text_out, cards=list(sheet.cards), intent=u.act, backend=backend, timings_ms=timings,
                     question=sheet.text if action.kind == "ask" else None,
                     options=[self.catalog[i].display_title for i in action.options])

    def _apply_feedback(self, ctx: ToolContext, ops: list[dst.Op]) -> list[str]:
        noted = []
        for op in ops:
            if op.op == "feedback":
                update_profile.apply_feedback(ctx, op.value, op.slot)
                noted.append(f"{NOTED[op.slot]} {self.catalog[op.value].display_title}")
        return list(dict.fromkeys(noted))

    def _run(self, s: SessionState, ctx: ToolContext, u: Understanding, action: policy.Action, noted: list[str],
             timings: dict) -> FactSheet:
        """Carry out the policy's action with the tools; returns the facts for the reply writer."""
        e = u.entities
        sheet = FactSheet(action.kind, request=s.request.copy(), noted=noted)
        notes = [self._unknown_message(e.unknown_titles)] if e.unknown_titles else []
        for word, genre in e.read_as if kind_is_request(action.kind) else ():
            notes.append(f"I don't have plot keywords, so I read \u201c{word}\u201d as the {genre} genre.")
        for word, country in e.read_as_country if kind_is_request(action.kind) else ():
            notes.append(f"I don't have the regions within a country, so I read \u201c{word}\u201d as {country_name(country)}.")
        if e.query and not u.query and kind_is_request(action.kind):
            notes.append(f"I don't have plot or keyword data, so I matched \u201c{e.query}\u201d only against titles, "
                         "genres, people and studios.")
        if e.unused and kind_is_request(action.kind):  # words beside the request that nothing matched: said, not searched
            notes.append("I could not use " + " or ".join(f"\u201c{w}\u201d" for w in e.unused) + " for this search.")
        if e.unmatched:  # asked for, but the catalog has no data on it: say so, never pretend
            stand_in = f" I picked {' and '.join(e.stand_ins)} instead, the closest the data gets." if e.stand_ins else ""
            notes.append("I have no data on " + " or ".join(f"\u201c{w}\u201d" for w in e.unmatched)
                         + ", so I could not apply that part of the request." + stand_in)
        if e.not_qualities and kind_is_request(action.kind):
            refused = list(dict.fromkeys(REFUSED_QUALITY_WORDS[q] for q in e.not_qualities))
            notes.append(f"I can't filter out {' or '.join(refused)}, so some may be in this list.")
        n = len(self.catalog)
        kind = action.kind
        if kind == "help":
            lead = "I can only read requests in English for now. " if _mostly_non_latin(u.text) else ""
            words = asked_words(u.text)
            if not words and not s.shown and len(content_words(u.text)) >= policy.DESCRIBED_WORDS:
                words = content_words(u.text)[:6]  # a first message that describes something ("sunday hangover, ...")
            if not lead and words:  # a request nothing in it could be read as: say which words, not only the help
                lead = (f"I could not match \u201c{' '.join(words)}\u201d to anything I have data on (genres, years, "
                        "people, countries, MPAA ratings, length, moods, critic and viewer ratings). ")
            sheet.text = lead + HELP.format(n=n)
        elif kind == "not_found":
            sheet.text, notes = " ".join(notes), []
        elif kind == "onboard":
            r = self.start_onboarding(s.session_id)
            sheet.text, sheet.kind = r.text, "onboard"
        elif kind == "forget":
            self.sessions.forget(s.session_id)  # the next turn of this session id starts from an empty state
            sheet.text = "Done: I deleted your likes, dislikes, seen titles and this conversation. We start from scratch."
        elif kind == "reset":
            sheet.text = ("OK, starting over: no filters now. Your likes and dislikes stay"
                          " (say \"forget me\" to delete them). What would you like?")
        elif kind == "explain":
            return self._explain_sheet(s, ctx, action.item_id, noted)
        elif kind == "ask":  # (feedback in the same message is said first: "Noted: liked Heat (1995).")
            sheet.text = (("Noted: " + "; ".join(noted) + ". ") if noted else "") + self._question(s, u, action)
            if action.question in ("how_long", "which_years"):  # the next message may be the answer (_answer_...)
                # (years said and not read as well, asked about once the length is answered)
                s.pending = {"kind": action.question, "unread_years": u.entities.unread_years,
                             "dated_guess": u.entities.dated_guess}
        elif kind == "show_again":
            sheet.cards = self._cards(ctx, [i for i in action.page if i in self.catalog])
            s.cards = [c.item_id for c in sheet.cards]
            sheet.text = "" if sheet.cards else "There is nothing to show again yet."
            sheet.changed = "As you asked, the earlier suggestions again."
        elif kind in ("recommend", "next_page", "acknowledge"):
            if kind == "recommend" or (kind == "acknowledge" and s.results):
                t = time.perf_counter()
                problem = self._rank(s, ctx)
                timings["scorer"] = _ms(t)
                if ctx.relaxed:  # soft parts nothing suited were left out (and said): the state and reply drop them
                    with s.lock:
                        s.request.moods = [m for m in s.request.moods if m not in ctx.relaxed]
                        s.request.qualities = [q for q in s.request.qualities if q not in ctx.relaxed]
                sheet.request = s.request.copy()  # as applied (the any-of fallback may also have changed it)
                role = rank_candidates.leaning_role(s.request)
                words = (asked_words(u.text) or content_words(u.text)[:6]) if e.read_nothing() else []
                if not problem and kind == "recommend" and role:
                    notes.append(leaning_note(s.request.leanings, words, beside=role == "fit"))
                if not problem and kind == "recommend" and s.request.leaned_qualities:
                    notes.append(quality_leaning_note([] if role else words))
                if problem and kind == "recommend" and s.candidates == []:
                    problem = self._relax_offer(s, ctx)  # nothing matched: say which parts to leave out, and offer it
                if problem:
                    sheet.text = problem
                    sheet.notes = notes + list(dict.fromkeys(ctx.notes))
                    return sheet
            if kind == "acknowledge" and not s.results:
                sheet.notes = notes
                return sheet
            sheet.more = kind == "next_page" or (kind == "acknowledge")
            sheet.kind = "recommend" if kind == "acknowledge" else kind
            sheet.cards = self._page(s, ctx)
            sheet.changed = _change_words(u)
            if not sheet.cards and kind == "next_page":
                sheet.cards = self._widen(s, ctx)
                sheet.request = s.request.copy()
            if not sheet.cards:
                sheet.text = self._exhausted(s)
            sheet.left = len([i for i in s.results if i not in s.blocked()])
        sheet.notes = notes + [x for x in dict.fromkeys(ctx.notes) if x not in notes]
        if e.ambiguous:  # the most rated one was used; ask beside the results which one was meant
            written, options = e.ambiguous[0]
            chosen = next((i for i in e.provisional if i in options), options[0])
            others = [self.catalog[i].display_title for i in options if i != chosen]
            sheet.notes.append(f"By \"{written}\" I took {self.catalog[chosen].display_title}. Did you mean "
                               + " or ".join(others) + "? Say the year to switch.")
            s.pending = {"kind": "which_title", "written": written, "options": options, "chosen": chosen}
        if e.ambiguous_people and kind_is_request(action.kind):  # "cusack": the one with the most films was used; ask
            written, (chosen, *others) = e.ambiguous_people[0]
            sheet.notes.append(f"By \"{written}\" I took {chosen}, who has the most films here. Did you mean "
                               + " or ".join(others) + "? Say the first name to switch.")
            if s.pending is None:
                s.pending = {"kind": "which_person", "written": written, "options": [chosen, *others], "chosen": chosen}
        return sheet

    # -- recommendation ----------------------------------------------------------------
    def _rank(self, s: SessionState, ctx: ToolContext) -> str | None:
        """Candidates for the current request, ranked into s.results. Returns a readable problem or None."""
        r = s.request
        query = r.query
        if r.references and not r.has_filters():  # "like X": X's description is the vector query
            from retrieval.documents import item_document

            query = " ".join(item_document(self.catalog[i]) for i in r.references[:2]) + (" " + r.query if r.query else "")
        filtered = r.has_filters() or r.refuses()
        k = self.n_candidates if query.strip() else 2000
        with s.lock:
            s.candidates = None  # set by the search; left None only when the search itself failed
        res = search_items.run(ctx, _search_args(r, query, k))
        if not res.ok and not r.references and s.last_act == "recommend":
            # several genres or people, named in one request, that no item has together: any of them, and say so
            slot = next((sl for sl in ("genres", "people") if len(getattr(r, sl)) > 1 and sl not in r.any_of
                         and sl in r.listed), None)
            if slot:
                r.any_of.append(slot)
                ctx.notes.append(f"Nothing in the catalog has all of {' and '.join(getattr(r, slot))} together, "
                                 f"so these have any of them.")
                return self._rank(s, ctx)
        if r.references and not r.has_filters():
            # two more candidate sources beside the vector search: items sharing X's people or studio (KG), and
            # what the scorer's collaborative signals rank highest for X (the references are liked seeds); what the
            # request refuses ("like groundhog day ... not a comedy") is applied to them below, as the search did
            self._add_kg_neighbours(s, ctx)
            if self.scorer is not None:
                cf, _ = self.scorer.recommend(s.scorer_profile(self.catalog, extra_liked=r.references),
                                              k=self.n_candidates, exclude_seen=True)
                cf = [i for i in cf if i not in s.blocked()]
                s.candidates = list(dict.fromkeys((s.candidates or []) + cf))
            if filtered:
                refused = search_items.SearchItemsArgs(not_genres=r.not_genres, not_people=r.not_people,
                                                       not_decades=r.not_decades, not_countries=r.not_countries,
                                                       not_languages=r.not_languages)
                s.candidates = [i for i in s.candidates or [] if not search_items.unwanted(self.catalog[i], refused)]
        if not res.ok:
            s.results, s.scores = [], {}
            return res.text[0].upper() + res.text[1:] + "."
        with s.lock:
            n_cands = len(s.candidates) if s.candidates is not None else len(self.catalog)
        ranked = rank_candidates.run(ctx, rank_candidates.RankCandidatesArgs(k=max(1, min(2000, n_cands))))
        if not ranked.ok:
            s.results, s.scores = [], {}
            return ranked.text[0].upper() + ranked.text[1:] + "." if filtered else "I have nothing new to suggest."
        ranked = list(s.ranked)
        s.results = [i for i, _ in ranked]
        s.scores = {i: float(sc) for i, sc in ranked}
        return None

    def _asked(self, r) -> str:
        """The request as one phrase from the state ("1990s Comedy picks with Ridley Scott"); "" when it is empty."""
        pre, post = describe(r, self.catalog)
        return " ".join(pre + ["picks"] + post) if pre or post else ""

    def _relax_offer(self, s: SessionState, ctx: ToolContext) -> str:
        """Nothing matches the request: count what each smaller request would match (assistant.dialogue.relax), offer
        the ones that match something, and keep them as the pending question ("yes" / "2" takes one)."""
        r = s.request.copy()
        found = self._relaxations(s, ctx, r)
        if found:
            s.pending = {"kind": "relax", "offers": [list(o.keys) for o in found], "labels": [o.label for o in found]}
        return relax.offer_text(self._asked(r), found)

    def _relaxations(self, s: SessionState, ctx: ToolContext, r, keys: list[str] | None = None,
                     max_offers: int = relax.MAX_OFFERS) -> list[relax.Offer]:
        """relax.offers for request `r`, counted with the search tool (the session's candidates are left as they were)."""
        with s.lock:
            saved = s.candidates

        def search(smaller) -> tuple[int, list[str]]:
            res = search_items.run(replace(ctx, notes=[], relaxed=[]), _search_args(smaller, smaller.query, relax.COUNT_CAP))
            with s.lock:
                if not res.ok:
                    return 0, []
                if s.candidates is None:  # no filter left at all: every item not blocked is a candidate
                    blocked = s.blocked()
                    left = [i for i in ctx.popular_first(list(self.catalog.ids)) if i not in blocked]
                    return len(left), left[:relax.EXAMPLES]
                return len(s.candidates), list(s.candidates[:relax.EXAMPLES])

        try:
            return relax.offers(r, search, self.catalog, max_offers=max_offers, keys=keys)
        finally:
            with s.lock:
                s.candidates = saved

    def _add_kg_neighbours(self, s: SessionState, ctx: ToolContext) -> None:
        """For "more like X": add items sharing X's specific entities (director, writer, cast, studio)."""
        extra: list[str] = []
        for ref in s.request.references:
            if not self.kg.has_item(ref):
                continue
            for rel, node in self.kg.entities_of_item(ref, ("directed_by", "written_by", "cast_member", "produced_by")):
                if self.kg.degree(node) <= 60:
                    extra += self.kg.items_of_entity(node)
        blocked = s.blocked()
        extra = [i for i in ctx.popular_first(list(dict.fromkeys(extra))) if i not in blocked and i in self.catalog]
        base = s.candidates or []
        s.candidates = list(dict.fromkeys(base + extra[: self.n_candidates]))

    def _page(self, s: SessionState, ctx: ToolContext) -> list[Card]:
        allow = {franchise_key(self.catalog[i].title) for i in s.request.references}
        shown_titles = {self.catalog[i].display_title for i in s.shown if i in self.catalog}
        blocked = s.blocked() | {i for i in s.results if self.catalog[i].display_title in shown_titles}
        ids = next_page(s.results, blocked, self.k, lambda i: self.catalog[i].display_title, allow)
        cards = self._cards(ctx, ids)
        with s.lock:
            s.cards = list(ids)
            if ids:
                s.pages.append(list(ids))
                s.shown.extend(i for i in ids if i not in s.shown)
        return cards

    def _widen(self, s: SessionState, ctx: ToolContext) -> list[Card]:
        """"More" with nothing left: the soft parts of the request (moods, qualities: readings of words, not facts
        the user stated) are left out, the rest ranked again, and that is said; the request stays as it was when
        even that leaves nothing. [] when there is no soft part to leave out."""
        r = s.request
        soft = list(r.moods) + list(r.qualities)
        if not soft:
            return []
        with s.lock:
            kept = r.copy()
            # (a number of Oscars goes with the award quality; genres kept through a mood shift, with the mood)
            r.moods, r.qualities, r.oscars_min, r.kept_genres = [], [], None, []
        problem = self._rank(s, ctx)
        cards = [] if problem else self._page(s, ctx)
        if not cards:
            with s.lock:
                s.request = kept
            return []
        labels = " and ".join(search_items.soft_label(x) for x in soft)
        ctx.notes.append(f"I had no more {labels} ones, so these leave {labels} out")
        return cards

    def _exhausted(self, s: SessionState) -> str:
        what = self._asked(s.request) or "suggestions"
        n = len([i for i in s.shown if i in set(s.results)]) if s.results else 0
        if s.request.has_filters() or s.request.references:
            return (f"That's all: I have no more {what} that you haven't seen here ({n} shown). "
                    "Drop a filter (e.g. \"any decade\") or say \"start over\".")
        return "I have nothing new to suggest: you've seen everything I could rank for you. Say \"start over\" to reset."

    # -- explanations and questions ----------------------------------------------------
    def _explain_sheet(self, s: SessionState, ctx: ToolContext, item_id: str, noted: list[str]) -> FactSheet:
        ex = explain_item.explain(ctx, item_id)
        score = s.scores.get(item_id, ex.score or 0.0)
        it = self.catalog[item_id]
        card = Card(item_id=it.id, title=it.display_title, year=it.year, score=round(float(score), 4),
                    people=list(it.directors[:2]), genres=list(it.genres), why=ex.reasons[0], explanation=to_api(ex))
        head = ("Noted: " + "; ".join(noted) + ". ") if noted else ""
        return FactSheet("explain", request=s.request.copy(), noted=noted, cards=[card], text=head + ex.text,
                         reasons=list(ex.reasons),
                         cited=list(ex.cited))

    def _question(self, s: SessionState, u: Understanding, action: policy.Action) -> str:
        q = action.question
        if q == "which_title":
            opts = [self.catalog[i].display_title for i in action.options]
            return (f"Which \"{action.written}\" do you mean: " + " or ".join(f"{n}) {t}" for n, t in enumerate(opts, 1))
                    + "? Say the number or the year.")
        if q == "no_card":
            n = len(s.cards)
            shown = f"I showed you {n} suggestion{'s' if n != 1 else ''}" if n else "I haven't suggested anything yet"
            verb = "why" if u.act == "explain" else ("not" if u.entities.card_role == "not_interested" else "like")
            hint = f"; say '{verb} 1' to '{verb} {n}'" if n else "; ask for a recommendation first"
            return f"There is no suggestion number {action.written}: {shown}{hint}."
        if q == "which_card":
            return "Which suggestion? Say 'why 1' for the first card, or name the title."
        if q == "which_title_feedback":
            return "Tell me which title: e.g. \"I've seen Alien\" or \"not 2\"."
        if q == "offer_declined":
            asked = self._asked(s.request)
            return (f"OK, the request stays as it is{f' ({asked})' if asked else ''}. Change any part of it, take one of the offers by its "
                    "number, or say \u201cstart over\u201d.")
        if q in _UNREAD_QUESTIONS:  # time or years said and not read: what was kept, the words, the question
            kept = self._asked(s.request)
            missing, ask = _UNREAD_QUESTIONS[q]
            said = (f"You mentioned \u201c{action.written}\u201d, but I could not work out {missing}." if action.written
                    # the learned reading (leanings.DATED): no words of the message to quote
                    else "Your message sounds like it is about films from a particular time, but I could not tell which.")
            return (f"Got it: {kept}. " if kept else "") + f"{said} {ask}"
        r = s.request
        return (f"Those limits contradict each other: from {r.year_min} on and up to {r.year_max} leaves no year. "
                "Which one did you mean?")

    def _answer_pending(self, s: SessionState, text: str) -> Understanding | None:
        """An answer to "did you mean Sabrina (1954)?" swaps the provisional title everywhere it was used,
        then the request runs again."""
        p, s.pending = s.pending, None
        if p and p.get("kind") == "which_person":
            return self._answer_which_person(s, p, text)
        if p and p.get("kind") == "how_long":
            u = self._answer_how_long(s, text)
            if u is not None and not u.entities.unread_years:
                u.entities.unread_years = p.get("unread_years", "")  # then the years, if they were not read either
                u.entities.dated_guess = u.entities.dated_guess or bool(p.get("dated_guess"))
            return u
        if p and p.get("kind") == "which_years":
            return self._answer_which_years(s, text)
        if p and p.get("kind") == "relax":
            return self._answer_relax(s, p, text)
        if not p or p.get("kind") != "which_title":
            return None
        low = text.lower()
        opts, chosen = p["options"], p["chosen"]
        pick = None
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", low)
        if m:
            pick = next((i for i in opts if self.catalog[i].year == int(m.group(1))), None)
        m2 = re.fullmatch(r"\s*(?:the\s+)?(?:#|number\s+)?(\d|first|second|third|1st|2nd|3rd|other|older|newer)"
                          r"(?:\s+one)?\s*(?:please|pls)?[.!]?\s*", low)
        if pick is None and m2:
            w = m2.group(1)
            by_year = sorted(opts, key=lambda i: self.catalog[i].year or 0)
            if w in ("other", "older", "newer"):
                rest = [i for i in opts if i != chosen]
                pick = by_year[0] if w == "older" else by_year[-1] if w == "newer" else (rest[0] if rest else None)
            else:
                n = {"first": 1, "second": 2, "third": 3, "1st": 1, "2nd": 2, "3rd": 3}.get(w) or int(w)
                pick = opts[n - 1] if 1 <= n <= len(opts) else None
        if pick is None:
            return None  # not an answer: a new message
        if pick != chosen:
            with s.lock:
                for lst in (s.liked, s.disliked, s.seen, s.request.references, s.request.excluded):
                    if chosen in lst:
                        lst[lst.index(chosen)] = pick
            if self.sessions.store is not None:
                self.sessions.record(s.session_id, "which_title", pick, {"instead_of": chosen})
        return Understanding("refine", Entities(), text, 1.0, "rules")

    def _answer_how_long(self, s: SessionState, text: str) -> Understanding | None:
        """An answer to "how many minutes at most?": a length ("95", "under 2 hours", "an hour and a half") or "any
        length" refines the request that was asked about; anything else is a new message."""
        low = text.lower().strip()
        if re.fullmatch(r"(?:" + _NO_PREFERENCE + r"|no limit)(?: length| runtime| amount)?(?: (?:is|are) fine| works)?[.!]?",
                        low):
            return Understanding("refine", Entities(), text, 1.0, "rules")
        m = re.fullmatch(r"(?:about |around |like |max |at most |up to |under |less than )?(\d{2,3})(?: ?(?:min\w*|m))?"
                         r"(?: max| tops| at most)?[.!]?", low)
        if m and 30 <= int(m.group(1)) <= 300:  # a bare number: minutes at most
            e = Entities(runtime_max=int(m.group(1)) + (0 if low.startswith(("under", "less")) else 1))
            return Understanding("refine", e, text, 1.0, "rules")
        u = self.understand(s, text)
        if u.entities.runtime_min is None and u.entities.runtime_max is None:
            return None
        u.act = "refine"
        return u

    def _answer_which_years(self, s: SessionState, text: str) -> Understanding | None:
        """An answer to "which years should the films be from?": years ("1986", "75 to 84", "before 1970", "the 80s")
        or "any year" refine the request that was asked about; anything else is a new message."""
        low = text.lower().strip()
        if re.fullmatch(_NO_PREFERENCE + r"(?: (?:year|years|decade|era|time|when))?(?: (?:is|are) fine| works| really)?[.!]?",
                        low):
            return Understanding("refine", Entities(), text, 1.0, "rules")
        m = re.fullmatch(r"(?:(?:it was|that was|that'?s|thats|in|about|around|roughly|like|maybe)\s+)?'?(\d{2}|1[89]\d\d|20[0-2]\d)"
                         r"(?:ish)?[.!]?", low)
        if m:  # a bare year: "94", "1986"
            y = int(m.group(1))
            y = y if y >= 1000 else (1900 + y if y >= 30 else 2000 + y)
            return Understanding("refine", Entities(year_min=y, year_max=y), text, 1.0, "rules")
        u = self.understand(s, text)
        e = u.entities
        if e.year_min is None and e.year_max is None and not e.decades and not e.not_decades:
            return None
        u.act = "refine"
        return u

    def _answer_relax(self, s: SessionState, p: dict, text: str) -> Understanding | None:
        """An answer to "nothing matches all of that; without X, 12 titles match": "yes" or an offer's number leaves
        those parts out of the request, which then runs again; anything else is a new message."""
        if relax.declined(text):  # "no thanks": the request stays as it is, and the offer stays open
            s.pending = p
            return Understanding("decline_offer", Entities(), text, 1.0, "offer")
        i = relax.read_answer(text, len(p["offers"]))
        if i is None:
            return None
        with s.lock:
            s.request = relax.without(s.request, p["offers"][i])
        return Understanding("relax", Entities(relax_values=[p["labels"][i]]), text, 1.0, "offer")

    def _answer_which_person(self, s: SessionState, p: dict, text: str) -> Understanding | None:
        """An answer to "did you mean Joan Cusack?" ("joan", "joan cusack", "the other one") swaps the person taken
        in the request, then the request runs again; anything else is a new message."""
        low = re.sub(r"[^\w\s'-]", " ", text.lower()).split()
        opts, chosen = p["options"], p["chosen"]
        words = [w for w in low if w not in ("i", "meant", "mean", "the", "one", "please", "pls", "no", "sorry", "oh")]
        firsts = {q: q.lower().split()[0] for q in opts}
        pick = next((q for q in opts if words and (" ".join(words) == q.lower() or words == [firsts[q]])), None)
        if pick is None and words in (["other"], ["other", "one"]) and len(opts) == 2:
            pick = opts[1]
        if pick is None:
            return None
        if pick != chosen:
            with s.lock:
                for lst in (s.request.people, s.request.not_people):
                    if chosen in lst:
                        lst[lst.index(chosen)] = pick
        return Understanding("refine", Entities(), text, 1.0, "rules")

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
        for slot, kind in (("liked", "like"), ("disliked", "dislike"), ("seen", "seen")):
            for iid in add.get(slot, []):
                update_profile.apply_feedback(ctx, iid, kind)
        for node in add.get("people", []):
            update_profile.add_interest(ctx, node)
        if STEPS[st["step"]] == "titles":  # the round's cards may also have been answered with their buttons
            for slot in ("liked", "disliked", "seen"):
                add[slot] = list(dict.fromkeys(add.get(slot, []) + [i for i in st["title_options"] if i in s.answered(slot)]))
        for key, vals in add.items():
            have = st["answers"].setdefault(key, [])
            have.extend(v for v in vals if v not in have)
        note = f"(I couldn't match: {', '.join(i.rstrip('.') for i in ignored)}.) " if ignored else ""
        if not (STEPS[st["step"]] == "titles" and not self.onboarding.leaves_titles(text)
                and not self.onboarding.titles_done(st)):
            st["step"] += 1  # titles: another round until enough are liked or the budget is used
        if st["step"] < len(STEPS):
            q, opts = self.onboarding.question(st)
            cards: list[Card] = []
            if STEPS[st["step"]] == "titles":  # the round's titles as cards, with Like / Dislike / Seen it
                s.cards = list(st["title_options"])
                cards = self._cards(ctx, s.cards)
            return Reply(note + q, cards=cards, intent="onboarding", question=q, options=opts, backend="template")
        s.onboarding = None
        ans = st["answers"]
        summary = []
        if ans.get("genres"):
            summary.append("genres " + ", ".join(ans["genres"]))
        if ans.get("liked"):
            summary.append("liked " + "; ".join(self.catalog[i].display_title for i in ans["liked"]))
        if ans.get("people"):
            summary.append("people " + ", ".join(self.kg.label(p) for p in ans["people"]))
        s.reset_request()
        # titles shown during onboarding and not answered stay out of the first picks (as evaluated)
        s.request.excluded = [i for i in st.get("shown", []) if i not in s.liked + s.disliked + s.seen]
        cards: list[Card] = []
        for _ in range(2):  # a small catalog may have nothing else left: then the unanswered titles may come back
            if ans.get("genres"):  # candidates: items in ANY chosen genre (the scorer weighs the rest)
                pool = [it.id for it in self.catalog if set(ans["genres"]) & set(it.genres)]
                s.candidates = ctx.popular_first([i for i in pool if i not in s.blocked()])[: self.n_candidates * 3]
            ranked = rank_candidates.run(ctx, rank_candidates.RankCandidatesArgs(k=50))
            if (ranked.ok and s.ranked) or not s.request.excluded:
                break
            s.request.excluded = []
        if ranked.ok:
            s.results, s.scores = [i for i, _ in s.ranked], {i: float(sc) for i, sc in s.ranked}
            cards = self._page(s, ctx)
        head = ("Thanks! Your profile: " + "; ".join(summary) + ".") if summary else "No problem, we skipped everything."
        sheet = FactSheet("recommend", cards=cards, notes=list(dict.fromkeys(ctx.notes)))
        body, _ = self.writer.write(sheet, use_llm=False)
        lines = body.split("\n")[1:] if cards else sheet.notes
        return Reply("\n".join([note + head + (" Here are some first picks:" if cards else "")] + lines), cards=cards,
                     intent="onboarding", backend="template")

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
            saved, self.nlu.backend = self.nlu.backend, None
            try:
                reply = self._turn(s, text)
            finally:
                self.nlu.backend = saved
            reply.backend = "template"
            reply.text = f"{reply.text}\n{LLM_DOWN_NOTE}"
            return reply
        ranked = [(i, sc) for i, sc in s.ranked if i not in set(s.shown)][: self.k]
        cards = [self._card(ctx, i, sc) for i, sc in ranked]
        if cards:
            s.cards = [c.item_id for c in cards]
            s.pages.append(list(s.cards))
            s.shown.extend(c.item_id for c in cards if c.item_id not in s.shown)
        backend = self.backend_name
        sheet = FactSheet("recommend", cards=cards)
        if not final or check(final, sheet.allowed(self.catalog), self.linker):
            final, backend = (f"Here are {len(cards)} picks:" if cards else HELP.format(n=len(self.catalog))), "template"
        body = [final] + ([f"{n}. {c.title} — {c.why}" for n, c in enumerate(cards, 1)] if cards else [])
        return Reply("\n".join(body), cards=cards, intent="native", backend=backend, timings_ms={"total": _ms(t0)})


def leaning_note(genres: list[str], unread: list[str], beside: bool = False) -> str:
    """What a leaning did (`beside`: ranked with the moods or quality words read), and (when nothing else of the
    message was read) the words that could not be matched."""
    said = genres[0] if len(genres) == 1 else ", ".join(genres[:-1]) + " or " + genres[-1]
    if beside:
        return (f"From your wording I also ranked {said} films higher: requests worded like yours most often asked "
                "for them (a learned guess, not a filter).")
    lead = f"I could not match \u201c{' '.join(unread)}\u201d to anything I have data on, so f" if unread else "F"
    return (f"{lead}rom your wording I ranked {said} films first: requests worded like yours most often asked for "
            "them (a learned guess, not a filter).")


def quality_leaning_note(unread: list[str]) -> str:
    """What the quality leaning did (rank by critic score), and (when nothing else of the message was read and no
    genre leaning said it) the words that could not be matched."""
    if unread:
        return (f"I could not match \u201c{' '.join(unread)}\u201d to anything I have data on, so from your wording I "
                "ranked by critics' scores: requests worded like yours most often asked for well-reviewed films (a "
                "learned guess, not a filter).")
    return ("From your wording I also gave weight to critics' scores: requests worded like yours most often asked for "
            "well-reviewed films (a learned guess, not a filter).")


def _search_args(r, query: str, k: int) -> search_items.SearchItemsArgs:
    """The search tool's arguments for a request (tools.state.Request)."""
    return search_items.SearchItemsArgs(
        query=query, genres=r.genres, people=r.people, year_min=r.year_min, year_max=r.year_max, decades=r.decades,
        countries=r.countries, languages=r.languages, not_genres=r.not_genres, not_people=r.not_people,
        not_decades=r.not_decades, not_countries=r.not_countries, not_languages=r.not_languages, moods=r.moods,
        kept_genres=r.kept_genres, audience=r.audience, rated=r.rated,
        runtime_min=r.runtime_min, runtime_max=r.runtime_max, qualities=r.qualities, oscars_min=r.oscars_min,
        any_genre="genres" in r.any_of, any_person="people" in r.any_of, core_genres=r.core_genres, k=k)


def kind_is_request(kind: str) -> bool:
    return kind in ("recommend", "next_page", "acknowledge")


def _change_words(u: Understanding) -> str:
    if u.act == "relax" and u.source == "offer":  # an offer taken: its parts, as the offer said them
        return f"OK, without {u.entities.relax_values[0]}."
    if u.act == "relax":
        return "OK, I dropped that."
    if u.act == "reject":
        return "OK, different ones."
    return ""


def _is_llm_error(e: Exception) -> bool:
    mod = type(e).__module__ or ""
    return isinstance(e, LLMUnavailable) or mod.startswith(("openai", "httpx", "httpcore"))


def _mostly_non_latin(text: str) -> bool:
    """True if most letters are outside the Latin script (CJK, Arabic, Cyrillic, ...)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ord(ch) > 0x24F for ch in letters) > len(letters) / 2


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def to_api(ex) -> Explanation:
    """tools.explain_item.ItemExplanation -> assistant.api.Explanation."""
    return Explanation(item_id=ex.item_id, title=ex.title, text=ex.text,
                       paths=[[PathHop(a, r, b) for a, r, b in p] for p in ex.paths], path_texts=list(ex.path_texts),
                       contributions=dict(ex.contributions), score=ex.score, liked_shares=dict(ex.liked_shares),
                       families=dict(ex.families), cited=list(ex.cited))
