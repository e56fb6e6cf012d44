# reviewbook: every target sets up $(VENV) first (once, and again when pyproject.toml changes).
PYTHON ?= python3
VENV ?= .venv
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k manifest"`.
# (The notebook checks will add their nbval options here.)
PYTEST_ARGS ?=

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_PATHS := src tests benchmarks
WORKFLOW := .github/workflows/ci.yml

.PHONY: install lab test lint notebooks bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[dev]"
	touch $@

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/00_index.ipynb

test: $(STAMP) lint
	$(BIN)/reviewbook annotations check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOW)

# Re-execute every notebook top to bottom and rewrite its Markdown twin.
notebooks: $(STAMP)
	$(BIN)/reviewbook notebooks run

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# No stamp here: cleaning must not install anything first.
clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -prune \
		-exec rm -rf {} +
