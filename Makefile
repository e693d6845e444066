# Two commands: `make run` serves the platform with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: install messages run test lint typecheck lock clean

install: $(VENV)/.installed messages

$(VENV)/.installed: requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.lock
	touch $@

# Compile the translation catalogs with polib: no system gettext needed.
messages: $(VENV)/.installed
	@$(PY) -m config.translations

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  The platform:  http://127.0.0.1:8000/"
	@echo "  Admin:         http://127.0.0.1:8000/admin/"
	@echo "  API docs:      http://127.0.0.1:8000/api/docs/"
	@echo "  Ctrl-C stops the web server, the Celery worker and beat."
	@echo ""
	$(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with the Django plugin on core/ and every services and selectors module
# ([tool.mypy] files in pyproject.toml).
typecheck: install
	$(BIN)/mypy

# Re-resolve the locked dependencies after editing pyproject.toml (needs uv).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.lock
	uv pip compile pyproject.toml --python-version 3.11 -o requirements/base.lock

clean:
	rm -rf $(VENV) var
