# CitySocial: `make run` starts the demo city; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
SANDBOX_PORT ?= 8025
CHROMIUM ?= /usr/bin/chromium

export SANDBOX_MASTODON_TOKEN ?= sandbox-token

.PHONY: run test install lint checks pytest e2e-embedded browser bench clean

$(BIN)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(BIN)/.installed node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_city --mastodon-url http://$(HOST):$(SANDBOX_PORT)
	@echo ""
	@echo "  CitySocial:                http://$(HOST):$(PORT)/  (staff sign-in: http://$(HOST):$(PORT)/login/)"
	@echo "  Sandbox (Mastodon API):    http://$(HOST):$(SANDBOX_PORT)/"
	@echo "  Worker and beat are running; Ctrl-C stops everything."
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py sandbox_mastodon --host $(HOST) --port $(SANDBOX_PORT) & \
	$(BIN)/celery -A citysocial worker --loglevel=INFO --concurrency=2 & \
	$(BIN)/celery -A citysocial beat --loglevel=INFO & \
	SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Chromium for the browser tests, from Debian's packages (browser downloads are blocked).
browser:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi
	@test -x $(CHROMIUM) || echo "NOTE: $(CHROMIUM) is missing: install Debian's chromium to run the browser tests."

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

checks: install
	$(PY) manage.py makemigrations --check --dry-run
	CITYSOCIAL_PRODUCTION=1 SECRET_KEY=check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH \
		CREDENTIALS_KEYS=check-deploy-only \
		ALLOWED_HOSTS=social.city.example $(PY) manage.py check --deploy --fail-level WARNING

pytest: install browser
	CITYSOCIAL_BROKER_DIR=var/test-broker $(BIN)/pytest $(PYTEST_ARGS)

# The end-to-end test again on the embedded defaults (SQLite, filesystem broker),
# when the main run used PostgreSQL and Redis.
e2e-embedded: install browser
	@if [ -n "$$DATABASE_URL$$REDIS_URL$$CELERY_BROKER_URL" ]; then \
		env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL CITYSOCIAL_BROKER_DIR=var/test-broker \
			$(BIN)/pytest -m "worker or browser" $(PYTEST_ARGS); \
	fi

test: lint checks pytest e2e-embedded

# Speed and quality figures, printed (never asserted in the unit tests).
bench: install
	$(PY) tests/bench/bench_checks.py

clean:
	rm -rf var/test-broker var/test-*.sqlite3
