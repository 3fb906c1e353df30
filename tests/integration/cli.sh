#!/bin/sh
# cli.sh -- the faqbot command line: exit codes, --help, the JSON shape of
# `ask --json`, JSON Lines order, bad input (empty line, invalid UTF-8, a
# 100 KB line, NUL bytes) and the console with piped input.  Runs against
# a small fixture KB in a temporary directory.  Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib/kbfixture.sh
. tests/testlib.sh
expect_rc() {	# expect_rc WANT DESCRIPTION CMD...
	want=$1; what=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, want $want"; fi
}
contains() {	# contains FILE STRING DESCRIPTION
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: no \"$2\" in output"; fi
}

make_kb "$tmp/kb" || exit 1

# --help, --version, unknown commands
expect_rc 0 "--help" "$BOT" --help
contains "$tmp/out" "commands:" "--help"
expect_rc 0 "-h" "$BOT" -h
expect_rc 0 "help" "$BOT" help
expect_rc 0 "--version" "$BOT" --version
contains "$tmp/out" "faqbot " "--version"
expect_rc 2 "no command" "$BOT"
expect_rc 2 "unknown command" "$BOT" frobnicate
contains "$tmp/err" "unknown command" "unknown command"
for c in ask check console eval bench; do
	expect_rc 0 "$c --help" "$BOT" "$c" --help
	contains "$tmp/out" "usage: faqbot $c" "$c --help"
	expect_rc 2 "$c --bogus" "$BOT" "$c" --bogus-option
done
expect_rc 0 "help ask" "$BOT" help ask
contains "$tmp/out" "usage: faqbot ask" "help ask"

# exit codes of ask
expect_rc 2 "ask without a question" "$BOT" ask --kb "$tmp/kb"
expect_rc 1 "ask with a missing KB" "$BOT" ask --kb "$tmp/nokb" hello
contains "$tmp/err" "cannot load the knowledge base" "ask missing KB"

# plain and JSON answers
expect_rc 0 "ask TEXT" "$BOT" ask --kb "$tmp/kb" what is drugol
contains "$tmp/out" "Drugol is a made-up medicine." "ask answer"
contains "$tmp/out" "Source: Article A (Pub, 2023-04-01) https://example.org/a" "ask source"
contains "$tmp/out" "Source: Article B (publisher not stated, date not stated)" "ask not stated"
contains "$tmp/out" "General information, not medical advice." "ask disclaimer"
expect_rc 0 "ask --json TEXT" "$BOT" ask --kb "$tmp/kb" --json "what is drugol"
cp "$tmp/out" "$tmp/one.json"

cat >"$tmp/shape.py" <<'PY'
import json, sys
# every line: a reply object of the documented shape, or an error object
want = int(sys.argv[2]) if len(sys.argv) > 2 else None
lines = open(sys.argv[1], 'rb').read().split(b'\n')
assert lines[-1] == b'', "output must end with a newline"
lines = lines[:-1]
if want is not None:
    assert len(lines) == want, "%d lines, want %d" % (len(lines), want)
for raw in lines:
    o = json.loads(raw.decode('utf-8'))
    if 'error' in o:
        assert isinstance(o['error'], str) and isinstance(o['line'], int)
        print('error', o['line'], o['error'])
        continue
    assert isinstance(o['text'], str)
    assert o['intent'] is None or isinstance(o['intent'], str)
    assert 0 <= o['confidence'] <= 1
    assert isinstance(o['alternatives'], list) and len(o['alternatives']) <= 3
    for a in o['alternatives']:
        assert isinstance(a['intent'], str) and 0 <= a['confidence'] <= 1
    c = o['crisis']
    assert c['level'] in ('none', 'mention', 'concern', 'acute')
    assert isinstance(c['kind'], str) and isinstance(c['matched'], list)
    assert isinstance(o['reply'], str)
    print('reply', o['intent'], o['text'][:40])
PY
if python3 "$tmp/shape.py" "$tmp/one.json" 1 >"$tmp/shape" 2>&1; then ok; else bad "JSON shape: $(cat "$tmp/shape")"; fi
contains "$tmp/shape" "reply drug.what_is what is drugol" "ask --json intent"

# JSON Lines: order kept, one line per input line, flushed per line
printf 'what is drugol\nhello\nside effects of drugol\nwhat is the capital of peru\n' >"$tmp/q"
expect_rc 0 "ask --json -" sh -c "'$BOT' ask --kb '$tmp/kb' --json - <'$tmp/q'"
cp "$tmp/out" "$tmp/lines.json"
if python3 "$tmp/shape.py" "$tmp/lines.json" 4 >"$tmp/shape" 2>&1; then ok; else bad "JSON Lines shape: $(cat "$tmp/shape")"; fi
if [ "$(cut -d' ' -f2 "$tmp/shape" | tr '\n' ' ')" = "drug.what_is bot.greeting drug.side None " ]; then ok; else bad "JSON Lines order: $(cat "$tmp/shape")"; fi

# flushed per line: the first answer arrives while stdin is still open
mkfifo "$tmp/in" "$tmp/outp" || exit 1
"$BOT" ask --kb "$tmp/kb" --json - <"$tmp/in" >"$tmp/outp" 2>/dev/null &
bgpid=$!
exec 7>"$tmp/in" 8<"$tmp/outp"
echo "what is drugol" >&7
timeout 10 head -n 1 <&8 >"$tmp/flush.out"
if grep -q drug.what_is "$tmp/flush.out"; then ok; else bad "ask --json - did not flush the first line"; fi
exec 7>&- 8<&-
wait $bgpid

# bad input: empty line, invalid UTF-8, 100 KB line, NUL bytes
python3 - "$tmp/badq" <<'PY'
import sys
with open(sys.argv[1], 'wb') as f:
    f.write(b'\n')                          # empty line
    f.write(b'   \n')                       # blank line
    f.write(b'what is \xff\xfe drugol\xc3\n')   # invalid UTF-8
    f.write(b'x' * 100 * 1024 + b'\n')      # 100 KB line
    f.write(b'what\x00is drugol\n')         # NUL byte
    f.write(b'\xf0\x9f\x92\x8a drugol side effects?\r\n')
    f.write(b'no newline at the end')
PY
expect_rc 0 "ask --json - bad input" sh -c "'$BOT' ask --kb '$tmp/kb' --json - <'$tmp/badq'"
cp "$tmp/out" "$tmp/bad.json"
if python3 "$tmp/shape.py" "$tmp/bad.json" 7 >"$tmp/shape" 2>&1; then ok; else bad "bad input: $(cat "$tmp/shape")"; fi
contains "$tmp/shape" "error 1 empty question" "empty line"
contains "$tmp/shape" "error 2 empty question" "blank line"
contains "$tmp/shape" "error 4 question too long" "100 KB line"
contains "$tmp/shape" "reply drug.side" "emoji line answered"
expect_rc 0 "ask bad input (text)" sh -c "'$BOT' ask --kb '$tmp/kb' - <'$tmp/badq'"

# check
expect_rc 0 "check fixture" "$BOT" check "$tmp/kb"
contains "$tmp/out" "knowledge base OK (3 intents, 36 examples)" "check OK line"
printf '{"intents": [\n  {"id": oops}\n]}\n' >"$tmp/kb/intents/zz.json"
expect_rc 1 "check broken" "$BOT" check "$tmp/kb"
contains "$tmp/out" "intents/zz.json:2:10: invalid JSON" "check position"
rm "$tmp/kb/intents/zz.json"
expect_rc 2 "check two dirs" "$BOT" check a b

# console, piped
printf 'what is drugol\n\nside effects of drugol\n' >"$tmp/cq"
expect_rc 0 "console piped" sh -c "'$BOT' console --kb '$tmp/kb' <'$tmp/cq'"
contains "$tmp/out" "Hi, I answer drugol questions." "console greeting"
contains "$tmp/out" "Drugol is a made-up medicine." "console answer 1"
contains "$tmp/out" "Sleepiness, says article A." "console answer 2"
if grep -q '^> ' "$tmp/out"; then bad "console prompts when piped"; else ok; fi
expect_rc 0 "console /quit" sh -c "printf '/quit\nwhat is drugol\n' | '$BOT' console --kb '$tmp/kb'"
if grep -q "made-up" "$tmp/out"; then bad "console went on after /quit"; else ok; fi
expect_rc 1 "console missing KB" sh -c "'$BOT' console --kb '$tmp/nokb' </dev/null"

# crisis through the CLI: the crisis reply alone, the region's numbers,
# the escalation marked on stderr (console) or in the JSON (ask)
printf 'what is drugol\nI want to kill myself\n' >"$tmp/crisis.q"
expect_rc 0 "console crisis" sh -c "'$BOT' console --kb '$tmp/kb' <'$tmp/crisis.q'"
contains "$tmp/err" "*** escalation: level=acute kind=suicide platform=console" "console escalation"
if grep -q "kill myself" "$tmp/err"; then bad "escalation line carries the message text"; else ok; fi
contains "$tmp/out" "988" "console crisis reply US"
expect_rc 0 "ask crisis json" "$BOT" ask --kb "$tmp/kb" --json --region UK "I want to kill myself"
if python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); c=o["crisis"]; assert c["level"]=="acute" and c["kind"]=="suicide" and c["matched"]; assert o["intent"] is None and o["reply_kind"]=="crisis" and o["escalate"] is True; assert "116 123" in o["reply"] and "Source:" not in o["reply"]' "$tmp/out"; then ok; else bad "ask crisis JSON: $(cat "$tmp/out")"; fi
expect_rc 0 "ask unknown region" "$BOT" ask --kb "$tmp/kb" --region ZZ hello
contains "$tmp/err" "region ZZ is not in the hotlines file" "unknown region warning"

# eval
printf '# comment\nwhat is drugol please\tdrug.what_is\nis drugol making me sleepy\tdrug.side|drug.what_is\nprice of bitcoin today\tnone\n' >"$tmp/ev.tsv"
expect_rc 0 "eval" "$BOT" eval --kb "$tmp/kb" "$tmp/ev.tsv"
if tail -n 1 "$tmp/out" | python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["in_scope_total"]==2 and o["oos_total"]==1' 2>/dev/null; then ok; else bad "eval JSON last line"; fi
contains "$tmp/out" "in-scope accuracy" "eval summary"
printf 'hello\tno.such.intent\n' >"$tmp/ev2.tsv"
expect_rc 1 "eval unknown id" "$BOT" eval --kb "$tmp/kb" "$tmp/ev2.tsv"
contains "$tmp/err" "unknown intent id" "eval unknown id"
expect_rc 1 "eval missing file" "$BOT" eval --kb "$tmp/kb" "$tmp/nothere.tsv"

# bench (small n, fixture KB)
expect_rc 0 "bench" "$BOT" bench --kb "$tmp/kb" --n 2000
if tail -n 1 "$tmp/out" | python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["questions"]==2000 and o["ask"]["p99_us"]>0' 2>/dev/null; then ok; else bad "bench JSON"; fi
expect_rc 2 "bench bad --n" "$BOT" bench --kb "$tmp/kb" --n x

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
