# School Portal: `make run` serves the demo school, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := DJANGO_DEBUG=1 $(BIN)/python manage.py

.PHONY: run test bench install migrate messages lint format clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(MANAGE) migrate --no-input

run: migrate
	$(MANAGE) seed_demo
	@echo
	@echo "School Portal: http://127.0.0.1:8000/ — sign in with a username above and that password."
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# The benchmark (docs/performance.md): SQLite, and PostgreSQL when DATABASE_URL
# points to one. BENCH_ARGS passes options, e.g. BENCH_ARGS="--seconds 5 --reseed".
bench: $(STAMP)
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "make bench needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python -m benchmark $(BENCH_ARGS)

# After adding or changing a user-facing string: extract, translate the .po files, compile.
messages: $(STAMP)
	$(MANAGE) makemessages --no-obsolete --no-location -l ky -l ru -l en \
		--ignore=.venv --ignore=var --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static
