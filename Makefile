# The playbook's commands. `make serve` to write, `make test` to check everything.
# Every target sets itself up: a .venv with pinned dependencies and the `playbook` command.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NPM_DIR := tools/npm

# Every date the site shows comes from the last commit, never the clock (reproducible builds).
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: setup system-deps npm-deps serve build test publish brief print book screenshots bench check-links clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

system-deps:
	@scripts/install-system-deps.sh

npm-deps: $(NPM_DIR)/node_modules/.installed

$(NPM_DIR)/node_modules/.installed: $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

serve: setup
	PLAYBOOK_SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000 --livereload

build: setup
	$(BIN)/mkdocs build --strict

test: setup system-deps npm-deps
	$(BIN)/mkdocs build --strict
	$(BIN)/python -m pytest

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

bench: setup system-deps npm-deps
	$(BIN)/python bench/run_all.py

clean:
	rm -rf site .cache
