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

eval: venv
	$(BIN)/kg eval ../shared/gold --docs seeds

bench: venv
	$(BIN)/python bench/bench_build.py --copies 20

clean:
	rm -rf $(VENV) exports/*.ttl exports/*.html
