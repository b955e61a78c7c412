# Razem: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: demo test install system bench messages check-deploy clean chromium

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP) system

# Debian libraries WeasyPrint needs for PDF reports (Pango) and a font with Polish letters.
system:
	@ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset && fc-list 2>/dev/null | grep -qi "DejaVu Sans" || { \
	  pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q $$pkgs; \
	  else sudo apt-get update -q && sudo apt-get install -y -q $$pkgs; fi; }

# Set up everything and serve the demo partnership at http://127.0.0.1:$(PORT).
demo: install
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py load_demo
	@echo "Razem: http://127.0.0.1:$(PORT)/  (Ctrl+C kończy / stops)"
	@# The task worker (reports) runs beside the web server and stops with it.
	@$(PY) manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) -m gunicorn razem.wsgi:application --bind 127.0.0.1:$(PORT) --workers $$(nproc) --access-logfile -

# The whole suite on SQLite, then on PostgreSQL when DATABASE_URL points at one.
test: install node_modules/.installed chromium
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)
	@case "$${DATABASE_URL:-}" in \
	  postgres://*|postgresql://*) echo "== PostgreSQL: $$DATABASE_URL"; $(PY) -m pytest $(PYTEST_ARGS) ;; \
	  *) echo "== DATABASE_URL does not point at PostgreSQL: PostgreSQL run skipped" ;; \
	esac

# axe-core (the accessibility checker the browser tests inject), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# Debian's Chromium drives the accessibility checks (browser tests).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else sudo apt-get update -q && sudo apt-get install -y -q chromium; fi; }

messages: install
	$(PY) manage.py makemessages -l pl -l en --ignore=.venv --ignore=node_modules --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	RAZEM_PRODUCTION=true SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=razem.example.pl $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var/static var/bench

# Load-test the production server (gunicorn + wrk) on a throwaway demo database;
# figures go to var/bench/latest.json. BENCH_DURATION=3s for a quick look.
bench: install
	$(PY) -m bench.run
