#!/bin/sh
# eval_floor.sh -- the medical FAQ figures (the held-out medfaq.tsv and the
# development set medfaq-dev.tsv) must not fall below floors set a few
# points under what was measured (see README figures), so a matcher or KB
# regression fails `make test`.  Raise the floors when the figures
# improve; never lower them to make a change pass.
# Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
BOT=${FAQBOT:-build/faqbot}
MIN_IN_SCOPE=94		# measured 97.07 (2026-12-05, 2,650 examples)
MIN_OOS=93		# measured 96.25 (2026-12-05, 504 topic examples)
MIN_DEV_IN_SCOPE=95	# medfaq-dev.tsv, measured 98.75 (2026-12-05, tuned on)
MIN_DEV_OOS=93		# medfaq-dev.tsv, measured 96.67 (2026-12-05, tuned on)
pass=0
fail=0

run() {	# run FILE: its JSON figures into $out
	out=$("$BOT" eval --json "$1")
	rc=$?
	if [ $rc -eq 0 ]; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "eval_floor: faqbot eval $1: exit $rc" >&2; fi
}
check() {	# check KEY FLOOR
	v=$(echo "$out" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])" 2>/dev/null)
	f=$(echo "$out" | python3 -c "import json,sys; print(json.load(sys.stdin)['file'])" 2>/dev/null)
	if [ -n "$v" ] && python3 -c "import sys; sys.exit(0 if $v >= $2 else 1)"; then
		pass=$((pass + 1))
		echo "eval_floor: $f: $1 = $v (floor $2)" >&2
	else
		fail=$((fail + 1))
		echo "eval_floor: FAIL: $f: $1 = ${v:-?} below the floor $2" >&2
	fi
}
run tests/eval/medfaq.tsv
check in_scope_accuracy $MIN_IN_SCOPE
check oos_rejection $MIN_OOS
run tests/eval/medfaq-dev.tsv
check in_scope_accuracy $MIN_DEV_IN_SCOPE
check oos_rejection $MIN_DEV_OOS
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
