# foerderflow – two commands on a fresh machine: `make up` and `make test`.
# Needs only python3 (3.11+). uv is bootstrapped from PyPI into .tools/ when missing.

SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
# Python's byte-code caches (__pycache__, ignored by git) are written even where the machine
# sets PYTHONDONTWRITEBYTECODE: otherwise every flow-run process compiles flows/, tasks/ and
# models/ anew, and every pytest worker rewrites all test modules anew (10 s of CPU a run).
unexport PYTHONDONTWRITEBYTECODE

UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen --no-sync
PYTEST_ARGS ?=

.PHONY: up test test-all chromium lint bench install templates rundgang clean-state help

help:
	@echo "make up      – alles installieren und den lokalen Betrieb starten (http://127.0.0.1:4200)"
	@echo "make test    – alles installieren (auch Chromium) und die Testsuite ausführen (4–5 min)"
	@echo "make test-all – die lange Matrix: Neustarts, Verbund, Nebenläufigkeit, viele Beispiele"
	@echo "make lint    – ruff, mypy und Vorlagenprüfung"
	@echo "make templates – Word-Vorlagen prüfen (verwendete Variablen, Tippfehler)"
	@echo "make bench   – Messungen (benchmarks/RESULTS.md)"
	@echo "make rundgang – Bilder des README-Rundgangs neu erzeugen (Browser-Test)"

.tools/bin/uv:
	@command -v python3 >/dev/null || { echo "Fehler: python3 (3.11 oder neuer) wird benötigt." >&2; exit 1; }
	@python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Fehler: python3 ist älter als 3.11 – bitte Python 3.11 installieren." >&2; exit 1; }
	@# uv's wheel straight into .tools (its binary lands in .tools/bin); a virtual environment
	@# with its own pip only where python3 has no pip (twice as long on a fresh machine).
	python3 -m pip install --quiet --disable-pip-version-check --target .tools uv 2>/dev/null || \
		{ rm -rf .tools && python3 -m venv .tools && \
		  .tools/bin/python -m pip install --quiet --disable-pip-version-check uv; }

# `make up` compiles every package's byte-code at install (8,000 files). `make test` compiles
# only the packages a test run imports (4,200 files, scripts/compile_bytecode.py), once and
# beside Chromium's install: left to Python, up to five processes at a run's start compiled
# the same modules at once.
BYTECODE ?= --compile-bytecode
install: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen $(BYTECODE)
	$(if $(BYTECODE),,$(RUN) python scripts/compile_bytecode.py)
	@mkdir -p var/prefect

up: install
	$(RUN) foerderflow up

# Everything the default suite needs: the Python packages and Debian's Chromium.
chromium:
	@scripts/ensure_chromium.sh

# The Python packages and Chromium install side by side (on a fresh machine both download).
# Two workers (the machine has two cores); the shared stack's tests spread over both, the
# in-process flow tests stay together on one (see tests/conftest.py).
test:
	@$(MAKE) --no-print-directory -j2 install chromium BYTECODE=
	$(RUN) pytest -m "not slow" -n 2 --dist loadgroup --durations=15 $(PYTEST_ARGS)

# The long matrix: stack restarts, scale-out, concurrency, and every property test again with
# the many-examples Hypothesis profile.
test-all:
	@$(MAKE) --no-print-directory -j2 install chromium
	FOERDERFLOW_HYPOTHESIS_PROFILE=ci $(RUN) pytest -m "slow or property" -n 0 --durations=15 $(PYTEST_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check foerderflow models tasks flows tests
	$(RUN) mypy foerderflow models tasks flows migrations
	$(RUN) foerderflow templates check

bench: install
	$(RUN) python -m benchmarks

# The Word templates in templates/ are edited in Word and committed as they are; this only
# checks them (variables against the context models). Nothing here writes a template.
templates: install
	$(RUN) foerderflow templates check

# The README tour's screenshots come from the browser test (needs Chromium).
rundgang: install chromium
	rm -rf test-output/browser
	$(RUN) pytest tests/ui -q
	cp test-output/browser/0*.png docs/rundgang/

clean-state:
	rm -rf var/postgres var/documents var/mail var/calendar var/prefect var/logs
