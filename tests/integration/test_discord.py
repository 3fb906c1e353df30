#!/usr/bin/env python3
"""test_discord.py -- the real `faqbot run` with its Discord adapter
against the Discord test double (tests/doubles/discord_double.py) on a
free loopback port: identify -> ready -> message -> reply (reference,
allowed_mentions, sources, disclaimer), /faq slash command answered
through the interaction callback within 3 s, crisis escalation with a
jump link and an ephemeral crisis answer, moderator commands allowed and
refused, resume after a dropped connection with missed events answered
exactly once, a 429, /healthz, a fatal close code (4004) that stops
the daemon with a clear message, and a daemon restart that RESUMEs the
session kept in the state directory (events missed while it was down
answered exactly once; a session the gateway forgot falls back to
IDENTIFY), a crash (kill -9 right after a burst was answered, before the
session caught up) whose replayed questions still end with exactly one
reply each (nonces with enforce_nonce; the interaction acknowledged
once), and a wss:// gateway whose certificate is verified against
the CA directory ($SSL_CERT_DIR: a test CA is trusted, nothing else).
The token never appears in the logs or the state files.
Synchronises on events from the double and the daemon, bounded times."""

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_harness import ROOT, Checker, Daemon  # noqa: E402

BOT = "900000000000000001"
APP = "800000000000000001"
GUILD = "700000000000000001"
CHAN = "600000000000000001"
CHAN2 = "600000000000000002"
MODCH = "600000000000000099"
MODUSER = "500000000000000001"
USER = "500000000000000077"
TOKEN = "Mz" + "x" * 300 + ".tok_en-42"      # long: lengths not assumed


class DoubleProc:
    def __init__(self, extra=()):
        env = dict(os.environ, DISCORD_DOUBLE_TOKEN=TOKEN)
        self.p = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests", "doubles",
                                          "discord_double.py"),
             "--heartbeat-ms", "300"] + list(extra),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        line = self.p.stdout.readline().decode().split()
        self.port = int(line[1])
        self.tls_port = int(line[3]) if len(line) >= 4 else None
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for raw in self.p.stdout:
            try:
                e = json.loads(raw)
            except ValueError:
                continue
            with self.cond:
                self.events.append(e)
                self.cond.notify_all()

    def cmd(self, **c):
        self.p.stdin.write((json.dumps(c) + "\n").encode())
        self.p.stdin.flush()

    def mark(self):
        with self.cond:
            return len(self.events)

    def wait(self, pred, start=0, timeout=10):
        """First event from index start matching pred, or None."""
        end = time.monotonic() + timeout
        with self.cond:
            i = start
            while True:
                while i < len(self.events):
                    if pred(self.events[i]):
                        return self.events[i]
                    i += 1
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(left)

    def all(self, pred):
        with self.cond:
            return [e for e in self.events if pred(e)]

    def close(self):
        try:
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        self.p.terminate()
        self.p.wait(10)


def rest(method, path, text=None):
    def pred(e):
        if e.get("ev") != "rest" or e.get("method") != method or \
                e.get("path") != path:
            return False
        if text is None:
            return True
        b = e.get("body") or {}
        content = b.get("content") or (b.get("data") or {}).get("content")
        return content is not None and text in content
    return pred


def msg(mid, content, channel=CHAN, guild=GUILD, author=USER, roles=()):
    d = {"id": mid, "channel_id": channel, "author": {"id": author,
         "username": "u"}, "content": content, "mentions": [],
         "member": {"roles": list(roles)}}
    if guild:
        d["guild_id"] = guild
    return d


def main():
    t = Checker()
    dbl = DoubleProc()
    api = "http://127.0.0.1:%d/api/v10" % dbl.port
    env = {"FAQBOT_TEST_DISCORD_TOKEN": TOKEN}
    d = Daemon({"stdio": {"enabled": False},
                "discord": {"api_base": api,
                            "token_env": "FAQBOT_TEST_DISCORD_TOKEN",
                            "message_content": True,
                            "moderators": {"users": [MODUSER]},
                            "moderators_channel": MODCH,
                            "reconnect_min_ms": 20,
                            "reconnect_max_ms": 200}}, env=env)
    try:
        run(t, dbl, d)
    finally:
        d.proc.send_signal(15)
        rc = d.wait(20)
        t.check(rc == 0, "SIGTERM: clean exit 0 (rc %r)" % rc)
        d.stop()
        log = d.log_text()
        t.check(TOKEN not in log and TOKEN[:40] not in log,
                "the token never reaches the log")
        dbl.close()
    fatal_4004(t)
    restart_resume(t)
    crash_replay(t)
    tls_gateway(t)
    return t.done()


def run(t, dbl, d):
    t.check(d.wait_ready(), "daemon ready")
    e = dbl.wait(lambda e: e.get("ev") == "gw_recv" and e.get("op") == 2)
    t.check(e is not None and e["d"].get("token_ok") is True,
            "IDENTIFY with the token")
    t.check(e is not None and e["d"].get("intents") ==
            (1 | 1 << 9 | 1 << 12 | 1 << 15), "intents incl. MESSAGE_CONTENT")
    t.check(d.wait_log("discord: ready") is not None, "READY logged")
    t.check(dbl.wait(rest("POST", "/api/v10/applications/%s/commands" % APP))
            is not None, "/faq registered")
    st, body = d.get("/healthz")
    t.check(st == 200 and "discord" in body, "/healthz 200 with discord")

    # a question by prefix: the real pipeline answers
    m0 = dbl.mark()
    dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
            d=msg("1001", "!faq what is melatonin"))
    e = dbl.wait(rest("POST", "/api/v10/channels/%s/messages" % CHAN), m0)
    t.check(e is not None, "reply posted")
    if e:
        b = e["body"]
        t.check(b["message_reference"]["message_id"] == "1001",
                "message_reference to the question")
        t.check(b["allowed_mentions"] == {"parse": []}, "no mentions parsed")
        t.check("Melatonin" in b["content"], "answer text")
        t.check("Source" in b["content"], "source line kept")
        t.check("not medical advice" in b["content"], "disclaimer kept")
        t.check(len(b["content"]) <= 2000, "within 2000 characters")

    # slash command: callback within the 3 s limit
    m0 = dbl.mark()
    dbl.cmd(cmd="dispatch", t="INTERACTION_CREATE", d={
        "id": "2001", "application_id": APP, "type": 2, "token": "itok1",
        "guild_id": GUILD, "channel_id": CHAN,
        "member": {"user": {"id": USER}, "roles": []},
        "data": {"name": "faq", "type": 1, "options": [
            {"name": "question", "type": 3, "value": "what is melatonin"}]}})
    s = dbl.wait(lambda e: e.get("ev") == "gw_send" and
                 e.get("t") == "INTERACTION_CREATE", m0)
    e = dbl.wait(rest("POST", "/api/v10/interactions/2001/TOKEN/callback"), m0)
    t.check(s is not None and e is not None, "interaction callback")
    if s and e:
        ms = e["ts"] - s["ts"]
        print("  interaction callback %.1f ms after the dispatch" % ms,
              file=sys.stderr)
        t.check(ms < 3000, "callback within 3 s")
        t.check(e["body"]["type"] in (4, 5), "callback type 4/5")

    # crisis: escalated with a jump link, no message text
    m0 = dbl.mark()
    dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
            d=msg("1002", "!faq I took too many pills and want to die"))
    e = dbl.wait(rest("POST", "/api/v10/channels/%s/messages" % MODCH), m0)
    t.check(e is not None, "escalation to the moderators' channel")
    if e:
        c = e["body"]["content"]
        t.check("https://discord.com/channels/%s/%s/1002" % (GUILD, CHAN)
                in c, "jump link")
        t.check("pills" not in c, "no message text in the escalation")
    e = dbl.wait(rest("POST", "/api/v10/channels/%s/messages" % CHAN,
                      "988"), m0)
    t.check(e is not None, "crisis reply with a hotline")

    # moderator commands: allowed for the moderator, refused otherwise
    m0 = dbl.mark()
    dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
            d=msg("1003", "!faq stats", author=MODUSER))
    e = dbl.wait(lambda e: e.get("ev") == "rest" and e.get("body") and
                 (e["body"].get("message_reference") or {}).get(
                     "message_id") == "1003", m0)
    t.check(e is not None, "!faq stats answered for a moderator")
    stats_text = e["body"]["content"] if e else ""
    m0 = dbl.mark()
    dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
            d=msg("1004", "!faq stats", author="500000000000000088"))
    e = dbl.wait(lambda e: e.get("ev") == "rest" and e.get("body") and
                 (e["body"].get("message_reference") or {}).get(
                     "message_id") == "1004", m0)
    t.check(e is not None and e["body"]["content"] != stats_text,
            "!faq stats refused for others")

    # resume after a dropped connection: missed events answered once
    m0 = dbl.mark()
    dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE", hold=True,
            d=msg("1005", "!faq what is melatonin", channel=CHAN2))
    dbl.wait(lambda e: e.get("ev") == "ok", m0)
    dbl.cmd(cmd="drop")
    e = dbl.wait(lambda e: e.get("ev") == "gw_recv" and e.get("op") == 6, m0)
    t.check(e is not None, "RESUME after the drop")
    e = dbl.wait(rest("POST", "/api/v10/channels/%s/messages" % CHAN2), m0)
    t.check(e is not None, "missed message answered after RESUME")
    # a live message after the replay proves nothing else is coming
    m1 = dbl.mark()
    dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
            d=msg("1006", "!faq what is melatonin", channel=CHAN2))
    dbl.wait(lambda e: e.get("ev") == "rest" and e.get("body") and
             (e["body"].get("message_reference") or {}).get(
                 "message_id") == "1006", m1)
    n = len(dbl.all(lambda e: e.get("ev") == "rest" and e.get("body") and
                    (e["body"].get("message_reference") or {}).get(
                        "message_id") == "1005"))
    t.check(n == 1, "missed message answered exactly once (%d)" % n)

    # a 429 on the route: delayed, then delivered
    m0 = dbl.mark()
    dbl.cmd(cmd="fail", prefix="POST /api/v10/channels/%s/messages" % CHAN,
            status=429, retry_after=0.3, count=1)
    dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
            d=msg("1007", "!faq what is melatonin"))
    k = dbl.wait(lambda e: e.get("ev") == "rest_429", m0)
    e = dbl.wait(lambda e: e.get("ev") == "rest" and e.get("body") and
                 (e["body"].get("message_reference") or {}).get(
                     "message_id") == "1007" and k is not None and
                 e["ts"] > k["ts"], m0)
    t.check(k is not None and e is not None, "reply delivered after a 429")
    if k and e:
        t.check(e["ts"] - k["ts"] >= 290, "waited retry_after")
    v = d.metric('faqbot_rate_limit_waits_total{platform="discord"}')
    t.check(v is not None and v >= 1, "/metrics counts the 429 wait (%r)" % v)
    v = d.metric('faqbot_reconnects_total{platform="discord"}')
    t.check(v is not None and v >= 1, "/metrics counts the reconnect (%r)"
            % v)


def fatal_4004(t):
    """A close with 4004: clear message, no reconnect loop, exit 1."""
    dbl = DoubleProc()
    api = "http://127.0.0.1:%d/api/v10" % dbl.port
    dbl.cmd(cmd="close_on_identify", code=4004)
    d = Daemon({"stdio": {"enabled": False},
                "discord": {"api_base": api,
                            "token_env": "FAQBOT_TEST_DISCORD_TOKEN",
                            "reconnect_min_ms": 20}},
               env={"FAQBOT_TEST_DISCORD_TOKEN": TOKEN})
    try:
        line = d.wait_log("authentication failed")
        t.check(line is not None, "4004 named in the log")
        rc = d.wait(20)
        t.check(rc == 1, "daemon exits 1 after 4004 (rc %r)" % rc)
        n = len(dbl.all(lambda e: e.get("ev") == "gw_connect"))
        t.check(n == 1, "no reconnect loop (%d connections)" % n)
        t.check(TOKEN not in d.log_text(), "token not logged")
    finally:
        d.stop()
        dbl.close()


def replies_to(dbl, mid):
    return dbl.all(lambda e: e.get("ev") == "rest" and e.get("body") and
                   (e["body"].get("message_reference") or {}).get(
                       "message_id") == mid)


def wait_reply(dbl, mid, start=0, timeout=10):
    return dbl.wait(lambda e: e.get("ev") == "rest" and e.get("body") and
                    (e["body"].get("message_reference") or {}).get(
                        "message_id") == mid, start, timeout)


def restart_resume(t):
    """Stop the daemon, let the double queue two questions, start it
    again on the same state directory: it RESUMEs (no IDENTIFY) and the
    replayed questions are answered exactly once.  Then a session the
    double no longer knows: INVALID_SESSION, IDENTIFY, answering again."""
    dbl = DoubleProc()
    tmp = tempfile.mkdtemp(prefix="faqbot-it-")
    cfg = {"stdio": {"enabled": False},
           "discord": {"api_base": "http://127.0.0.1:%d/api/v10" % dbl.port,
                       "token_env": "FAQBOT_TEST_DISCORD_TOKEN",
                       "message_content": True,
                       "reconnect_min_ms": 20, "reconnect_max_ms": 200}}
    env = {"FAQBOT_TEST_DISCORD_TOKEN": TOKEN}
    stored = os.path.join(tmp, "state", "discord-session")
    logs = []
    d = None
    try:
        d = Daemon(cfg, env=env, tmp=tmp)
        t.check(d.wait_ready() and d.wait_log("discord: ready") is not None,
                "restart: first start READY")
        m0 = dbl.mark()
        dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                d=msg("3001", "!faq what is melatonin"))
        t.check(wait_reply(dbl, "3001", m0) is not None,
                "restart: answered before the stop")
        d.proc.send_signal(15)
        t.check(d.wait(20) == 0, "restart: first daemon exits 0")
        logs.append(d.log_text())
        e = dbl.wait(lambda e: e.get("ev") == "client_close", m0)
        t.check(e is not None and e.get("code") not in (1000, 1001),
                "restart: stop closes with a code that keeps the session "
                "(%r)" % (e and e.get("code")))
        saved = {}
        if t.check(os.path.exists(stored), "restart: session stored"):
            with open(stored) as f:
                text = f.read()
            t.check(TOKEN[:40] not in text, "restart: no token stored")
            saved = json.loads(text)
            t.check(oct(os.stat(stored).st_mode & 0o777) == "0o600",
                    "restart: stored session mode 0600")

        # two questions while the daemon is down (held by the double)
        m1 = dbl.mark()
        for mid in ("3002", "3003"):
            dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                    d=msg(mid, "!faq what is melatonin", channel=CHAN2))
        t.check(dbl.wait(lambda e: e.get("ev") == "ok" and
                         e.get("cmd") == "dispatch" and
                         e.get("connected") is False and
                         e.get("seq") == saved.get("seq", -9) + 2, m1)
                is not None, "restart: the double queued both questions")

        d = Daemon(cfg, env=env, tmp=tmp)
        t.check(d.wait_ready(), "restart: second start ready")
        c = dbl.wait(lambda e: e.get("ev") == "gw_connect", m1)
        t.check(c is not None and c["path"].startswith("/resume"),
                "restart: connects to resume_gateway_url (%r)" %
                (c and c.get("path")))
        e = dbl.wait(lambda e: e.get("ev") == "gw_recv" and
                     e.get("op") in (2, 6), m1)
        t.check(e is not None and e["op"] == 6,
                "restart: RESUME, not IDENTIFY (op %r)" % (e and e["op"]))
        if e is not None and e["op"] == 6:
            t.check(e["d"].get("token_ok") is True and
                    e["d"].get("session_id") == saved.get("session_id") and
                    e["d"].get("seq") == saved.get("seq"),
                    "restart: RESUME carries the stored session and seq")
        t.check(wait_reply(dbl, "3002", m1) is not None and
                wait_reply(dbl, "3003", m1) is not None,
                "restart: both missed questions answered")
        t.check(d.wait_log("discord: session resumed") is not None,
                "restart: RESUMED logged")
        # a live question after the replay: nothing else is coming
        m2 = dbl.mark()
        dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                d=msg("3004", "!faq what is melatonin"))
        t.check(wait_reply(dbl, "3004", m2) is not None,
                "restart: live question answered after the resume")
        n = [len(replies_to(dbl, m)) for m in ("3001", "3002", "3003")]
        t.check(n == [1, 1, 1], "restart: each answered exactly once %r" % n)
        t.check(not dbl.all(lambda e: e.get("ev") == "gw_recv" and
                            e.get("op") == 2 and e["ts"] >= (c or {}).get(
                                "ts", 0)),
                "restart: no IDENTIFY after the restart")
        d.proc.send_signal(15)
        t.check(d.wait(20) == 0, "restart: second daemon exits 0")
        logs.append(d.log_text())

        # a session the gateway no longer knows: op 9, then IDENTIFY
        dbl.cmd(cmd="invalidate_sessions")
        m3 = dbl.mark()
        d = Daemon(cfg, env=env, tmp=tmp)
        t.check(d.wait_ready(), "stale session: daemon ready")
        r = dbl.wait(lambda e: e.get("ev") == "gw_recv" and
                     e.get("op") == 6, m3)
        k = dbl.wait(lambda e: e.get("ev") == "gw_send" and
                     e.get("op") == 9, m3)
        i = dbl.wait(lambda e: e.get("ev") == "gw_recv" and
                     e.get("op") == 2, m3)
        t.check(r is not None and k is not None and i is not None and
                r["ts"] < k["ts"] < i["ts"],
                "stale session: RESUME, INVALID_SESSION, then IDENTIFY")
        t.check(d.wait_log("discord: ready (session established)")
                is not None, "stale session: a new session is READY")
        m4 = dbl.mark()
        dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                d=msg("3005", "!faq what is melatonin"))
        t.check(wait_reply(dbl, "3005", m4) is not None,
                "stale session: answering again")
        now = {}
        if os.path.exists(stored):
            with open(stored) as f:
                now = json.loads(f.read())
        t.check(now.get("session_id") not in (None, saved.get("session_id")),
                "stale session: the new session stored")
        d.proc.send_signal(15)
        t.check(d.wait(20) == 0, "stale session: daemon exits 0")
        logs.append(d.log_text())
        t.check(all(TOKEN[:40] not in x for x in logs),
                "restart: the token never reaches the logs")
    finally:
        if d is not None:
            d.stop()
        dbl.close()
        shutil.rmtree(tmp, ignore_errors=True)


def created(dbl, pred):
    """Messages the double really created (not returned for a nonce)."""
    return dbl.all(lambda e: e.get("ev") == "msg_created" and pred(e))


def crash_burst(t, dbl, cfg, env, tmp, base):
    """One attempt: start, answer a burst, kill -9 at once.  Returns
    (questions {id: seq}, interaction id, stored seq, last seq) or None
    when the daemon did not get that far."""
    stored = os.path.join(tmp, "state", "discord-session")
    m = dbl.mark()
    d = Daemon(cfg, env=env, tmp=tmp)
    try:
        # READY (or RESUMED after an earlier attempt) went out first on
        # the socket: the bot has it (and stored the session) before the
        # burst that follows on the same socket
        if not d.wait_ready() or dbl.wait(
                lambda e: e.get("ev") == "gw_send" and
                e.get("t") in ("READY", "RESUMED"), m) is None:
            return None
        m0 = dbl.mark()
        qs = {}
        for k in range(6):
            mid = str(base + k)
            dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                    d=msg(mid, "!faq what is melatonin",
                          channel=CHAN if k % 2 else CHAN2))
        crisis = str(base + 6)
        dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                d=msg(crisis, "!faq I took too many pills and want to die"))
        ix = str(base + 7)
        dbl.cmd(cmd="dispatch", t="INTERACTION_CREATE", d={
            "id": ix, "application_id": APP, "type": 2,
            "token": "itok-crash-%s" % ix, "guild_id": GUILD,
            "channel_id": CHAN, "member": {"user": {"id": USER},
                                           "roles": []},
            "data": {"name": "faq", "type": 1, "options": [
                {"name": "question", "type": 3,
                 "value": "what is melatonin"}]}})
        oks = []
        for _ in range(8):
            e = dbl.wait(lambda e: e.get("ev") == "ok" and
                         e.get("cmd") == "dispatch" and e not in oks, m0)
            if e is None:
                return None
            oks.append(e)
        for k, e in enumerate(oks[:7]):
            qs[str(base + k)] = e["seq"]
        last = oks[-1]["seq"]
        # synchronise on what the double saw: every reply created, the
        # escalation, the callback; then kill -9 at once
        for mid in qs:
            if dbl.wait(lambda e: e.get("ev") == "msg_created" and
                        e.get("ref") == mid, m0) is None:
                return None
        if dbl.wait(lambda e: e.get("ev") == "msg_created" and
                    e.get("channel") == MODCH, m0) is None or \
                dbl.wait(lambda e: e.get("ev") == "callback_ok" and
                         e.get("id") == ix, m0) is None:
            return None
        d.proc.kill()
        d.proc.wait(10)
        with open(stored) as f:
            saved = json.loads(f.read())
        return qs, ix, saved.get("seq"), last
    finally:
        if d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait(10)
        d.stop()


def crash_replay(t):
    """kill -9 right after the daemon answered a burst (six questions, a
    crisis message with its escalation, a /faq), before its write-behind
    stored the new sequence number.  The restart RESUMEs from the older
    number, the gateway replays the burst, the daemon answers it again,
    and the double (enforce_nonce, one callback per interaction) ends
    with exactly one reply per question."""
    dbl = DoubleProc()
    tmp = tempfile.mkdtemp(prefix="faqbot-crash-")
    cfg = {"stdio": {"enabled": False},
           "discord": {"api_base": "http://127.0.0.1:%d/api/v10" % dbl.port,
                       "token_env": "FAQBOT_TEST_DISCORD_TOKEN",
                       "message_content": True,
                       "moderators_channel": MODCH,
                       "reconnect_min_ms": 20, "reconnect_max_ms": 200}}
    env = {"FAQBOT_TEST_DISCORD_TOKEN": TOKEN}
    d = None
    try:
        # the write-behind may, on a loaded machine, catch up before the
        # kill: then nothing is replayed and the attempt is repeated
        got = None
        for attempt in range(3):
            got = crash_burst(t, dbl, cfg, env, tmp, 4100 + 100 * attempt)
            if got is None or got[2] is None or got[2] < got[3]:
                break
            print("  crash: the session was stored before the kill "
                  "(seq %r); again" % got[2], file=sys.stderr)
        if not t.check(got is not None, "crash: burst answered, then "
                       "killed"):
            return
        qs, ix, saved, last = got
        t.check(saved is not None and saved < last,
                "crash: the stored sequence number is behind the burst "
                "(%r < %r)" % (saved, last))
        replayed = [q for q, sq in qs.items() if sq > (saved or 0)]
        print("  crash: stored seq %r, burst up to %r: %d of %d questions "
              "replayed" % (saved, last, len(replayed), len(qs)),
              file=sys.stderr)
        t.check(len(replayed) >= 1, "crash: questions to replay")

        m1 = dbl.mark()
        d = Daemon(cfg, env=env, tmp=tmp)
        t.check(d.wait_ready(), "crash: restarted")
        r = dbl.wait(lambda e: e.get("ev") == "gw_recv" and
                     e.get("op") in (2, 6), m1)
        t.check(r is not None and r["op"] == 6 and
                r["d"].get("seq") == saved,
                "crash: RESUME from the stored seq %r (%r)" %
                (saved, r and r.get("d", {}).get("seq")))
        # each replayed question is answered again, with the same nonce
        crisis = str(int(ix) - 1)
        for q in replayed:
            e = wait_reply(dbl, q, m1)
            t.check(e is not None and e["body"].get("nonce") == "r" + q and
                    e["body"].get("enforce_nonce") is True,
                    "crash: %s answered again with nonce r%s" % (q, q))
        if crisis in replayed:
            t.check(dbl.wait(lambda e: e.get("ev") == "rest" and
                             (e.get("body") or {}).get("nonce") ==
                             "e" + crisis, m1) is not None,
                    "crash: the escalation sent again with its nonce")
        if int(ix) > (saved or 0):
            t.check(dbl.wait(lambda e: e.get("ev") == "callback_refused" and
                             e.get("id") == ix, m1) is not None,
                    "crash: the replayed /faq is not acknowledged twice")
        # a live question after the replay: nothing else is coming
        live = str(int(ix) + 1)
        m2 = dbl.mark()
        dbl.cmd(cmd="dispatch", t="MESSAGE_CREATE",
                d=msg(live, "!faq what is melatonin"))
        t.check(wait_reply(dbl, live, m2) is not None and dbl.wait(
            lambda e: e.get("ev") == "msg_created" and e.get("ref") == live,
            m2) is not None, "crash: live question answered after")
        n = {q: len(created(dbl, lambda e, q=q: e.get("ref") == q))
             for q in qs}
        t.check(all(v == 1 for v in n.values()),
                "crash: exactly one reply created per question %r" % n)
        sent = {q: len(replies_to(dbl, q)) for q in qs}
        t.check(all(sent[q] == 2 for q in replayed),
                "crash: replayed questions were sent twice %r" % sent)
        dups = dbl.all(lambda e: e.get("ev") == "nonce_dup")
        t.check(len(dups) >= len(replayed),
                "crash: the double returned the first message for each "
                "repeat (%d nonce_dup)" % len(dups))
        esc = created(dbl, lambda e: e.get("channel") == MODCH)
        t.check(len(esc) == 1 and esc[0].get("nonce") == "e" + crisis,
                "crash: one escalation (%d)" % len(esc))
        cb = dbl.all(lambda e: e.get("ev") == "callback_ok" and
                     e.get("id") == ix)
        t.check(len(cb) == 1, "crash: one callback accepted (%d)" % len(cb))
        t.check(not dbl.all(lambda e: e.get("ev") in ("violation",
                                                      "rest_invalid")),
                "crash: no rate-limit violation, no invalid request")
        d.proc.send_signal(15)
        t.check(d.wait(20) == 0, "crash: restarted daemon exits 0")
        if dbl.all(lambda e: e.get("ev") == "callback_refused" and
                   e.get("code") == 40060):
            t.check("interaction already acknowledged" in d.log_text() and
                    "HTTP 400" not in d.log_text(),
                    "crash: 40060 logged as a replayed event, not an error")
        t.check(TOKEN[:40] not in d.log_text(), "crash: token not logged")
    finally:
        if d is not None:
            d.stop()
        dbl.close()
        shutil.rmtree(tmp, ignore_errors=True)


def make_ca(d):
    """A test CA and a localhost certificate it signed, under d; the CA
    alone in d/trusted under its subject-hash name (what OpenSSL's
    certificate directory lookup wants).  None when openssl fails."""
    def run(*a):
        return subprocess.run(["openssl"] + list(a), cwd=d,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL).returncode == 0
    ok = run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=faqbot test CA", "-keyout", "ca.key",
             "-out", "ca.pem") and \
        run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "leaf.key", "-out", "leaf.csr") and \
        os.path.exists(os.path.join(d, "leaf.csr"))
    if not ok:
        return None
    with open(os.path.join(d, "ext.cnf"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    if not run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem",
               "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
               "-extfile", "ext.cnf", "-out", "leaf.pem"):
        return None
    h = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in",
                        os.path.join(d, "ca.pem")], stdout=subprocess.PIPE)
    trusted = os.path.join(d, "trusted")
    os.mkdir(trusted)
    os.mkdir(os.path.join(d, "empty"))
    shutil.copy(os.path.join(d, "ca.pem"),
                os.path.join(trusted, h.stdout.decode().strip() + ".0"))
    return trusted


def tls_gateway(t):
    """wss:// to the double: the handshake is verified against the CA
    directory ($SSL_CERT_DIR), looked up on demand: the test CA trusted
    -> READY; an empty directory -> refused, never identified."""
    tmp = tempfile.mkdtemp(prefix="faqbot-tls-")
    trusted = make_ca(tmp)
    if not t.check(trusted is not None, "tls: test CA made with openssl"):
        shutil.rmtree(tmp, ignore_errors=True)
        return
    dbl = DoubleProc(["--tls-cert", os.path.join(tmp, "leaf.pem"),
                      "--tls-key", os.path.join(tmp, "leaf.key")])
    cfg = {"stdio": {"enabled": False},
           "discord": {"api_base": "http://127.0.0.1:%d/api/v10" % dbl.port,
                       "gateway_url": "wss://localhost:%d" % dbl.tls_port,
                       "token_env": "FAQBOT_TEST_DISCORD_TOKEN",
                       "reconnect_min_ms": 200, "reconnect_max_ms": 400}}
    d = None
    try:
        d = Daemon(cfg, env={"FAQBOT_TEST_DISCORD_TOKEN": TOKEN,
                             "SSL_CERT_DIR": trusted})
        t.check(d.wait_log("discord: ready") is not None,
                "tls: READY over wss:// with the test CA trusted")
        c = dbl.wait(lambda e: e.get("ev") == "gw_connect")
        t.check(c is not None and c.get("tls") is True, "tls: over TLS")
        e = dbl.wait(lambda e: e.get("ev") == "gw_recv" and e.get("op") == 2)
        t.check(e is not None and e["d"].get("token_ok") is True,
                "tls: IDENTIFY over TLS")
        d.stop()
        m0 = dbl.mark()
        d = Daemon(cfg, env={"FAQBOT_TEST_DISCORD_TOKEN": TOKEN,
                             "SSL_CERT_DIR": os.path.join(tmp, "empty")})
        t.check(d.wait_log("discord: gateway connection failed") is not None,
                "tls: an untrusted certificate is refused")
        t.check(dbl.wait(lambda e: e.get("ev") == "tls_failed", m0, 5)
                is not None, "tls: the double saw the handshake fail")
        t.check(not dbl.all(lambda e: e.get("ev") == "gw_recv" and
                            e.get("op") == 2 and e["ts"] > dbl.events[
                                m0 - 1]["ts"]),
                "tls: nothing sent over an unverified link")
    finally:
        if d is not None:
            d.stop()
        dbl.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
