#!/usr/bin/env bash
# For each size (default: small medium large): a clean PostgreSQL database,
# the scale data set, then the benchmark. Results go to bench-results/.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERPROG_DEV=1 ./scripts/setup.sh
sizes=${*:-small medium large}
export DEBUG=false PEERPROG_TESTING=0 ALLOWED_HOSTS=127.0.0.1,localhost
export SECRET_KEY=${SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/6}
export BENCH_SECONDS=${BENCH_SECONDS:-10}
PGURL=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
for size in $sizes; do
  db="peerprog_bench_${size}"
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $db" -qc "CREATE DATABASE $db"
  export DATABASE_URL="$PGURL/$db"
  .venv/bin/python manage.py migrate --noinput -v0
  started=$(date +%s)
  DEBUG=true .venv/bin/python manage.py seed_scale --size "$size"
  echo "seed_scale --size $size took $(( $(date +%s) - started )) s"
  # The load steps (50 people at once, then the most requests per second)
  # run on the middle size.
  load=""
  if [ "$size" = "${BENCH_LOAD_SIZE:-medium}" ]; then load="--load"; fi
  .venv/bin/python manage.py bench --size "$size" --seconds "${BENCH_SECONDS:-10}" $load
done
# Hostile import files: how fast each is refused, and its peak memory.
.venv/bin/python manage.py bench_hostile_files
# Imports: the preview and the import of 5,000 and 50,000 applications, on
# the last database (the benchmark's records are rolled back).
.venv/bin/python manage.py bench_imports
