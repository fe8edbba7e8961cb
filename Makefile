# The two commands: `make book` builds the site, `make test` runs every test.
# Each creates the virtual environment first if it is missing or out of date.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test test-fast bench release browser dictionary clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	npm install --prefix $(VENV)/axe --no-save --silent axe-core@4.14.1
	touch $(STAMP)

# Chromium prints the committee briefing to PDF and runs the browser tests. Installed from Debian
# when missing and possible; otherwise the build says how to install it and skips only the PDF.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null); } \
	  || echo "Chromium is not installed and could not be installed here: sudo apt-get install -y chromium"

# The spelling test checks British English with Hunspell's dictionary, through the Enchant library.
# Installed from Debian when missing and possible, like Chromium.
dictionary:
	@[ -e /usr/share/hunspell/en_GB.dic ] && ldconfig -p 2>/dev/null | grep -q libenchant-2 || { [ "$$(id -u)" = 0 ] \
	  && command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && apt-get install -y -qq libenchant-2-2 hunspell-en-gb >/dev/null); } \
	  || echo "The British dictionary is not installed and could not be installed here: sudo apt-get install -y libenchant-2-2 hunspell-en-gb"

book: $(STAMP) browser
	$(BIN)/appraisal build $(ARGS)

test: $(STAMP) browser dictionary
	$(BIN)/python -m pytest $(ARGS)

# The fast suite: every test that builds no site and drives no browser.
test-fast: $(STAMP) dictionary
	$(BIN)/python -m pytest -m "not slow" $(ARGS)

# Cutting a version: first the quick checks (clean work tree, version newer than the last), then every
# test, and only then the release itself. CONFIRM=yes cuts a version in which no figure changed.
release: $(STAMP) browser
	@test -n "$(VERSION)" || { echo "Give the version: make release VERSION=2026.2"; exit 2; }
	$(BIN)/appraisal release $(VERSION) --check-only
	$(MAKE) --no-print-directory test
	$(BIN)/appraisal release $(VERSION) $(if $(filter yes,$(CONFIRM)),--confirm-no-changes)

# The published files of the current commit (site and source archives, downloads, figures register,
# citation, SHA256SUMS) in _build/dist/. Refuses a work tree with uncommitted changes.
dist: $(STAMP) browser
	$(BIN)/appraisal dist

bench: $(STAMP)
	$(BIN)/python benchmarks/build_speed.py

clean:
	rm -rf _build
