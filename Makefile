# Two entry points do all set-up on a fresh machine:
#   make demo   venv + deps + default model + data + KG/index/scorer, then the chat UI on 127.0.0.1
#   make test   the same set-up (plus Chromium for the browser test), then the whole test suite
# Everything lands in $(RECASSIST_HOME) (default ~/.cache/recassist) and is reused on the next run.

PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
RUN     := $(VENV)/bin/recassist
DATASET ?= ml-100k
PORT    ?= 7860
STAMP   := $(VENV)/.installed
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: demo test setup fetch build browser postgres clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip wheel
	# torch first, pinned: an unpinned torch pulls a multi-GB CUDA build
	$(PY) -m pip install torch==2.13.0
	# llama-cpp-python builds from source the first time (~5-7 min on 2 cores; pip caches the wheel).
	# Portable AVX2 build: the default -march=native build segfaulted in decode on an Intel Xeon with
	# AMX, and a wheel that pip cached on one CPU may be reused on another.
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install "$$(grep -o 'llama-cpp-python[^"]*' pyproject.toml)"
	$(PY) -m pip install -e '.[dev]'
	touch $@

setup: $(STAMP)

fetch: setup
	$(RUN) data fetch --dataset $(DATASET)
	$(RUN) model fetch --name qwen2.5-coder-0.5b
	$(RUN) model fetch --name smollm2-135m

build: fetch
	$(RUN) build --dataset $(DATASET)

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian chromium for the browser test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

# PostgreSQL server binaries for tests/test_postgres_store.py (it starts its own throwaway server on 127.0.0.1).
# An install that fails does not fail make: those tests then skip and say why.
postgres:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing Debian postgresql for the PostgreSQL store test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  { $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } || \
	    echo "warning: could not install postgresql; tests/test_postgres_store.py will skip its PostgreSQL tests"; }

demo: build
	$(RUN) serve --dataset $(DATASET) --host 127.0.0.1 --port $(PORT)

test: build browser postgres
	$(PY) -m pytest -q

clean-venv:
	rm -rf $(VENV)
