# The playbook's commands. `make serve` to write, `make test` to check everything.
# Every target sets itself up: a .venv with locked, hash-checked dependencies and the `playbook`
# command (requirements/runtime.lock for the site, requirements/test.lock for tests and lint).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
NPM_DIR := tools/npm

# Every date the site shows comes from the last commit, never the clock (reproducible builds).
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: setup test-setup system-deps npm-deps serve build test lint locks publish brief print book screenshots bench check-links clean

setup: $(STAMP)

$(STAMP): requirements/runtime.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements/runtime.lock
	$(PIP) install --quiet --no-deps -e .
	@touch $@

test-setup: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) requirements/test.lock
	$(PIP) install --quiet --require-hashes -r requirements/test.lock
	@touch $@

# Rewrite both locks from pyproject.toml (keeps current pins; add --upgrade to move them).
locks: test-setup
	$(PIP) install --quiet "pip-tools>=7.4"
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	    --no-header --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS) -o runtime.lock ../pyproject.toml
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	    --no-header --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS) --extra test -o test.lock ../pyproject.toml

system-deps:
	@scripts/install-system-deps.sh

npm-deps: $(NPM_DIR)/node_modules/.installed

$(NPM_DIR)/node_modules/.installed: $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The engine: mkdocs (MkDocs + Material, the default) or zensical (`make build ENGINE=zensical`:
# the same docs/, data/ and mkdocs.yml, through zensical.yml; README "Two engines").
ENGINE ?= mkdocs

serve: setup
ifeq ($(ENGINE),zensical)
	PLAYBOOK_SITE_URL=http://127.0.0.1:8000/ $(BIN)/playbook zensical serve --dev-addr 127.0.0.1:8000
else
	PLAYBOOK_SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000 --livereload
endif

build: setup
ifeq ($(ENGINE),zensical)
	$(BIN)/playbook zensical build
else
	$(BIN)/mkdocs build --strict
endif

# The strict build is pytest's: its session fixture builds the site once, strictly, and stops the
# whole run with MkDocs' messages if the build fails (tests/conftest.py), so it is not built twice.
test: test-setup system-deps npm-deps lint
	$(BIN)/python -m pytest

# Part of `make test`: ruff (check and format) and mypy, as configured in pyproject.toml.
lint: test-setup
	$(BIN)/ruff check src tests bench hooks macros scripts
	$(BIN)/ruff format --check src tests bench hooks macros scripts
	$(BIN)/mypy

publish: setup
	@test -n "$(DEST)" || { echo "Usage: make publish DEST=/path/to/published/site"; exit 2; }
	$(BIN)/playbook publish "$(DEST)"

brief: setup system-deps
	@test -n "$(PROFILE)" || { echo "Usage: make brief PROFILE=data/profiles/example-cfo.yml [OUT=brief.pdf]"; exit 2; }
	$(BIN)/playbook brief "$(PROFILE)" -o "$(or $(OUT),brief.pdf)"

print: setup system-deps
	@test -n "$(PAGE)" || { echo "Usage: make print PAGE=chapters/value/ [OUT=chapter.pdf]"; exit 2; }
	$(BIN)/playbook print "$(PAGE)" -o "$(or $(OUT),chapter.pdf)"

book: build system-deps
	$(BIN)/playbook book --site-dir site -o "$(or $(OUT),playbook.pdf)"

check-links: build
	$(BIN)/playbook check-links site --registry data/onboarding-links.yml

screenshots: setup system-deps
	$(BIN)/playbook screenshots --out screenshots

bench: test-setup system-deps npm-deps
	$(BIN)/python bench/run_all.py

clean:
	rm -rf site .cache
