"""`build_assistant(config)`: load dataset, KG, vector index, scorer and LLM backend, and wire an Assistant.

Missing optional artifacts degrade honestly: without a vector index free-text
search is unavailable (metadata filters still work); without a trained scorer
ranking falls back to retrieval order / popularity; without sentence embeddings
dialogue acts come from cue-word rules; all are stated in `Assistant.notes`. A missing dataset or KG, or a missing model file for
llm="llama_cpp", is a RecassistError that says which command fixes it.
"""

from __future__ import annotations

import sys

from assistant.config import AssistantConfig
from catalog.types import RecassistError


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


def load_classifier(ds, paths, index):
    """The dialogue-act classifier, trained on the packaged phrasing set with the index's MiniLM embedder
    (embeddings cached under artifacts/), or (None, reason): the NLU then decides acts by cue words."""
    try:
        from assistant.dialogue.classifier import ActClassifier, training_rows

        embedder = index.embedder if index is not None else None
        if embedder is None:
            from retrieval.embedders import MiniLMEmbedder

            embedder = MiniLMEmbedder()
        return ActClassifier.train(training_rows(), embedder, cache=paths.artifacts(ds.name) / "act_vectors.npz"), None
    except (ImportError, RecassistError, OSError) as e:
        return None, f"act classifier unavailable ({e}); dialogue acts come from cue-word rules"


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
    store = open_store(config.db_url, config.feedback_db or paths.artifacts(ds.name) / "feedback.sqlite")
    from assistant.onboarding import QUESTIONNAIRE_FILE, load_questionnaire

    questionnaire = load_questionnaire(ds, paths.artifacts(ds.name) / QUESTIONNAIRE_FILE)
    if questionnaire is None:
        notes.append("no onboarding questionnaire for this data (run `recassist build`), so onboarding asks about "
                     "popular titles whose ratings vary most")
    for n in notes:
        print(f"note: {n}", file=sys.stderr)
    return Assistant(ds, kg, index=index, scorer=scorer, backend=backend, store=store, k=config.k,
                     n_candidates=config.n_candidates, plan_max_tokens=config.plan_max_tokens,
                     answer_max_tokens=config.answer_max_tokens, why_max_tokens=config.why_max_tokens, mode=config.mode, native_model=native_model, notes=notes,
                     index_note=index_note, classifier=classifier, nlu_threshold=config.nlu_threshold,
                     questionnaire=questionnaire)
