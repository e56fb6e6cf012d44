# reviewbook: every target sets up $(VENV) first (once, and again when pyproject.toml or the
# constraints file changes).
PYTHON ?= python3
VENV ?= .venv
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k manifest"`.
# (The notebook checks will add their nbval options here.)
PYTEST_ARGS ?=

# What pip may install: requirements/lock.txt pins every package (one file for Python
# 3.10-3.13, by markers), so nbval compares outputs against the same library versions
# everywhere. `make test CONSTRAINTS=` installs the newest instead; `make floors` the minimums.
LOCK := requirements/lock.txt
FLOORS := requirements/floors.txt
CONSTRAINTS ?= $(LOCK)
# Everything: `pip install reviewbook` alone is the lean install (reading, tables, exports);
# the workbook needs the notebook extra, the corpus its own; dev and site the rest.
EXTRAS := all,dev
# The venv `make floors` installs the declared minimum versions into.
FLOORS_VENV ?= .venv-floors
# Where `make site` writes the website.
SITE_DIR ?= build/site
# uv resolves the lock (`make lock`); pinned so two refreshes differ only by the packages.
UV_VERSION ?= 0.13.9

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_PATHS := src tests benchmarks site
WORKFLOW := $(wildcard .github/workflows/*.yml)

.PHONY: install lab test check lint notebooks bench clean lock floors site

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -e ".[$(EXTRAS)]"
	touch $@

install: $(STAMP)

# The notebooks are this project's own code: trust them, so JupyterLab shows their outputs
# with all their styling (an untrusted notebook's HTML is sanitised).
lab: $(STAMP)
	$(BIN)/jupyter trust notebooks/*.ipynb
	$(BIN)/jupyter lab notebooks/00_index.ipynb

# Everything: the package's tests (pytest, on copies of the seed workbook), then the workbook's
# own check of whatever it holds now (`reviewbook check`: manifest, annotations, notebooks
# fresh and in step, no machine paths, nbval strict).
test: $(STAMP) lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/reviewbook check

# The workbook alone, as it is now: what a researcher runs after adding or annotating.
check: $(STAMP)
	$(BIN)/reviewbook check

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOW)

# Re-execute every stale notebook and rewrite its Markdown twin: the workbook's, then the seed
# workbook's that the package's tests keep (tests/data/seed_workbook).
SEED_WORKBOOK := tests/data/seed_workbook
notebooks: $(STAMP)
	$(BIN)/reviewbook notebooks run
	$(if $(wildcard $(SEED_WORKBOOK)),$(BIN)/reviewbook --workbook $(SEED_WORKBOOK) notebooks run)

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Re-resolve the lock from pyproject.toml: the newest versions that fit, for every Python the
# project supports (--universal writes markers where they differ, e.g. pandas 2.3 on 3.10).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml --all-extras --universal \
		--python-version 3.10 --no-python-downloads --upgrade --custom-compile-command "make lock" \
		-o $(LOCK)

# The whole check with every declared minimum version, in a venv of its own (use the oldest
# Python: `make floors PYTHON=python3.10`).
floors:
	$(MAKE) test VENV=$(FLOORS_VENV) CONSTRAINTS=$(FLOORS)

# The static website: the committed notebooks with their saved outputs (nothing re-run), the
# reference table, a page per annotation file. Open $(SITE_DIR)/index.html.
site: $(STAMP)
	$(BIN)/python site/build.py $(SITE_DIR)

# No stamp here: cleaning must not install anything first.
clean:
	rm -rf $(VENV) $(FLOORS_VENV) build dist .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -prune \
		-exec rm -rf {} +
