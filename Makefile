# Secure Base: the real commands. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
SB := $(VENV)/bin/securebase
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/securebase
PYTEST_ARGS ?=
PYTEST := $(VENV)/bin/pytest
# One pytest worker per core (pytest-xdist). The full runs keep each test file on one worker, so
# a browser journey file shares its signed-in clinician and a command-line test file builds its
# scratch databases once.
XDIST ?= -n auto
FULL_RUN := $(XDIST) --dist loadfile --durations=25
# The fuzz modules are not even collected: building their OpenAPI cases costs each process 0.6 s.
QUICK := -m "not browser and not subprocess and not fuzz" --ignore-glob='tests/test_api_fuzz_*'

# The clock-moved run: every process of the suite sees a date this far ahead.
FAKETIME_OFFSET ?= +400d

# Python's byte-code cache, on for everything make runs even where the environment turns it off
# (PYTHONDONTWRITEBYTECODE): without it every test run recompiles the code and pytest rewrites the
# asserts of all test modules again, in every worker, about 10 s of each run on 2 cores.
unexport PYTHONDONTWRITEBYTECODE

# Local use only: plain http on 127.0.0.1 with secrets generated under var/; HOST and PORT reach
# the app too, so links in its emails point where it serves (SITE_URL).
LOCAL := DEBUG=1 HOST=$(HOST) PORT=$(PORT)

.PHONY: install demo run test test-quick test-sqlite test-browser test-postgres test-faketime lint format \
	format-check messages catalogue bench prod-local clean

# What the app needs to run (install, demo, run); the test and lint tools come with
# $(TEST_INSTALLED). --disable-pip-version-check: no "new release of pip" notice.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e .
	touch $@

# The app plus its [test] extra: pytest, Playwright, ruff... for the test and lint targets.
TEST_INSTALLED := $(VENV)/.installed-test
$(TEST_INSTALLED): $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then \
		cd securebase && $(LOCAL) ../$(SB) compilemessages --verbosity 0; \
	else echo "msgfmt not found (apt-get install gettext): pages stay in English"; fi

# Django's development server: `make demo` and `make run` are for local use only, so its banner
# warning against production use is left out of what a newcomer sees.
SERVE := $(LOCAL) DJANGO_RUNSERVER_HIDE_WARNING=true $(SB) runserver $(HOST):$(PORT)

demo: install
	$(LOCAL) $(SB) migrate --no-input --verbosity 0
	$(LOCAL) $(SB) demo-data
	@echo
	@echo "Secure Base demo: http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(SERVE)

run: install
	$(LOCAL) $(SB) migrate --no-input --verbosity 0
	@echo
	@echo "An empty Secure Base. Create the practice and its first admin with:"
	@echo "  DEBUG=1 $(SB) create-admin you@example.org --practice 'Your Practice'"
	@echo "Then open http://$(HOST):$(PORT)/ and sign in."
	$(SERVE)

lint: $(TEST_INSTALLED)
	@if command -v msgattrib >/dev/null; then \
		msgfmt --check -o /dev/null securebase/locale/es/LC_MESSAGES/django.po; \
		left=$$(msgattrib --untranslated securebase/locale/es/LC_MESSAGES/django.po; \
			msgattrib --only-fuzzy securebase/locale/es/LC_MESSAGES/django.po); \
		if [ -n "$$left" ]; then echo "Untranslated or fuzzy Spanish strings:"; echo "$$left"; exit 1; fi; \
		cd securebase && $(LOCAL) ../$(SB) makemessages --keep-pot -l zz --no-location \
			--ignore 'static/*' --verbosity 0 && \
		msgcmp locale/es/LC_MESSAGES/django.po locale/django.pot; status=$$?; \
		rm -rf locale/zz locale/django.pot; \
		if [ $$status -ne 0 ]; then \
			echo "Strings in the code are missing from the Spanish catalogue: make catalogue, then translate."; \
			exit 1; fi; \
	elif [ "$$CI" = "true" ]; then echo "gettext is required in CI"; exit 1; fi
	$(VENV)/bin/ruff check securebase tests
	$(VENV)/bin/ruff format --check securebase tests
	$(VENV)/bin/lint-imports --no-cache
	$(LOCAL) $(SB) makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY=lint-$$RANDOM$$RANDOM$$RANDOM-not-a-real-secret-but-long-enough-xyz \
		FIELD_ENCRYPTION_KEYS=$$($(LOCAL) $(SB) generate-key) \
		AUDIT_KEYS=$$($(LOCAL) $(SB) generate-key --audit) \
		AUDIT_SIGNING_KEY=$$($(LOCAL) $(SB) generate-key --audit) ALLOWED_HOSTS=securebase.example.org \
		$(SB) check --deploy --fail-level WARNING

# Bring the Spanish catalogue up to date with the code (then translate what is new).
catalogue: $(TEST_INSTALLED)
	cd securebase && $(LOCAL) ../$(SB) makemessages -l es --no-location --ignore 'static/*'
	msgcat securebase/locale/es/LC_MESSAGES/django.po -o securebase/locale/es/LC_MESSAGES/django.po
	$(MAKE) messages

format: $(TEST_INSTALLED)
	$(VENV)/bin/ruff format securebase tests
	$(VENV)/bin/ruff check --fix securebase tests

# The loop to run before every commit: everything but the browser and command-line tests, on
# SQLite, in parallel. The test databases stay in var/test-db/ between runs (migrations already
# applied); PYTEST_ARGS=--create-db builds them afresh.
test-quick: $(TEST_INSTALLED) messages
	@mkdir -p var/test-db
	TEST_DATABASE_NAME=$(CURDIR)/var/test-db/quick.sqlite3 \
		$(PYTEST) $(QUICK) $(XDIST) --dist worksteal --reuse-db $(PYTEST_ARGS)

# Everything but the browser tests on SQLite, the command-line tests included, with the property
# tests at full strength, on today's date. `make test` runs the same with the clock moved instead
# (test-faketime).
test-sqlite: $(TEST_INSTALLED) messages
	HYPOTHESIS_PROFILE=thorough $(PYTEST) -m "not browser" $(FULL_RUN) $(PYTEST_ARGS)

# The journeys in Chromium, against the app in a subprocess on a scratch SQLite database. A
# pytest process of their own: Playwright's event loop must not share a worker with database tests.
# The production stack's tests (deploy/prod-local) run here too, on today's date: Caddy's clock
# cannot be moved, so its certificates would look expired in test-faketime.
test-browser: $(TEST_INSTALLED) messages
	$(PYTEST) -m "browser or stack" $(FULL_RUN) $(PYTEST_ARGS)

# PostgreSQL runs when reachable; in CI (CI=true) it is required. The subprocess tests are left
# out here because they already run every command on both SQLite and PostgreSQL themselves, and so
# are the tests that never touch the database (scoring, the risk lexicon…: tests/conftest.py).
test-postgres: $(TEST_INSTALLED) messages
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		DATABASE_URL=$(POSTGRES_URL) SECUREBASE_DATABASE_TESTS_ONLY=1 \
			$(PYTEST) $(QUICK) $(FULL_RUN) $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL is required in CI but not reachable"; exit 1; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432: skipping the PostgreSQL run"; fi

# test-sqlite with the whole process tree's clock moved ahead by libfaketime: a test that depends on
# today's date fails here on the day it is written. In-process tests run on the frozen clock of
# tests/clock.py whatever the date, so this is the suite's SQLite run too; the command-line tests
# and everything that reads the clock below Python see the moved date. Today's date is the
# browser journeys' (they run migrate, demo-data and the server) and the PostgreSQL run's.
# Without faketime (outside CI), test-sqlite runs instead.
test-faketime: $(TEST_INSTALLED) messages
	@if command -v faketime >/dev/null; then \
		HYPOTHESIS_PROFILE=thorough faketime -m -f '$(FAKETIME_OFFSET)' \
			$(PYTEST) -m "not browser and not stack" $(FULL_RUN) $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then echo "faketime is required in CI (apt-get install faketime)"; exit 1; \
	else echo "faketime not found (apt-get install faketime): the SQLite run is on today's date"; \
		$(MAKE) --no-print-directory test-sqlite; fi

test: lint test-faketime test-browser test-postgres

# Query counts and latency of the main pages on a small and a large generated practice, in a
# scratch database (SQLite in a temporary directory, or BENCH_DATABASE_URL: an empty database).
# Fails when a page's query count grows with the data. BENCH_ARGS="--json" for JSON.
# The production stack on this machine: PostgreSQL and Redis (already running), two app processes
# under gunicorn, two task workers and Caddy with its own certificate authority (deploy/prod-local).
prod-local: install
	deploy/prod-local

bench: install
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/securebase-bench.XXXXXX"); trap 'rm -rf "$$dir"' EXIT; \
	export DEBUG=1 SECUREBASE_VAR_DIR="$$dir/var" \
		DATABASE_URL="$${BENCH_DATABASE_URL:-sqlite:///$$dir/bench.sqlite3}"; \
	$(SB) migrate --no-input --verbosity 0 && $(SB) bench $(BENCH_ARGS)

format-check: lint

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
