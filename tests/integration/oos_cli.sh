#!/bin/sh
# oos_cli.sh -- out-of-scope topics through the command line: on the
# shipped KB a dose question is declined with the "dose" topic (intent
# null, no digits in the reply) while an in-scope question is still
# answered; `faqbot cv` on a small fixture KB with a topic prints its JSON
# figures and, with --errors, the held-out examples it got wrong, and
# rejects bad options.  Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib/kbfixture.sh
. tests/testlib.sh
# jget FILE PYEXPR: evaluate PYEXPR with o = the JSON object of FILE
jget() {
	python3 -c "import json,sys; o=json.load(open(sys.argv[1])); print($2)" "$1" 2>/dev/null
}

# the shipped KB: a dose question goes to the dose topic
"$BOT" ask --json "how many milligrams of klonopin do i need each night" \
    >"$tmp/dose.json" 2>"$tmp/err"
if [ $? -eq 0 ]; then ok; else bad "ask dose: exit status"; fi
[ "$(jget "$tmp/dose.json" 'o["intent"]')" = "None" ] && ok ||
    bad "dose question answered: $(cat "$tmp/dose.json")"
[ "$(jget "$tmp/dose.json" 'o["out_of_scope"]')" = "dose" ] && ok ||
    bad "dose question: no dose topic: $(cat "$tmp/dose.json")"
[ "$(jget "$tmp/dose.json" 'o["reply_kind"]')" = "no_match" ] && ok ||
    bad "dose question: reply_kind"
jget "$tmp/dose.json" 'o["reply"]' | grep -q '[0-9]' &&
    bad "dose reply has digits" || ok
jget "$tmp/dose.json" 'o["reply"]' | grep -q 'pharmacist' && ok ||
    bad "dose reply does not point to a pharmacist"
# an in-scope question is still answered, out_of_scope null
"$BOT" ask --json "is klonopin an antidepressant" >"$tmp/in.json" 2>"$tmp/err"
[ "$(jget "$tmp/in.json" 'o["intent"]')" = "klonopin.is_antidepressant" ] &&
    ok || bad "in-scope question: $(cat "$tmp/in.json")"
[ "$(jget "$tmp/in.json" 'o["out_of_scope"]')" = "None" ] && ok ||
    bad "in-scope question has out_of_scope"

# faqbot cv on a fixture KB with one topic
make_kb "$tmp/kb" || exit 1
cat >"$tmp/kb/out_of_scope.json" <<'JSON'
{"topics": [
 {"id": "weather", "reply": "I can't tell the weather.",
  "examples": ["will it rain tomorrow", "weather today", "is it sunny",
   "weather forecast", "how cold is it", "will it snow", "is it windy",
   "rain today", "temperature outside", "do i need an umbrella",
   "storm coming", "how hot will it be"]}
]}
JSON
"$BOT" check "$tmp/kb" >"$tmp/out" 2>&1 && ok || bad "check fixture: $(cat "$tmp/out")"
grep -q "out-of-scope topics: 1 (12 examples)" "$tmp/out" && ok ||
    bad "check: no topic line: $(cat "$tmp/out")"
"$BOT" cv --kb "$tmp/kb" --folds 3 --json >"$tmp/cv.json" 2>"$tmp/err"
if [ $? -eq 0 ]; then ok; else bad "cv: exit status: $(cat "$tmp/err")"; fi
[ "$(jget "$tmp/cv.json" 'o["topics"]')" = "1" ] && ok || bad "cv: topics"
[ "$(jget "$tmp/cv.json" 'o["topic_total"]')" = "12" ] && ok ||
    bad "cv: topic_total: $(cat "$tmp/cv.json")"
[ "$(jget "$tmp/cv.json" 'o["in_scope_total"]')" = "36" ] && ok ||
    bad "cv: in_scope_total"
[ "$(jget "$tmp/cv.json" 'len(o["sweep"])')" = "9" ] && ok || bad "cv: sweep"
[ "$(jget "$tmp/cv.json" '0 <= o["unseen_rejection"] <= 100')" = "True" ] &&
    ok || bad "cv: unseen_rejection"
# per intent: every intent once, weakest first, within 0..100
[ "$(jget "$tmp/cv.json" 'sorted(o["per_intent"])')" = \
    "['bot.greeting', 'drug.side', 'drug.what_is']" ] && ok ||
    bad "cv: per_intent keys: $(cat "$tmp/cv.json")"
[ "$(jget "$tmp/cv.json" 'list(o["per_intent"].values()) == sorted(o["per_intent"].values()) and all(0 <= v <= 100 for v in o["per_intent"].values())')" = "True" ] &&
    ok || bad "cv: per_intent not weakest first"
"$BOT" cv --kb "$tmp/kb" --folds 3 --per-intent >"$tmp/cv.txt" 2>&1
grep -q "per intent (threshold 0.50), weakest first" "$tmp/cv.txt" &&
    [ "$(grep -c ') *\(drug\|bot\)\.' "$tmp/cv.txt")" = "3" ] && ok ||
    bad "cv --per-intent: $(cat "$tmp/cv.txt")"
# --errors: one line per held-out example answered wrong, as many as the
# JSON figures imply, then their count
"$BOT" cv --kb "$tmp/kb" --folds 3 --errors >"$tmp/cverr.txt" 2>&1
want=$(jget "$tmp/cv.json" 'round(o["in_scope_total"] * (100 - o["in_scope_accuracy"]) / 100) + round(o["topic_total"] * (100 - o["topic_rejection"]) / 100)')
got=$(grep -c '^  [a-z:._]* <- ".*" -> [a-z:._]*.* ([01]\.[0-9][0-9])$' "$tmp/cverr.txt")
grep -q "^held-out examples answered wrong (threshold 0.50):" "$tmp/cverr.txt" &&
    [ "$got" = "$want" ] && grep -q "^  $want error(s)$" "$tmp/cverr.txt" &&
    ok || bad "cv --errors: $got listed, want $want: $(cat "$tmp/cverr.txt")"
"$BOT" cv --kb "$tmp/kb" --folds 3 --errors --json >"$tmp/cvej.txt" 2>&1
[ "$(wc -l <"$tmp/cvej.txt")" = "1" ] && ok || bad "cv --errors --json: not one line"
"$BOT" cv --folds 1 >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "cv --folds 1: want exit 2"
"$BOT" cv --bogus >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "cv --bogus: want exit 2"
"$BOT" cv --help | grep -q "usage: faqbot cv" && ok || bad "cv --help"
"$BOT" cv --kb "$tmp/nowhere" >/dev/null 2>&1
[ $? -eq 1 ] && ok || bad "cv on a missing KB: want exit 1"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
