# villagegov: `make run` serves the demo village; `make test` checks everything.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install system-packages lint typecheck pytest messages translations chromium bench clean screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP) system-packages

# Debian packages the project needs: gettext (compilemessages), Chromium and CJK fonts (browser tests).
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

translations: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0

run: translations
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) -m daphne -b 127.0.0.1 -p 8000 villagegov.asgi:application

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: install
	$(PY) -m mypy .

pytest: translations
	$(PY) -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

test: lint typecheck pytest

# The README's pictures (docs/screenshots/*.png), taken in Chromium from the demo village by
# e2e/test_screenshots.py (skipped unless VILLAGEGOV_SCREENSHOTS=1, so `make test` leaves them alone).
screenshots: translations
	VILLAGEGOV_SCREENSHOTS=1 $(PY) -m pytest -q e2e/test_screenshots.py

# Refresh the .po catalogues from the code (then translate what is new).
messages: install
	$(PY) manage.py makemessages --ignore=.venv --ignore=e2e --ignore=bench --ignore=staticfiles --no-wrap -l zh_Hans -l en
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

# The benchmarks (not part of `make test`): every bench/[!_]*.py, on the embedded default, or on
# PostgreSQL + Redis when DATABASE_URL and REDIS_URL are set (see docs/performance.md).
bench: install
	@set -e; ls bench/[!_]*.py >/dev/null 2>&1 || { echo "no benchmarks yet"; exit 0; }; \
	for b in bench/[!_]*.py; do echo "=== $$b"; $(PY) $$b; done

clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache
