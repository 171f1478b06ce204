PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv eval bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install -q -e .

demo: venv
	$(BIN)/kg build seeds/ --out exports/

test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	bash scripts/ensure-chromium.sh || echo "make: chromium could not be installed; the browser tests will say so and skip"
	$(BIN)/python -m pytest -q

# the development sets in eval/ always; the seed gold only where it exists (beside a checkout, not in a clone)
SEED_GOLD ?= ../shared/gold

eval: venv
	@set -e; for set in eval/devset*/; do \
		echo "== $${set%/}"; $(BIN)/kg eval "$${set}gold" --docs "$${set}docs"; \
	done
	@if [ -d "$(SEED_GOLD)" ]; then \
		echo "== $(SEED_GOLD) (seeds)"; $(BIN)/kg eval "$(SEED_GOLD)" --docs seeds; \
	else \
		echo "== seed gold not found at $(SEED_GOLD): skipped (set SEED_GOLD=DIR to score the seeds)"; \
	fi

bench: venv
	$(BIN)/python bench/bench_build.py --copies 20

clean:
	rm -rf $(VENV) exports/*.ttl exports/*.html
