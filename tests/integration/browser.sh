#!/bin/sh
# browser.sh -- the web chat's end-to-end tests in a real browser:
# Debian's chromium (/usr/bin/chromium, from `make deps`) driven headless
# by playwright-core (tests/browser, installed with `npm ci` from the
# lockfile when node_modules is missing; no browser is ever downloaded)
# against build/faqbot.  Screenshots: build/webchat-*.png.
# Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1

fail() {
	echo "browser: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing (make deps)"
command -v node >/dev/null 2>&1 || fail "node missing (make deps)"
[ -x build/faqbot ] || fail "build/faqbot not built"
if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
	(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
	    npm ci --no-audit --no-fund --ignore-scripts) >&2 ||
	    fail "npm ci in tests/browser failed"
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 120 node tests/browser/e2e.mjs "$PWD"
