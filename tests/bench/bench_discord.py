#!/usr/bin/env python3
"""bench_discord.py -- RSS of `faqbot run` with the Discord adapter
connected to the Discord test double (identified, READY, /faq
registered), after 200 answered messages, and what that RSS is made of
(/proc/PID/smaps: the heap, other anonymous memory, pages of mapped
files, the largest libraries).  Figures printed, not judged (target:
<= 16 MB)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
from daemon_harness import Daemon  # noqa: E402
import test_discord as T  # noqa: E402
from smaps_rss import breakdown  # noqa: E402


def rss(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024.0
    return out


def main():
    dbl = T.DoubleProc()
    d = Daemon({"stdio": {"enabled": False},
                "discord": {"api_base": "http://127.0.0.1:%d/api/v10" %
                            dbl.port,
                            "token_env": "FAQBOT_TEST_DISCORD_TOKEN",
                            "message_content": True}},
               env={"FAQBOT_TEST_DISCORD_TOKEN": T.TOKEN})
    rc = 1
    try:
        if not d.wait_ready() or d.wait_log("discord: ready") is None:
            print("bench_discord: daemon not ready", file=sys.stderr)
            return 1
        r0 = rss(d.proc.pid)
        parts = breakdown(d.proc.pid)
        m0 = dbl.mark()
        for i in range(200):
            dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                    d=T.msg(str(5000 + i), "!faq what is melatonin",
                            channel=str(610000000000000000 + i % 8)))
        n = 0
        for i in range(200):
            if dbl.wait(lambda e, i=i: e.get("ev") == "rest" and
                        e.get("body") and (e["body"].get(
                            "message_reference") or {}).get(
                            "message_id") == str(5000 + i), m0, 30):
                n += 1
        r1 = rss(d.proc.pid)
        print("discord: RSS connected %.1f MB; after %d answered messages "
              "%.1f MB (peak %.1f MB; target <= 16 MB)" %
              (r0["VmRSS"], n, r1["VmRSS"], r1["VmHWM"]))
        print("discord: RSS connected is %s" % parts)
        rc = 0 if n == 200 else 1
    finally:
        d.stop()
        dbl.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
