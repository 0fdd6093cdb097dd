"""`build_assistant(config)`: load dataset, KG, vector index, scorer and LLM backend, and wire an Assistant.

Missing optional artifacts degrade honestly: without a vector index free-text
search is unavailable (metadata filters still work); without a trained scorer
ranking falls back to retrieval order / popularity; without sentence embeddings
dialogue acts come from cue-word rules; all are stated in `Assistant.notes`. A missing dataset or KG, or a missing model file for
llm="llama_cpp", is a RecassistError that says which command fixes it.
"""

from __future__ import annotations

import gc
import sys
import threading
import time

from assistant.config import AssistantConfig
from catalog.types import RecassistError

# From this many catalog items on, warm_up moves the loaded heap into the GC's permanent generation (gc.freeze).
# At 1M items ~15M GC-tracked objects outlive loading (the NetworkX graph, Items, title and filter indices), and one
# full (gen-2) collection walks all of them: 6.7 s on the 2-core machine (docs/scaling.md). CPython starts one when
# the objects promoted since the last one exceed a quarter of the long-lived ones: 25 times while loading, never in
# 40 bench queries, but a long-running server that keeps session state grows towards it, and the pause would land
# on one user's turn. Frozen objects are skipped, so that collection walks only what came after. Gen-2 thresholds
# are left alone: with the heap frozen a full collection is short, and without it a threshold only delays it.
# Below this size a full collection takes under a second, and freezing would only keep cyclic garbage of discarded
# objects alive (test processes build many assistants).
FREEZE_MIN_ITEMS = 100_000

_freeze_lock = threading.Lock()
_heap_frozen = False  # freeze_heap ran in this process


def freeze_heap() -> bool:
    """Collect garbage once, then gc.freeze(): every object alive now is left out of later collections.
    At most once per process (a second call returns False and does nothing); True if it froze now.
    Frozen objects are still freed by reference counting; only cyclic garbage among them would stay."""
    global _heap_frozen
    with _freeze_lock:
        if _heap_frozen:
            return False
        gc.collect()
        gc.freeze()
        _heap_frozen = True
        return True


def warm_up(catalog, kg=None, index=None, scorer=None, *, extra=(), freeze: bool | None = None) -> dict[str, float]:
    """Build now what the first turn would otherwise build on whole-catalog scale, then freeze the heap.

    Steps (each skipped when its component is None): the fuzzy title-search tables (Catalog.prepare_title_search),
    the KG's degree / item-entity adjacency / label indices (KnowledgeGraph.prepare), the item index's filter
    index, vectors, text model and Chroma's HNSW and document store (ItemIndex.warm_up), the scorer's folding
    tables (its `warm_up`, if it has one), then `extra`: (name, callable) pairs. Then, with freeze=True, or by
    default from FREEZE_MIN_ITEMS catalog items on, `freeze_heap()`. Every step only builds caches that lookups
    would build anyway, so results are the same with or without it. Returns seconds per step (and "total").
    build_assistant runs it once wiring is done; bench/bench_scale.py runs the same function."""
    t_all = time.perf_counter()
    steps = [("titles", catalog.prepare_title_search),
             ("kg", getattr(kg, "prepare", None)),
             ("index", getattr(index, "warm_up", None)),
             ("scorer", getattr(scorer, "warm_up", None)), *extra]
    out: dict[str, float] = {}
    for name, fn in steps:
        if fn is None:
            continue
        t0 = time.perf_counter()
        fn()
        out[name] = round(time.perf_counter() - t0, 3)
    if freeze is None:
        freeze = len(catalog) >= FREEZE_MIN_ITEMS
    if freeze:
        t0 = time.perf_counter()
        if freeze_heap():
            out["gc_freeze"] = round(time.perf_counter() - t0, 3)
    out["total"] = round(time.perf_counter() - t_all, 3)
    return out


def index_collection(ds) -> str:
    """The Chroma collection `recassist build` fills for a dataset (and the app opens)."""
    return f"{ds.name}-items"


def load_index(ds, paths, chroma_url: str | None):
    """The Chroma item index if the retrieval layer is installed and built, else (None, reason)."""
    try:
        from retrieval.index import ItemIndex
    except ImportError:
        return None, "retrieval layer not installed"
    vec = paths.artifacts(ds.name) / "item_vectors.npz"
    if chroma_url is None and not paths.chroma_dir(ds.name).exists():
        return None, f"no vector index at {paths.chroma_dir(ds.name)} (run `recassist build`)"
    try:
        index = ItemIndex.open(ds.catalog, persist_dir=paths.chroma_dir(ds.name), url=chroma_url, vectors_cache=vec,
                               collection=index_collection(ds))
        index.build(force=False)  # no-op when up to date
        index.embedder.embed(["warm-up"])  # load the text model now, not on the first user turn
        return index, None
    except RecassistError as e:
        return None, f"vector index unavailable: {e}"


def load_scorer(ds, paths, kg):
    try:
        from scorer.train import load_scorer as load_trained
    except ImportError:
        return None, "scorer layer not installed"
    d = paths.scorer_dir(ds.name)
    if not d.exists():
        return None, f"no trained scorer at {d} (run `recassist build`)"
    try:
        return load_trained(d, ds.catalog, kg), None
    except (RecassistError, FileNotFoundError) as e:
        return None, f"scorer unavailable: {e}"


def text_embedder(index):
    """The vector index's MiniLM embedder, or a new one when there is no index (the NLU's models need one)."""
    if index is not None and index.embedder is not None:
        return index.embedder
    from retrieval.embedders import MiniLMEmbedder

    return MiniLMEmbedder()


def load_classifier(ds, paths, index):
    """The dialogue-act classifier, trained on the packaged phrasing set with the index's MiniLM embedder
    (embeddings cached under artifacts/), or (None, reason): the NLU then decides acts by cue words."""
    try:
        from assistant.dialogue.classifier import ActClassifier, training_rows

        return ActClassifier.train(training_rows(), text_embedder(index), cache=paths.artifacts(ds.name) / "act_vectors.npz"), None
    except (ImportError, RecassistError, OSError) as e:
        return None, f"act classifier unavailable ({e}); dialogue acts come from cue-word rules"


def load_leanings(ds, paths, classifier, index):
    """The leaning model (genres, the "well reviewed" quality, and whether the wording dates the films;
    assistant/dialogue/leanings.py), trained on the
    packaged development requests with the MiniLM embedder (embeddings cached under artifacts/), or (None, reason):
    requests then get no leaning."""
    try:
        from assistant.dialogue.leanings import Leanings, training_rows

        embedder = getattr(classifier, "embedder", None) or text_embedder(index)
        return Leanings.train_all(training_rows(), embedder, cache=paths.artifacts(ds.name) / "leaning_vectors.npz"), None
    except (ImportError, RecassistError, OSError) as e:
        return None, f"leaning model unavailable ({e}); requests are read by rules alone"


_LOAD = "load"


def build_assistant(config: AssistantConfig, *, backend=None, native_model=None, dataset=None, kg=None,
                    scorer=_LOAD):
    """Wire an Assistant. `backend` / `native_model` / `dataset` / `kg` / `scorer` override what config would load
    (tests, evaluations that retrain without held-out targets); `scorer=None` runs without a scorer."""
    from assistant.agent import Assistant
    from assistant.feedback_store import open_store
    from assistant.llm import load_backend
    from catalog import load_dataset_by_name
    from kg.graph import KnowledgeGraph

    paths = config.paths
    if backend is None and config.mode == "plan":
        backend = load_backend(config)  # first: a config error should not wait for the data to load
    if config.mode == "native" and native_model is None:
        if config.llm != "openai" or not config.base_url:
            raise RecassistError("native mode needs an OpenAI-compatible server (llm=openai and a base URL)")
        from assistant.native import chat_model

        native_model = chat_model(config.base_url, config.openai_model, config.api_key, config.llm_timeout_s)
    ds = dataset or load_dataset_by_name(config.dataset, paths)
    if kg is None:
        kg = KnowledgeGraph.load_or_build(paths.kg_path(ds.name), ds)
    notes = []
    index, index_note = load_index(ds, paths, config.chroma_url)
    if index_note:
        notes.append(index_note)
    if scorer == _LOAD:
        scorer, why = load_scorer(ds, paths, kg)
        if why:
            notes.append(why)
    classifier, why_not = load_classifier(ds, paths, index)
    if why_not:
        notes.append(why_not)
    leanings, why_not = load_leanings(ds, paths, classifier, index)
    if why_not:
        notes.append(why_not)
    store = open_store(config.db_url, config.feedback_db or paths.artifacts(ds.name) / "feedback.sqlite")
    from assistant.onboarding import QUESTIONNAIRE_FILE, load_questionnaire

    questionnaire = load_questionnaire(ds, paths.artifacts(ds.name) / QUESTIONNAIRE_FILE)
    if questionnaire is None:
        notes.append("no onboarding questionnaire for this data (run `recassist build`), so onboarding asks about "
                     "popular titles whose ratings vary most")
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    assistant = Assistant(ds, kg, index=index, scorer=scorer, backend=backend, store=store, k=config.k,
                     n_candidates=config.n_candidates, plan_max_tokens=config.plan_max_tokens,
                     answer_max_tokens=config.answer_max_tokens, why_max_tokens=config.why_max_tokens, mode=config.mode, native_model=native_model, notes=notes,
                     index_note=index_note, classifier=classifier, nlu_threshold=config.nlu_threshold,
                     questionnaire=questionnaire, leanings=leanings)
    # last: the caches the first turn would build, then (large catalogs) the heap frozen with everything above in it
    assistant.warm_up_s = warm_up(ds.catalog, kg, index, scorer, extra=assistant.warm_up_steps())
    return assistant
