# Two entry points for a fresh clone: `make run` and `make test`. Both create .venv and install the
# project (pinned by constraints.txt) when it is missing or out of date; nothing is installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= raw
OUT    ?= output
PEER   := benchmarks/.peer-venv

.PHONY: run test bench profile clean-venv help

help:
	@echo "make run   - set up .venv if needed, run the pipeline on $(RAW)/ into $(OUT)/"
	@echo "make test  - set up .venv if needed, lint (ruff), run the test suite"
	@echo "make bench - run the benchmarks (not part of the test suite)"
	@echo "make profile - sample a 10,000-page run with py-spy and print the top costs (PROFILE=\"--real 2870\": real pages)"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsclean run --raw $(RAW) --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n 2 --dist worksteal

# the datatrove peer's own environment (see benchmarks/requirements-peer.txt for why it is separate)
$(PEER)/.installed: benchmarks/requirements-peer.txt
	@test -x $(PEER)/bin/python || $(PYTHON) -m venv $(PEER)
	$(PEER)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements-peer.txt
	$(PEER)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall fasttext-numpy2-wheel==0.9.2
	@touch $@

bench: $(STAMP) $(PEER)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/run_all.py

profile: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/profile_run.py $(PROFILE)

clean-venv:
	rm -rf $(VENV)
