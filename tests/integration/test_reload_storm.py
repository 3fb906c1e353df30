"""test_reload_storm.py -- 10,000 questions streamed through the stdio
platform while SIGHUP arrives every 10 ms: every question is answered
exactly once, the daemon neither crashes nor leaks, and reloads really
happened.  Runs against build/faqbot and, when present,
build-asan/faqbot (ASan + UBSan, leak check on: a report or a non-zero
exit fails the test)."""

import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_harness import Daemon, Checker, ROOT  # noqa: E402

T = Checker()
N = 10000
QUESTIONS = ["is klonopin an antidepressant", "does xanax help sleep",
             "what is melatonin", "hello", "can melatonin be addictive"]


def storm(build, per_tick):
    env = {"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=23",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}
    d = Daemon({"unanswered": {"enabled": False}}, build=build, env=env)
    try:
        if not T.check(d.wait_ready(60), "%s: ready" % build):
            return

        seen = {}
        done = threading.Event()

        def reader():
            while True:
                r = d.reply(120)
                if r is None:
                    break
                seen[r["in"]] = seen.get(r["in"], 0) + 1
            done.set()

        threading.Thread(target=reader, daemon=True).start()
        sighups = 0
        sent = 0
        t0 = time.monotonic()
        # every 10 ms: one SIGHUP and the next per_tick questions, so
        # reloads (done in the thread pool, swapped on the loop) and
        # questions interleave for the whole run: about 2 s with 50 per
        # tick; the ASan build loads a KB in about 2 s, so it gets 5 per
        # tick (about 20 s) to see several swaps mid-stream
        while not done.is_set() and time.monotonic() - t0 < 300:
            if d.proc.poll() is not None:
                break
            try:
                d.proc.send_signal(signal.SIGHUP)
                sighups += 1
                # the last chunk waits until two reloads were swapped
                # in, so questions always straddle real swaps however
                # long a load takes on this machine
                last = sent + per_tick >= N
                if sent < N and (not last or d.log_text().count(
                        "reload (SIGHUP): knowledge base version") >= 2):
                    chunk = "".join(QUESTIONS[i % len(QUESTIONS)] + "\n"
                                    for i in range(sent,
                                                   min(N, sent + per_tick)))
                    d.proc.stdin.write(chunk.encode())
                    d.proc.stdin.flush()
                    sent = min(N, sent + per_tick)
                    if sent == N:
                        d.close_stdin()
            except (ProcessLookupError, BrokenPipeError):
                break
            done.wait(0.01)		# the storm's pace
        rc = d.wait(120)
        done.wait(30)
        secs = time.monotonic() - t0
        T.check(rc == 0, "%s: exit status 0 (got %r)" % (build, rc))
        T.check(len(seen) == N and min(seen) == 1 and max(seen) == N,
                "%s: every question answered (%d of %d)"
                % (build, len(seen), N))
        T.check(all(v == 1 for v in seen.values()),
                "%s: each exactly once" % build)
        log = d.log_text()
        reloads = log.count("reload (SIGHUP): knowledge base version")
        T.check(reloads >= 2, "%s: reloads happened (%d)" % (build, reloads))
        T.check("AddressSanitizer" not in log and "runtime error" not in log
                and "LeakSanitizer" not in log, "%s: sanitizer clean" % build)
        print("storm %s: %d questions, %d SIGHUPs sent, %d reloads, "
              "%.2f s" % (build, N, sighups, reloads, secs), file=sys.stderr)
    finally:
        d.stop()


storm("build", 50)
if os.path.exists(os.path.join(ROOT, "build-asan", "faqbot")):
    storm("build-asan", 5)
sys.exit(T.done())
