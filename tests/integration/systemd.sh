#!/bin/sh
# systemd.sh -- the service units: `systemd-analyze security --offline=yes`
# exposure of config/faqbot.service and config/faqbot@.service must be
# 2.0 or lower (printed), and `systemd-analyze verify` must be clean.
# verify checks that ExecStart's binary and the Documentation= man pages
# exist, so it runs on copies whose ExecStart points at build/faqbot,
# with MANPATH pointing at bot/faqbot.1 and bot/faqbot.json.5.
cd "$(dirname "$0")/../.." || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "systemd.sh: systemd-analyze missing (make deps installs it)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/man/man1" "$tmp/man/man5" "$tmp/units"
cp bot/faqbot.1 "$tmp/man/man1/faqbot.1"
cp bot/faqbot.json.5 "$tmp/man/man5/faqbot.json.5"
bin=$(pwd)/build/faqbot

for unit in faqbot.service faqbot@.service; do
	out=$(systemd-analyze security --offline=yes "config/$unit" 2>&1)
	exp=$(echo "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "systemd: $unit exposure $exp"
	if [ -n "$exp" ] && awk "BEGIN { exit !($exp <= 2.0) }"; then
		ok
	else
		ko "$unit exposure '$exp' above 2.0"
	fi
	name=$unit
	[ "$unit" = "faqbot@.service" ] && name=faqbot@test.service
	sed "s|^ExecStart=/usr/local/bin/faqbot|ExecStart=$bin|" \
	    "config/$unit" >"$tmp/units/$name"
	if vout=$(MANPATH="$tmp/man" systemd-analyze verify \
	    "$tmp/units/$name" 2>&1) && [ -z "$vout" ]; then
		ok
	else
		ko "systemd-analyze verify $unit: $vout"
	fi
	grep -q '^Type=notify$' "config/$unit" && ok || ko "$unit Type=notify"
	grep -q '^ExecReload=/bin/kill -HUP \$MAINPID$' "config/$unit" && ok ||
	    ko "$unit ExecReload"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
