#!/usr/bin/env bash
# Installs everything peerprog needs into .venv and static/vendor.
# Used by both README commands; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "peerprog needs Python 3.11 ($PYTHON was not found)." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "peerprog needs Node.js 20 and npm for its front-end packages (npm was not found)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt ${PEERPROG_DEV:+-r requirements-dev.txt}
./scripts/assets.sh
