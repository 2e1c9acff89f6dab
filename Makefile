# The README's two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
INI    ?= development.ini
STAMP  := $(VENV)/.installed

.PHONY: run test install catalogs clean-var bench messages templates axe screenshots

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools<81" wheel
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) catalogs

# Compile the gettext catalogs (.po -> .mo) with Babel.
catalogs: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d tracker/locale -D tracker --statistics 2>&1 | tail -n 2
	$(BIN)/pybabel compile --use-fuzzy -d tracker/locale -D colander 2>&1 | tail -n 1

run: install
	@mkdir -p var
	@if [ ! -f var/Data.fs ]; then $(BIN)/tracker -c $(INI) init --demo --write-password-file var/initial-admin-password; fi
	@echo ""
	@echo "  Tracker: http://127.0.0.1:6543/"
	@echo "  Login:   admin"
	@if [ -f var/initial-admin-password ]; then echo "  Password: $$(cat var/initial-admin-password)  (from var/initial-admin-password)"; fi
	@echo ""
	$(BIN)/pserve $(INI)

test: install axe
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# axe-core (npm) for the accessibility checks of the browser tests; without
# npm the browser tests skip locally (and fail under CI).
AXE := .cache/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p .cache && npm install --no-audit --no-fund --silent --prefix .cache axe-core@4; \
	else echo "npm not found: browser accessibility checks will be skipped"; fi

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/listing.py
	$(BIN)/python bench/letters.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/dashboard.py --quick

clean-var:
	rm -rf var

# Re-extract the translatable strings (needs lingua, installed on demand).
messages: $(STAMP)
	$(BIN)/pip install --quiet lingua
	$(BIN)/pot-create -c lingua.cfg -d tracker -o tracker/locale/tracker.pot tracker
	$(BIN)/pybabel update -i tracker/locale/tracker.pot -d tracker/locale -D tracker --no-fuzzy-matching

# Rebuild the letter templates in docs_templates/ from docs_templates/build.py.
templates: $(STAMP)
	$(BIN)/python docs_templates/build.py
	$(BIN)/tracker -c $(INI) templates check

# Screenshots of the main pages (demo data, Debian's Chromium) for docs/screenshots/.
screenshots: install
	$(BIN)/python tests/screenshots.py
