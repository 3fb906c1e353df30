#!/bin/sh
# kb_check.sh -- `faqbot check faq` passes, and deliberately broken copies
# of faq/ in a temporary directory are rejected (exit 1) with the problem
# located as file:line:col or file: intent-id.  Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
. tests/testlib.sh

out=$("$BOT" check faq 2>&1)
rc=$?
if [ $rc -eq 0 ]; then ok; else bad "faqbot check faq: exit $rc: $out"; fi
case "$out" in
"knowledge base OK ("*" intents, "*" examples)"*) ok ;;
*) bad "faqbot check faq said: $out" ;;
esac

# fresh copy of faq/ in $tmp/kb, changed by a python snippet (argv[1]=dir)
broken() {
	rm -rf "$tmp/kb"
	cp -R faq "$tmp/kb" || exit 1
	python3 - "$tmp/kb" || { bad "cannot break the copy"; return 1; }
	"$BOT" check "$tmp/kb" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ]; then ok; else bad "broken KB: exit $rc"; fi
}
expect() {	# expect REGEX DESCRIPTION
	if grep -qE -- "$1" "$tmp/out"; then ok; else
		bad "$2: no /$1/ in: $(cat "$tmp/out")"; fi
}

# 1. invalid JSON: position reported
broken <<'PY'
import sys
open(sys.argv[1] + '/intents/zz_broken.json', 'w').write(
    '{"intents": [\n  {"id": oops}\n]}\n')
PY
expect "/intents/zz_broken.json:2:10: invalid JSON" "invalid JSON position"

# 2. several problems in one intent file: all reported at once
broken <<'PY'
import json, os, sys
d = sys.argv[1] + '/intents/'
names = sorted(f for f in os.listdir(d) if f.endswith('.json'))
name = max(names, key=lambda f: len(json.load(open(d + f))['intents']))
doc = json.load(open(d + name))
a, b, c = doc['intents'][0], doc['intents'][1], doc['intents'][2]
a['answer'] = 'x' * 701                      # too long
b['sources'] = ['no-such-source']            # unknown source
c['examples'] = c['examples'][:3]            # too few examples
c['colour'] = 'blue'                         # unknown key
b['related'] = ['no.such.intent']            # unknown related
b['examples'].append(a['examples'][0].upper())   # example under two
json.dump(doc, open(d + name, 'w'), indent=1)
open(sys.argv[1] + '/ids', 'w').write('%s %s %s %s' % (name, a['id'], b['id'], c['id']))
PY
set -- $(cat "$tmp/kb/ids")
expect "/intents/$1: $2: answer is 701 characters \(limit 700\)" "answer too long"
expect "/intents/$1: $3: unknown source id \"no-such-source\"" "unknown source"
expect "/intents/$1: $4: 3 examples \(at least 12 needed\)" "too few examples"
expect "/intents/$1: $4: unknown key \"colour\"" "unknown key"
expect "/intents/$1: $3: unknown related intent \"no.such.intent\"" "unknown related"
expect "/intents/$1: $3: example \".*\" is also under $2" "example under two intents"
expect "^6 problems found$" "all problems, not just the first"

# 3. a required intent missing, a duplicate id, a missing field
broken <<'PY'
import json, os, sys
d = sys.argv[1] + '/intents/'
names = sorted(f for f in os.listdir(d) if f.endswith('.json'))
names.sort(key=lambda f: -len(json.load(open(d + f))['intents']))
doc = json.load(open(d + names[0]))
gone = doc['intents'].pop(0)
del doc['intents'][0]['question']
json.dump(doc, open(d + names[0], 'w'), indent=1)
doc2 = json.load(open(d + names[-1]))
dup = dict(doc2['intents'][0])
dup['examples'] = ['duplicate id example %d' % i for i in range(12)]
doc2['intents'].append(dup)
json.dump(doc2, open(d + names[-1], 'w'), indent=1)
open(sys.argv[1] + '/ids', 'w').write('%s %s %s' % (gone['id'], names[0], dup['id']))
PY
set -- $(cat "$tmp/kb/ids")
line=$(grep -n "^$1	" faq/required-intents.tsv | cut -d: -f1)
expect "/required-intents.tsv:$line:1: required intent $1 is missing" "required intent missing"
expect "/intents/$2: [a-z_.]+: missing field \"question\"" "missing field"
expect ": $3: duplicate intent id" "duplicate intent id"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
