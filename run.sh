#!/usr/bin/env bash
# Set up and run sqcorpus on a fresh machine with only Python 3.11+ and pip.
#   ./run.sh build   create .venv, install sqcorpus, rebuild the latest release and print its summary
#   ./run.sh test    create .venv, install sqcorpus with its test tools, Label Studio and
#                    Debian's chromium (as root, if missing), then lint (ruff), type-check
#                    (mypy) and run every test
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV="${SQCORPUS_VENV:-.venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1

# The browser tests drive Debian's Chromium (Playwright's own browser download is never used).
need_chromium() {
    [ -x /usr/bin/chromium ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "run.sh: /usr/bin/chromium is missing; install it as root: apt-get install chromium" >&2
        exit 1
    fi
}

setup() {
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -qq --upgrade pip
    # -qq: pip still prints errors (and fails), but not setuptools' notice, printed on every
    # editable install, that a folder named like the package could shadow it.
    "$VENV/bin/python" -m pip install -qq -e ".${1:+[$1]}"
}

case "${1:-}" in
    build)
        setup ""  # the build path needs no extra
        "$VENV/bin/sqcorpus" build "${@:2}"
        ;;
    test)
        setup dev
        need_chromium
        "$VENV/bin/sqcorpus" studio install
        "$VENV/bin/ruff" check src tests benchmarks
        "$VENV/bin/ruff" format --check src tests benchmarks
        "$VENV/bin/mypy"
        "$VENV/bin/python" -m pytest "${@:2}"
        ;;
    *)
        echo "usage: ./run.sh build|test [ARGS...]" >&2
        exit 2
        ;;
esac
