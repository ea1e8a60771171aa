# Hust Musik: `make run` serves the API on http://127.0.0.1:8000, `make test` runs the suite.
# Both need only Python 3.11+ and make; everything else is installed into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test bench load faults migrate superuser lint translations clean reset

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# The development server and one job worker beside it; Ctrl-C (or SIGTERM to make) stops both,
# the worker once its running job is done.
run: $(VENV)/.runtime-installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} $(BIN)/python -m hustmusik.devrun $(HOST):$(PORT)

# One job worker alone (as many as needed, on any machine reaching the same database).
worker: $(VENV)/.runtime-installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py worker

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Not part of `make test`: loads a million-song catalogue into its own database (BENCH_ARGS="--songs 100000" for less).
bench: $(VENV)/.dev-installed
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/api_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/plays_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/audio_bench.py

# Not part of `make test`: 60 s of Locust against gunicorn on a 100,000-song catalogue.
load: $(VENV)/.dev-installed
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# Not part of `make test` (CI's second run uses the same services): restarts this machine's
# PostgreSQL and Redis during the load and kills a job worker mid-mail; FAULT_PG_RESTART,
# FAULT_REDIS_STOP/START override how the services are restarted.
FAULTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hustmusik_faults
FAULTS_REDIS_URL ?= redis://127.0.0.1:6379/1
faults: $(VENV)/.dev-installed
	DATABASE_URL=$(FAULTS_DATABASE_URL) REDIS_URL=$(FAULTS_REDIS_URL) $(BIN)/python bench/load.py --faults --seconds 90 $(LOAD_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Compile locale/*/LC_MESSAGES/django.po into the committed .mo files, with Python alone (no GNU gettext).
translations: $(BIN)/python
	$(BIN)/python -m hustmusik.translations

migrate: $(VENV)/.runtime-installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

superuser: $(VENV)/.runtime-installed
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py createsuperuser

# The virtualenv and caches go; the embedded database and the uploaded media in .local stay.
clean:
	rm -rf $(VENV) .pytest_cache artifacts
	@echo "Kept .local/ (the embedded database and uploaded media): 'make reset' removes it too."

# Everything `make run` made: the virtualenv and the embedded database with its media.
reset: clean
	rm -rf .local
	@echo "Removed .local/: the next 'make run' starts from an empty database."
