#!/usr/bin/env bash
# Copies the pinned front-end packages from node_modules into static/vendor,
# where whitenoise serves them. Nothing here comes from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
rm -rf static/vendor
mkdir -p static/vendor/bootstrap static/vendor/htmx static/vendor/chartjs
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/chartjs/
