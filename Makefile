# geomap: the two commands are `make map` and `make test` (see README.md).
# Each sets everything up on a fresh clone: a virtual environment in .venv, the
# package with its test extras (and the dask extra, so that the cluster tests
# run), and the offline gazetteer in data/.  The map
# assets and boundary data ship inside the package (geomap/vendor): no npm.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA := $(CURDIR)/data
STAMP := $(VENV)/.geomap-installed

# every command below keeps its files (gazetteer, cache, event store) in data/
export GEOMAP_DATA_DIR ?= $(DATA)

.PHONY: setup map test bench gazetteer vendor

setup: $(STAMP) gazetteer

# the virtual environment is created only when it does not exist yet
$(BIN)/python:
	@test -x $@ || $(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,xlsx,dask]'
	@touch $@

# a no-op when a complete gazetteer of the current format is there
gazetteer: $(STAMP)
	$(BIN)/geomap gazetteer build

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

# only for whoever updates the npm packages in data/npm (needs npm): copy what
# geomap uses into geomap/vendor
vendor: $(STAMP)
	npm ci --prefix data/npm --no-audit --no-fund
	$(BIN)/python data/vendor_assets.py
