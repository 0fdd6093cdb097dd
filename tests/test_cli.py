"""The CLI edge: bad input gives one actionable line on stderr and a non-zero exit; stats print counts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def cli(*args, home=None):
    cmd = [sys.executable, "-m", "assistant.cli"] + ([f"--home={home}"] if home else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    "args,needle",
    [
        (("data", "fetch", "--dataset", "ml-5m"), "unknown dataset 'ml-5m'; choose one of: ml-100k, ml-1m"),
        (("kg", "stats", "--dataset", "/no/such/dir"), "unknown dataset '/no/such/dir'"),
        (("data", "validate", "/no/such/dir"), "dataset directory not found"),
    ],
)
def test_bad_input_is_one_actionable_line(args, needle):
    r = cli(*args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]


def test_wrong_column_names_the_file_line_and_field(tmp_path):
    (tmp_path / "items.csv").write_text("id,name\n1,Heat\n")
    r = cli("data", "validate", str(tmp_path))
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: {tmp_path / 'items.csv'}:1: field 'title': column missing from header ['id', 'name']"


def test_byo_directory_builds_a_kg(tmp_path):
    d = tmp_path / "mycat"
    d.mkdir()
    (d / "items.csv").write_text("id,title,year,directors,genres\na,Heat,1995,Michael Mann,Crime\nb,Collateral,2004,Michael Mann,Crime|Thriller\n")
    (d / "interactions.csv").write_text("user_id,item_id,rating\nu1,a,5\nu1,b,4\n")
    r = cli("kg", "stats", "--dataset", str(d), "--json", home=tmp_path / "home")
    assert r.returncode == 0, r.stderr
    st = json.loads(r.stdout)
    assert st["nodes_by_type"]["item"] == 2 and st["nodes_by_type"]["person"] == 1
    assert st["edges_by_relation"]["directed_by"] == 2 and st["edges_by_relation"]["rated"] == 2


@pytest.mark.slow
def test_kg_stats_on_ml100k_reports_types_and_match_rate(ml100k_kg):
    r = cli("kg", "stats", "--dataset", "ml-100k")
    assert r.returncode == 0, r.stderr
    assert "person" in r.stdout and "directed_by" in r.stdout
    assert "of ratings" in r.stdout
