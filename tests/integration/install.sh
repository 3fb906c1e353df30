#!/bin/sh
# install.sh -- `make install DESTDIR=... PREFIX=/usr` puts the binary,
# both units (ExecStart rewritten to the prefix), the example config
# (paths rewritten), the KB, the hotlines and both man pages in place,
# and the installed example config passes check-config.
cd "$(dirname "$0")/../.." || exit 1
pass=0
fail=0
t() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1));
	echo "FAIL: $*" >&2; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! make --no-print-directory install DESTDIR="$tmp" PREFIX=/usr \
    >"$tmp.log" 2>&1; then
	cat "$tmp.log" >&2
	fail=$((fail + 1))
fi
rm -f "$tmp.log"
t test -x "$tmp/usr/bin/faqbot"
t test -f "$tmp/usr/lib/systemd/system/faqbot.service"
t test -f "$tmp/usr/lib/systemd/system/faqbot@.service"
t grep -q '^ExecStart=/usr/bin/faqbot run' \
    "$tmp/usr/lib/systemd/system/faqbot.service"
t test -f "$tmp/usr/share/faqbot/faqbot.example.json"
t grep -q '"/usr/share/faqbot/faq"' "$tmp/usr/share/faqbot/faqbot.example.json"
t test -f "$tmp/usr/share/faqbot/faq/sources.json"
t test -d "$tmp/usr/share/faqbot/faq/intents"
t test -f "$tmp/usr/share/man/man1/faqbot.1"
t test -f "$tmp/usr/share/man/man5/faqbot.json.5"
if [ -f config/hotlines.json ]; then
	t test -f "$tmp/usr/share/faqbot/hotlines.json"
fi
t sh -c "'$tmp/usr/bin/faqbot' check-config -c \
    '$tmp/usr/share/faqbot/faqbot.example.json' >/dev/null 2>&1"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
