"""The OpenAI-compatible backend against a real `python -m llama_cpp.server` on 127.0.0.1.

Uses the tiny SmolLM2-135M model for speed (`recassist model fetch --name smollm2-135m`).
The server is always terminated.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.llm import LLMUnavailable
from assistant.llm.openai_compat import OpenAICompatBackend
from assistant.dialogue.nlu import ACTS, Context, LLMParse, Understander, nlu_schema
from tests.servers import free_port, stop, wait_http

pytestmark = [pytest.mark.server, pytest.mark.llm, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(paths):
    from assistant.models import fetch_model

    model = fetch_model("smollm2-135m", paths.cache_dir)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "2048", "--n_threads", "1", "--verbose", "False"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_http(url + "/models", proc, timeout=90)
        yield url
    finally:
        stop(proc, timeout=5)


def test_json_and_text_through_server(server):
    b = OpenAICompatBackend(server, model="smollm2", timeout_s=120)
    schema = nlu_schema()
    out = b.complete_json([{"role": "user", "content": "I want a comedy from the 90s. Reply in JSON."}], schema,
                          max_tokens=400)
    parse = LLMParse.model_validate(out)  # the schema-constrained object validates
    assert "act" in out and set(out) <= set(schema["properties"])  # the server enforced the schema
    assert parse.act in ACTS
    text = b.complete_text([{"role": "user", "content": "Say hello."}], max_tokens=10)
    assert isinstance(text, str) and text
    assert "".join(b.stream_text([{"role": "user", "content": "Count to three."}], max_tokens=8))


def test_assistant_over_server_stays_grounded(server, tiny_dataset):
    from assistant.agent import Assistant
    from kg.graph import KnowledgeGraph
    from tests.agent_helpers import assert_only_catalog_titles

    b = OpenAICompatBackend(server, model="smollm2", timeout_s=120)
    kg = KnowledgeGraph.build(tiny_dataset)
    a = Assistant(tiny_dataset, kg, backend=b, k=3)  # no act classifier: the LLM reads every message
    u = a.nlu.understand("any sci-fi movies?", Context())
    assert u.source == "llm" and u.llm_error is None  # the server answered the NLU call
    r = a.respond("s", "any sci-fi movies?")
    assert r.cards and all(c.item_id in tiny_dataset.catalog for c in r.cards)
    assert_only_catalog_titles(r.text, tiny_dataset.catalog)


def test_server_down_is_llm_unavailable(tiny_dataset):
    b = OpenAICompatBackend(f"http://127.0.0.1:{free_port()}/v1", timeout_s=2)
    with pytest.raises(LLMUnavailable):
        b.complete_text([{"role": "user", "content": "hi"}])
    from assistant.dialogue.entities import EntityLinker

    u = Understander(EntityLinker(tiny_dataset), None, b).understand("a comedy please", Context())
    assert u.llm_error and u.act == "recommend" and u.entities.genres == ["Comedy"]  # the rules answered
