"""What the chat UI does on each user action, as plain functions (testable without a browser).

Each handler takes the assistant (anything honouring assistant.api.AssistantAPI)
and the per-session `UISession` (held in a gr.State, one per browser tab),
calls the assistant with that session's id, and updates the session's view:
chat history, shown cards, onboarding question, explanation panel, backend
label. Nothing is kept in module globals, so two tabs never see each other's
state. Chat text from the model is HTML-escaped before it reaches the page.
An expected error (RecassistError) from the assistant is shown in the page
("Sorry: ...") and the session goes on; bugs raise.

What it does not do: build Gradio components (assistant.ui.app) or produce
HTML for cards and paths (assistant.ui.render).
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.api import AssistantAPI, Card, FeedbackKind, Reply
from assistant.ui import render
from catalog.types import RecassistError

FEEDBACK_KINDS: tuple[str, ...] = ("like", "dislike", "seen", "not_interested")
FEEDBACK_WORDS = {"like": "👍 liked", "dislike": "👎 disliked", "seen": "seen", "not_interested": "not interested in"}
THINKING = "…"
WRITING = "Here are my picks; writing a short intro…"


@dataclass
class UISession:
    """One browser session's view state. The assistant keeps the real user state, keyed by session_id."""

    session_id: str = ""
    history: list[dict] = field(default_factory=list)  # Chatbot messages {"role", "content"}
    cards: list[Card] = field(default_factory=list)  # cards currently shown, slot i -> cards[i]
    question: str | None = None  # open onboarding question, None when onboarding is over
    options: list[str] = field(default_factory=list)
    explanation_html: str = ""
    backend: str = ""  # the indicator text
    notice: str = ""  # last feedback acknowledgement (escaped, like history contents)
    state: str = ""  # the session's dialogue state in one line (escaped): request, shown, likes


EXPLANATION_EMPTY = "<p style='color:#6b7280'>Click “Why?” on a card.</p>"


def _new_cards(ui: "UISession", cards: list[Card]) -> None:
    """Show new cards; the "Why?" panel clears unless it explains a card that is still shown."""
    ui.cards = list(cards)
    shown = {c.item_id for c in ui.cards}
    if ui.explanation_html and not any(f'data-item-id="{render.e(i)}"' in ui.explanation_html for i in shown):
        ui.explanation_html = EXPLANATION_EMPTY


def new_session_id(session_hash: str | None) -> str:
    """Gradio's per-tab session hash when there is one, else a fresh uuid."""
    return session_hash or uuid.uuid4().hex


def _say(ui: UISession, role: str, text: str) -> None:
    ui.history.append({"role": role, "content": render.e(text)})


def _apply_reply(ui: UISession, assistant: AssistantAPI, reply: Reply, *, replace_cards: bool = True,
                 keep_question: bool = False, update_backend: bool = True) -> None:
    """Copy everything but the text from a reply into the view."""
    if reply.cards or replace_cards:
        _new_cards(ui, reply.cards)
    if reply.question or not keep_question:
        ui.question = reply.question
        ui.options = list(reply.options) if reply.question else []
    if update_backend:
        ui.backend = render.backend_label(assistant.backend_name, reply.backend)
    _refresh_state(ui, assistant)


def _refresh_state(ui: UISession, assistant: AssistantAPI) -> None:
    try:
        ui.state = render.e(render.state_text(assistant.profile(ui.session_id)))
    except RecassistError:
        ui.state = ""


def _reply_text(reply: Reply) -> str:
    text = reply.text.strip()
    if reply.question and reply.question not in text:
        text = f"{text}\n\n{reply.question}".strip()
    return text


def start(assistant: AssistantAPI, ui: UISession, session_hash: str | None = None) -> UISession:
    """A new tab: give it a session id and start onboarding (every new session is a new user)."""
    if not ui.session_id:
        ui.session_id = new_session_id(session_hash)
    ui.backend = render.backend_label(assistant.backend_name)
    if ui.history:  # already started (load fired twice)
        return ui
    try:
        reply = assistant.start_onboarding(ui.session_id)
    except RecassistError as err:
        _say(ui, "assistant", f"Sorry: {err}")
        return ui
    _say(ui, "assistant", _reply_text(reply))
    _apply_reply(ui, assistant, reply, update_backend=False)
    return ui


def chunks(text: str, words_per_chunk: int = 3) -> Iterator[str]:
    """Growing prefixes of `text`, a few words at a time (whitespace kept)."""
    words = text.split(" ")
    for i in range(words_per_chunk, len(words) + words_per_chunk, words_per_chunk):
        yield " ".join(words[:i])


def chat(assistant: AssistantAPI, ui: UISession, text: str, *, delay: float = 0.0) -> Iterator[UISession]:
    """One user turn, streamed: the user's message and a placeholder at once, the ranked cards as soon as
    the assistant has them (before its answer sentence is written), then the reply word by word and the
    final cards / next onboarding question. Empty input is ignored."""
    text = (text or "").strip()
    if not text:
        yield ui
        return
    if not ui.session_id:
        ui.session_id = new_session_id(None)
    _say(ui, "user", text)
    ui.history.append({"role": "assistant", "content": THINKING})
    ui.notice = ""
    yield ui
    # the turn runs in a worker thread so the ranked cards can be shown before the answer sentence exists
    events: queue.Queue = queue.Queue()

    def work() -> None:
        try:
            events.put(("reply", assistant.respond(ui.session_id, text, on_cards=lambda cards: events.put(("cards", cards)))))
        except BaseException as err:  # re-raised (bugs) or shown (RecassistError) below, in the handler's thread
            events.put(("error", err))

    threading.Thread(target=work, daemon=True, name=f"turn-{ui.session_id[:8]}").start()
    while True:
        kind, value = events.get()
        if kind == "cards":
            _new_cards(ui, value)
            ui.history[-1] = {"role": "assistant", "content": WRITING}
            yield ui
        elif kind == "error":
            if not isinstance(value, RecassistError):
                raise value
            ui.history[-1] = {"role": "assistant", "content": render.e(f"Sorry: {value}")}
            yield ui
            return
        else:
            reply = value
            break
    full = _reply_text(reply)
    for prefix in chunks(full):
        ui.history[-1] = {"role": "assistant", "content": render.e(prefix)}
        yield ui
        if delay:
            time.sleep(delay)
    ui.history[-1] = {"role": "assistant", "content": render.e(full)}
    _apply_reply(ui, assistant, reply, replace_cards=bool(reply.cards))
    yield ui


def answer_onboarding(assistant: AssistantAPI, ui: UISession, selected: list[str] | None, free_text: str = "",
                      *, delay: float = 0.0) -> Iterator[UISession]:
    """The onboarding form's answer: the ticked options plus any typed text, as one chat turn."""
    parts = [s for s in (selected or []) if s] + ([free_text.strip()] if free_text and free_text.strip() else [])
    # nothing ticked or typed: the round may have been answered with the cards' buttons; go on
    yield from chat(assistant, ui, ", ".join(parts) or "next", delay=delay)


def skip_onboarding(assistant: AssistantAPI, ui: UISession, *, delay: float = 0.0) -> Iterator[UISession]:
    yield from chat(assistant, ui, "skip", delay=delay)


def _card_at(ui: UISession, slot: int) -> Card | None:
    return ui.cards[slot] if 0 <= slot < len(ui.cards) else None


def why(assistant: AssistantAPI, ui: UISession, slot: int) -> UISession:
    """The "Why?" button of card `slot`: fill the explanation panel."""
    card = _card_at(ui, slot)
    if card is None:
        return ui
    try:
        exp = assistant.why(ui.session_id, card.item_id)
    except RecassistError as err:
        ui.explanation_html = f'<p class="rc-error">{render.e(f"Sorry: {err}")}</p>'
        return ui
    ui.explanation_html = render.explanation_html(exp)
    return ui


def feedback(assistant: AssistantAPI, ui: UISession, slot: int, kind: FeedbackKind) -> UISession:
    """A feedback button of card `slot`: tell the assistant, acknowledge in the chat, refresh cards if it sent new ones."""
    if kind not in FEEDBACK_KINDS:
        raise ValueError(f"unknown feedback kind {kind!r}")
    card = _card_at(ui, slot)
    if card is None:
        return ui
    try:
        reply = assistant.feedback(ui.session_id, card.item_id, kind)
    except RecassistError as err:
        ui.notice = render.e(f"Sorry: {err}")
        return ui
    ui.notice = render.e(f"Marked {FEEDBACK_WORDS[kind]}: {card.title}")
    if reply.text.strip():
        _say(ui, "assistant", reply.text.strip())
    _apply_reply(ui, assistant, reply, replace_cards=False, keep_question=True, update_backend=False)
    return ui
