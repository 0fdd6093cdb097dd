"""`recassist ask --json` on the real ML-100K data, without an LLM (templates)."""

from __future__ import annotations

import json

import pytest

from assistant.cli import main

pytestmark = pytest.mark.slow


def test_ask_json(ml100k, ml100k_kg, paths, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    db = str(tmp_path / "fb.sqlite")  # a fresh session store: the session starts empty
    rc = main(["--home", str(paths.home), "ask", "comedies from the 90s", "--json", "--backend", "none", "--session", "cli-test",
               "--feedback-db", db])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["intent"] == "recommend" and out["cards"]
    assert out["state"]["request"]["genres"] == ["Comedy"] and out["state"]["request"]["decades"] == ["1990s"]
    for c in out["cards"]:
        it = ml100k.catalog[c["item_id"]]
        assert c["title"] == it.display_title and "Comedy" in it.genres and 1990 <= it.year <= 1999
        assert c["explanation"]["item_id"] == c["item_id"]


def test_ask_bad_backend_config_is_one_line_error(paths, capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    rc = main(["--home", str(paths.home), "ask", "hi", "--backend", "openai"])
    assert rc == 2 and "OPENAI_BASE_URL" in capsys.readouterr().err
