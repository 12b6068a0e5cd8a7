#!/usr/bin/env bash
# Installs everything and runs the whole test suite against PostgreSQL and
# Redis on this machine, with lint first. Starts the services when they are
# not reachable. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PEERPROG_DEV=1 ./scripts/setup.sh

# Chromium for the browser tests (Debian's build; Playwright's own download
# does not work on machines without general internet access).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'." >&2
    exit 1
  fi
fi

PGHOST=${PGHOST:-127.0.0.1}
if ! pg_isready -q -h "$PGHOST" -p 5432 2>/dev/null; then
  echo "PostgreSQL is not reachable; starting it..."
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p 5432 && break; sleep 1; done
  pg_isready -q -h "$PGHOST" -p 5432 || {
    echo "PostgreSQL could not be started. Start it, or set DATABASE_URL to one that runs." >&2
    exit 1
  }
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "Redis is not reachable; starting it..."
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || {
    echo "Redis could not be started. Start it, or set REDIS_URL to one that runs." >&2
    exit 1
  }
fi

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/peerprog}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/1}
export PEERPROG_TESTING=1
export DJANGO_ALLOW_ASYNC_UNSAFE=true

# The development database itself (tests make their own test_ copy).
.venv/bin/python - <<'PY'
import os

import psycopg2
from psycopg2 import sql
from urllib.parse import urlsplit

url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
conn = psycopg2.connect(
    host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
    dbname="postgres",
)
conn.autocommit = True
with conn.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
conn.close()
PY

echo "Lint: ruff check and ruff format --check"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "Layers: lint-imports (the journey's imports run one way; see pyproject.toml)"
.venv/bin/lint-imports --no-cache >/dev/null || {
  .venv/bin/lint-imports --no-cache >&2
  echo "An import breaks the layering: see the broken contract above." >&2
  exit 1
}
echo "Migrations: makemigrations --check"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
  echo "Models have changes without a migration: run 'python manage.py makemigrations'." >&2
  exit 1
}
echo "Tests"
if [ "$#" -gt 0 ]; then
  exec .venv/bin/pytest "$@"
fi

# The whole suite runs in two lanes at once, one per core, each with its own
# test database and Redis database: browser, worker and whole-site tests in
# one, the apps' own tests in the other. The programme-isolation crawl and the
# demo's and benchmark's tests (tests/devtools), all test client only, no
# browser or worker, run in lane two, so that the lanes take about as long as
# each other. (Measured on an idle machine: 25 and 27 minutes with
# tests/devtools in lane one, before the demo was seeded once per lane; that
# took about 2 minutes from lane one and 5 from lane two.)
to_lane_two=(tests/test_programme_isolation.py)
lane_one=(tests/browser tests/smoke tests/sso)
for path in tests/test_*.py; do
  case " ${to_lane_two[*]} " in *" $path "*) continue ;; esac
  lane_one+=("$path")
done
lane_two=()
for path in tests/*/; do
  path=${path%/}
  case " ${lane_one[*]} " in *" $path "*) continue ;; esac
  case "$(basename "$path")" in __*) continue ;; esac
  lane_two+=("$path")
done
lane_two+=("${to_lane_two[@]}")

database_base=${DATABASE_URL%%\?*}
database_query=${DATABASE_URL#"$database_base"}
redis_base=$REDIS_URL
if [[ $redis_base =~ /[0-9]+$ ]]; then
  redis_base=${redis_base%/*}
fi
redis_number=${REDIS_URL##*/}
[[ $redis_number =~ ^[0-9]+$ ]] || redis_number=1

logs=$(mktemp -d)
run_lane() {
  local name=$1 database=$2 redis=$3
  shift 3
  DATABASE_URL=$database REDIS_URL=$redis .venv/bin/pytest -p no:cacheprovider \
    --basetemp="$logs/$name-tmp" "$@" >"$logs/$name.log" 2>&1
}
echo "Lane one: ${lane_one[*]}"
echo "Lane two: ${lane_two[*]}"
run_lane one "$DATABASE_URL" "$redis_base/$redis_number" "${lane_one[@]}" &
one=$!
run_lane two "${database_base}_lane_two$database_query" "$redis_base/$(( (redis_number + 1) % 16 ))" \
  "${lane_two[@]}" &
two=$!
status_one=0
status_two=0
wait "$one" || status_one=$?
wait "$two" || status_two=$?
for name in one two; do
  echo
  echo "======================== lane $name ========================"
  cat "$logs/$name.log"
done
echo
echo "Lane one: exit $status_one; lane two: exit $status_two"
rm -rf "$logs"
[ "$status_one" = 0 ] && [ "$status_two" = 0 ]
