# Two commands matter: `make run` and `make test`. Everything else is a step they share.
# The web and worker processes `make run` starts are in the Procfile (run by honcho).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# `make test` runs the suite in this many processes (pytest-xdist; three keep 2 cores busy while
# tests wait on servers, databases and the browser); 0 runs it in this one.
TEST_WORKERS ?= 3
# `make run` is a local demo: the development environment allows the built-in secret key
# and a non-Secure cookie over plain http://127.0.0.1. Production sets CAMPAIGN_ENV=production.
export CAMPAIGN_ENV ?= development
# The demo admin signs in with the printed password alone; production requires TOTP for admins.
export CAMPAIGN_TWO_FACTOR_ROLES ?=
export FLASK_APP := app.py

.PHONY: run test install install-dev clean translations

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

# After changing interface text: the .pot from the sources, then the English .po updated to
# it (new strings come in empty, for a person to translate; tests/unit/test_translations.py
# fails until they are). The .mo is compiled when the app starts (campaign/i18n.py).
# --ignore-dirs: only hidden folders are skipped (the default also skips templates/_macros).
CATALOG := campaign/translations
translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _n:1,2 -k lazy_gettext \
		--no-location --sort-output --project=campaign --ignore-dirs='.*' -o $(CATALOG)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOG)/messages.pot -d $(CATALOG) -l en \
		--no-fuzzy-matching --ignore-pot-creation-date

clean:
	rm -rf $(VENV) instance .pytest_cache
