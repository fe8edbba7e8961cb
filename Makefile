# The two commands: `make book` builds the site, `make test` runs every test.
# Each creates the virtual environment first if it is missing or out of date.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test test-fast bench release browser dictionary clean lock

# Python keeps the compiled form of each module (in __pycache__ folders, which git ignores) even where the
# environment asks it not to: every test process and notebook kernel imports the same modules, and compiling
# them again costs each process about 2 seconds.
unexport PYTHONDONTWRITEBYTECODE

# Every Python package comes from requirements.lock: each at one version, each file checked against its
# hash (pip refuses a package missing from the lock or a file whose hash differs). The venv's own pip
# installs it; it is not upgraded first, because an upgrade would fetch a pip that no hash checks.
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
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

# One test process per core; the tests of one file stay in one process, to share what the file builds.
# Files start in the order tests/conftest.py gives (longest first), not by their number of tests.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

test: $(STAMP) browser dictionary
	$(PYTEST) $(ARGS)

# The fast suite: every test that builds no site and drives no browser.
test-fast: $(STAMP) dictionary
	$(PYTEST) -m "not slow" $(ARGS)

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

# Refresh the lock after changing requirements.txt (the direct dependencies): uv, in a throwaway environment
# of its own under _build/, resolves requirements.txt for Python 3.11 on any system and writes every package
# with the hash of each file its default index (PyPI) serves. --no-config: no local uv or pip settings (a
# mirror or a folder of wheels on this machine) decide what the lock holds. Only wheels (--no-build).
LOCK_TOOL := _build/lock-tool
UV_VERSION := 0.13.8
lock:
	$(PYTHON) -m venv $(LOCK_TOOL)
	$(LOCK_TOOL)/bin/python -m pip install --quiet uv==$(UV_VERSION)
	$(LOCK_TOOL)/bin/uv pip compile requirements.txt --no-config --universal --python-version 3.11 \
	  --generate-hashes --no-build --custom-compile-command "make lock" --quiet --output-file requirements.lock

bench: $(STAMP)
	$(BIN)/python benchmarks/build_speed.py

clean:
	rm -rf _build
