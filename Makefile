# Developer entry points. `make run` opens the window on the demo archive; `make test` runs
# every check CI runs. Both create the virtual environment and check system packages first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# what the installers bundle, pinned; every install here uses it (make constraints refreshes)
CONSTRAINTS := packaging/constraints.txt
DEMO := demo/archive.sqlite
SAMPLES := resources/samples/articles
# the demo also holds the real articles of the test fixtures, so that the timeline, lanes
# and the reactions across incidents have something to show
REAL := tests/fixtures/real

.PHONY: run test lint demo bench clean fuzz

$(STAMP): pyproject.toml $(CONSTRAINTS)
	scripts/ensure-system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e '.[test]'
	touch $(STAMP)

$(DEMO): $(STAMP) $(wildcard $(SAMPLES)/*) $(wildcard $(REAL)/*)
	rm -f $(DEMO) $(DEMO)-wal $(DEMO)-shm
	mkdir -p $(dir $(DEMO))
	$(BIN)/incident-viewer --archive $(DEMO) import $(SAMPLES) $(REAL)

demo: $(DEMO)

run: $(DEMO)
	scripts/ensure-system-deps --window
	$(BIN)/incident-viewer --archive $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# The reliability campaign (README "Reliability"): 100,000 fuzzed inputs through every
# importer, the annotation importer and search (the count printed), then 50 kill -9s of each
# kind of write. Takes about half an hour on two cores.
fuzz: $(STAMP)
	$(BIN)/python -m tests.reliability.fuzzing --inputs 100000
	FUZZ_KILLS=50 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/reliability/test_kills.py

bench: $(STAMP)
	$(BIN)/python benchmarks/import_search.py

clean:
	rm -rf $(VENV) demo build dist .pytest_cache .ruff_cache .mypy_cache

# The frozen program and the Debian package in dist/ (packaging/README.md).
.PHONY: package
package: $(STAMP)
	scripts/ensure-system-deps --packaging
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e . -r packaging/requirements.txt
	$(BIN)/python packaging/build.py deb

# Pin again what the installers bundle (the newest versions pyproject.toml allows); review
# the difference of packaging/constraints.txt and commit it with the reason.
.PHONY: constraints
constraints:
	$(PYTHON) scripts/refresh_constraints.py

# The README's screenshot, from the real window under a virtual X screen.
.PHONY: screenshot
screenshot: $(STAMP)
	scripts/ensure-system-deps --xvfb
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python scripts/screenshot.py packaging/screenshots/main-window.png
