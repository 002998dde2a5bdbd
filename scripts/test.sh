#!/usr/bin/env bash
# Set up, then run every check and test: lint, types, unit, golden, CLI, build and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "==> ruff"
.venv/bin/ruff check generator tests bench
echo "==> mypy"
.venv/bin/mypy
echo "==> pytest"
HYPOTHESIS_PROFILE=ci .venv/bin/python -m pytest -q "$@"
