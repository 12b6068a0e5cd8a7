# The two commands of the README, and a few helpers.
.PHONY: run test lint format bench bench-exports bench-imports

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

bench-exports:  ## on the database of DATABASE_URL: 100,000 rows and the mentor meetings as CSV and XLSX
	DEBUG=false ALLOWED_HOSTS=localhost SECRET_KEY=$$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	.venv/bin/python manage.py bench --exports-only --size $${SIZE:-current}

bench-imports:  ## preview and import 5,000 and 50,000 applications: seconds and peak memory
	DEBUG=false ALLOWED_HOSTS=localhost SECRET_KEY=$$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	.venv/bin/python manage.py bench_imports
