# make demo  - set up and build the bundled example into output/neurips-2025/
# make test  - set up and run the whole test suite
# make bench - print every performance figure (see bench/run)

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SYSTEM_TOOLS = soffice pdftoppm pdftotext chromium chromedriver

.PHONY: setup system-deps demo test lint bench golden clean

$(BIN)/confgen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/confgen

# LibreOffice, poppler and Chromium (with chromium-driver for the review page's browser
# tests) are only needed by the tests (and --pdf/--png); the fonts are what a LibreOffice
# install brings (the deck tests render with system fonts).
FONT_PACKAGES = fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2 fonts-noto-core
system-deps:
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	for font in Carlito Caladea "Liberation Sans"; do fc-list "$$font" 2>/dev/null | grep -q . || missing="$$missing $$font"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages for:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends libreoffice-impress-nogui poppler-utils chromium chromium-driver libraqm0 \
	    $(FONT_PACKAGES) >/dev/null; \
	fi

demo: setup
	$(BIN)/confgen build neurips-2025

test: setup system-deps
	$(BIN)/python -m pytest -n 2 -q

lint: setup
	$(BIN)/ruff check generator tests bench

bench: setup
	bench/run

# Regenerate the golden outputs (deck YAML dump, panel PNGs) after an intended change.
golden: setup
	$(BIN)/python -m tests.test_deck_golden
	$(BIN)/python -m tests.test_panel_golden

clean:
	rm -rf output/*/ .pytest_cache
