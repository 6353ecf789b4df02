# Kesbang: the two commands are `make run` and `make test` (see README).
PYTHON ?= python3.11
# Bytecode is cached (__pycache__, and pytest's rewritten test modules): with PYTHONDONTWRITEBYTECODE set,
# as some machines do, every pytest start and every worker or server a test starts recompiled everything
# (15 s of CPU per pytest process instead of 5 s for collecting the suite).
unexport PYTHONDONTWRITEBYTECODE
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-quick install lint format messages migrate seed bench bench-explain loadtest loadtest-100 clean permissions-table backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

## make run: set up and start web + Celery worker + beat on http://127.0.0.1:8000 with demo data.
## It runs as production does (DEBUG off, gunicorn, WhiteNoise); a first run writes a local .env
## with a generated secret key and console email. Environment variables override .env.
run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py ensure_admin
	@echo "Kesbang berjalan di http://127.0.0.1:8000/  (Ctrl-C untuk berhenti)"
	exec $(BIN)/honcho -f Procfile.dev start

.env:
	@echo "Writing .env for a local run (generated secret key, console email)."
	@printf 'DJANGO_SECRET_KEY=%s\nDJANGO_ALLOWED_HOSTS=127.0.0.1,localhost\nEMAIL_URL=consolemail://\n' \
	  "$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

## make test: set up and run ruff, the migration check and the whole pytest suite, in parallel on the
## machine's cores (-n auto; PYTEST_ARGS="-n 1" or "-n 0" overrides), with the 25 slowest tests listed.
test: install
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=kesbang.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=kesbang.settings_test $(BIN)/python -m pytest -n auto --dist worksteal --durations=25 $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

## make test-quick: the inner loop while editing: ruff and every test but the browser tests, the fault
## drills, the backup/restore round trips through manage.py processes and the migration round trips
## (all still run in `make test`; CI's SQLite pass adds the migration tests back: QUICK_MARKERS), in
## parallel on the machine's cores.
QUICK_MARKERS ?= not browser and not processes and not migrations
test-quick: install
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=kesbang.settings_test $(BIN)/python -m pytest -m "$(QUICK_MARKERS)" --ignore=tests/drills \
	  -n auto --dist worksteal -p no:cacheprovider --durations=25 $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; exit $$rc

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Compile translations (needs GNU gettext's msgfmt); the compiled .mo files are committed.
messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

## make bench: seed PostgreSQL (DATABASE_URL, default kesbang_bench) with the benchmark volume and
## time the pages, the weekly summary and the caturwulan report (see README, Benchmarks).
bench: install
	$(BIN)/python -m tests.bench

## make bench-explain: EXPLAIN (ANALYZE, BUFFERS) of the three heaviest queries of the incident pages on
## the benchmark database (BENCH_SCALE=national for the national one); run make bench first.
bench-explain: install
	$(BIN)/python -m tests.bench_explain

## make loadtest: gunicorn (2 workers) + a Celery worker per queue + beat on PostgreSQL and a throwaway
## Redis, 30 logged-in users for 60 s with locust (127.0.0.1 only), four report builds in flight and an
## early-warning alert timed every second to a loopback SMTP server; stops everything it started.
## LOADTEST_USERS, LOADTEST_SECONDS, LOADTEST_WEB_WORKERS change the run.
loadtest: install
	$(BIN)/python -m tests.loadtest.run

## make loadtest-100: issue 15's run: 100 users for 120 s on gunicorn with the README's worker count
## for 2 cores (WEB_CONCURRENCY=2, README: Production).
loadtest-100: install
	LOADTEST_USERS=100 LOADTEST_SECONDS=120 LOADTEST_WEB_WORKERS=2 $(BIN)/python -m tests.loadtest.run

clean:
	rm -rf var/kesbang.sqlite3 var/celery var/static

## Rewrite the README's permission table from tests/security/permissions.py (the one source).
permissions-table: install
	DJANGO_SETTINGS_MODULE=kesbang.settings_test $(BIN)/python -m tests.security.permissions --write-readme

## make backup: database (pg_dump custom format, or a SQLite copy) + private uploads into var/backups/<time>/,
## encrypted when BACKUP_ENCRYPTION_KEY is set (see README, Backup and restore).
backup: install
	$(BIN)/python manage.py backup

## make restore BACKUP=var/backups/<time>: verify every checksum (and decrypt), show what it replaces, ask,
## then replace the data and uploads with that backup.
restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<time>"; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP)
