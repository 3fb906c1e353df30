#!/bin/sh
# clinc_floor.sh -- CLINC150 (Larson et al., EMNLP-IJCNLP 2019) figures of
# `faqbot clinc --json` must stay above floors set a few points under what
# was measured (README, matcher section), and training must stay fast, so
# a matcher regression fails `make test`.  Raise the floors when the
# figures improve; never lower them to let a change pass.
# Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
BOT=${FAQBOT:-build/faqbot}
DATA=../shared/datasets/clinc150/data_full.json
pass=0
fail=0

if [ ! -r "$DATA" ]; then
	echo "clinc_floor: $DATA missing" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
out=$("$BOT" clinc --json --data "$DATA" | tail -n 1)
rc=$?
if [ $rc -eq 0 ]; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "clinc_floor: faqbot clinc exit $rc" >&2; fi

# check KEY OP VALUE: the JSON value at KEY (a.b for nested) OP VALUE
check() {
	v=$(echo "$out" | python3 -c "
import json, sys
o = json.load(sys.stdin)
for k in '$1'.split('.'):
    o = o[k]
print(o)" 2>/dev/null)
	if [ -n "$v" ] && python3 -c "import sys; sys.exit(0 if $v $2 $3 else 1)"
	then
		pass=$((pass + 1))
		echo "clinc_floor: $1 = $v ($2 $3)" >&2
	else
		fail=$((fail + 1))
		echo "clinc_floor: FAIL: $1 = ${v:-?}, want $2 $3" >&2
	fi
}
check intents == 150
check test_in_scope_acc '>=' 0.895		# measured 0.9233
check test_oos_recall '>=' 0.54		# measured 0.5970
check balanced.test_in_scope_acc '>=' 0.855	# measured 0.8853
check balanced.test_oos_recall '>=' 0.82	# measured 0.8610
# CPU time, not wall time: a loaded machine (parallel builds) stretched the
# wall clock of a 1.1 s training past 6 s; the target is about work done.
check train_cpu_seconds '<=' 5
check peak_rss_mb '<=' 64

# exit statuses: unreadable data 1, broken data 1, bad option 2
expect_rc() {	# expect_rc WANT ARGS...
	want=$1
	shift
	"$BOT" clinc "$@" >/dev/null 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
		fail=$((fail + 1))
		echo "clinc_floor: FAIL: faqbot clinc $*: exit $got, want $want" >&2
	fi
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
printf '{"train": 5}' >"$tmp/bad.json"
expect_rc 1 --data "$tmp/missing.json"
expect_rc 1 --data "$tmp/bad.json"
expect_rc 2 --no-such-option
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
