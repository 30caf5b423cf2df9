# One-command setup, test and render. Everything installs itself: `make test`
# on a machine with nothing sets up the system packages and the venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup test lint render bench docs-images clean

setup: $(STAMP)

# Re-install only when the project's dependencies change.
$(STAMP): pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# One test process per core, each test file on one of them (its module fixtures built once).
test: setup
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -n auto --dist loadfile

lint: setup
	$(PY) -m ruff check .
	$(PY) -m mypy

render: setup
	$(PY) render.py --scene SteepnessSweep -q h

bench: setup
	$(PY) bench/bench_numerics.py

# The README's picture: every registered scene's last frame (-q l), tiled in teaching order.
docs-images: setup
	nice -n 10 $(PY) scripts/contact_sheet.py --output docs/lecture-contact-sheet.png

clean:
	rm -rf $(VENV) media/cache .pytest_cache .mypy_cache .ruff_cache
