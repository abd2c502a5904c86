# MedReview: `make run` serves the product with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install bench bench-smoke screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable
	DEBUG=1 $(PY) manage.py demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	PY=$(PY) bash scripts/test.sh

# The benchmark (README: Performance): every page at 100 and 10,000 posts against a bare-Django floor.
bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

screenshots: install
	MEDREVIEW_SCREENSHOTS=1 DEBUG=1 SECRET_KEY=screenshots $(PY) -m pytest tests/browser -q
