"""`recassist serve`: bind safety (no password-less serving off loopback), auth parsing, wiring.

The wiring test swaps assistant.build / assistant.config for stand-ins that
return FakeAssistant and captures launch_app's arguments: no server starts.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

import pytest

from assistant.cli import main
from assistant.commands import serve as serve_cmd
from assistant.commands.serve import ServeError, check_bind, is_loopback, parse_auth


@pytest.mark.parametrize("host,expected", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.org", False),
])
def test_is_loopback(host, expected):
    assert is_loopback(host) is expected


def test_parse_auth():
    assert parse_auth(None) is None and parse_auth("") is None
    assert parse_auth("ann:s3:cret") == ("ann", "s3:cret")
    for bad in ("ann", "ann:", ":pw"):
        with pytest.raises(ServeError, match="user:password"):
            parse_auth(bad)


def test_check_bind():
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", ("a", "b"))
    with pytest.raises(ServeError, match="--auth"):
        check_bind("0.0.0.0", None)


@pytest.fixture()
def stand_ins(monkeypatch, tiny_dataset):
    """assistant.build/config replaced by stand-ins; launch_app captured instead of serving."""
    from tests.fakes import fake_for

    built, launched = [], []

    @dataclass
    class AssistantConfig:  # the fields serve passes (assistant.config.AssistantConfig has them all)
        dataset: str = "ml-100k"
        home: object = None
        llm: str = "llama_cpp"
        mode: str = "plan"
        base_url: str | None = None
        api_key: str = "not-needed"
        openai_model: str = "local"
        chroma_url: str | None = None
        db_url: str | None = None
        feedback_db: object = None
        k: int = 5
        model_name: str = "qwen2.5-coder-0.5b"
        model_path: object = None

    def build_assistant(config):
        built.append(config)
        return fake_for(tiny_dataset)

    monkeypatch.setitem(sys.modules, "assistant.config", types.SimpleNamespace(AssistantConfig=AssistantConfig))
    monkeypatch.setitem(sys.modules, "assistant.build", types.SimpleNamespace(build_assistant=build_assistant))
    import assistant.ui.app as app

    monkeypatch.setattr(app, "launch_app", lambda demo, **kw: launched.append((demo, kw)))
    for var in ("RECASSIST_AUTH", "RECASSIST_LLM", "OPENAI_BASE_URL", "OPENAI_MODEL", "RECASSIST_CHROMA_URL"):
        monkeypatch.delenv(var, raising=False)
    return built, launched


def test_serve_refuses_open_bind_without_auth(stand_ins, capsys):
    built, launched = stand_ins
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: refusing to serve on '0.0.0.0' without a password") and err.count("\n") == 1
    assert built == [] and launched == []  # refused before building anything


def test_serve_bad_auth_is_an_error(stand_ins, capsys):
    assert main(["serve", "--auth", "nopassword"]) == 2
    assert "user:password" in capsys.readouterr().err


def test_serve_wires_assistant_auth_and_bind(stand_ins, monkeypatch, tmp_path):
    import gradio as gr

    built, launched = stand_ins
    monkeypatch.setenv("RECASSIST_AUTH", "ann:pw")
    assert main(["--home", str(tmp_path), "serve", "--dataset", "ml-100k", "--host", "0.0.0.0", "--port", "7999"]) == 0
    assert built[0].dataset == "ml-100k" and built[0].home == tmp_path and built[0].llm == "llama_cpp"
    demo, kw = launched[0]
    assert isinstance(demo, gr.Blocks)
    assert kw == {"host": "0.0.0.0", "port": 7999, "auth": ("ann", "pw"), "block": True}
    # --auth wins over the env var; loopback needs none
    launched.clear()
    assert main(["serve", "--auth", "bob:x"]) == 0
    assert launched[0][1]["auth"] == ("bob", "x") and launched[0][1]["host"] == "127.0.0.1"
    # LLM options as in `recassist chat`
    assert main(["serve", "--backend", "none", "-k", "3", "--model", "/m/x.gguf"]) == 0
    cfg = built[-1]
    assert (cfg.llm, cfg.k, str(cfg.model_path)) == ("none", 3, "/m/x.gguf")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    assert main(["serve"]) == 0
    assert (built[-1].llm, built[-1].base_url) == ("openai", "http://127.0.0.1:8080/v1")


def test_serve_is_registered():
    from assistant.commands import MODULES

    assert "assistant.commands.serve" in MODULES
    assert serve_cmd.register
