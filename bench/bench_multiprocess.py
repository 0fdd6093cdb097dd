"""Several app processes against one `chroma run`, one `llama_cpp.server` and one session/feedback SQLite file.

Usage:  .venv/bin/python bench/bench_multiprocess.py [--procs 2] [--sessions 5] [--control] [--llm] [--llm-turns 6]
Writes docs/results/multiprocess.json and docs/results/multiprocess.md.

What runs (ML-100K, rules route: RECASSIST_LLM=none, unless --llm):
  servers, N processes  a real `chroma run` over a copy of the built index, and N OS processes (this file with
                        --worker), each wiring the assistant with build_assistant(config_from_args(...)) exactly as
                        `recassist ask/serve` do, RECASSIST_CHROMA_URL pointed at the server and one shared
                        feedback/session SQLite file. Scripted multi-turn conversations; each session's turns
                        alternate between processes (turn 1 in A, turn 2 in B, "more" in A, ...) and some turns of
                        one session go to two processes at the same moment (two windows of one user).
  servers, 1 process    beside them, one process alone on its own SQLite file, against the same server: after
                        each step of the run above it answers that step's turns in the order they were saved (the
                        serial order the version column recorded), on session "ref-<id>". Its final state is the
                        state a single process reaches with the same turns.
  embedded, 1 process   the same, with everything in one process: embedded Chroma (a copy of the index), its own
                        SQLite file. The three configurations answer the same turns within the same seconds, so
                        load from other jobs on the machine falls on all of them alike.
  --llm                 a short extra run: `python -m llama_cpp.server` with the default GGUF, the N processes set
                        to RECASSIST_LLM=openai / OPENAI_BASE_URL, a few turns (capped by --llm-turns), with one
                        process replaying each step against the same servers.
  --control             a negative control: the N processes again with the version check off (each turn saved
                        over whatever is stored, the last writer wins); the checks below should then fail.
Latency is per turn, measured in the worker around Assistant.respond (retries included). Only one configuration
answers at any moment (they share the 2 cores); idle processes wait on their stdin.

Checks per session, on the state stored in the SQLite file at the end (read by a fresh store, not a cache):
  - no turn failed, none was given up after the StaleSession retries;
  - the row version equals the number of turns, and the turns' saved versions are exactly 1..n (each turn saved
    once: none lost, none written twice); the state's turn counter is n;
  - every "i've seen X" / "i liked X" is in the stored seen / liked lists, and its event is stored exactly once;
  - in saved order, every "more" that showed cards added exactly one page; each reply's cards are the page it added;
    no item is on two pages (shown lists never repeat, also when "more" alternates processes or two "more" race);
  - the single-process replay reaches the same stored state (profile, request, results, pages, shown, cards, turn)
    and gives the same cards turn by turn;
  - reads from a process that did not serve the last turn (Assistant.profile) show the stored state.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable

from tests.servers import free_port, stop, wait_http  # noqa: E402  (the tests' server helpers: one copy)

# A step: (process offset, text), or ((offset, offset), (text, text)) sent to two processes at the same moment.
# Offsets are relative to the session's first process (session i starts in process i % N). Titles are ML-100K's.
SCRIPTS: list[list[tuple]] = [
    [(0, "any sci-fi movies from the 80s?"), (1, "only from the 90s"), (0, "more"), (1, "why 2"),
     (0, "i've seen Men in Black"), ((0, 1), ("more", "more")), (1, "i've seen Jurassic Park"), (0, "more")],
    [(0, "I loved Fargo, any crime thrillers?"), (1, "only from the 90s"),
     ((0, 1), ("i've seen Pulp Fiction", "i've seen Reservoir Dogs")), (0, "more"), (1, "why 1"),
     ((0, 1), ("more", "i liked Heat")), (1, "more")],
    [(0, "something funny from the 80s please"), (1, "more"), (0, "more"), (1, "i've seen Back to the Future"),
     (0, "only from the 90s"), (1, "why 3"), ((0, 1), ("i liked Groundhog Day", "more")), (0, "more")],
    [(0, "movies directed by Alfred Hitchcock"), (1, "more"), (0, "why 1"), (1, "i've seen Vertigo"),
     (0, "only from the 50s"), (1, "more"), (0, "more")],
    [(0, "a romantic comedy"), (1, "from the 90s"), (0, "more"), (1, "i've seen Sleepless in Seattle"),
     (0, "not 2"), (1, "more"), (0, "why 1")],
]
LLM_SCRIPT = [(0, "any sci-fi movies from the 80s?"), (1, "only from the 90s"), ((0, 1), ("more", "more")),
              (1, "i've seen Men in Black"), (0, "more")]
STATE_KEYS = ("liked", "disliked", "seen", "entities", "request", "results", "shown", "pages", "cards", "turn",
              "last_act")
FEEDBACK_PREFIXES = {"i've seen ": "seen", "i liked ": "liked"}


# --- the worker: one app process -------------------------------------------------------------------------------

def worker_main(argv: list[str]) -> int:
    """Read JSON requests on stdin, one a line; answer one JSON line each on the original stdout.
    {"text", "session"}: a turn; {"cmd": "final", "session"}: the stored state, read fresh from the store;
    {"cmd": "profile", "session"}: Assistant.profile (what the UI's state panel shows); {"cmd": "rss"}: peak RSS;
    {"cmd": "quit"}."""
    p = argparse.ArgumentParser()
    p.add_argument("--home", required=True)
    p.add_argument("--feedback-db", required=True)
    p.add_argument("--no-version-check", action="store_true",
                   help="negative control: save every turn over whatever is stored (expected=None)")
    a = p.parse_args(argv)
    out = os.fdopen(os.dup(1), "w", buffering=1)  # replies only; anything else written to stdout goes to stderr
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    import resource
    from types import SimpleNamespace

    from assistant.build import build_assistant
    from assistant.cli import edge_environment
    from assistant.commands.chat import config_from_args
    from assistant.feedback_store import FeedbackStore, StaleSession
    from catalog.paths import Paths

    edge_environment()
    t0 = time.perf_counter()
    args = SimpleNamespace(dataset="ml-100k", paths=Paths(Path(a.home)), backend=None, mode="plan", model=None, k=5,
                           feedback_db=a.feedback_db)
    cfg = config_from_args(args)  # RECASSIST_LLM, RECASSIST_CHROMA_URL, OPENAI_BASE_URL from the environment
    assistant = build_assistant(cfg)
    counts = {"stale": 0, "reloads": 0}
    sessions = assistant.sessions
    save, refresh = sessions.save, sessions.refresh

    def counting_save(s):
        try:
            return save(s)
        except StaleSession:
            counts["stale"] += 1
            raise

    def counting_refresh(s):
        reloaded = refresh(s)
        counts["reloads"] += reloaded
        return reloaded

    sessions.save, sessions.refresh = counting_save, counting_refresh
    if a.no_version_check:  # what the store did before the version column: the last writer wins
        store_save = sessions.store.save_state
        sessions.store.save_state = lambda sid, state, expected=None, **kw: store_save(sid, state, None, **kw)
    fresh = FeedbackStore(Path(a.feedback_db))  # a second connection: reads what is stored, not this process's cache
    cat = assistant.catalog
    titles = lambda ids: [cat[i].display_title for i in ids if i in cat]  # noqa: E731
    out.write(json.dumps({"ready": True, "pid": os.getpid(), "build_s": round(time.perf_counter() - t0, 2),
                          "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                          "llm": cfg.llm, "chroma_url": cfg.chroma_url, "index": assistant.index is not None,
                          "scorer": assistant.scorer is not None, "notes": assistant.notes}) + "\n")
    for line in sys.stdin:
        req = json.loads(line)
        cmd, sid = req.get("cmd", "turn"), req.get("session")
        if cmd == "quit":
            break
        if cmd == "final":
            state, version = fresh.state_version(sid)
            events = [(e["kind"], e["item_id"]) for e in fresh.events(sid)]
            out.write(json.dumps({"state": state, "version": version, "events": events,
                                  "seen_titles": titles((state or {}).get("seen", [])),
                                  "liked_titles": titles((state or {}).get("liked", []))}) + "\n")
            continue
        if cmd == "rss":
            out.write(json.dumps({"rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}) + "\n")
            continue
        if cmd == "profile":
            d = assistant.profile(sid)
            out.write(json.dumps({"turns": d["turns"], "seen": d["seen"], "liked": d["liked"], "pages": d["pages"],
                                  "cards": d["cards"]}) + "\n")
            continue
        before = dict(counts)
        t_start = time.time()
        t0 = time.perf_counter()
        rec = {"id": req.get("id"), "session": sid, "text": req["text"], "pid": os.getpid(), "t_start": t_start}
        try:
            r = assistant.respond(sid, req["text"])
            s = sessions.get(sid)
            with s.lock:
                rec.update(intent=r.intent, backend=r.backend, cards=[c.item_id for c in r.cards],
                           card_titles=[c.title for c in r.cards], version=s.row_version, pages=len(s.pages),
                           last_page=list(s.pages[-1]) if s.pages else [], reply=r.text[:160],
                           timings_ms=r.timings_ms, error=None)
        except Exception as e:  # reported, not fatal: a crash here is what the bench looks for
            rec.update(error=f"{type(e).__name__}: {e}")
        rec.update(ms=round((time.perf_counter() - t0) * 1000, 1), t_end=time.time(),
                   stale=counts["stale"] - before["stale"], reloads=counts["reloads"] - before["reloads"])
        out.write(json.dumps(rec) + "\n")
    return 0


# --- the driver: servers and workers ----------------------------------------------------------------------------

def temp_home(src: Path, dst: Path, dataset: str = "ml-100k") -> Path:
    """A home under `dst` whose data, models and artifacts link to `src`'s, but with its own copy of the Chroma
    directory (so the embedded configuration never opens the shared cache's index)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("data", "models", "wheels", "downloads"):
        if (src / name).exists():
            (dst / name).symlink_to(src / name)
    art_src, art = src / "artifacts" / dataset, dst / "artifacts" / dataset
    art.mkdir(parents=True)
    for f in art_src.iterdir():
        if f.name == "chroma":
            shutil.copytree(f, art / "chroma")
        elif f.name != "feedback.sqlite" and not f.name.startswith("feedback.sqlite"):
            (art / f.name).symlink_to(f)
    return dst


def start_chroma(index_dir: Path, workdir: Path, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """`chroma run` on a free 127.0.0.1 port over a copy of `index_dir`; (process, url)."""
    path = workdir / "chroma_server"
    shutil.copytree(index_dir, path)
    port = free_port()
    log = (workdir / "chroma.log").open("w")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen([str(Path(PY).parent / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"}, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, timeout)
    except BaseException:
        stop(proc)
        raise
    return proc, f"http://127.0.0.1:{port}"


def start_llm_server(model: Path, workdir: Path, n_threads: int = 2, timeout: float = 120) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = (workdir / "llama_server.log").open("w")
    proc = subprocess.Popen([PY, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "2048", "--n_threads", str(n_threads),
                             "--verbose", "False"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_http(url + "/models", proc, timeout)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def warm_llm_server(url: str, timeout: float = 300) -> float:
    """One short chat completion, so that the server's first inference (29 s once on the loaded 2-core machine,
    1.5 s for the next process's first call) is not charged to the first user turn. Seconds it took."""
    body = json.dumps({"model": "local", "max_tokens": 4,
                       "messages": [{"role": "user", "content": "Say hello."}]}).encode()
    req = urllib.request.Request(url + "/chat/completions", data=body, headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as r:
        r.read()
    return round(time.perf_counter() - t0, 1)


class Worker:
    """One app process (this file with --worker), spoken to over its stdin/stdout."""

    def __init__(self, name: str, home: Path, feedback_db: Path, log: Path, env: dict[str, str | None],
                 extra: tuple[str, ...] = ()):
        self.name = name
        e = {k: v for k, v in os.environ.items() if k not in env}
        e.update({k: v for k, v in env.items() if v is not None})
        e.setdefault("PYTHONPATH", str(ROOT))
        self.log = log.open("w")
        self.proc = subprocess.Popen([PY, str(Path(__file__).resolve()), "--worker", "--home", str(home),
                                      "--feedback-db", str(feedback_db), *extra], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1, env=e, cwd=ROOT,
                                     start_new_session=True)
        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.info: dict = {}

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def send(self, msg: dict) -> None:
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()

    def recv(self, timeout: float) -> dict:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"worker {self.name} gave no answer in {timeout:.0f}s (log {self.log.name})") from None
        if line is None:
            raise RuntimeError(f"worker {self.name} exited with code {self.proc.wait()} (log {self.log.name}): "
                               + tail(Path(self.log.name)))
        return json.loads(line)

    def ask(self, msg: dict, timeout: float) -> dict:
        self.send(msg)
        return self.recv(timeout)

    def ready(self, timeout: float) -> dict:
        self.info = self.recv(timeout)
        return self.info

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                self.send({"cmd": "quit"})
            self.proc.wait(timeout=20)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            stop(self.proc)
        self.log.close()


def tail(path: Path, n: int = 1500) -> str:
    try:
        return path.read_text(errors="replace")[-n:]
    except OSError:
        return ""


def start_workers(n: int, home: Path, db: Path, workdir: Path, env: dict, label: str,
                  timeout: float = 600, extra: tuple[str, ...] = (), wait: bool = True) -> list[Worker]:
    """n workers on one SQLite file; with wait=False they build in the background (then call ready_all)."""
    ws = [Worker(f"{label}{i}", home, db, workdir / f"worker_{label}{i}.log", env, extra) for i in range(n)]
    if wait:
        ready_all(ws, timeout)
    return ws


def ready_all(ws: list[Worker], timeout: float) -> None:
    try:
        for w in ws:
            w.ready(timeout)
    except BaseException:
        for w in ws:
            stop(w.proc)
        raise


# --- running scripts ----------------------------------------------------------------------------------------------

def run_interleaved(workers: list[Worker], scripts: dict[str, tuple[int, list[tuple]]], timeout: float,
                    mirrors: tuple[Worker, ...] = ()) -> tuple[list[dict], dict[str, list[dict]]]:
    """Step j of every session, then step j+1: each step goes to the process its offset names (from the session's
    start process); a two-process step is written to both before either answer is read. After each step, every
    `mirror` (a process alone on its own file) answers the step's turns in the order they were saved, on session
    "ref-<id>": the same turns, one process, measured in the same minutes. Returns (turns, mirror turns by name)."""
    n = len(workers)
    turns: list[dict] = []
    mirrored: dict[str, list[dict]] = {m.name: [] for m in mirrors}
    for j in range(max(len(steps) for _, steps in scripts.values())):
        for sid, (start, steps) in scripts.items():
            if j >= len(steps):
                continue
            procs, texts = steps[j]
            if isinstance(procs, int):
                procs, texts = (procs,), (texts,)
            targets = [workers[(start + p) % n] for p in procs]
            if len({id(w) for w in targets}) < len(targets):
                raise ValueError("a two-process step needs --procs >= 2")
            for w, text in zip(targets, texts):
                w.send({"session": sid, "text": text, "id": len(turns)})
            step = []
            for w, text in zip(targets, texts):
                rec = w.recv(timeout)
                rec.update(step=j, worker=w.name, concurrent=len(targets) > 1)
                turns.append(rec)
                step.append(rec)
                print(f"  {w.name:<4} {rec['ms']:7.0f} ms  stale {rec['stale']}  {sid:<6} "
                      f"{'||' if len(targets) > 1 else '  '} {text!r:<42} {rec.get('error') or rec.get('intent')}",
                      file=sys.stderr, flush=True)
            for m in mirrors:
                for rec in sorted(step, key=lambda t: (t.get("version") or 0, t["id"])):
                    r = m.ask({"session": "ref-" + sid, "text": rec["text"], "id": len(mirrored[m.name])}, timeout)
                    r.update(worker=m.name, concurrent=False, orig_session=sid, step=j)
                    mirrored[m.name].append(r)
                    print(f"  {m.name:<4} {r['ms']:7.0f} ms           ref-{sid:<6} {rec['text']!r:<39} "
                          f"{r.get('error') or r.get('intent')}", file=sys.stderr, flush=True)
    return turns, mirrored


def saved_order(turns: list[dict], sid: str) -> list[dict]:
    """The session's turns in the order they were saved (their row versions)."""
    return sorted((t for t in turns if t["session"] == sid), key=lambda t: (t.get("version") or 0, t["id"]))


def replay(worker: Worker, order: dict[str, list[str]], timeout: float, prefix: str = "") -> list[dict]:
    """Every session's turns, in the given order, through one process (session ids prefixed)."""
    turns = []
    for sid, texts in order.items():
        for text in texts:
            rec = worker.ask({"session": prefix + sid, "text": text, "id": len(turns)}, timeout)
            rec.update(worker=worker.name, concurrent=False, orig_session=sid)
            turns.append(rec)
            print(f"  {worker.name:<4} {rec['ms']:7.0f} ms  {prefix + sid:<10} {text!r:<42} "
                  f"{rec.get('error') or rec.get('intent')}", file=sys.stderr, flush=True)
    return turns


def check_session(sid: str, turns: list[dict], final: dict, reference: dict | None = None,
                  reference_turns: list[dict] | None = None) -> list[str]:
    """What is wrong with one session's final stored state given the turns sent (empty list: nothing)."""
    problems: list[str] = []
    mine = saved_order(turns, sid)
    n = len(mine)
    for t in mine:
        if t.get("error"):
            problems.append(f"turn {t['text']!r} in {t['worker']} failed: {t['error']}")
    state, version = final["state"], final["version"]
    if version != n:
        problems.append(f"row version {version} after {n} turns")
    got = sorted(t.get("version") or 0 for t in mine)
    if got != list(range(1, n + 1)):
        problems.append(f"turns saved versions {got}, expected 1..{n}")
    if state and state.get("turn") != n:
        problems.append(f"state turn counter {state.get('turn')} after {n} turns")
    if not state:
        return problems + ["no stored state"]
    for t in mine:  # every stated fact is in the stored profile, its event stored once
        for prefix, slot in FEEDBACK_PREFIXES.items():
            if t["text"].lower().startswith(prefix):
                title = t["text"][len(prefix):].lower()
                if not any(x.lower().startswith(title) for x in final[f"{slot}_titles"]):
                    problems.append(f"{t['text']!r} ({t['worker']}) is not in the stored {slot} list")
    kinds = [k for k in final["events"] if k[0] in ("like", "seen", "dislike", "not_interested")]
    dup = {tuple(k) for k in kinds if kinds.count(k) > 1}
    if dup:
        problems.append(f"events stored more than once: {sorted(dup)}")
    pages = state["pages"]
    prev = 0
    for t in mine:  # in saved order: pages grow, one per 'more' that showed cards; each reply's cards are its page
        if t.get("error"):
            continue
        added = t["pages"] - prev
        if added not in (0, 1):
            problems.append(f"turn {t['text']!r} added {added} pages")
        if t["text"] == "more" and t["cards"] and added != 1:
            problems.append(f"'more' in {t['worker']} (v{t['version']}) added {added} pages")
        if added == 1 and t["cards"] != t["last_page"]:
            problems.append(f"turn {t['text']!r} showed {t['cards']} but stored page {t['last_page']}")
        if added == 1 and (t["pages"] > len(pages) or pages[t["pages"] - 1] != t["cards"]):
            problems.append(f"turn {t['text']!r}'s page is not page {t['pages']} of the stored state")
        prev = t["pages"]
    if len(pages) != prev:
        problems.append(f"{len(pages)} stored pages, the last turn saw {prev}")
    flat = [i for p in pages for i in p]
    if len(flat) != len(set(flat)):
        problems.append(f"{len(flat) - len(set(flat))} items shown on two pages")
    if state["shown"] != list(dict.fromkeys(flat)):
        problems.append("shown is not the pages' items in order")
    if reference is not None:
        ref = reference["state"] or {}
        diff = [k for k in STATE_KEYS if ref.get(k) != state.get(k)]
        if diff:
            problems.append(f"single-process replay differs in {diff}")
    if reference_turns is not None:
        a = [t.get("cards") for t in mine]
        b = [t.get("cards") for t in reference_turns]
        if a != b:
            problems.append("single-process replay gave other cards: "
                            + ", ".join(f"{t['text']!r}" for t, x, y in zip(mine, a, b) if x != y))
    return problems


def latency(turns: list[dict]) -> dict:
    import numpy as np

    ms = np.asarray([t["ms"] for t in turns if not t.get("error")], dtype=np.float64)
    if ms.size == 0:
        return {"n": 0}
    return {"n": int(ms.size), "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1), "mean_ms": round(float(ms.mean()), 1),
            "max_ms": round(float(ms.max()), 1)}


def session_scripts(n_sessions: int, n_procs: int, tag: str, base=SCRIPTS) -> dict[str, tuple[int, list[tuple]]]:
    return {f"{tag}{i}": (i % n_procs, base[i % len(base)]) for i in range(n_sessions)}


def multiprocess_run(workers: list[Worker], scripts: dict, timeout: float, mirrors: tuple[Worker, ...] = ()) -> dict:
    """The interleaved run over `workers` (with `mirrors` replaying each step alone), then every session's final
    state and every process's profile() of it."""
    turns, mirrored = run_interleaved(workers, scripts, timeout, mirrors)
    finals = {sid: workers[0].ask({"cmd": "final", "session": sid}, timeout) for sid in scripts}
    stale_reads = []
    for sid in scripts:
        last = saved_order(turns, sid)[-1]
        for w in workers:
            p = w.ask({"cmd": "profile", "session": sid}, timeout)
            if p["turns"] != finals[sid]["state"]["turn"] or p["pages"] != len(finals[sid]["state"]["pages"]):
                stale_reads.append({"session": sid, "worker": w.name, "served_last": w.name == last["worker"],
                                    "profile_turns": p["turns"], "stored_turns": finals[sid]["state"]["turn"]})
    refs = {}
    for m in mirrors:
        refs[m.name] = {"turns": mirrored[m.name], "build": m.info,
                        "finals": {sid: m.ask({"cmd": "final", "session": "ref-" + sid}, timeout) for sid in scripts},
                        "by_session": {sid: [t for t in mirrored[m.name] if t["orig_session"] == sid]
                                       for sid in scripts}}
    return {"turns": turns, "finals": finals, "stale_reads": stale_reads, "mirrors": refs}


def replay_run(worker: Worker, turns: list[dict], scripts: dict, timeout: float) -> dict:
    order = {sid: [t["text"] for t in saved_order(turns, sid)] for sid in scripts}
    rturns = replay(worker, order, timeout, prefix="ref-")
    finals = {sid: worker.ask({"cmd": "final", "session": "ref-" + sid}, timeout) for sid in scripts}
    by_sid = {sid: [t for t in rturns if t["orig_session"] == sid] for sid in scripts}
    return {"turns": rturns, "finals": finals, "by_session": by_sid}


def compare(scripts: dict, mp: dict, ref: dict | None) -> dict[str, list[str]]:
    return {sid: check_session(sid, mp["turns"], mp["finals"][sid],
                               ref["finals"][sid] if ref else None, ref["by_session"][sid] if ref else None)
            for sid in scripts}


def replay_diff(a: dict, b: dict, scripts: dict) -> dict[str, list[str]]:
    """Per session, what differs between two replays: stored state keys, and "cards per turn"."""
    out = {}
    for sid in scripts:
        sa, sb = a["finals"][sid]["state"] or {}, b["finals"][sid]["state"] or {}
        d = [k for k in STATE_KEYS if sa.get(k) != sb.get(k)]
        if [t.get("cards") for t in a["by_session"][sid]] != [t.get("cards") for t in b["by_session"][sid]]:
            d.append("cards per turn")
        out[sid] = d
    return out


def overlapping_pairs(turns: list[dict]) -> tuple[int, int]:
    """(pairs sent to two processes at once whose runs overlapped in time, all such pairs)."""
    pairs: dict[tuple, list[dict]] = {}
    for t in turns:
        if t["concurrent"]:
            pairs.setdefault((t["session"], t["step"]), []).append(t)
    n = sum(1 for a, b in pairs.values() if max(a["t_start"], b["t_start"]) < min(a["t_end"], b["t_end"]))
    return n, len(pairs)


def slim(obj):
    """A copy for the results file: stored states without the ranking scratch (results, scores, ranked,
    candidates: their lengths only) and turns without last_page (the checks compared it with cards)."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in ("scores", "ranked", "candidates", "results") and isinstance(v, (list, dict)):
                out[f"n_{k}"] = len(v)
            elif k != "last_page":
                out[k] = slim(v)
        return out
    if isinstance(obj, list):
        return [slim(v) for v in obj]
    return obj


def summary_row(name: str, turns: list[dict], **extra) -> dict:
    return {"config": name, **latency(turns), "stale_retries": sum(t.get("stale", 0) for t in turns),
            "reloads": sum(t.get("reloads", 0) for t in turns), "errors": sum(bool(t.get("error")) for t in turns),
            **extra}


def main() -> int:
    if "--worker" in sys.argv:
        return worker_main([x for x in sys.argv[1:] if x != "--worker"])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--procs", type=int, default=2, help="app processes in the multi-process run (>= 2)")
    ap.add_argument("--sessions", type=int, default=5, help="scripted sessions (cycling over the templates)")
    ap.add_argument("--llm", action="store_true", help="add a short run with a real llama_cpp.server")
    ap.add_argument("--llm-turns", type=int, default=6, help="turns of the LLM run (cap; the 0.5B model is slow)")
    ap.add_argument("--control", action="store_true",
                    help="also run the N processes with the version check off (negative control: the checks "
                         "should then find lost updates)")
    ap.add_argument("--home", default=None, help="recassist home with ML-100K built (default $RECASSIST_HOME)")
    ap.add_argument("--keep", action="store_true", help="keep the temp directory (logs, SQLite files)")
    ap.add_argument("--no-write", action="store_true", help="print, do not write docs/results")
    args = ap.parse_args()
    if args.procs < 2:
        ap.error("--procs must be at least 2")
    from assistant.cli import edge_environment, paths_from_env

    edge_environment()
    src_home = paths_from_env(args.home).home
    work = Path(tempfile.mkdtemp(prefix="recassist_mp_"))
    home = temp_home(src_home, work / "home")
    servers: list[subprocess.Popen] = []
    workers: list[Worker] = []
    timeout = 300.0
    result: dict = {"procs": args.procs, "sessions": args.sessions, "dataset": "ml-100k"}
    rows: list[dict] = []
    t_all = time.perf_counter()

    loads: dict[str, float] = {}

    def phase(name: str) -> None:
        loads[name] = round(os.getloadavg()[0], 2)
        print(f"{name} (1-min load {loads[name]})", file=sys.stderr, flush=True)

    def close_workers():
        for w in workers:
            w.close()
        workers.clear()

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        chroma, chroma_url = start_chroma(home / "artifacts" / "ml-100k" / "chroma", work)
        servers.append(chroma)
        scripts = session_scripts(args.sessions, args.procs, "s")
        env = {"RECASSIST_LLM": "none", "RECASSIST_CHROMA_URL": chroma_url, "OPENAI_BASE_URL": None,
               "RECASSIST_DB_URL": None}
        # 1. servers + N processes on one shared SQLite file; beside them, two processes alone on their own files
        # (chroma run / embedded Chroma) answer each step's turns right after it, in saved order
        phase(f"servers + {args.procs} processes (chroma {chroma_url}); 1 process with chroma run and 1 embedded "
              "replaying each step")
        t0 = time.perf_counter()
        workers += start_workers(args.procs, home, work / "shared.sqlite", work, env, "P", wait=False)
        single = start_workers(1, home, work / "single_server.sqlite", work, env, "S", wait=False)
        single += start_workers(1, home, work / "single_embedded.sqlite", work, {**env, "RECASSIST_CHROMA_URL": None},
                                "E", wait=False)
        workers += single
        ready_all(workers, timeout=900)
        build = {"wall_s": round(time.perf_counter() - t0, 1),
                 "per_process": [{"name": w.name, **w.info} for w in workers]}
        mp = multiprocess_run(workers[:args.procs], scripts, timeout, mirrors=tuple(single))
        rss = [w.ask({"cmd": "rss"}, timeout)["rss_mb"] for w in workers]  # peak, after all turns
        close_workers()
        ref_srv, ref_emb = mp["mirrors"]["S0"], mp["mirrors"]["E0"]
        problems = compare(scripts, mp, ref_srv)
        emb_problems = replay_diff(ref_emb, ref_srv, scripts)
        conc = [t for t in mp["turns"] if t["concurrent"]]
        seq = [t for t in mp["turns"] if not t["concurrent"]]
        rows += [summary_row("embedded Chroma, 1 process", ref_emb["turns"], rss_mb=rss[-1]),
                 summary_row("chroma run, 1 process", ref_srv["turns"], rss_mb=rss[-2]),
                 summary_row(f"chroma run, {args.procs} processes: all turns", mp["turns"],
                             rss_mb=max(rss[:args.procs])),
                 summary_row(f"chroma run, {args.procs} processes: turns sent alone", seq),
                 summary_row(f"chroma run, {args.procs} processes: turns sent to 2 processes at once", conc)]
        result.update(main_run={"build": build, "turns": mp["turns"], "finals": mp["finals"],
                                "overlapping_pairs": overlapping_pairs(mp["turns"]),
                                "stale_reads": mp["stale_reads"], "problems": problems},
                      replay_server={"build": ref_srv["build"], "turns": ref_srv["turns"]},
                      replay_embedded={"build": ref_emb["build"], "turns": ref_emb["turns"],
                                       "differs_from_server_replay": emb_problems})
        # 3b. --control: the N processes again with the version check off; the checks should find lost updates
        if args.control:
            phase(f"control: servers + {args.procs} processes, version check off")
            workers += start_workers(args.procs, home, work / "control.sqlite", work, env, "C",
                                     extra=("--no-version-check",))
            cmp_ = multiprocess_run(workers, scripts, timeout)
            close_workers()
            cproblems = {sid: check_session(sid, cmp_["turns"], cmp_["finals"][sid]) for sid in scripts}
            result["control_no_version_check"] = {"problems": cproblems, "turns": cmp_["turns"],
                                                  "overlapping_pairs": overlapping_pairs(cmp_["turns"])}
        # 4. --llm: the same with llama_cpp.server, a few turns
        if args.llm:
            from assistant.models import fetch_model

            model = fetch_model("qwen2.5-coder-0.5b", src_home)
            phase(f"llama_cpp.server ({model.name}) + {args.procs} processes")
            t0 = time.perf_counter()
            llm_proc, llm_url = start_llm_server(model, work)
            servers.append(llm_proc)
            llm_start_s = round(time.perf_counter() - t0, 1)
            llm_warm_s = warm_llm_server(llm_url)
            llm_env = {**env, "RECASSIST_LLM": "openai", "OPENAI_BASE_URL": llm_url, "OPENAI_MODEL": "local"}
            script, n = [], 0
            for step in LLM_SCRIPT:
                k = 1 if isinstance(step[0], int) else len(step[0])
                if n + k > args.llm_turns:
                    break
                script.append(step)
                n += k
            lscripts = {"llm0": (0, script)}
            workers += start_workers(args.procs, home, work / "llm_shared.sqlite", work, llm_env, "L", wait=False)
            workers += start_workers(1, home, work / "llm_single.sqlite", work, llm_env, "M", wait=False)
            ready_all(workers, timeout=900)
            lmp = multiprocess_run(workers[:args.procs], lscripts, timeout, mirrors=(workers[-1],))
            close_workers()
            lref = lmp["mirrors"]["M0"]
            lproblems = compare(lscripts, lmp, lref)
            backends = {b: sum(t.get("backend") == b for t in lmp["turns"] + lref["turns"])
                        for b in sorted({t.get("backend") or "" for t in lmp["turns"] + lref["turns"]})}
            rows += [summary_row("chroma run + llama_cpp.server, 1 process", lref["turns"]),
                     summary_row(f"chroma run + llama_cpp.server, {args.procs} processes", lmp["turns"])]
            result["llm_run"] = {"model": model.name, "server_start_s": llm_start_s, "warm_up_call_s": llm_warm_s,
                                 "backends": backends,
                                 "turns": lmp["turns"], "replay_turns": lref["turns"], "problems": lproblems,
                                 "stale_reads": lmp["stale_reads"]}
    finally:
        for w in workers:
            stop(w.proc)
        for s in servers:
            stop(s)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["seconds"] = round(time.perf_counter() - t_all, 1)
    result["load_avg_end"] = os.getloadavg()
    result["load_1min_at_phase_start"] = loads
    result["summary"] = rows
    all_problems = {k: v for k, v in result["main_run"]["problems"].items() if v}
    if result["main_run"]["stale_reads"]:
        all_problems["stale reads"] = result["main_run"]["stale_reads"]
    if args.llm:
        all_problems.update({k: v for k, v in result["llm_run"]["problems"].items() if v})
    result["ok"] = not all_problems
    print(json.dumps({"summary": rows, "problems": all_problems,
                      "stale_reads": result["main_run"]["stale_reads"],
                      "control": {k: v for k, v in result.get("control_no_version_check", {}).get("problems", {}).items()},
                      "llm_backends": [(t["text"], t.get("backend"), t.get("timings_ms")) for t in
                                       result.get("llm_run", {}).get("turns", [])],
                      "embedded_vs_server": result["replay_embedded"]["differs_from_server_replay"]}, indent=1))
    if args.no_write:
        return 0 if result["ok"] else 1
    from bench.common import write

    cmd = "python bench/bench_multiprocess.py " + " ".join(sys.argv[1:])
    header = ["configuration", "turns", "p50 ms", "p95 ms", "mean ms", "max ms", "StaleSession retries",
              "re-reads", "errors"]
    table = [[r["config"], r["n"], r.get("p50_ms"), r.get("p95_ms"), r.get("mean_ms"), r.get("max_ms"),
              r["stale_retries"], r["reloads"], r["errors"]] for r in rows]
    mr = result["main_run"]
    n_sessions_ok = sum(not v for v in mr["problems"].values())
    notes = [f"{len(scripts)} sessions, {len(mr['turns'])} turns, {args.procs} app processes, ML-100K, "
             f"rules route (llm none) unless the row names llama_cpp.server. Each session's turns alternate "
             f"between processes; {sum(t['concurrent'] for t in mr['turns'])} turns were sent to two processes at "
             "the same moment (pairs of one session). Latency is measured in the worker around "
             "Assistant.respond, StaleSession retries included. After each step of the multi-process run, the two "
             "single processes (each alone on its own SQLite file) answered the same turns in saved order, so the "
             "configurations share the same minutes of machine load; only one answers at any moment.",
             f"Checks (final state in the SQLite file): {n_sessions_ok} of {len(scripts)} sessions with no problem "
             "(versions 1..n, one save per turn, every seen/liked title stored once, one page per 'more', no item "
             "on two pages, state and cards equal to the single-process replay against the same Chroma server)."
             + ("" if result["ok"] else f" Problems: {json.dumps(all_problems)}"),
             f"Reads by a process that did not serve the last turn (Assistant.profile): "
             f"{len(mr['stale_reads'])} stale of {len(scripts) * args.procs}.",
             f"Pairs sent to two processes at once whose runs overlapped in time: {mr['overlapping_pairs'][0]} of "
             f"{mr['overlapping_pairs'][1]}.",
             f"Embedded replay vs server replay: "
             + (", ".join(f"{k}: {v}" for k, v in result["replay_embedded"]["differs_from_server_replay"].items()
                          if v) or "same stored state in every session") + ".",
             f"Start-up: the {len(mr['build']['per_process'])} processes "
             f"({', '.join(p['name'] for p in mr['build']['per_process'])}) built together in "
             f"{mr['build']['wall_s']} s (each {[p['build_s'] for p in mr['build']['per_process']]} s; peak RSS "
             f"{[p['rss_mb'] for p in mr['build']['per_process']]} MB after build).",
             f"1-min load average at the start of each phase: {result['load_1min_at_phase_start']}, at the end "
             f"{result['load_avg_end'][0]:.1f} (2 cores; other jobs ran beside this one)."]
    if args.control:
        cp = result["control_no_version_check"]["problems"]
        notes.append(f"Negative control (--control): the same {args.procs}-process run with the version check off "
                     f"(every turn saved over whatever is stored, as before the version column): problems found in "
                     f"{sum(bool(v) for v in cp.values())} of {len(cp)} sessions: "
                     + "; ".join(f"{k}: {', '.join(v)}" for k, v in cp.items() if v) + ".")
    if args.llm:
        lr = result["llm_run"]
        notes.append(f"LLM run: {lr['model']} in `python -m llama_cpp.server` (2 threads, up in "
                     f"{lr['server_start_s']} s, then one warm-up call of {lr['warm_up_call_s']} s before any turn), {len(lr['turns'])} turns in {args.procs} processes, each step also answered by "
                     "one process alone; "
                     f"replies by backend (both runs) {lr['backends']}; problems: "
                     f"{ {k: v for k, v in lr['problems'].items() if v} or 'none'}; stale reads "
                     f"{len(lr['stale_reads'])}.")
    md = write("multiprocess", slim(result), table, header, cmd, notes="\n\n".join(notes))
    print(f"wrote {md}", file=sys.stderr)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
