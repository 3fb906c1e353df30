# testlib.sh -- the common start of the integration shell checks, sourced
# from the repository root after `cd`: the binary under test ($BOT, or
# $FAQBOT), pass/fail counters with ok() and bad() (bad names the script
# on stderr), and a temporary directory $tmp removed at exit.
BOT=${FAQBOT:-build/faqbot}
pass=0
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "${0##*/}: FAIL: $*" >&2; }
