"""Understand one message: the dialogue act plus linked entities (assistant.dialogue.acts.Understanding).

Order:
  1. entity linking (entities.EntityLinker), always;
  2. exact rules for commands ("why 3", "more", "start over", "forget me", "like 2", "i'm new here");
  3. otherwise the act classifier (classifier.ActClassifier) on the entity-masked text and the
     conversation flags (cards on screen? a current request?);
  4. only when the classifier is unsure (probability < `threshold`) and an LLM backend is set: one
     constrained LLM call (prompts/nlu.txt); its act is used, and every name it extracted must be
     written in the message and link to the catalog (small models invent titles);
  5. context checks: an act that needs shown cards in a session that showed none becomes a
     request; feedback without any title becomes a request or small talk;
  6. a request of which no genre, mood, quality or audience was read gets the genres its wording leans to
     (leanings.Leanings, a learned ranking lean); a first message that describes what it wants, of which
     nothing else was read, becomes a request when it leans. A request of which no quality word was read gets
     the "well reviewed" quality when its wording leans to films critics rate (the same model).
Without a classifier (no embedder installed) `rule_act` decides from cue words, and counts as unsure.

`mode`: "default" (as above), "rules" (no classifier, no LLM), "classifier" (no LLM), "llm" (the LLM
alone decides act and entities: measured as a separate route).

What it does not do: change the session (dst.py) or decide what to do (policy.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from assistant.dialogue.acts import ACTS, DESCRIBED_WORDS, FOLLOW_UPS, NEEDS_SHOWN, RELAX_SLOTS, Entities, Understanding
from assistant.dialogue.entities import EntityLinker, _ascii
from assistant.dialogue.leanings import refused_kin
from assistant.dialogue.open_slots import COMPARATIVE_MOODS, content_words
from assistant.dialogue.restate import restate
from catalog.types import normalise_title

_CMD_MORE = re.compile(r"^\s*(?:(?:ok(?:ay)?|cool|hmm+|sure|great|thanks|nice|yes|yeah),?\s+)?(?:more|next|next (?:page|batch|one|ones|five|ten|few)|"
                       r"more (?:please|pls|plz|of (?:those|these|them|that))|(?:show|give|get) me (?:some )?more|"
                       r"(?:any )?others|anything else|what else|keep (?:them |em )?coming|another (?:page|batch|round|set|five|5|ten|10)|"
                       r"(?:some )?more (?:options|suggestions|picks|ideas|recs|recommendations)|go on)"
                       r"(?:\s+(?:please|pls|plz|thanks))?\s*[.!?]*\s*$")
_CMD_START = re.compile(r"^\s*(?:(?:ok(?:ay)?|hmm+|right|alright|actually),?\s+)?(?:let'?s\s+)?(?:start (?:over|again|fresh|afresh|from scratch)|"
                        r"reset|restart|new search|clear (?:it|everything|all|the search|the filters?)|begin again|from scratch|"
                        r"scrap (?:that|all that|everything)|wipe the slate)\b")
_CMD_FORGET = re.compile(r"\b(?:forget (?:me|everything(?: about me)?|all (?:about me|my)|what i (?:told|said)|my (?:data|profile|history|likes|ratings))|"
                         r"delete (?:me|my|all my|everything about me)|erase (?:me|my|everything)|wipe (?:my|me|everything about me)|"
                         r"remove (?:all )?my (?:data|profile|history)|clear my (?:data|profile|history))\b")
_CMD_AGAIN = re.compile(r"\b(?:(?:show|give|list|bring back|display|repeat)(?: me| us)?(?: the)? (?:first|previous|earlier|original|old|"
                        r"initial|1st)(?: few)? (?:ones|picks|list|suggestions|batch|page|set|movies|films|recs|round|"
                        r"recommendations)|go back(?: to)?(?: the)? (?:first|previous|earlier|last|other)|"
                        r"(?:what|which) were the (?:first|previous|earlier|original)(?: ones| picks| suggestions| few)?|"
                        r"(?:the )?(?:first|previous|earlier|original) (?:ones|picks|list|suggestions|batch|recs) again|again,? the "
                        r"(?:first|previous|earlier))")
_CMD_CARD = re.compile(r"^\s*(why|explain|like|love|dislike|seen|watched|not|skip|hide|no)\s*(?:#|number |no\.? ?)?(\d{1,2})\s*[.!?]*\s*$")
_CMD_WHY = re.compile(r"^\s*(?:why|explain|how come|reason)\b")
_CMD_ONBOARD = re.compile(r"\b(?:i'?m new(?: here)?|new here|new user|first time (?:here|using)|onboard(?:ing)?|"
                          r"ask me (?:some |a few )?(?:questions|stuff)|(?:interview|quiz) me|(?:help me|let'?s) get started|"
                          r"set ?up my (?:profile|taste)|(?:don'?t|do not) know what i like|no idea what i like|"
                          r"(?:learn|figure out|work out|get to know) (?:my taste|me|what i like)|"
                          r"(?:what|anything) (?:do )?you need to know about me|never used (?:this|it|you) before)\b")
_CMD_REJECT = re.compile(r"^\s*(?:none of (?:those|these|them|that)|not (?:those|these|them)|neither|nah+|nope|no+)\s*"
                         r"(?:,?\s*(?:please|pls|thanks))?\s*[.!?]*\s*$")
_EXPLAIN_CUE = re.compile(r"\b(why|explain|reason|logic|how come|what makes|what connects|how is .{1,40} (?:related|connected|linked)|"
                          r"what(?:'s| is| does) .{0,30}(?:got to do|have to do|in common)|what made you|on the list)\b")
_CRITIQUE_CUE = re.compile(r"\b(but|like|similar|in the spirit of|in the vein of|along the lines of|closer to|more of|less|than)\b")
_FEEDBACK_CUE = re.compile(r"\b(seen|watched|saw|liked|loved|love|like|enjoyed|enjoy|hated|hate|didn'?t|not a fan|favou?rite|fave|great|"
                           r"awful|boring|brilliant|amazing|meh|terrible|so good|a lot|10/10|thumbs)\b")
# words that ask for something (a request), as opposed to only telling what one liked or saw
_REQUEST_CUE = re.compile(r"\b(recommend\w*|suggest\w*|recs?|ideas?|any(?:thing| other| more| good| decent| similar)?|something|"
                          r"what are|are there|is there|good (?:movies|films)|movies? (?:about|with|like|by)|want|wanna|"
                          r"what (?:should|else|next|now|to watch|would|do you|have you|'?ve you|can you|could)|what'?ve|got any|"
                          r"give me|show me|find me|looking for|i want|i need|we want|we need|in the mood|fancy|more like|"
                          r"similar|others|options?|watch next|pick|need|after some|after a|hit me|go on|what'?s (?:the|a|an|some)|"
                          r"(?:u|you) (?:have|got)|what'?s (?:left|next|new|out there|else)|now what)\b|\?\s*$")
_ONBOARD_HINT = re.compile(r"\b(new|(?<!for the )first time|questions?|quiz|interview|taste|get(?:ting)? started|learn|know what i like|"
                           r"never used|help me|set ?up|onboard\w*|get to know|figure out)\b")
_TOPIC_REQUEST = re.compile(r"\b(?:movies?|films?|flicks?|something|anything|stories?)\s+(?:about|where|set in|featuring|"
                            r"involving)\b|^\W*(?:(?:an?|some|any)\s+)?(?:[\w'-]+\s+){1,4}(?:movies?|films?|flicks?|stor(?:y|ies))\W*$")
# "i like the supernatural kind", "we're into weird stuff": a taste in words, not a title, which asks for films of it
_TASTE = re.compile(r"\b(?:i|we)\s*(?:'?m|am|'?re|are)?\s+(?:really\s+|do\s+|mostly\s+|usually\s+|kinda\s+)?"
                    r"(?:like|love|enjoy|dig|prefer|into)\s+(?:the\s+|a\s+|some\s+)?(?:[\w'-]+\s+){1,3}?"
                    r"(?:kinds?|sorts?|types?|stuff|ones|movies|films|flicks)\b")
_STRONG_REQUEST = re.compile(r"\b(recommend\w*|suggest\w*|show me|find me|give me|what should i watch|"
                             r"(?:movie|film|flick)s? (?:for|to watch with) (?:my|our|the|a|an)\b)")  # "fathers day movie for my dad"
_CUE_REQUEST = re.compile(r"\b(recommend|suggest|want|looking for|show me|find|give me|any|something|watch|what should|ideas?|"
                          r"in the mood|pick|need|some|movies?|films?|what else|what next|anything|more|similar|others?|recs?|"
                          r"got any|fancy|after|options?|what now|next|came out|come out|released|what was out)\b")
# a complete new request ("recommend a Tom Hanks movie"), as opposed to a follow-up fragment ("ideally from the 90s")
_FRESH_REQUEST = re.compile(r"^\s*(?:(?:ok(?:ay)?|right|alright|and|so),?\s+)?(?:(?:can|could|would) you\s+|please\s+)?"
                            r"(?:recommend|suggest|show me|find me|give me|i want|i'?d like|i'?m looking for|looking for)\s+"
                            r"(?:me\s+|us\s+)?(?:a|an|some|any)\s+.*\b(?:movies?|films?|flicks?)\b")
_CONTINUE = re.compile(r"\b(also|too|as well|but|only|just|ones|of (?:those|these|them)|among|still|same|keep|ideally|"
                       r"that are|which are|more)\b")
# words that drop a constraint rather than add one ("any length is fine", "doesn't matter how old")
_RELAX_CUE = re.compile(r"\b(fine|(?:is|are|be|'?s|its|thats) (?:ok|okay|alright)|(?:ok|okay) (?:too|with)|matter|matters|care|"
                        r"whatever|any|no need|drop|forget|never ?mind|doesn'?t have to|"
                        r"don'?t have to|don'?t need|not fussed|either way)\b")
# "funnier", "scarier", "more action": a shift of the current request, which keeps what it had
_COMPARATIVE = re.compile(r"\b(?:" + "|".join(COMPARATIVE_MOODS) + r"|more (?!like\b|of\b|than\b|recent\b|please\b|pls\b)[a-z]{4,})\b")
# words that swap a constraint for another ("horror instead", "how about a western")
_SWAP = re.compile(r"\b(instead|rather|swap|switch(?:ing)? to|change (?:it |that )?to|how about|what about)\b")
_CUE_FEEDBACK_ONLY = re.compile(r"\b(seen|watched|saw|liked|loved|hated|didn'?t like|not a fan|disliked|enjoyed|fan of)\b")


@dataclass
class Context:
    """What the NLU may know of the conversation."""

    n_cards: int = 0  # cards on screen
    has_request: bool = False  # a current request with constraints or results
    shown_titles: tuple[str, ...] = ()  # display titles on screen (for the LLM prompt)
    cards: tuple[str, ...] = ()  # item ids on screen, in order ("why fargo?" about a card -> card number)
    request_text: str = ""  # the current request in words (for the LLM prompt)


def command_act(low: str, ents: Entities, ctx: Context) -> str | None:
    """Exact rules for commands; None when the message is not one."""
    m = _CMD_CARD.match(low)
    if m:
        verb = m.group(1)
        if verb in ("why", "explain"):
            return "explain"
        ents.cards = [int(m.group(2))]
        ents.card_role = {"like": "liked", "love": "liked", "dislike": "disliked", "seen": "seen", "watched": "seen"}.get(
            verb, "not_interested")
        return "feedback"
    if _CMD_FORGET.search(low):
        return "forget_me"
    if _CMD_START.match(low) and not ents.has_filters() and not ents.titles():
        return "start_over"
    if _CMD_MORE.match(low):
        return "more"
    if _CMD_REJECT.match(low) and ctx.n_cards:
        return "reject"
    if _CMD_AGAIN.search(low) and not ents.has_filters():
        return "show_again"
    if _CMD_ONBOARD.search(low) and not ents.titles() and not ents.has_filters():
        return "onboarding"
    if _CMD_WHY.match(low) and (ents.cards or ents.explain or ents.titles() or re.match(r"^\s*why\s*[?!.]*\s*$", low)):
        return "explain"
    if (ents.cards or ents.explain) and _EXPLAIN_CUE.search(low) and not ents.has_filters():
        return "explain"
    if ents.cards and ctx.n_cards:
        if _CRITIQUE_CUE.search(low) or ents.direction or ents.has_filters():
            return "critique"
        if _FEEDBACK_CUE.search(low) and not _REQUEST_CUE.search(low):
            return "feedback"
    return None


def rule_act(low: str, ents: Entities, ctx: Context) -> str:
    """Cue-word act decision, used when no classifier is available."""
    if re.search(r"\b(why|explain|how come)\b", low):
        return "explain"
    if ents.relax:
        return "relax"
    if re.search(r"\binstead\b|\bwhat about\b|\brather\b|\bswitch to\b", low) and (ents.has_filters() or ents.titles()):
        return "replace" if ctx.has_request else "recommend"
    if ctx.n_cards and ents.cards and (ents.direction or re.search(r"\blike\b|\bsimilar\b", low)):
        return "critique"
    if ents.has_feedback() and not _CUE_REQUEST.search(_strip(low, ents)):
        return "feedback"
    if ctx.has_request and ents.has_filters() and not ents.titles() and len(low.split()) <= 6:
        return "refine"
    if ents.has_content() or _CUE_REQUEST.search(low):
        return "recommend"
    return "out_of_scope"


def _strip(low: str, ents: Entities) -> str:
    return re.sub(r"\b(seen|watched|saw|liked|loved|hated|enjoyed)\b", " ", low)


# A free-text query is searched only when some items stand out for it: its spread against the item vectors
# (retrieval.index.ItemIndex.query_spread) is at least this. Chosen on the development requests' queries (no held-out
# text was read): the 21 below it are all filler. ML-100K index: "usually" 0.085, "both" 0.108, "wants" 0.115, "help"
# 0.118, "went full" 0.121; topics "robots" 0.134, "chess" 0.149, "time loop" 0.166, "submarine" 0.178. A theme said in
# one abstract word can fall below it too ("hope" 0.116), and is said as not used.
QUERY_MIN_SPREAD = 0.121


def _titles_out(text: str, spans) -> str:
    """`text` with each linked title said as "a film" and a year in brackets dropped ("loved 2001 and alien", "Hacked
    Movie (2024)"): what the wording says about time, not the years in films' names (for the dated model)."""
    out, pos = [], 0
    for s, e, kind in sorted(spans, key=lambda sp: (sp[0], -sp[1])):
        if kind != "TITLE" or s < pos:
            continue
        out += [text[pos:s], "a film"]
        pos = e
    return re.sub(r"\(\s*\d{4}\s*\)", " ", "".join(out) + text[pos:])


class Understander:
    def __init__(self, linker: EntityLinker, classifier=None, backend=None, threshold: float = 0.15, max_tokens: int = 160,
                 open_reader=None, leanings=None, lean_beside: str = "moods", lean_quality: bool = True,
                 query_spread=None, lean_dated: bool = True):
        self.linker = linker
        # text -> float | None (ItemIndex.query_spread): how much a free-text query singles out some items; None: no
        # vectors at hand, and every query is searched
        self.query_spread = query_spread
        self.open_reader = open_reader  # open_slots.OpenReader: mood, quality, audience, length, free text
        self.leanings = leanings  # leanings.Leanings: genres (and the quality) a request's wording leans to (learned)
        # leanings are read where the rules read no genre, mood, quality or audience, and also beside what the rules
        # read: "moods" (beside moods), "open" (beside any mood, quality, audience, rating or length), "none"
        self.lean_beside = lean_beside
        self.lean_quality = lean_quality  # also read whether the wording wants films critics rate (leanings.QUALITY)
        self.lean_dated = lean_dated  # also read whether the wording dates the films (leanings.DATED): ask which years
        self.classifier = classifier
        self.backend = backend
        self.threshold = threshold
        self.max_tokens = max_tokens

    def understand(self, text: str, ctx: Context | None = None, mode: str = "default") -> Understanding:
        ctx = ctx or Context()
        fix = list(_CORRECTION.finditer(text))
        earlier = ""
        if fix and text[fix[-1].end():].split():  # "early 2000s? oh wait, ... 97 onwards": what follows counts
            earlier, text = text[:fix[-1].start()], text[fix[-1].end():]
        text, linked = self._restated(text, ctx)
        earlier = self._restated(earlier, ctx)[0] if earlier.strip() else earlier
        low = _ascii(text).lower().strip()
        ents = linked.entities
        if mode == "llm":
            return self._llm_understanding(text, ctx, Entities(), only_llm=True)
        act = command_act(low, ents, ctx)
        if self.open_reader is not None and act is None:
            self.open_reader.read(text, ents, _ascii(linked.masked(text)), linked.genre_marks())
            if earlier.strip():  # what the correction did not change still holds ("leaves at 10 ... no wait, ...")
                before = self.linker.link(earlier, ctx.n_cards)
                self.open_reader.read(earlier, before.entities, _ascii(before.masked(earlier)), before.genre_marks())
                keep_uncorrected(ents, before.entities, text)
            if ents.direction and ctx.n_cards:
                _relative_wins(low, ents)
            if ctx.n_cards:
                self.open_reader.read_comparatives(text, ents)
                self.open_reader.read_complaints(text, ents)
            if ents.excluded:  # "but NOT alien", read as the film refused: no "no data on alien" beside it
                refused = {normalise_title(self.linker.catalog[i].title) for i in ents.excluded}
                ents.unmatched = [u for u in ents.unmatched if normalise_title(u) not in refused]
        u = Understanding(act or "out_of_scope", ents, text, 1.0, "rules")
        if act is None:
            if self.classifier is not None and mode != "rules":
                ranked = self.classifier.predict(linked.masked(text), ctx.n_cards > 0, ctx.has_request)
                u.act, u.confidence, u.source = ranked[0][0], ranked[0][1], "classifier"
            else:  # cue words only: never confident enough to skip an LLM that is there
                u.act, u.confidence = rule_act(low, ents, ctx), 0.0
            if u.confidence < self.threshold and self.backend is not None and mode == "default":
                llm = self._llm_understanding(text, ctx, ents)
                if llm.llm_error is None:
                    u = llm
                else:
                    u.llm_error = llm.llm_error
        card_role(low, ents)
        if ctx.cards and u.act in ("explain", "critique"):  # "why fargo?" about a card on screen: that card
            for slot in ("explain", "reference"):
                for iid in list(getattr(ents, slot)):
                    if iid in ctx.cards:
                        getattr(ents, slot).remove(iid)
                        ents.cards.append(ctx.cards.index(iid) + 1)
        u.act = consistent_act(u.act, ents, ctx, low)
        # words no item stands out for ("help me pick a movie for tonight" left "help"), from the rules or the LLM's
        # query: searching them ranks by chance; they are said as not used (a learned leaning may read the wording)
        if ents.query and not self._describes(ents.query):
            ents.unused.append(ents.query)
            ents.query = ""
        if u.query and not self._describes(u.query):
            if u.query not in ents.unused:
                ents.unused.append(u.query)
            u.query = ""
        if self.leanings is not None and mode != "rules":
            self._lean(u, ctx, _titles_out(text, linked.spans))
        if u.act in ("feedback", "out_of_scope", "explain"):
            ents.clear_open()  # "sabrina was so charming": praise, not a request for feel-good films
        return u

    def _describes(self, query: str) -> bool:
        """Whether some items stand out for `query` (its spread is at least QUERY_MIN_SPREAD); True when the item
        vectors are not at hand (no query_spread, or it says None)."""
        spread = self.query_spread(query) if self.query_spread is not None else None
        return spread is None or spread >= QUERY_MIN_SPREAD

    def _lean(self, u: Understanding, ctx: Context, plain: str) -> None:
        """Words the rules read as no genre, mood, quality or audience ("gossipy mood. scandals, whispering behind
        fans"): the genres such wording most often asks for, as a ranking lean. A first message that describes
        what it wants and of which nothing else was read is a request when it leans ("folksy. small town, porch
        swings": out of scope by its phrasing alone). Beside moods the rules read ("heartsick ... i miss her so much"
        read as moving), the leaning is a second ranking part (tools.rank_candidates), from the whole wording."""
        ents = u.entities
        asks = ("recommend", "refine", "replace")
        beside = u.act in asks and (
            (self.lean_beside == "moods" and bool(ents.moods)) or (self.lean_beside == "open" and ents.has_open()))
        p = None  # the model's probabilities for this wording, computed once
        if not (ents.genres or ents.reference or (ents.has_open() and not beside)):
            describes = (u.act == "out_of_scope" and not ctx.n_cards and not ctx.has_request and ents.read_nothing()
                         and len(content_words(u.text)) >= DESCRIBED_WORDS)
            if u.act in asks or describes:
                p = self.leanings.probabilities(u.text)
                ents.leanings = self.leanings.read_probabilities(p, skip=refused_kin(ents.not_genres), beside=beside)
                if ents.leanings and describes:
                    u.act = "recommend"
        # films critics rate, guessed from the wording where the rules read no quality word ("what would a film
        # professor put on the syllabus"): beside anything else read, as the "well reviewed" quality word ranks. Only
        # from words beyond a request's own vocabulary: "recommend something" (0.96) says nothing about quality
        if (self.lean_quality and u.act in asks and not (ents.qualities or ents.oscars_min or ents.not_qualities)
                and content_words(u.text)):
            ents.leaned_qualities = self.leanings.read_quality(p if p is not None else self.leanings.probabilities(u.text))
        # a new request whose wording dates the films though no year was read and no words of it fit the cues of
        # entities.unread_years ("a comedy from back when my dad was a teenager"): the reply asks which years
        if (self.lean_dated and u.act in ("recommend", "replace") and not ents.unread_years and not ents.direction
                and not (ents.year_min or ents.year_max or ents.decades or ents.not_decades)
                and content_words(u.text) and self.leanings.reads_dated(plain)):
            ents.dated_guess = True

    def _restated(self, text: str, ctx: Context):
        """`text` in words the reader knows (restate.py), and its linking. A film's title is never restated: the
        message is linked first, and again only when something was restated."""
        linked = self.linker.link(text, ctx.n_cards)
        restated = restate(text, [(a, b) for a, b, kind in linked.spans if kind == "TITLE"])
        return (restated, self.linker.link(restated, ctx.n_cards)) if restated != text else (text, linked)

    # -- LLM route ---------------------------------------------------------------------------
    def messages(self, text: str, ctx: Context) -> list[dict]:
        from prompts import render

        screen = "; ".join(f"{i}. {t}" for i, t in enumerate(ctx.shown_titles, 1)) or "nothing yet"
        system = render("nlu", acts=", ".join(ACTS), genres=", ".join(self.linker.genres))
        msgs = [{"role": "system", "content": system}]
        for q, cards, req, a in FEW_SHOT:
            msgs.append({"role": "user", "content": f"On screen: {cards}\nCurrent request: {req}\nMessage: {q}"})
            msgs.append({"role": "assistant", "content": json.dumps(a)})
        msgs.append({"role": "user", "content": f"On screen: {screen}\nCurrent request: {ctx.request_text or 'none'}\n"
                                                f"Message: {text[:600]}"})
        return msgs

    def _llm_understanding(self, text: str, ctx: Context, rules: Entities, only_llm: bool = False) -> Understanding:
        from pydantic import ValidationError

        from assistant.llm import LLMUnavailable

        try:
            out = self.backend.complete_json(self.messages(text, ctx), nlu_schema(), max_tokens=self.max_tokens)
            raw = LLMParse.model_validate(out)
        except (LLMUnavailable, ValidationError) as e:
            return Understanding("out_of_scope", rules, text, 0.0, "llm", llm_error=str(e).splitlines()[0])
        ents = rules if not only_llm else Entities()
        self._merge_llm(raw, text, ents)
        low = _ascii(text).lower()
        if only_llm:
            ents.cards = [c for c in raw.cards if 1 <= c <= max(ctx.n_cards, 10)]
            ents.relax = [r for r in raw.relax if r in RELAX_SLOTS]
            card_role(low, ents)
        act = consistent_act(raw.act, ents, ctx, low)
        return Understanding(act, ents, text, 1.0, "llm", query=raw.query.strip())

    def _merge_llm(self, raw: "LLMParse", text: str, ents: Entities) -> None:
        """Add what the LLM extracted, keeping only names written in the text that link."""
        have = set(ents.titles())
        for slot in ("liked", "disliked", "seen", "reference", "excluded"):
            for name in getattr(raw, slot):
                if not _written(name, text):
                    continue
                ids = self.linker.link_title(name)
                if len(ids) == 1 and ids[0] not in have:
                    getattr(ents, slot).append(ids[0])
                    have.add(ids[0])
        people, _ = self.linker._people_index()
        for slot, names in (("people", raw.people), ("not_people", raw.not_people)):
            for name in names:
                p = people.get(_ascii(name).lower().strip())
                if p and _written(name, text) and p not in ents.people + ents.not_people:
                    getattr(ents, slot).append(p)
        by_lc = {g.lower(): g for g in self.linker.genres}
        for slot, names in (("genres", raw.genres), ("not_genres", raw.not_genres)):
            for name in names:
                g = by_lc.get(name.lower().strip())
                if g and g not in ents.genres + ents.not_genres and self.linker.genre_written(g, text):
                    getattr(ents, slot).append(g)
        if raw.decade and not ents.decades:
            m = re.match(r"^(?:19|20)?(\d)0'?s$", raw.decade.strip().lower())
            if m and re.search(rf"\b(?:(?:19)?{m.group(1)}0'?s|{m.group(1)}0ies)\b", text.lower()):
                ents.decades.append(f"19{m.group(1)}0s")
        for slot in ("year_min", "year_max"):
            v = getattr(raw, slot)
            if v is not None and getattr(ents, slot) is None and str(v) in text:
                setattr(ents, slot, int(v))


def card_role(low: str, ents: Entities) -> None:
    """The feedback a message gives on the cards it points at ("loved #2", "seen the first one")."""
    if not ents.cards or getattr(ents, "card_role", None):
        return
    if re.search(r"\b(didn'?t like|not a fan|hated|disliked|dislike|meh|boring|not for me|no thanks to|not interested)\b", low):
        ents.card_role = "disliked"
    elif re.search(r"\b(seen|watched|saw|already)\b", low):
        ents.card_role = "seen"
    elif re.search(r"\b(liked|loved|love|like|enjoyed|great|favou?rite|fan of|thumbs up|nice)\b", low):
        ents.card_role = "liked"


# the user takes back what came before ("early 2000s? oh wait, this only goes up to 2000. ok 97 onwards")
_CORRECTION = re.compile(r"\b(?:oh wait|no wait|wait,? no|scratch that|on second thought|never ?mind(?: that)?|"
                         r"(?<![\w'] )no,? actually|actually,? no(?=\s*[,.!;:]))\b[\s,.!:;-]*",
                         re.IGNORECASE)
# a message that opens by refusing something ("nothing heavy", "nothing too heavy tonight", "no sad stuff pls"): when a
# mood is read from it, a request for films without it, never praise or chatter
_OPENS_REFUSING = re.compile(r"^\W*(?:(?:and|but|ok|okay|so|just|pls|please)\s+)?(?:no|nothing|none|not|without|zero)\b")


# the parts of a request a correction replaces as a whole: saying one of them again replaces all of its group
_CORRECTED_TOGETHER = [("year_min", "year_max", "decades", "not_decades"), ("runtime_min", "runtime_max"),
                       ("genres", "not_genres", "core_genres", "any_of", "listed", "read_as"),
                       ("moods", "moods_exact", "stand_ins"), ("people", "not_people"), ("audience", "rated"),
                       ("qualities", "oscars_min"), ("countries",), ("languages",),
                       ("liked", "disliked", "seen", "reference", "excluded", "provisional", "ambiguous")]


def keep_uncorrected(after: Entities, before: Entities, after_text: str = "") -> None:
    """Fill `after` (what follows "oh wait" / "no actually") with the parts of `before` it says nothing about: a
    correction replaces what it names, not the rest of the message. A year the correction writes but nothing
    read ("it was december 69") still replaces the earlier years."""
    year_written = re.search(r"(?<![\d:.])(?:'\d\d|1[89]\d\d|20\d\d|\d0s|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                             r"[a-z]*\.?\s+\d\d)\b", after_text.lower())
    for group in _CORRECTED_TOGETHER:
        if any(getattr(after, f) for f in group) or (group[0] == "year_min" and year_written):
            continue
        for f in group:
            setattr(after, f, getattr(before, f))


def consistent_act(act: str, ents: Entities, ctx: Context, low: str) -> str:
    """An act the conversation can carry out (no paging of nothing, no feedback without a title), and the
    cue-word decisions that the classifier's phrasing model cannot see."""
    if act not in ACTS:
        act = "recommend" if ents.has_content() else "out_of_scope"
    if act == "out_of_scope" and (ents.not_genres or ents.not_people or ents.not_decades or ents.rated or ents.audience
                                  or ents.not_qualities):
        act = "recommend"  # "nothing babyish or theyll riot": what is refused, or who watches, is a request's constraint
    ents.shift = bool(ctx.has_request and _COMPARATIVE.search(low) and not _SWAP.search(low))
    titled_feedback = bool(ents.liked or ents.disliked or ents.seen or (ents.unknown_titles and not ents.unknown_reference))
    if act in ("feedback", "recommend", "out_of_scope") and titled_feedback and not ents.cards:
        # "loved X and Y" tells; "loved X and Y, what next?" asks
        asks = bool(_REQUEST_CUE.search(low) or (ents.has_filters() and not only_open(ents)) or ents.reference
                    or ents.not_genres or ents.people or ents.excluded or ents.not_people or ents.not_decades
                    or ents.not_countries or ents.not_languages)  # refusals ask too: "no keanu reeves pls, ... speed"
        act = "recommend" if asks else "feedback"
    if ctx.has_request and act in ("recommend", "replace", "refine") and not (ents.liked or ents.disliked or ents.reference
                                                                            or ents.explain):
        # titles only refused or said seen ("anything but pulp fiction, seen it") keep the request too
        negatives_only = (ents.refuses() or ents.excluded) and not ents.has_filters()
        if negatives_only:
            act = "refine"
        elif ents.has_filters() and (_SWAP.search(low) or re.search(r"\bmake it\b", low)):
            act = "replace"
        elif act == "refine" and ents.has_filters() and _FRESH_REQUEST.match(low) and not _CONTINUE.search(low):
            act = "recommend"  # a whole new request: the earlier constraints do not carry over
        if act == "replace" and ents.shift:
            act = "refine"  # "make it funnier", "more action, less talking": more of it in the same request
    stated = ents.direction or (ents.has_open() and (ents.moods_exact or not ents.moods))  # not a mood only near a word
    if ctx.has_request and ctx.n_cards and not ents.titles() and stated and (
            act in ("more", "show_again", "reject")
            or (act == "relax" and not ents.relax and not _RELAX_CUE.search(low))):
        # a follow-up that states a constraint ("under 90 minutes", "something older", "only well reviewed ones")
        # narrows the request: paging, going back and "none of those" keep it as it is, and relaxing needs
        # something to drop
        act = "critique" if ents.direction and not ents.has_filters() else "refine"
    shown = ctx.n_cards > 0 or ctx.has_request
    if act == "forget_me" and not _CMD_FORGET.search(low):
        act = "out_of_scope"  # deleting a profile needs the user's own words, never a guess
    if act == "onboarding" and (ents.titles() or ents.has_filters() or ents.unknown_titles or not _ONBOARD_HINT.search(low)):
        act = "recommend" if _REQUEST_CUE.search(low) or ents.has_filters() else "out_of_scope"
    if act in NEEDS_SHOWN and not shown:
        return "recommend" if (ents.has_content() or act in ("more", "show_again")) else "out_of_scope"
    if act in FOLLOW_UPS and not ctx.has_request and act != "relax":
        return "recommend"
    if act == "relax" and not ctx.has_request:
        return "recommend" if ents.has_content() and not ents.relax else "out_of_scope"
    if act == "feedback" and not (ents.has_feedback() or ents.cards or ents.unknown_titles or ents.ambiguous):
        return "recommend" if ents.has_content() else "out_of_scope"
    if act == "explain" and not _EXPLAIN_CUE.search(low):  # "something like Fargo" asks for films, not reasons
        return "recommend" if (ents.has_content() or _REQUEST_CUE.search(low)) else "out_of_scope"
    if act == "out_of_scope" and ents.query and (_TOPIC_REQUEST.search(low) or _TASTE.search(low)):
        return "recommend"  # "a movie about a dog", "time travel movies": a topic, searched as free text
    refusals = bool(ents.refuses() or ents.excluded)  # "no sports movies"
    if act == "out_of_scope" and ((ents.has_filters() or ents.reference or ents.liked or refusals) and _CUE_REQUEST.search(low)
                                  or _STRONG_REQUEST.search(low) or ents.unmatched
                                  or (ents.has_open() and not (only_open(ents) and ents.moods and not ents.qualities
                                                               and not ents.audience and not ents.rated
                                                               and not ents.moods_exact))
                                  or (ents.has_filters() and not only_open(ents)
                                      and (len(low.split()) <= 8 or not shown))  # a first message that names years
                                  or (ents.moods and _OPENS_REFUSING.match(low))
                                  # a mood said as the first thing in a session ("havent properly laughed in a month"):
                                  # to a recommender that is what the user wants films for
                                  or (ents.moods and not shown)):
        return "recommend"
    return act


_DIRECTION_WORDS = re.compile(r"\b(?:older|earlier|newer|more recent|later|shorter|quicker|longer|lengthier|"
                              r"less long|not as long|er)\b")


def _relative_wins(low: str, ents: Entities) -> None:
    """With cards on screen, "something shorter" / "a bit longer?" / "more recent ones" is relative to them: a length
    or an age said without a number is not also read as the fixed "short film" / "recent film", and the comparison
    word is no query word."""
    if ents.direction in ("shorter", "longer") and not re.search(r"\d|\b(?:hours?|hrs?|minutes?|mins?)\b", low):
        ents.runtime_min = ents.runtime_max = None
    if ents.direction in ("older", "newer") and not ents.decades and not re.search(r"\d", low):
        ents.year_min = ents.year_max = None  # "more recent ones" after 70s films: newer than those, not "recent"
    ents.query = " ".join(_DIRECTION_WORDS.sub(" ", ents.query).split())
    ents.unused = [w for w in ents.unused if not _DIRECTION_WORDS.fullmatch(w)]


def only_open(ents: Entities) -> bool:
    """The message's filters are all from the open part (a mood, a quality word, ...)."""
    return ents.has_open() and not (ents.genres or ents.decades or ents.year_min or ents.year_max or ents.people
                                    or ents.countries or ents.languages)


def _written(name: str, text: str) -> bool:
    from rapidfuzz import fuzz

    from catalog.types import normalise_title

    v, t = normalise_title(name), normalise_title(text)
    if not v:
        return False
    return f" {v} " in f" {t} " or (len(v) >= 4 and fuzz.partial_ratio(v, t) >= 85)


# -- the LLM's JSON -----------------------------------------------------------------------------------


class LLMParse(BaseModel):
    act: str = "out_of_scope"
    liked: list[str] = Field(default_factory=list)
    disliked: list[str] = Field(default_factory=list)
    seen: list[str] = Field(default_factory=list)
    reference: list[str] = Field(default_factory=list)
    excluded: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    not_people: list[str] = Field(default_factory=list)
    genres: list[str] = Field(default_factory=list)
    not_genres: list[str] = Field(default_factory=list)
    decade: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    cards: list[int] = Field(default_factory=list)
    relax: list[str] = Field(default_factory=list)
    query: str = ""


def nlu_schema() -> dict:
    """JSON schema of the constrained call (`act` required; length caps stop a small model from looping)."""
    name = {"type": "string", "maxLength": 60}
    strs = {"type": "array", "items": name, "maxItems": 4}
    props = {"act": {"type": "string", "enum": list(ACTS)},
             **{k: strs for k in ("liked", "disliked", "seen", "reference", "excluded", "people", "not_people", "genres",
                                  "not_genres")},
             "decade": {"anyOf": [name, {"type": "null"}]},
             "year_min": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
             "year_max": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
             "cards": {"type": "array", "items": {"type": "integer"}, "maxItems": 4},
             "relax": {"type": "array", "items": {"type": "string", "enum": list(RELAX_SLOTS)}, "maxItems": 3},
             "query": {"type": "string", "maxLength": 100}}
    return {"type": "object", "properties": props, "required": ["act"], "additionalProperties": False}


# (message, on screen, current request, answer): written for the prompt, not taken from any evaluation set
FEW_SHOT: list[tuple[str, str, str, dict]] = [
    ("I loved Fargo and Heat, recommend some crime movies from the 90s", "nothing yet", "none",
     {"act": "recommend", "liked": ["Fargo", "Heat"], "genres": ["Crime"], "decade": "1990s"}),
    ("only ones with Harrison Ford", "1. Alien (1979); 2. Jaws (1975)", "Action",
     {"act": "refine", "people": ["Harrison Ford"]}),
    ("westerns instead", "1. Alien (1979); 2. Jaws (1975)", "Horror", {"act": "replace", "genres": ["Western"]}),
    ("the decade doesn't matter", "1. Alien (1979)", "Horror, 1970s", {"act": "relax", "relax": ["decades"]}),
    ("got anything else?", "1. Alien (1979); 2. Jaws (1975)", "Horror", {"act": "more"}),
    ("I've already seen Titanic and I hated Clueless", "nothing yet", "none",
     {"act": "feedback", "disliked": ["Clueless"], "seen": ["Titanic"]}),
    ("why the second one?", "1. Alien (1979); 2. Jaws (1975)", "Horror", {"act": "explain", "cards": [2]}),
    ("something like number 1 but older", "1. Alien (1979); 2. Jaws (1975)", "Horror", {"act": "critique", "cards": [1]}),
    ("no horror please, something like Jurassic Park", "nothing yet", "none",
     {"act": "recommend", "reference": ["Jurassic Park"], "not_genres": ["Horror"]}),
    ("hello, how are you?", "nothing yet", "none", {"act": "out_of_scope"}),
]
