# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv dev-venv migrate demo static css lint format bench browsers clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Creating a virtual environment failed: install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Hashed, compressed copies of the static files, served as in production (var/static).
static: venv
	$(PY) manage.py collectstatic --noinput --verbosity 0

## make run: set up and start the portal with a Celery worker and beat (Ctrl-C stops all).
run: demo static
	@bin/run-dev-foreground "$(HOST)" "$(PORT)"

## make test: set up and run the whole suite, browser tests included.
test: dev-venv browsers
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## make bench: benchmarks at network scale (10 to 5,000 partners); writes bench/results.md.
bench: dev-venv
	$(PY) -m bench $(BENCH_ARGS)

## make browsers: Debian's Chromium and PDF tools, Java and the pinned Nu HTML Checker.
browsers:
	@bin/ensure-browser
	@bin/ensure-vnu

## make css: rebuild the portal's Bootstrap subset from static/scss (needs npm; the result is
## committed, so nothing else needs it).
css:
	bin/build-css

## make lint: ruff (check, format --check) and djlint (lint, --check) on every tracked file,
## through the local hooks in .pre-commit-config.yaml (needs a git checkout).
lint: dev-venv
	$(VENV)/bin/pre-commit run --all-files

## make format: reformat Python and the Django templates (the exclusions are djlint's).
# djlint --reformat exits 1 when it changed a file; the --check after it fails only if
# something is still left to change.
TEMPLATE_DIRS := templates $(wildcard */templates)
format: dev-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djlint $(TEMPLATE_DIRS) --reformat --quiet || $(VENV)/bin/djlint $(TEMPLATE_DIRS) --check --quiet

clean:
	rm -rf var staticfiles .pytest_cache
