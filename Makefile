# Two commands do all the set-up: `make run` and `make test`.
# Everything else here is a step they share, or a Rasa habit with its own target.

SHELL := /bin/bash
PYTHON_VERSION := 3.10
VENV := .venv
PY := $(VENV)/bin/python
BOT := $(PY) -m bot
MODEL := models/british-academy.tar.gz
SPACY_MODEL := models/spacy/en_british_academy/meta.json
TRAINING_DATA := domain.yml config.yml $(filter-out data/courses.yml,$(wildcard data/*.yml))
export PYTHONDONTWRITEBYTECODE := 1
export TF_CPP_MIN_LOG_LEVEL := 2
# No progress bars in the steps' logs (Rasa's training, story test and evaluation draw them with tqdm, which
# reads TQDM_DISABLE: any value but an empty one). `make train TQDM_DISABLE=` shows them again.
export TQDM_DISABLE ?= 1
# Rasa sends anonymous usage data unless told not to: off for make run, train, test and CI (opt in: docs/security.md).
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: run run-cluster bench test train validate leaks audit shell eval lint format spacy browser db clean help \
	test-unit test-e2e test-core test-nlu

help:
	@echo "make run       start Rasa (127.0.0.1:5005), actions (127.0.0.1:5055) and the gateway (:8000)"
	@echo "make run-cluster  2 Rasa servers (:5005, :5006), 2 action servers (:5055, :5056) and the gateway"
	@echo "                  (:8000) on the PostgreSQL and Redis at 127.0.0.1"
	@echo "make bench     start-up, load and capacity beside Rasa's stock starter bot (see docs/benchmarks.md)"
	@echo "make test      lint, validate data, unit/action/gateway/e2e tests, story tests, NLU hold-out"
	@echo "make train     retrain the model (only when data or config changed)"
	@echo "make validate  rasa data validate --fail-on-warnings"
	@echo "make leaks     fail if a test set (hold-out, test stories, ...) copies a training example"
	@echo "make shell     talk to the bot in the terminal (starts the action server too)"
	@echo "make eval      evaluate NLU on the two hold-out sets (accuracy, macro F1, confusions)"

# --- set-up ---------------------------------------------------------------

$(VENV)/.installed: requirements.lock
	@command -v python$(PYTHON_VERSION) >/dev/null || { echo "error: python$(PYTHON_VERSION) not found (Rasa 3.6 needs 3.8-3.10)"; exit 1; }
	test -x $(PY) || python$(PYTHON_VERSION) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	@# --compile-bytecode: the venv ships its .pyc files. Without them every process (pytest workers,
	@# Rasa, the action server, each CLI call) compiles TensorFlow, Rasa and spaCy from source again,
	@# as PYTHONDONTWRITEBYTECODE below keeps it from writing them: 8 s more CPU per process.
	$(VENV)/bin/uv pip sync --python $(PY) --compile-bytecode requirements.lock
	$(VENV)/bin/uv pip install --python $(PY) --no-deps -e .
	touch $@

$(SPACY_MODEL): $(VENV)/.installed data/entities.yml $(wildcard bot/nlp/*.py)
	$(PY) -m bot.nlp build

spacy: $(SPACY_MODEL)

# No --force: Rasa's graph cache (.rasa/cache) retrains only the components whose
# inputs changed. The spaCy pipeline is part of the fingerprint through a hash of
# its files (bot/nlp/spacy_component.py). touch: Rasa leaves an unchanged model as it is.
$(MODEL): $(VENV)/.installed $(SPACY_MODEL) $(TRAINING_DATA) $(wildcard bot/nlp/*.py)
	$(BOT) rasa train --fixed-model-name british-academy --out models --quiet
	@touch $@

train: $(MODEL)

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

db: $(VENV)/.installed
	$(BOT) db upgrade

# --- running --------------------------------------------------------------

run: $(MODEL) db
	$(BOT) run

# Rasa's own scale-out model on one machine: shared PostgreSQL tracker store and
# Redis lock store; the gateway spreads messages over both Rasa servers, and each
# Rasa server spreads custom actions over both action servers. Every address and
# store can be overridden from the environment.
run-cluster: export RASA_URL ?= http://127.0.0.1:5005,http://127.0.0.1:5006
run-cluster: export ACTION_SERVER_URL ?= http://127.0.0.1:5055,http://127.0.0.1:5056
run-cluster: export TRACKER_STORE_URL ?= postgresql://postgres@127.0.0.1:5432/test
run-cluster: export DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
run-cluster: export REDIS_URL ?= redis://127.0.0.1:6379/0
run-cluster: $(MODEL)
	$(BOT) db upgrade
	$(BOT) run

# Benchmarks beside Rasa's stock starter bot, each one after the other (run on a quiet machine):
# start to first answer and RSS after warm-up (bench/startup.py); p95, CPU per message and RSS at
# 10 visitors through the gateway (bench/load.py); msg/s of one Rasa server with p95 under 500 ms
# (bench/load.py --ramp). Raw figures in results/bench-*.json. BENCH_ARGS passes options to the
# steady run, e.g. make bench BENCH_ARGS="--visitors 20 --think 0.5 --duration 120".
BENCH_RAMP_ARGS ?= --rasa-servers 1
bench: $(MODEL) db
	@mkdir -p results
	$(PY) -m bench.startup --json results/bench-startup.json
	$(PY) -m bench.load --json results/bench-steady.json $(BENCH_ARGS)
	$(PY) -m bench.load --ramp --json results/bench-ramp.json $(BENCH_RAMP_ARGS)

shell: $(MODEL)
	@mkdir -p var/log; SANIC_HOST=127.0.0.1 $(PY) -m rasa_sdk --actions actions --port 5055 > var/log/shell-actions.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; \
	  $(BOT) rasa shell --model $(MODEL)

# --- checks ---------------------------------------------------------------

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check bot actions tests bench
	$(VENV)/bin/ruff format --check bot actions tests bench

format: $(VENV)/.installed
	$(VENV)/bin/ruff format bot actions tests bench
	$(VENV)/bin/ruff check --fix bot actions tests bench

validate: $(VENV)/.installed
	$(BOT) validate

# Test sets must share no example with data/ (bench/check_leaks.py; no model needed).
leaks: $(VENV)/.installed
	$(PY) bench/check_leaks.py

eval: $(MODEL)
	$(PY) bench/evaluate_nlu.py --model $(MODEL) --data $(NLU_TEST_SETS)

# Known vulnerabilities in the lock file: a warning report (results/pip-audit.md), never a failure;
# each finding and its decision is kept in docs/security.md. Bandit runs in tests/security.
audit: $(VENV)/.installed
	@mkdir -p results
# The whole report is in the file; the step prints the findings and one line of counts, because a
# machine that cannot reach PyPI's vulnerability data gets a row per package it could not check.
	-@$(VENV)/bin/uv tool run --from "pip-audit==2.10.1" pip-audit -r requirements.lock --no-deps --disable-pip \
	  --progress-spinner off -f markdown -o results/pip-audit.md 2>/dev/null; \
	awk -F' [|] ' '/Skip Reason/ {skips = 1; next} /^---/ {next} NF > 1 && !skips {print} \
	  NF > 1 && skips {skipped++} END {print "pip-audit: " skipped + 0 " packages could not be checked " \
	  "(no access to their vulnerability data); findings above, if any; report: results/pip-audit.md"}' \
	  results/pip-audit.md

# make test runs every step, even after one fails, and ends with each step's result and time, and
# exit 1 naming the failed steps. The quick checks run first, one after another; then three lines of
# work share the 2 cores: (1) training, then the steps that use its model (the end-to-end suites,
# Rasa's story test, the NLU hold-out) side by side; (2) the suites that need no model; (3) data
# validation. The model is trained once; a step that needs it does not run when training failed.
# The output of the steps that run side by side is printed whole as each one ends (results/steps/).
NLU_TEST_SETS := tests/nlu_holdout.yml $(sort $(wildcard tests/nlu_fresh*.yml))
TEST_STEPS := lint leaks audit db browser spacy validate train test-unit test-e2e test-core test-nlu
# pytest-xdist workers for the suites that start no Rasa server (2 cores: 2 workers).
TEST_WORKERS ?= 2

test: $(VENV)/.installed
	@rm -rf results/steps; mkdir -p results/steps; started=$$SECONDS; \
	step() { local begin=$$SECONDS result=ok; \
	  $(MAKE) --no-print-directory $$1 > results/steps/$$1.log 2>&1 || result=FAILED; \
	  echo "$$result ($$((SECONDS - begin)) s)" > results/steps/$$1.result; \
	  { echo "=== make $$1: $$result ($$((SECONDS - begin)) s)"; cat results/steps/$$1.log; } | flock results/steps -c cat; \
	  [ $$result = ok ]; }; \
	for quick in lint leaks audit db browser spacy; do step $$quick; done; \
	{ if step train; then step test-e2e & step test-core & step test-nlu & wait; fi; } & \
	step test-unit & step validate & wait; \
	echo; echo "make test: steps"; failed=""; \
	for name in $(TEST_STEPS); do \
	  if [ -f results/steps/$$name.result ]; then result=$$(cat results/steps/$$name.result); \
	  else result="not run (training failed)"; fi; \
	  echo "  $$name: $$result"; case "$$result" in ok*) ;; *) failed="$$failed $$name";; esac; \
	done; \
	echo "  total: $$((SECONDS - started)) s"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all $(words $(TEST_STEPS)) steps passed"

# The suites that start no Rasa server, in parallel (pytest-xdist). Browser tests (a gateway and a
# fake Rasa per worker) run in one group on one worker: tests/conftest.py groups them.
test-unit: $(VENV)/.installed
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup -m "not e2e"

# The end-to-end suites (tests/conftest.py marks every test in tests/e2e and every test that uses the
# real stack e2e) on 2 workers: one runs every test of the one real Rasa server and action server
# (rasa_stack, started once), the other the two-server cluster (tests/e2e/test_cluster.py).
test-e2e: $(VENV)/.installed
	$(PY) -m pytest -q -m e2e -n 2 --dist loadgroup tests/e2e tests/browser

test-core: $(VENV)/.installed
	$(BOT) rasa test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out results/core --quiet
	@$(PY) -c "import json; r = json.load(open('results/core/story_report.json'))['conversation_accuracy']; \
	  print('%(correct)d of %(total)d test stories passed (%(with_warnings)d with warnings)' % r)"

# The floor on the leak-free hold-outs (tests/nlu_holdout.yml, the dev set whose misses were read;
# tests/nlu_fresh*.yml, each written without seeing data/): 0.975 on dev and 0.985-1.000 on the eight
# fresh sets on 2026-12-08 (dev and fresh: 0.855 and 0.874 before issue 13). docs/benchmarks.md says
# which fresh sets' misses have been read since.
test-nlu: $(VENV)/.installed
	$(PY) bench/evaluate_nlu.py --model $(MODEL) --data $(NLU_TEST_SETS) --min-accuracy 0.95

clean:
	rm -rf models var/log results .pytest_cache .ruff_cache
