#!/usr/bin/env bash
# Installs peerprog, loads the demo programme and serves it at
# http://127.0.0.1:8000 on an embedded SQLite database.
# Set DATABASE_URL (PostgreSQL) and REDIS_URL (Celery) to use real services.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export DEBUG=${DEBUG:-true}
# The demo offers the second factor to every account and requires it of
# none: people trying peerprog rarely have an authenticator app to hand. A
# live system leaves these unset, which requires it (README, "Second factor").
export SECOND_FACTOR_REQUIRED_ROLES=${SECOND_FACTOR_REQUIRED_ROLES:-none}
export SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS=${SECOND_FACTOR_REQUIRED_FOR_SYSTEM_ADMINS:-false}
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py seed_demo
echo "peerprog is starting at http://127.0.0.1:8000 (stop it with Ctrl+C)."
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
