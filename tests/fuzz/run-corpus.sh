#!/bin/sh
# run-corpus.sh -- replay every seed of tests/fuzz/corpus/NAME through
# build-fuzz/NAME once (what `make test` does with the fuzzers; `make
# fuzz` explores for longer).  One pass per fuzzer whose seeds all run
# clean.  Last line: N passed, N failed.
cd "$(dirname "$0")/../.." || exit 1
pass=0
fail=0
for f in build-fuzz/fuzz_*; do
	case "$f" in *.o|*.d) continue ;; esac
	[ -x "$f" ] || continue
	name=$(basename "$f")
	seeds=$(ls tests/fuzz/corpus/"$name"/* 2>/dev/null)
	if [ -z "$seeds" ]; then
		echo "run-corpus: $name has no seed corpus" >&2
		fail=$((fail + 1))
		continue
	fi
	# shellcheck disable=SC2086
	if "$f" $seeds >/dev/null 2>"build-fuzz/$name.log"; then
		pass=$((pass + 1))
	else
		echo "run-corpus: $name failed on its corpus (build-fuzz/$name.log)" >&2
		tail -n 20 "build-fuzz/$name.log" >&2
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
