# Two commands matter: `make run` and `make test`. Everything else is a step they share.
# The web and worker processes `make run` starts are in the Procfile (run by honcho).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# `make test` runs the suite in this many processes (pytest-xdist); 0 runs it in this one.
TEST_WORKERS ?= 2
# `make run` is a local demo: the development environment allows the built-in secret key
# and a non-Secure cookie over plain http://127.0.0.1. Production sets CAMPAIGN_ENV=production.
export CAMPAIGN_ENV ?= development
# The demo admin signs in with the printed password alone; production requires TOTP for admins.
export CAMPAIGN_TWO_FACTOR_ROLES ?=
export FLASK_APP := app.py

.PHONY: run test install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# honcho runs the Procfile's web (on PORT) and worker, each in its own process group; on
# Ctrl+C, or when either exits, it stops the other. The venv's bin comes first on PATH.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	$(BIN)/flask demo-login
	@echo "Serving on http://127.0.0.1:$(PORT) with a background worker  (Ctrl+C stops both)"
	PATH="$(abspath $(BIN)):$$PATH" exec $(BIN)/honcho start --procfile Procfile --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
