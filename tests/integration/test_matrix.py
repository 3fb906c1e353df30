#!/usr/bin/env python3
"""test_matrix.py -- the real `faqbot run` with the Matrix platform
against the homeserver test double (tests/doubles/matrix_homeserver.py)
on a free loopback port.

Covers: first start skips history; invite -> join (allow-list) and
decline; question -> m.notice reply with HTML, rich-reply relation and
thread; not answering unaddressed messages, notices or itself; DMs;
encrypted room notice (once); 429 with Retry-After and with
retry_after_ms (same txnId, one message); 500s; dropped connections;
malformed and oversized sync bodies; moderator commands allowed and
refused; escalation to the moderators' room (when the crisis detector
flags the message); restart answers what arrived while down exactly
once; leaving when alone; a revoked token is fatal, not a retry loop;
over HTTPS, the homeserver's certificate is verified (trusted through
`ca_file`, refused with the system store).
Every wait is on an event (the double's condition variable or a log
line) with a bound; nothing sleeps to wait.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "doubles"))

from daemon_harness import Checker, Daemon  # noqa: E402
import matrix_homeserver as mhs  # noqa: E402

BOT = "@faqbot:test.local"
ALICE = "@alice:test.local"
BOB = "@bob:test.local"
CAROL = "@carol:test.local"
MOD = "@mod:test.local"
EVE = "@eve:evil.org"
CRISISROOM = "!crisisdm:test.local"
T = 15.0


def text(body, **extra):
    c = {"msgtype": "m.text", "body": body}
    c.update(extra)
    return c


def replies_to(hs, event_id):
    out = []
    for s in hs.sent_events():
        rel = s["content"].get("m.relates_to") or {}
        irt = (rel.get("m.in_reply_to") or {}).get("event_id")
        if irt == event_id:
            out.append(s)
    return out


def wait_reply(hs, event_id, timeout=T):
    hs.wait_for(lambda: any(
        ((s["content"].get("m.relates_to") or {}).get("m.in_reply_to")
         or {}).get("event_id") == event_id for s in hs.sent), timeout)
    r = replies_to(hs, event_id)
    return r[0] if r else None


def crisis_detected():
    """Does this build's crisis detector flag a clear acute message?"""
    try:
        out = subprocess.run(
            [os.path.join(ROOT, "build", "faqbot"), "ask", "--json",
             "I want to kill myself tonight"], cwd=ROOT,
            capture_output=True, timeout=30).stdout.decode()
        return '"acute"' in out or '"concern"' in out
    except (OSError, subprocess.SubprocessError):
        return False


def test_tls(c):
    """The double over HTTPS with a self-signed certificate for
    127.0.0.1: trusted when it is the configured ca_file, a TLS failure
    (never connected) with the system store."""
    tmp = tempfile.mkdtemp(prefix="faqbot-matrix-tls-")
    cert = os.path.join(tmp, "cert.pem")
    key = os.path.join(tmp, "key.pem")
    gen = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
         "subjectAltName=IP:127.0.0.1"], capture_output=True)
    if gen.returncode != 0:
        c.check(False, "openssl req: %s" % gen.stderr.decode())
        shutil.rmtree(tmp, ignore_errors=True)
        return
    hs = mhs.Homeserver(user=BOT, token="tok-tls")
    srv = mhs.serve(hs, tls=(cert, key))
    tokfile = os.path.join(tmp, "token")
    with open(tokfile, "w") as f:
        f.write("tok-tls\n")
    os.chmod(tokfile, 0o600)
    m = {"homeserver": "https://127.0.0.1:%d" % srv.server_address[1],
         "user_id": BOT, "token_file": tokfile, "sync_timeout_ms": 5000,
         "backoff_max_ms": 1000}
    for sub in ("trusted", "system"):
        os.makedirs(os.path.join(tmp, sub, "state"), mode=0o700)
    d = None
    try:
        d = Daemon({"stdio": {"enabled": False},
                    "matrix": dict(m, ca_file=cert)},
                   tmp=os.path.join(tmp, "trusted"))
        c.check(d.wait_ready() and d.wait_log("matrix: connected", T)
                is not None, "https: connected with the certificate as "
                "ca_file")
        d.stop()
        d = Daemon({"stdio": {"enabled": False}, "matrix": m},
                   tmp=os.path.join(tmp, "system"))
        line = d.wait_log("TLS failure", T)
        c.check(line is not None and "matrix: connected" not in
                d.log_text(), "https: a certificate outside the system "
                "store is refused: %r" % line)
    finally:
        if d is not None:
            d.stop()
        srv.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    c = Checker()
    tmp = tempfile.mkdtemp(prefix="faqbot-matrix-")
    hs = mhs.Homeserver(user=BOT, token="tok-1")
    srv = mhs.serve(hs)
    port = srv.server_address[1]
    tokfile = os.path.join(tmp, "token")
    with open(tokfile, "w") as f:
        f.write("tok-1\n")
    os.chmod(tokfile, 0o600)

    # before the first start: a moderators' room and some history
    mods = hs.create_room(MOD, [])
    hs.invite(mods, MOD)
    old = hs.create_room(ALICE, [BOB])
    hs.join(old, BOT)
    hist = hs.send(old, BOB, text("!faq what is sertraline"))

    cfg = {
        "stdio": {"enabled": False},
        "flood": {"user_rate": 100, "user_burst": 100, "room_rate": 100,
                  "room_burst": 100},
        "moderators": {"users": ["matrix:" + MOD]},
        "matrix": {
            "homeserver": "http://127.0.0.1:%d" % port,
            "user_id": BOT,
            "token_file": tokfile,
            "allow_invites_from": ["test.local"],
            "moderators_room": mods,
            "rooms": {CRISISROOM: {"answer": "all", "crisis_by_dm": True}},
            "moderator_power_level": 100,
            "sync_timeout_ms": 5000,
            "backoff_max_ms": 1000,
        },
    }
    run = os.path.join(tmp, "run")
    os.makedirs(os.path.join(run, "state"), mode=0o700)
    d = Daemon(cfg, tmp=run)
    try:
        c.check(d.wait_ready(), "daemon ready")
        c.check(d.wait_log("matrix: connected", T) is not None,
                "matrix connected")
        c.check(hs.wait_for(lambda: hs.membership.get((mods, BOT),
                ("",))[0] == "join", T), "joined the moderators' room")
        st, body = d.get("/healthz")
        c.check(st == 200 and "matrix" in body, "healthz 200: %s" % body)

        # invite -> join -> question -> reply
        room = hs.create_room(ALICE, [BOB])
        hs.invite(room, ALICE)
        c.check(hs.wait_for(lambda: hs.membership.get((room, BOT),
                ("",))[0] == "join", T), "joined on invite")
        q = hs.send(room, BOB, text("!faq what is sertraline used for"))
        r = wait_reply(hs, q)
        c.check(r is not None, "question answered")
        if r:
            cont = r["content"]
            c.check(cont.get("msgtype") == "m.notice", "m.notice")
            c.check(cont.get("format") == "org.matrix.custom.html",
                    "html format")
            c.check("<p>" in cont.get("formatted_body", ""),
                    "formatted body: %r" % cont.get("formatted_body"))
            c.check(len(cont.get("body", "")) > 20, "plain body")
            c.check("rel_type" not in cont["m.relates_to"],
                    "no thread outside a thread")
            c.check(r["room_id"] == room, "reply in the same room")
        c.check(replies_to(hs, hist) == [], "history before start skipped")

        # thread; unaddressed, notices: ignored (checked via a marker)
        root = hs.send(room, BOB, text("a thread root"))
        q2 = hs.send(room, BOB, text(
            "!faq can I drink alcohol with xanax",
            **{"m.relates_to": {"rel_type": "m.thread",
                                "event_id": root}}))
        r = wait_reply(hs, q2)
        c.check(r is not None and r["content"]["m.relates_to"].get(
            "rel_type") == "m.thread" and r["content"]["m.relates_to"].get(
            "event_id") == root, "reply in the thread")
        chat = hs.send(room, BOB, text("just chatting, not for the bot"))
        notice = hs.send(room, "@otherbot:test.local", {
            "msgtype": "m.notice", "body": "!faq from another bot"})
        mark = hs.send(room, BOB, text("!faq does klonopin cause "
                                       "depression"))
        c.check(wait_reply(hs, mark) is not None, "marker answered")
        c.check(replies_to(hs, chat) == [], "unaddressed not answered")
        c.check(replies_to(hs, notice) == [], "m.notice not answered")
        c.check(len(replies_to(hs, q)) == 1, "answered exactly once")

        # DM (is_direct invite): every message answered
        dm = hs.create_room(CAROL, [])
        hs.invite(dm, CAROL, is_direct=True)
        c.check(hs.wait_for(lambda: hs.membership.get((dm, BOT),
                ("",))[0] == "join", T), "joined the DM")
        qd = hs.send(dm, CAROL, text("what is melatonin"))
        c.check(wait_reply(hs, qd) is not None, "DM answered")

        # invite from outside the allow-list: declined
        bad = hs.create_room(EVE, [])
        hs.invite(bad, EVE)
        c.check(hs.wait_for(lambda: hs.membership.get((bad, BOT),
                ("",))[0] == "leave", T), "foreign invite declined")

        # encrypted room: one notice, never more
        enc = hs.create_room(ALICE, [BOB], encrypted=True)
        hs.invite(enc, ALICE)
        c.check(hs.wait_for(lambda: any(
            s["room_id"] == enc for s in hs.sent), T),
            "encrypted room notice")
        hs.send(enc, BOB, {"algorithm": "m.megolm.v1.aes-sha2",
                           "ciphertext": "AAAA"}, "m.room.encrypted")
        mark = hs.send(room, BOB, text("!faq what is melatonin"))
        wait_reply(hs, mark)
        encs = [s for s in hs.sent if s["room_id"] == enc]
        c.check(len(encs) == 1 and encs[0]["content"]["msgtype"] ==
                "m.notice", "one encrypted notice: %d" % len(encs))

        # 429 with Retry-After, then with retry_after_ms: same txnId
        for mode, log in (("429h", "waiting 1000 ms"),
                          ("429b", "waiting 300 ms")):
            n_put = hs.request_count("/send/")
            hs.fail(mode, 1, "/send/", retry_ms=300 if mode == "429b"
                    else 1000)
            q = hs.send(room, BOB, text("!faq what is xanax"))
            r = wait_reply(hs, q)
            c.check(r is not None, "%s: reply delayed, not dropped" % mode)
            c.check(d.wait_log(log, T) is not None, "%s: %s" % (mode, log))
            puts = [p for m, p in hs.requests if "/send/" in p][n_put:]
            c.check(len(puts) == 2 and puts[0] == puts[1],
                    "%s: retried with the same txnId: %r" % (mode, puts))
            c.check(len(replies_to(hs, q)) == 1, "%s: one message" % mode)

        # 500s on send, then sync failures of every kind
        hs.fail("500", 2, "/send/")
        q = hs.send(room, BOB, text("!faq what is klonopin"))
        c.check(wait_reply(hs, q) is not None, "reply after two 500s")
        for mode, log in (("drop", "sync: connection error"),
                          ("500", "sync: HTTP 500"),
                          ("malformed", "response is not a JSON object"),
                          ("huge", "sync: response too big")):
            # curl itself retries a request that died on a kept-alive
            # connection (up to 5 times): drop more than that
            hs.fail(mode, 8 if mode == "drop" else 1, "/sync")
            q = hs.send(room, BOB, text("!faq is melatonin safe"))
            c.check(d.wait_log(log, T) is not None, "sync %s logged: %s" % (
                mode, d.log_text()[-1500:]))
            c.check(wait_reply(hs, q) is not None,
                    "answered after sync %s" % mode)
            c.check(len(replies_to(hs, q)) == 1, "once after %s" % mode)

        # the daemon's /metrics saw the waits, reconnects and errors
        for name, least in (("faqbot_rate_limit_waits_total", 2),
                            ("faqbot_reconnects_total", 1),
                            ("faqbot_errors_total", 4)):
            v = d.metric('%s{platform="matrix"}' % name)
            c.check(v is not None and v >= least, "%s = %r" % (name, v))

        # moderator commands: allowed for a moderator, refused otherwise
        q = hs.send(room, ALICE, text("!faq stats"))   # power level 100
        r = wait_reply(hs, q)
        c.check(r is not None and "only moderators" not in
                r["content"]["body"], "stats for a moderator")
        q = hs.send(room, BOB, text("!faq reload"))
        r = wait_reply(hs, q)
        c.check(r is not None and "only moderators" in
                r["content"]["body"], "reload refused for bob")
        c.check(d.wait_log("modcmd: refused", T) is not None,
                "refusal logged")

        # escalation to the moderators' room: a link, not the text
        if crisis_detected():
            secret = "I want to kill myself tonight"
            q = hs.send(room, BOB, text("!faq " + secret))
            c.check(wait_reply(hs, q) is not None, "crisis reply")
            c.check(hs.wait_for(lambda: any(
                s["room_id"] == mods for s in hs.sent), T), "escalated")
            esc = [s for s in hs.sent if s["room_id"] == mods]
            c.check(esc and "https://matrix.to/#/" in
                    esc[0]["content"]["body"], "matrix.to link")
            c.check(esc and "kill" not in json.dumps(esc[0]["content"]),
                    "no message text in the escalation")
            # crisis_by_dm: the crisis reply goes to a new DM instead
            hs.create_room(ALICE, [BOB], room_id=CRISISROOM)
            hs.invite(CRISISROOM, ALICE)
            c.check(hs.wait_for(lambda: hs.membership.get((
                CRISISROOM, BOT), ("",))[0] == "join", T), "joined")
            q = hs.send(CRISISROOM, BOB, text(secret))
            c.check(hs.wait_for(lambda: any(
                hs.membership.get((s["room_id"], BOB), ("",))[0] ==
                "invite" and s["room_id"] != CRISISROOM for s in hs.sent),
                T), "crisis reply sent in a DM with bob: %s" % (
                    d.log_text()[-2000:]))
            c.check(replies_to(hs, q) == [] and not any(
                s["room_id"] == CRISISROOM for s in hs.sent),
                "nothing posted in the room itself")
            c.check(hs.wait_for(lambda: BOB in hs.account_data.get(
                "m.direct", (0, {}))[1], T), "m.direct updated")
        else:
            print("test_matrix: crisis detector does not flag the test "
                  "message yet: escalation not checked", file=sys.stderr)

        # restart: what arrives while down is answered exactly once
        d.stop()
        c.check(d.proc.returncode == 0, "SIGTERM exit 0: %r\n%s" % (
            d.proc.returncode, d.log_text()[-3000:]))
        down = [hs.send(room, BOB, text("!faq what is sertraline")),
                hs.send(room, BOB, text("!faq what is melatonin"))]
        d = Daemon(cfg, tmp=run)
        c.check(d.wait_ready(), "restarted")
        for q in down:
            c.check(wait_reply(hs, q) is not None, "answered after restart")
        mark = hs.send(room, BOB, text("!faq what is xanax"))
        wait_reply(hs, mark)
        dup = {}
        for s in hs.sent:
            irt = ((s["content"].get("m.relates_to") or {}).get(
                "m.in_reply_to") or {}).get("event_id")
            if irt:
                dup[irt] = dup.get(irt, 0) + 1
        c.check(all(v == 1 for v in dup.values()),
                "no event answered twice: %r" % {k: v for k, v in
                                                 dup.items() if v > 1})
        c.check(replies_to(hs, hist) == [], "history still unanswered")

        # leave when the bot is the last member
        lone = hs.create_room(ALICE, [])
        hs.invite(lone, ALICE)
        c.check(hs.wait_for(lambda: hs.membership.get((lone, BOT),
                ("",))[0] == "join", T), "joined lone room")
        hs.leave(lone, ALICE)
        c.check(hs.wait_for(lambda: hs.membership.get((lone, BOT),
                ("",))[0] == "leave", T), "left when alone")

        # a revoked token: fatal with a clear message, no retry loop
        n0 = hs.request_count("/_matrix/client/v3/")
        hs.revoke()
        hs.send(room, BOB, text("!faq wake the sync"))
        rc = d.wait(T)
        c.check(rc is not None and rc != 0, "exit status %r" % rc)
        c.check("M_UNKNOWN_TOKEN" in d.log_text(), "clear fatal message")
        c.check("tok-1" not in d.log_text(), "token never logged")
        n = hs.request_count("/_matrix/client/v3/") - n0
        c.check(n <= 3, "no retry loop: %d requests after revoke" % n)

        # password login: stable device, token kept in the state dir,
        # reused on restart, one new login when it is revoked
        hs.password = "hunter2-pw"
        pwfile = os.path.join(tmp, "password")
        with open(pwfile, "w") as f:
            f.write("hunter2-pw\n")
        os.chmod(pwfile, 0o600)
        m = dict(cfg["matrix"])
        del m["token_file"]
        m.update({"password_file": pwfile, "device_id": "FAQBOTDEV"})
        cfg2 = dict(cfg, matrix=m)
        run2 = os.path.join(tmp, "run2")
        os.makedirs(os.path.join(run2, "state"), mode=0o700)
        d = Daemon(cfg2, tmp=run2)
        c.check(d.wait_ready() and d.wait_log("matrix: logged in", T) and
                d.wait_log("matrix: connected", T), "password login")
        q = hs.send(room, BOB, text("!faq what is melatonin"))
        c.check(wait_reply(hs, q) is not None, "answers after login")
        tokpath = os.path.join(run2, "state", "matrix-token")
        c.check(os.path.exists(tokpath) and
                os.stat(tokpath).st_mode & 0o077 == 0, "token kept, 0600")
        d.stop()
        d = Daemon(cfg2, tmp=run2)
        c.check(d.wait_ready() and d.wait_log("matrix: connected", T),
                "restart with the kept token")
        c.check(hs.logins == 1, "no second login: %d" % hs.logins)
        hs.revoke()
        q = hs.send(room, BOB, text("!faq what is xanax"))
        c.check(wait_reply(hs, q) is not None, "answers after re-login")
        c.check(hs.logins == 2, "one re-login: %d" % hs.logins)
        c.check("hunter2" not in d.log_text(), "password never logged")
    finally:
        d.stop()
        srv.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    test_tls(c)
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
