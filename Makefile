# Two commands on a fresh machine (see README):
#   make run    set up the virtual environment, the embedded database, and open the trainer
#   make test   install the test tools and run the whole suite (ruff, import-linter, pytest)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(VENV)/.voice: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,voice]'
	touch $(VENV)/.voice

.PHONY: install install-voice run test check lint bench
install: $(STAMP)

install-voice: $(VENV)/.voice

run: install
	$(BIN)/trainer db init
	$(BIN)/trainer db seed
	$(BIN)/trainer

lint: install
	$(BIN)/ruff check trainer tests bench
	$(BIN)/lint-imports

test: install install-voice lint
	$(BIN)/pytest -q

check: test

bench: install
	$(BIN)/trainer bench --json
