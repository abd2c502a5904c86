# MedReview: `make run` serves the product with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails name the address `make run` serves at (config/site.py); an exported SITE_URL wins.
run: export SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install bench bench-pg bench-quick screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The web server and one background worker together (scripts/run.sh); Ctrl-C stops both.
run: install
	DEBUG=1 PY=$(PY) HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

test: install
	PY=$(PY) bash scripts/test.sh

# The benchmark and its budgets (README: Performance): every page at 100, 10,000 and 100,000 posts, on
# SQLite (cached in bench/results/) or on a throwaway PostgreSQL; exits 1 when a budget fails.
# Options of `python -m bench` go in BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 100,10000".
bench: install
	PY=$(PY) bash scripts/bench.sh $(BENCH_ARGS)

bench-pg: install
	PY=$(PY) bash scripts/bench.sh --postgres $(BENCH_ARGS)

# The smoke run the test suite makes (tests/bench): tiny databases, nothing timed against a budget.
bench-quick: install
	$(PY) -m bench --quick

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

screenshots: install
	MEDREVIEW_SCREENSHOTS=1 DEBUG=1 SECRET_KEY=screenshots $(PY) -m pytest tests/browser -q
