# The two set-up commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= out/demo
# The clustering embedder, rebuilt from the packaged MiniLM weights as fused int8 (no torch, no network).
MINILM := src/storyline/cluster/data/minilm-l6-fused-int8.onnx

.PHONY: demo test check fix bench clean install

install: $(STAMP) $(MINILM)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable . --group dev
	touch $(STAMP)

$(MINILM): $(STAMP) scripts/build_minilm_int8.py
	$(BIN)/python scripts/build_minilm_int8.py --force

demo: $(STAMP) $(MINILM)
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
test: $(STAMP) $(MINILM)
	$(BIN)/pytest -q $(if $(ALL),,-m "not slow")

check: $(STAMP) $(MINILM)
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

fix: $(STAMP)
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: $(STAMP) $(MINILM)
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --group bench
	$(BIN)/python -m pip install --quiet --no-deps bertopic==0.17.4
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache $(MINILM)
