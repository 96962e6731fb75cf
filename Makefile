# geomap: the two commands are `make map` and `make test` (see README.md).
# Each sets everything up on a fresh clone: a virtual environment in .venv, the
# package with its test extras, the offline gazetteer in data/, the offline map
# assets (npm) when data/npm exists.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA := $(CURDIR)/data
STAMP := $(VENV)/.geomap-installed
NPM_DIR := data/npm
NPM_STAMP := $(NPM_DIR)/node_modules/.geomap-installed

# every command below keeps its files (gazetteer, cache, event store) in data/
export GEOMAP_DATA_DIR ?= $(DATA)

.PHONY: setup map test bench gazetteer npm

setup: $(STAMP) gazetteer npm

# the virtual environment is created only when it does not exist yet
$(BIN)/python:
	@test -x $@ || $(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,xlsx]'
	@touch $@

# a no-op when a complete gazetteer of the current format is there
gazetteer: $(STAMP)
	$(BIN)/geomap gazetteer build

npm:
	@if [ ! -f $(NPM_DIR)/package-lock.json ]; then :; \
	elif ! command -v npm >/dev/null 2>&1; then \
		echo "note: npm not found, so the offline map assets are not installed (maps will load them online)"; \
	elif [ ! -f $(NPM_STAMP) ] || [ $(NPM_DIR)/package-lock.json -nt $(NPM_STAMP) ]; then \
		npm ci --prefix $(NPM_DIR) --no-audit --no-fund && touch $(NPM_STAMP); \
	fi

# the main job on the demo input: the seed article on a self-contained map
map: setup
	@mkdir -p out
	$(BIN)/geomap map --self-contained -o out/seed-map.html

test: setup
	$(BIN)/python -m pytest -q

# on demand, not in CI: every script prints its figures beside a same-run baseline
# (the store, refresh and map ones take several minutes each)
bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done
