#!/usr/bin/env bash
# Make sure Debian's headless-capable Chromium and its matching chromedriver are
# installed (/usr/bin/chromium, /usr/bin/chromedriver). Used by the browser
# tests of the HTML view and by bench/bench_view.py. Idempotent: does nothing
# when both binaries are already there.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-chromium: /usr/bin/chromium or /usr/bin/chromedriver is missing and this is not root;" >&2
    echo "ensure-chromium: run as root: apt-get install chromium chromium-driver" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: apt-get not found; install Chromium and chromedriver by hand" >&2
    exit 1
fi

echo "ensure-chromium: installing chromium and chromium-driver from Debian packages" >&2
if ! apt-get update -qq; then
    echo "ensure-chromium: apt-get update failed (no access to the Debian archive?)" >&2
    exit 1
fi
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk; then
    # fonts-noto-cjk only makes screenshots readable; retry without it.
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; then
        echo "ensure-chromium: apt-get install chromium chromium-driver failed" >&2
        exit 1
    fi
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "ensure-chromium: packages installed but /usr/bin/chromium or /usr/bin/chromedriver is missing" >&2
    exit 1
fi
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)" >&2
