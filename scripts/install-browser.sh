#!/usr/bin/env bash
# Install Debian's Chromium for the end-to-end web tests (tests/web/test_browser.py).
# Playwright drives it through executable_path=/usr/bin/chromium, so no browser download
# from Playwright's CDN is needed. Safe to run twice: does nothing when Chromium is present.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "apt-get not found: install Chromium at /usr/bin/chromium by hand (browser tests skip without it)" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
/usr/bin/chromium --version
