"""End-to-end: the Gradio app in-process on 127.0.0.1, driven by Playwright with Debian Chromium.

Flow: onboarding (tick options, Answer) -> ask for a recommendation -> click
"Why?" on the first card -> the explanation's KG-path picture must name a path
that really exists in the knowledge graph (checked edge by edge with
kg.paths.verify_path) and end at the card's item.

The assistant comes from the `ui_backend` fixture: the real assistant
(assistant.build.build_assistant on ML-100K artifacts) when that module exists,
else FakeAssistant (tests/fakes.py) over the tiny catalog and its real KG.
Force one with RECASSIST_UI_E2E=real|fake. Set RECASSIST_UI_SCREENSHOT=docs/ui.png
to save the final page there (the screenshot always goes to pytest's tmp dir).

Needs /usr/bin/chromium (`make browser`, or apt-get install chromium).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph
from kg.paths import KGPath, verify_path
from tests.servers import free_port

def _use_real() -> bool:
    choice = os.environ.get("RECASSIST_UI_E2E", "").strip().lower()
    if choice in ("real", "fake"):
        return choice == "real"
    return importlib.util.find_spec("assistant.build") is not None


pytestmark = pytest.mark.browser


def _real_marks(fn):
    """With the real assistant the e2e flow runs the local LLM on ML-100K artifacts (~2 min on 2 cores)."""
    for mark in ([pytest.mark.slow, pytest.mark.llm] if _use_real() else []):
        fn = mark(fn)
    return fn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass
class Backend:
    kind: str  # "real" | "fake"
    assistant: object
    kg: KnowledgeGraph
    timeout_ms: int


@pytest.fixture(scope="module")
def ui_backend(request, tiny_dataset) -> Backend:
    if _use_real():
        from assistant.build import build_assistant
        from assistant.config import AssistantConfig

        kg = request.getfixturevalue("ml100k_kg")
        paths = request.getfixturevalue("paths")  # the same home resolution as the app (RECASSIST_HOME)
        db = request.getfixturevalue("tmp_path_factory").mktemp("ui") / "fb.sqlite"
        cfg = AssistantConfig(dataset="ml-100k", home=paths.home, feedback_db=db)
        return Backend("real", build_assistant(cfg), kg, timeout_ms=240_000)
    from tests.fakes import fake_for

    fake = fake_for(tiny_dataset)
    return Backend("fake", fake, fake.kg, timeout_ms=30_000)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def serve(assistant) -> tuple[object, str]:
    from assistant.ui.app import build_app, launch_app

    demo = build_app(assistant, stream_delay=0.01)
    port = free_port()
    launch_app(demo, host="127.0.0.1", port=port, block=False, quiet=True)
    return demo, f"http://127.0.0.1:{port}/"


def bot_count(page) -> int:
    return page.locator("#chat .message.bot").count()


def wait_reply(page, before: int, timeout_ms: int) -> str:
    """Wait until a new assistant message has finished streaming; return its text."""
    page.wait_for_function(
        """(before) => {
            const bots = document.querySelectorAll('#chat .message.bot');
            const status = document.querySelector('#chat .wrap');
            return bots.length > before && status && status.classList.contains('hide')
                   && bots[bots.length - 1].innerText.trim() !== '…';
        }""", arg=before, timeout=timeout_ms)
    return page.locator("#chat .message.bot").last.inner_text()


def shown_path(page) -> tuple[list[str], list[str]]:
    """Node and relation labels of the first KG-path picture in the explanation panel."""
    import xml.etree.ElementTree as ET

    svg = page.locator("#explanation svg.kg-path").first.evaluate("e => e.outerHTML")
    root = ET.fromstring(svg)
    nodes = [t.text or "" for t in root.iter(f"{SVG_NS}text") if t.get("class") == "node"]
    rels = [t.text or "" for t in root.iter(f"{SVG_NS}text") if t.get("class") == "rel"]
    return nodes, rels


def kg_path_from_labels(kg: KnowledgeGraph, labels: list[str], relations: list[str]) -> KGPath | None:
    """A verified KG path whose node labels and relations are exactly these, or None."""
    by_label: dict[str, list[str]] = {}
    for n, lab in kg.g.nodes(data="label"):
        by_label.setdefault(lab, []).append(n)
    rels = tuple(r.replace(" ", "_") for r in relations)

    def extend(prefix: list[str]) -> KGPath | None:
        i = len(prefix)
        if i == len(labels):
            p = KGPath(tuple(prefix), rels, 1.0)
            return p if verify_path(kg, p) else None
        for n in by_label.get(labels[i], []):
            if i == 0 or rels[i - 1] in kg.edge_relations(prefix[-1], n):
                found = extend(prefix + [n])
                if found:
                    return found
        return None

    return extend([]) if labels and len(labels) == len(rels) + 1 else None


@_real_marks
def test_onboard_recommend_why_shows_real_kg_path(browser, ui_backend, tmp_path, record_property):
    record_property("assistant", ui_backend.kind)
    t = ui_backend.timeout_ms
    demo, url = serve(ui_backend.assistant)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(url, wait_until="domcontentloaded")
        backend = page.locator("#backend")
        backend.get_by_text("LLM:").wait_for(timeout=t)
        assert ui_backend.assistant.backend_name in backend.inner_text() or "template" in backend.inner_text()

        # onboarding: a question with options, answered until the assistant stops asking (genres, up to three
        # rounds of titles, people: at most 5 rounds). In a round of titles shown as cards, the first card's
        # Like button answers too (the real assistant).
        page.locator("#onb-answer").wait_for(state="visible", timeout=t)
        ticked: list[str] = []
        card_liked = ""
        for _ in range(6):
            if not page.locator("#onb-answer").is_visible():
                break
            options = page.locator("#onb-options label")
            assert options.count() > 0, "onboarding question without options"
            first = 0
            if page.locator("#card-slot-0").is_visible() and not card_liked:
                card_liked = options.nth(0).inner_text().strip()
                assert card_liked in page.locator("#card-0").inner_text()  # the cards are the round's titles
                ticked.append(card_liked)
                page.locator("#like-0").click()
                page.get_by_text(f"you liked {card_liked}").first.wait_for(timeout=t)
                first = 1
            for k in range(first, min(2, options.count())):
                ticked.append(options.nth(k).inner_text().strip())
                options.nth(k).click()
            before = bot_count(page)
            page.locator("#onb-answer").click()
            wait_reply(page, before, t)
        assert not page.locator("#onb-answer").is_visible(), "onboarding did not finish"
        if ui_backend.kind == "fake":
            assert ui_backend.assistant.profile(ui_backend.assistant.calls[-1][1])["liked"] == ["alien", "blade"]

        # ask for a recommendation: streamed reply, then cards
        before = bot_count(page)
        page.locator("#msg textarea").fill("Recommend me a film")
        page.locator("#send").click()
        wait_reply(page, before, t)
        page.locator("#card-0 .rc-card").wait_for(state="visible", timeout=t)
        card_title = page.locator("#card-0 .rc-title").inner_text().split(". ", 1)[1].strip()
        card_id = page.locator("#card-0 .rc-card").get_attribute("data-item-id")
        assert card_title not in ticked

        # Why? -> an explanation naming what drove the card; the first card whose explanation cites a KG
        # path shows a picture of a real path ending at that card's item
        page.locator("#why-0").click()
        page.locator("#explanation .rc-explanation").wait_for(timeout=t)
        assert page.locator("#explanation .rc-explanation").get_attribute("data-item-id") == card_id
        assert page.locator("#explanation").inner_text().startswith("Why ")
        assert page.locator("#explanation table.rc-contrib").count() == 1  # bars per signal family
        slot = 0
        for k in range(page.locator("[id^=why-]").count()):
            if not page.locator(f"#card-{k} .rc-card").is_visible():
                break
            page.locator(f"#why-{k}").click()
            cid = page.locator(f"#card-{k} .rc-card").get_attribute("data-item-id")
            page.locator(f'#explanation .rc-explanation[data-item-id="{cid}"]').wait_for(timeout=t)
            if page.locator("#explanation svg.kg-path").count():
                slot = k
                break
        page.locator("#explanation svg.kg-path").first.wait_for(timeout=t)
        card_title = page.locator(f"#card-{slot} .rc-title").inner_text().split(". ", 1)[1].strip()
        labels, relations = shown_path(page)
        path = kg_path_from_labels(ui_backend.kg, labels, relations)
        assert path is not None, f"shown path is not in the KG: {labels} / {relations}"
        assert ui_backend.kg.type_of(path.nodes[0]) == "item"
        assert labels[-1] == card_title
        assert labels[0] in page.locator("#explanation .rc-exp-text").inner_text()  # the picture is the path the text cites
        if ui_backend.kind == "fake":
            assert labels[0] in ticked

        # feedback from a card reaches the assistant and is acknowledged
        page.locator("#like-0").click()
        page.locator("#notice").get_by_text("Marked 👍 liked").wait_for(timeout=t)

        shot = tmp_path / "ui.png"
        page.screenshot(path=str(shot), full_page=True)
        if os.environ.get("RECASSIST_UI_SCREENSHOT"):
            dest = Path(os.environ["RECASSIST_UI_SCREENSHOT"])
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, dest)

        # a second tab is a new session: onboarding again, none of the first tab's chat or cards
        other = browser.new_page()
        try:
            other.goto(url, wait_until="domcontentloaded")
            other.locator("#onb-answer").wait_for(state="visible", timeout=t)
            assert "Recommend me a film" not in other.locator("#chat").inner_text()
            assert other.locator("#card-0 .rc-card").count() == 0
            assert "Recommend me a film" in page.locator("#chat").inner_text()
        finally:
            other.close()
        if ui_backend.kind == "fake":
            sessions = {c[1] for c in ui_backend.assistant.calls}
            assert len(sessions) == 2
    finally:
        page.close()
        demo.close()


def test_hostile_html_is_shown_as_text_not_run(browser, tiny_dataset):
    """A catalog title and model text carrying markup must reach the page as text."""
    from catalog.types import Catalog, Dataset, Item
    from tests.conftest import TINY_ITEMS, tiny_interactions
    from tests.fakes import fake_for

    evil_title = '<img src=x onerror="window.__pwned=1">Evil'
    items = [Item("evil", evil_title, 1999, genres=("Sci-Fi",), directors=("Ridley Scott",))] + list(TINY_ITEMS)
    cat = Catalog(items)
    fake = fake_for(Dataset("hostile", cat, tiny_interactions(cat), {}),
                    reply_prefix='<script>window.__pwned2=1</script><b id="boom">x</b> [link](javascript:window.__pwned3=1) ', k=9)
    demo, url = serve(fake)
    page = browser.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.locator("#onb-answer").wait_for(state="visible", timeout=30_000)
        assert page.locator("#onb-options label").first.inner_text().strip() == f"{evil_title} (1999)"
        before = bot_count(page)
        page.locator("#onb-skip").click()
        wait_reply(page, before, 30_000)
        before = bot_count(page)
        page.locator("#msg textarea").fill("recommend <i id='boom2'>x</i>")
        page.locator("#send").click()
        wait_reply(page, before, 30_000)
        page.locator("#card-0 .rc-card").wait_for(state="visible", timeout=30_000)
        titles = page.locator(".rc-title").all_inner_texts()
        assert any(evil_title in s for s in titles)
        page.locator("#why-0").click()
        page.locator("#explanation .rc-explanation").wait_for(timeout=30_000)
        assert '<script>window.__pwned2=1</script><b id="boom">x</b>' in page.locator("#chat").inner_text()
        assert page.locator("#boom, #boom2, img[src='x']").count() == 0
        hrefs = page.locator("#chat a").evaluate_all("els => els.map(a => a.getAttribute('href') || '')")
        print("chat links:", hrefs)
        assert not any(h.strip().lower().startswith("javascript:") for h in hrefs)
        assert page.evaluate("[window.__pwned, window.__pwned2, window.__pwned3]") == [None, None, None]
    finally:
        page.close()
        demo.close()


def test_path_check_rejects_made_up_paths(tiny_dataset):
    """The oracle the e2e test relies on: real paths pass, a wrong relation or entity fails."""
    kg = KnowledgeGraph.build(tiny_dataset)
    real = kg_path_from_labels(kg, ["Alien (1979)", "Ridley Scott", "Blade Runner (1982)"], ["directed by", "directed by"])
    assert real is not None and real.nodes == ("item:alien", "person:Ridley Scott", "item:blade")
    assert kg_path_from_labels(kg, ["Alien (1979)", "Ridley Scott", "Blade Runner (1982)"], ["cast member", "directed by"]) is None
    assert kg_path_from_labels(kg, ["Alien (1979)", "George Lucas", "Blade Runner (1982)"], ["directed by", "directed by"]) is None
    assert kg_path_from_labels(kg, ["Alien (1979)", "Ridley Scott"], ["directed by", "directed by"]) is None
