#!/usr/bin/env bash
# Create .venv and install Marsad into it. `--dev` adds the test tools and the PostgreSQL and Dask extras.
# pip is upgraded first: the machine's pip 23 installs trafilatura without lxml_html_clean.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/pip install -q -e '.[dev,postgres,distributed]'
else
  .venv/bin/pip install -q -e .
fi
