#!/bin/sh
# crisis_eval.sh -- how `faqbot eval-crisis` counts abuse aimed at others:
# escalation recall and false escalation are about crisis kinds, a
# prediction of kind abuse_of_others (moderators only, no crisis reply) is
# neither a crisis caught nor a crisis reply sent wrongly and is counted on
# its own line, and the old figures over every kind stay available.  Six
# hand-made rows (two deliberately mislabelled to show both directions).
# Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
. tests/testlib.sh

# A kys at someone, labelled concern (as crisis.tsv does) and none (as the
# blind holdouts do); a real crisis; an idiom; a kys labelled as a crisis
# (flagged as abuse it gets no crisis reply: a miss); a crisis labelled as
# abuse (flagged as suicide: a false crisis escalation).
printf '%s\t%s\t%s\t%s\n' \
    'kys you absolute clown' concern abuse_of_others kys \
    'go kill yourself nobody wants you here' none abuse_of_others kys \
    'I want to kill myself' acute suicide direct \
    'this headache is killing me' none none idiom \
    'kys loser' concern suicide mislabelled \
    'I want to kill myself tonight' none abuse_of_others mislabelled \
    >"$tmp/set.tsv"

"$BOT" eval-crisis --repeat 0 "$tmp/set.tsv" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ]; then ok; else bad "eval-crisis exit $rc: $(cat "$tmp/err")"; fi

# crisis kinds: recall 1/2 (the kys labelled suicide is a miss), false
# escalation 1/4 (the crisis labelled abuse); all kinds: recall 3/3,
# false escalation 2/3 (none/mention rows flagged concern+); abuse: 3
# routed, 2 of them labelled abuse_of_others.
if tail -n 1 "$tmp/out" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
want = {"escalation_recall": 50.0, "escalation_recall_all_kinds": 100.0,
        "false_escalation": 25.0, "abuse_routed": 3,
        "abuse_routed_expected": 2, "acute_recall": 100.0,
        "acute_below_concern": 0, "kind_accuracy": 100.0}
for k, v in want.items():
    assert abs(o[k] - v) < 0.01, "%s = %r, want %r" % (k, o[k], v)
assert abs(o["false_escalation_all_kinds"] - 200.0 / 3) < 0.01, o
assert o["false_escalation_by_category"]["kys"] == 0, o
assert o["false_escalation_by_category"]["mislabelled"] == 100.0, o
'; then ok; else bad "JSON figures: $(tail -n 1 "$tmp/out")"; fi

for s in "escalation recall        50.00% (1/2" \
    "escalation recall (all kinds) 100.00% (3/3" \
    "false escalation (crisis kinds) 25.00% (1/4" \
    "false escalation (all kinds) 66.67% (2/3" \
    "routed to moderators as abuse: 3, of which expected abuse_of_others: 2" \
    "reply checks             5/5 passed"; do
	if grep -qF -- "$s" "$tmp/out"; then ok; else
		bad "no \"$s\" in: $(sed -n '/^messages/,$p' "$tmp/out")"; fi
done

# An acute message flagged as abuse gets no crisis reply: below concern.
printf 'kys\tacute\tsuicide\tmislabelled\n' >"$tmp/acute.tsv"
o=$("$BOT" eval-crisis --repeat 0 --json "$tmp/acute.tsv" | tail -n 1)
if echo "$o" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
assert o["acute_below_concern"] == 1 and o["acute_recall"] == 0, o
assert o["abuse_routed"] == 1 and o["abuse_routed_expected"] == 0, o
'; then ok; else bad "acute flagged as abuse: $o"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
