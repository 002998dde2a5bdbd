#!/usr/bin/env bash
# Set up everything the project needs, on a fresh machine or again on an old one.
#   bash scripts/setup.sh          # Python venv (.venv) with the pinned packages, npm packages
#   bash scripts/setup.sh --test   # ... plus the test tools and Debian's chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

extras="site"
want_browser=0
if [[ "${1:-}" == "--test" ]]; then
  extras="site,test"
  want_browser=1
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  python3 -m venv .venv
fi
echo "==> installing Python packages (.[${extras}])"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[${extras}]"
# The package is installed in place (-e), so pip compiles none of it; a shell with
# PYTHONDONTWRITEBYTECODE set would then compile its modules again at every command
# (~0.2 s each). Compiled once here; a module edited later is compiled as usual.
.venv/bin/python -m compileall -q generator

if [[ -f package-lock.json ]]; then
  echo "==> installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Browser tests: Debian's chromium, and a CJK font so that screenshots show the Chinese text.
if [[ $want_browser == 1 ]] && { ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy; }; then
  echo "==> installing Debian's chromium and fonts-wqy-zenhei for the browser tests"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
fi
echo "==> setup done"
