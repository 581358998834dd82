# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test quick lint format bench gallery clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/incident-kit validate data
	$(BIN)/incident-kit report data -o reports
	@echo "Open reports/index.html in a browser."

lint: $(STAMP)
	$(BIN)/ruff check incident_kit tests bench docs
	$(BIN)/ruff format --check incident_kit tests bench docs

test: lint
	$(BIN)/python -m pytest -q

# Skips the tests that start kernels or a browser: for a quick local loop only.
quick: $(STAMP)
	$(BIN)/python -m pytest -q -m "not kernel and not browser"

format: $(STAMP)
	$(BIN)/ruff format incident_kit tests bench docs
	$(BIN)/ruff check --fix incident_kit tests bench docs

bench: $(STAMP)
	$(BIN)/python bench/metrics.py
	$(BIN)/python bench/tables.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/explorer.py
	$(BIN)/python bench/analytics.py
	$(BIN)/python bench/pdf.py

gallery: $(STAMP)
	$(BIN)/python docs/make_gallery.py

clean:
	rm -rf $(VENV) reports build dist .pytest_cache
