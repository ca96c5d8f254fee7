# The targets developers run are the ones CI runs (.ci/run calls `make check test`).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup run test check bench bench-scale soak docs messages clean

PORT ?= 8000

# Running needs only the package; developing adds the test, benchmark and analysis extras.
$(BIN)/jointfund: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-extras: $(BIN)/jointfund pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,dask]'
	@touch $@

# The partial plotly.js bundle the charts need (bar and scatter), from the npm registry; without
# npm the pages serve the plotly package's full bundle instead.
PLOTLY_JS := node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
$(PLOTLY_JS): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --omit=dev --no-audit --no-fund --ignore-scripts; \
	else echo "npm not found: the charts will load the full plotly.js bundle"; fi

# Tests add axe-core (accessibility checks run in the page) to the browser files.
node_modules/.dev-installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else echo "npm not found: the accessibility tests will skip"; fi

setup: $(VENV)/.dev-extras node_modules/.dev-installed  ## create .venv and install jointfund with its dev extras

run: $(BIN)/jointfund $(PLOTLY_JS)  ## build and verify the example fund in ./jointfund.db, serve it on :$(PORT)
	$(BIN)/jointfund demo --force --logins demo-logins.txt
	if [ -f $(PLOTLY_JS) ]; then export JOINTFUND_PLOTLY_JS=$(CURDIR)/$(PLOTLY_JS); fi; \
	$(BIN)/jointfund serve --host 127.0.0.1 --port $(PORT)

test: setup  ## run the test suite (PostgreSQL tests skip, with a reason, when no server answers)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

check: setup  ## lint, format check, strict types, import contracts
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup  ## print throughput figures against baselines measured in the same run
	$(BIN)/python benchmarks/ledger_post.py
	$(BIN)/python benchmarks/filings_import.py
	$(BIN)/python benchmarks/forecast_engine.py
	$(BIN)/python benchmarks/forecast_sobol.py
	$(BIN)/python benchmarks/api_load.py
	$(BIN)/python benchmarks/uploads_under_reads.py
	$(BIN)/python benchmarks/verify_since.py --licences 1000 --months 100 --entries 100000
	$(BIN)/python benchmarks/scale.py --filings 50000 --licences 1000 --entries 10000 --proposals 10 --repeat 3

bench-scale: setup  ## ten years of a national registry on SQLite and PostgreSQL (SCALE_ARGS to size it)
	$(BIN)/python benchmarks/scale.py $(SCALE_ARGS)

soak: setup  ## the long fault suites: 1,000 kills per backend, 100k simulated operations
	JOINTFUND_SOAK=1 $(BIN)/python -m pytest tests/reliability -n 2 --dist loadgroup

docs: setup  ## regenerate docs/cli.md from the command tree
	$(BIN)/python scripts/cli_reference.py

messages: setup  ## extract the strings people read into the Ukrainian catalogue, then translate the new ones
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k Message --no-location --sort-output --omit-header -o build/jointfund.pot src
	$(BIN)/pybabel update -i build/jointfund.pot -d src/jointfund/i18n/locales -D jointfund -l uk \
		--ignore-obsolete --no-fuzzy-matching --width 100

clean:
	rm -rf $(VENV) build dist node_modules .pytest_cache .mypy_cache .ruff_cache jointfund.db* demo-logins.txt
