"""The Gradio chat app: layout and event wiring around assistant.ui.handlers.

`build_app(assistant)` returns a gr.Blocks with: a backend indicator, a
streaming chat, an onboarding form (question, option checkboxes, free text,
Answer / Skip), up to MAX_CARDS recommendation cards each with Why? / 👍 / 👎 /
Seen it / Not for me buttons, and an explanation panel with a picture of the
KG path. Per-session state lives in one gr.State (a handlers.UISession), the
session id comes from gr.Request.session_hash. `launch_app` starts it with
analytics off and optional basic auth.

What it does not do: recommend, explain or remember anything itself - it only
calls the AssistantAPI contract (assistant.api).
"""


import os
from functools import partial

from assistant.api import AssistantAPI
from assistant.ui import handlers, render
from assistant.ui.handlers import UISession

MAX_CARDS = 10
CARD_BUTTONS = (("why", "Why?"), ("like", "👍 Like"), ("dislike", "👎 Dislike"), ("seen", "Seen it"), ("not_interested", "Not for me"))

CSS = """
#backend { font-size: 0.9em; color: #374151; }
.rc-slot { gap: 4px !important; }
.rc-actions button { min-width: 0 !important; }
"""


def build_app(assistant: AssistantAPI, *, title: str = "recassist — movie recommendations", stream_delay: float = 0.02):
    """The chat UI over any AssistantAPI. Launch with `launch_app(demo, ...)` (or demo.launch(css=CSS))."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    with gr.Blocks(title=title, analytics_enabled=False) as demo:
        state = gr.State(UISession())
        pending = gr.State("")  # the message being sent, so the textbox clears at once
        with gr.Row():
            gr.Markdown(f"## {render.e(title)}")
            backend_md = gr.Markdown(render.e(render.backend_label(assistant.backend_name)), elem_id="backend")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                # onboarding first: a new session sees its question above the chat
                with gr.Group(visible=False, elem_id="onboarding") as onb_group:
                    onb_question = gr.Markdown(elem_id="onb-question")
                    onb_options = gr.CheckboxGroup(choices=[], label="Pick any that apply", elem_id="onb-options")
                    onb_text = gr.Textbox(label="Or type your own answer", elem_id="onb-text", lines=1)
                    with gr.Row():
                        onb_answer = gr.Button("Answer", elem_id="onb-answer", variant="primary")
                        onb_skip = gr.Button("Skip", elem_id="onb-skip")
                chatbot = gr.Chatbot(elem_id="chat", height=440, label="Chat", buttons=["copy"],
                                     feedback_options=None, group_consecutive_messages=False)
                with gr.Row():
                    msg = gr.Textbox(elem_id="msg", show_label=False, scale=5, lines=1, submit_btn=False,
                                     placeholder="Ask for a recommendation, e.g. 'a sci-fi film like Alien'")
                    send = gr.Button("Send", elem_id="send", variant="primary", scale=1, min_width=80)
            with gr.Column(scale=2):
                gr.Markdown("### Recommendations")
                state_md = gr.Markdown(elem_id="state")
                notice_md = gr.Markdown(elem_id="notice")
                slot_cols, slot_htmls, slot_buttons = [], [], []
                for i in range(MAX_CARDS):
                    with gr.Column(visible=False, elem_id=f"card-slot-{i}", elem_classes=["rc-slot"]) as col:
                        html = gr.HTML(elem_id=f"card-{i}", js_on_load=None)
                        with gr.Row(elem_classes=["rc-actions"]):
                            btns = {k: gr.Button(label, elem_id=f"{k}-{i}", size="sm", min_width=40) for k, label in CARD_BUTTONS}
                    slot_cols.append(col)
                    slot_htmls.append(html)
                    slot_buttons.append(btns)
                gr.Markdown("### Explanation")
                explanation = gr.HTML(handlers.EXPLANATION_EMPTY, elem_id="explanation",
                                      js_on_load=None)

        outputs = [state, chatbot, backend_md, onb_group, onb_question, onb_options, onb_text, notice_md, explanation,
                   state_md, *slot_cols, *slot_htmls]

        def view(ui: UISession, reset_form: bool = True) -> list:
            """Every output component's value for this session's view. reset_form=False (card buttons)
            keeps what the user has ticked or typed in the onboarding form."""
            onboarding = ui.question is not None
            cols = [gr.update(visible=i < len(ui.cards)) for i in range(MAX_CARDS)]
            htmls = [render.card_html(ui.cards[i], i) if i < len(ui.cards) else "" for i in range(MAX_CARDS)]
            return [
                ui, list(ui.history), render.e(ui.backend), gr.update(visible=onboarding),
                f"**{render.e(ui.question)}**" if onboarding else "",
                gr.update(choices=list(ui.options), value=[], visible=bool(ui.options)) if reset_form else gr.update(),
                "" if reset_form else gr.update(), ui.notice,
                ui.explanation_html or gr.update(), ui.state, *cols, *htmls,
            ]

        def on_load(ui: UISession, request: gr.Request):
            return view(handlers.start(assistant, ui, request.session_hash if request else None))

        def take_message(text: str):
            return "", text

        def on_send(ui: UISession, text: str):
            for u in handlers.chat(assistant, ui, text, delay=stream_delay):
                yield view(u)

        def on_answer(ui: UISession, selected: list[str], free_text: str):
            for u in handlers.answer_onboarding(assistant, ui, selected, free_text, delay=stream_delay):
                yield view(u)

        def on_skip(ui: UISession):
            for u in handlers.skip_onboarding(assistant, ui, delay=stream_delay):
                yield view(u)

        def on_card(slot: int, kind: str, ui: UISession):
            if kind == "why":
                return view(handlers.why(assistant, ui, slot), reset_form=False)
            return view(handlers.feedback(assistant, ui, slot, kind), reset_form=False)

        demo.load(on_load, inputs=[state], outputs=outputs)
        for trigger in (send.click, msg.submit):
            trigger(take_message, [msg], [msg, pending], queue=False).then(on_send, [state, pending], outputs)
        onb_answer.click(on_answer, [state, onb_options, onb_text], outputs)
        onb_skip.click(on_skip, [state], outputs)
        for i, btns in enumerate(slot_buttons):
            for kind, btn in btns.items():
                btn.click(partial(on_card, i, kind), [state], outputs, show_progress="hidden")
    return demo


def launch_app(demo, *, host: str = "127.0.0.1", port: int | None = 7860, auth: tuple[str, str] | None = None,
               block: bool = True, quiet: bool = False, concurrency: int = 1):
    """Start the server (analytics off). block=False returns at once (tests); the caller then calls demo.close().

    concurrency=1 runs one assistant call at a time across all sessions: a local
    llama.cpp model is not safe to call from two threads, and on a small CPU
    box parallel generations only slow each other down. Other sessions queue.
    """
    demo.queue(default_concurrency_limit=concurrency)
    return demo.launch(server_name=host, server_port=port, auth=auth, prevent_thread_lock=not block,
                       css=CSS, show_error=True, quiet=quiet, inbrowser=False, share=False, ssr_mode=False)
