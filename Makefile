# The two commands of the README, and a few helpers.
.PHONY: run test lint format

run:  ## install everything and serve the demo at http://127.0.0.1:8000
	./scripts/run.sh

test:  ## install everything and run the whole test suite on PostgreSQL and Redis
	./scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:  ## build the scale data at each size on PostgreSQL and measure every page
	./scripts/bench.sh $(SIZES)
