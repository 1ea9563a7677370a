# One obvious command per chore. `make run` and `make test` are the two README commands.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= var/kakehashi.duckdb
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup browser build serve lint snapshot docs clean

## run: set up, build the store and serve the dashboard on http://127.0.0.1:8000
run: setup
	$(BIN)/kakehashi build --store $(STORE)
	$(BIN)/kakehashi serve --store $(STORE) --host $(HOST) --port $(PORT)

## test: set up, then lint, type-check and run the test suite (browser tests use Debian's chromium)
test: setup browser
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/kakehashi docs --check
	$(BIN)/pytest -q

setup: $(VENV)/.installed

# The browser tests drive Debian's chromium through Playwright (never a downloaded browser).
browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=ja | grep -q .; } || { \
	  echo "Installing Debian's chromium and a Japanese font for the browser tests (needs root)"; \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: setup
	$(BIN)/kakehashi build --store $(STORE)

serve: setup
	$(BIN)/kakehashi serve --store $(STORE) --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## snapshot: re-derive the bundled snapshot from ../shared/data (then commit the diff)
snapshot: setup
	$(BIN)/kakehashi snapshot --data ../shared/data

## docs: regenerate docs/reference/tables.md and docs/sources.md from the code
docs: setup
	$(BIN)/kakehashi docs

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
