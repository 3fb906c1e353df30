#!/bin/sh
# crisis_floor.sh -- the crisis detector's figures must not fall below
# floors set a little under what was measured (README, section crisis),
# so a phrase-file or code change that misses crises, cries wolf on
# idioms or breaks a reply fails `make test`.  Raise the floors when the
# figures improve; never lower them to make a change pass.
# Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
BOT=${FAQBOT:-build/faqbot}
pass=0
fail=0

# check JSON KEY OP FLOOR: OP is >= or <=
check() {
	v=$(echo "$1" | python3 -c "import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])$2)" 2>/dev/null)
	if [ -n "$v" ] && python3 -c "import sys; sys.exit(0 if $v $3 $4 else 1)"; then
		pass=$((pass + 1))
		echo "crisis_floor: $5$2 = $v ($3 $4)" >&2
	else
		fail=$((fail + 1))
		echo "crisis_floor: FAIL: $5$2 = ${v:-?}, want $3 $4" >&2
	fi
}

run() {	# run LABEL FILE... -> JSON line
	out=$("$BOT" eval-crisis --repeat 0 "$@" 2>&1 | tail -n 1)
	echo "$out"
}

held=$(run tests/eval/crisis.tsv tests/eval/crisis-context.tsv)
check "$held" "['escalation_recall']" '>=' 99 held-out
check "$held" "['acute_below_concern']" '<=' 0 held-out
check "$held" "['acute_recall']" '>=' 97 held-out
check "$held" "['exact_accuracy']" '>=' 97 held-out
check "$held" "['false_escalation']" '<=' 1.5 held-out
check "$held" "['false_escalation_by_category']['idiom']" '<=' 0 held-out
check "$held" "['reply_failures']" '<=' 0 held-out
for r in CA UK IE AU EU ZZ; do
	o=$(run --region "$r" tests/eval/crisis.tsv)
	check "$o" "['reply_failures']" '<=' 0 "region $r "
done
for f in crisis-dev crisis-blind; do
	o=$(run tests/eval/$f.tsv)
	check "$o" "['escalation_recall']" '>=' 95 "$f "
	check "$o" "['acute_below_concern']" '<=' 1 "$f "
	check "$o" "['false_escalation']" '<=' 0 "$f "
done
# the second dev set (README: first run 87.10 / 72.13 / 8.93, now
# 98.89 / 96.72 / 5.08 over crisis kinds; its remaining false alarms are
# two informational questions the rules read as concern and one idiom)
o=$(run tests/eval/crisis-dev2.tsv)
check "$o" "['escalation_recall']" '>=' 97 "crisis-dev2 "
check "$o" "['acute_recall']" '>=' 95 "crisis-dev2 "
check "$o" "['acute_below_concern']" '<=' 1 "crisis-dev2 "
check "$o" "['false_escalation']" '<=' 5.5 "crisis-dev2 "
# the third dev set (README: first run 79.10 / 63.25 / 4.78, now
# 98.01 / 95.73 / 0.00 after the classes it showed were added)
o=$(run tests/eval/crisis-dev3.tsv)
check "$o" "['escalation_recall']" '>=' 96 "crisis-dev3 "
check "$o" "['acute_recall']" '>=' 94 "crisis-dev3 "
check "$o" "['acute_below_concern']" '<=' 3 "crisis-dev3 "
check "$o" "['false_escalation']" '<=' 1 "crisis-dev3 "
check "$o" "['false_escalation_by_category']['idiom']" '<=' 0 "crisis-dev3 "
# ordinary medication FAQ questions (medfaq-dev's, README: 6/409 false
# escalations before the 2026-12-05 fix, now 0/409; its one emergency
# question must stay acute)
o=$(run tests/eval/crisis-faqdev.tsv)
check "$o" "['false_escalation']" '<=' 1 "crisis-faqdev "
check "$o" "['acute_recall']" '>=' 100 "crisis-faqdev "
check "$o" "['exact_accuracy']" '>=' 97 "crisis-faqdev "
# the learned backstop, 10-fold cross-validated on its training file
# (rules + backstop; README: measured 83.37 / 71.43 / 5.77 on 1570
# messages, 83.46 / 71.34 / 5.31 on 1494, 69.39 / 59.17 / 4.66 on 836)
cv=$("$BOT" crisis-cv 2>&1 | tail -n 1)
check "$cv" "['escalation_recall']" '>=' 80 "crisis-cv "
check "$cv" "['acute_recall']" '>=' 68 "crisis-cv "
check "$cv" "['false_escalation']" '<=' 6 "crisis-cv "
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
