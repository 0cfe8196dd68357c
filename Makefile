# regctl — developer commands. `make install` then `make demo`; `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: install browser demo test lint typecheck check bench chaos migration clean

install: $(BIN)/regctl browser ## venv + package with extras + a Chromium for Playwright
	@# byte-compiled ahead: each command starts without compiling regctl, also where PYTHONDONTWRITEBYTECODE is set
	@$(BIN)/python -m compileall -q regctl

$(BIN)/regctl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

browser: ## Playwright's Chromium when it can be downloaded, else Debian's chromium package
	@$(BIN)/python -m regctl.browser_setup

demo: install ## run manifests/demo.yaml against the in-process sandbox on the SQLite default (./regctl.db)
	@# Exit 3 means "done, but some restaurants wait on a decision": that is the demo's expected end.
	@$(BIN)/regctl run manifests/demo.yaml; rc=$$?; \
	  if [ $$rc -eq 3 ]; then echo "Answer them with: $(BIN)/regctl review demo   (then: $(BIN)/regctl resume demo)"; exit 0; fi; \
	  exit $$rc

test: install ## the whole suite, on SQLite and PostgreSQL
	$(BIN)/pytest -q

lint:
	$(BIN)/ruff check regctl tests bench

typecheck:
	$(BIN)/mypy

check: lint typecheck test

bench: install
	$(BIN)/python bench/engine.py

chaos: install ## kill -9 / race / SIGTERM / restart Postgres under running batches; prove nothing lost (minutes)
	$(BIN)/python bench/chaos.py

migration: ## regenerate the initial migration from regctl/db/schema.py (pre-release only)
	$(BIN)/python -m regctl.db.migrate regenerate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.db
