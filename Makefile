# CitySocial: `make run` starts the demo city; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
SANDBOX_PORT ?= 8025
BLUESKY_SANDBOX_PORT ?= 8026
FACEBOOK_SANDBOX_PORT ?= 8027
X_SANDBOX_PORT ?= 8028
CHROMIUM ?= /usr/bin/chromium

# The demo's sandbox channels name these for their credentials; the sandboxes accept the same.
export SANDBOX_MASTODON_TOKEN ?= sandbox-token
export SANDBOX_BLUESKY_CREDENTIALS ?= {"identifier": "city.bsky.social", "app_password": "sandbox-app-password"}
export SANDBOX_FACEBOOK_TOKEN ?= sandbox-page-token
export SANDBOX_X_TOKEN ?= sandbox-user-token

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
	$(PY) manage.py load_incident_templates
	$(PY) manage.py load_demo_city --mastodon-url http://$(HOST):$(SANDBOX_PORT) \
		--bluesky-url http://$(HOST):$(BLUESKY_SANDBOX_PORT) \
		--facebook-url http://$(HOST):$(FACEBOOK_SANDBOX_PORT) \
		--x-url http://$(HOST):$(X_SANDBOX_PORT)
	@echo ""
	@echo "  CitySocial:                http://$(HOST):$(PORT)/  (staff sign-in: http://$(HOST):$(PORT)/login/)"
	@echo "  Sandbox (Mastodon API):    http://$(HOST):$(SANDBOX_PORT)/"
	@echo "  Sandbox (Bluesky API):     http://$(HOST):$(BLUESKY_SANDBOX_PORT)/"
	@echo "  Sandbox (Facebook Page):   http://$(HOST):$(FACEBOOK_SANDBOX_PORT)/"
	@echo "  Sandbox (X API):           http://$(HOST):$(X_SANDBOX_PORT)/"
	@echo "  Worker and beat are running; Ctrl-C stops everything."
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py sandbox_platforms --host $(HOST) --mastodon-port $(SANDBOX_PORT) \
		--bluesky-port $(BLUESKY_SANDBOX_PORT) --facebook-port $(FACEBOOK_SANDBOX_PORT) \
		--x-port $(X_SANDBOX_PORT) & \
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
		CREDENTIALS_KEYS=check-deploy-only RECORDS_SIGNING_KEY=Y2hlY2stZGVwbG95LW9ubHktMDEyMzQ1Njc4OWFiY2Q= \
		ALLOWED_HOSTS=social.city.example $(PY) manage.py check --deploy --fail-level WARNING

# Two processes (pytest-xdist), each with its own test database, Redis database and broker
# folder (citysocial/settings.py TEST_PROCESS). TEST_PROCESSES=0 runs in one.
TEST_PROCESSES ?= 2
pytest: install browser
	CITYSOCIAL_BROKER_DIR=var/test-broker $(BIN)/pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

# The journey from draft to published (browser, worker, platforms) and the embedded broker again
# on the embedded defaults (SQLite, filesystem broker), when the main run used PostgreSQL and Redis.
EMBEDDED_TESTS = tests/e2e/test_post_journey.py tests/test_broker.py
e2e-embedded: install browser
	@if [ -n "$$DATABASE_URL$$REDIS_URL$$CELERY_BROKER_URL" ]; then \
		env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL CITYSOCIAL_BROKER_DIR=var/test-broker \
			$(BIN)/pytest $(EMBEDDED_TESTS) $(PYTEST_ARGS); \
	fi

test: lint checks pytest e2e-embedded

# Speed and quality figures, printed (never asserted in the unit tests).
bench: install
	$(PY) tests/bench/bench_checks.py
	$(PY) tests/bench/bench_publishing.py $(BENCH_ARGS)
	$(PY) tests/bench/bench_incident.py
	$(PY) tests/bench/bench_export.py $(EXPORT_BENCH_ARGS)
	$(PY) tests/bench/bench_archive_search.py $(SEARCH_BENCH_ARGS)

clean:
	rm -rf var/test-broker var/test-*.sqlite3
