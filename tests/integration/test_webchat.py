#!/usr/bin/env python3
"""test_webchat.py -- the web chat against the real daemon.

Starts `build/faqbot run` twice with the webchat platform on a free
loopback port (port 0; the bound port is read from the daemon's
"webchat: listening on" log line): once with roomy limits for the page
and protocol checks, once with tight limits for the flood, connection
and idle checks.  Checks status codes, security headers, 404/405, the
Origin allow-list, the subprotocol, oversized and malformed messages,
flood limits, a sourced answer, the unanswered log and metrics, and
that no client address reaches the log.  Last line: N passed, N failed.
"""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
import wsclient  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
BOT = os.path.join(ROOT, "build", "faqbot")
ASAN_BOT = os.path.join(ROOT, "build-asan", "faqbot")

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        sys.stderr.write("FAIL: %s\n" % what)


class Daemon:
    """faqbot run with a config; port numbers read from its log."""

    def __init__(self, tmp, name, webchat, admin=False, bot=BOT,
                 extra=None):
        self.dir = os.path.join(tmp, name)
        os.makedirs(os.path.join(self.dir, "state"))
        cfg = {"kb_dir": os.path.join(ROOT, "faq"),
               "state_dir": os.path.join(self.dir, "state"),
               "log_level": "debug",
               "flood": {"user_rate": 0, "room_rate": 0},
               "webchat": dict({"enabled": True, "port": 0,
                                "assets_dir": os.path.join(ROOT, "bot",
                                                           "webchat")},
                               **webchat)}
        if admin:
            cfg["admin"] = {"listen": "127.0.0.1:0"}
        cfg.update(extra or {})
        self.cfg = os.path.join(self.dir, "faqbot.json")
        with open(self.cfg, "w") as f:
            json.dump(cfg, f)
        self.log = []
        self.proc = subprocess.Popen([bot, "run", "-c", self.cfg],
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, cwd=ROOT,
                                     bufsize=0)
        self.port = self.wait_port("webchat: listening on http://")
        self.admin = (self.wait_port("admin: listening on http://")
                      if admin else None)
        self.wait_line("ready", timeout=180)

    def read_line(self, deadline):
        r, _, _ = select.select([self.proc.stderr], [], [],
                                max(0, deadline - time.time()))
        if not r:
            return None
        line = self.proc.stderr.readline().decode("utf-8", "replace")
        if not line:
            return None
        self.log.append(line)
        return line

    def wait_line(self, needle, timeout=180):
        for line in self.log:
            if needle in line:
                return line
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.read_line(deadline)
            if line is None:
                break
            if needle in line:
                return line
        raise RuntimeError("daemon never logged %r: %s" %
                           (needle, "".join(self.log[-10:])))

    def wait_port(self, needle):
        line = self.wait_line(needle)
        return int(line.split(needle, 1)[1].split(":")[1].split("/")[0])

    def drain_log(self, seconds=0.2):
        deadline = time.time() + seconds
        while self.read_line(deadline) is not None:
            pass

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        rest = self.proc.stderr.read().decode("utf-8", "replace")
        self.log.extend(rest.splitlines(True))
        return self.proc.returncode


def origin(d):
    return "http://127.0.0.1:%d" % d.port


def connect(d, **kw):
    kw.setdefault("origin", origin(d))
    ws = wsclient.WS("127.0.0.1", d.port, **kw)
    hello = json.loads(ws.recv_text())
    return ws, hello


def ask(ws, text):
    ws.send_text(json.dumps({"type": "ask", "text": text}))
    m = ws.recv_text()
    return json.loads(m) if m is not None else None


def refused(d, **kw):
    try:
        ws = wsclient.WS("127.0.0.1", d.port, **kw)
    except (wsclient.Refused, ConnectionError, OSError):
        return True
    ws.close()
    return False


def test_http(d):
    st, h, body = wsclient.http_get("127.0.0.1", d.port, "/")
    check(st == 200, "GET / is 200 (got %d)" % st)
    check(h.get("content-type") == "text/html; charset=utf-8",
          "GET / content-type %r" % h.get("content-type"))
    check(b"/app.js" in body and b"<script src=" in body,
          "GET / is the chat page")
    csp = h.get("content-security-policy", "")
    for want in ("default-src 'none'", "script-src 'self'",
                 "style-src 'self'", "connect-src 'self'",
                 "img-src 'self'", "base-uri 'none'", "form-action 'none'",
                 "frame-ancestors 'none'"):
        check(want in csp, "CSP has %s: %r" % (want, csp))
    check("unsafe" not in csp, "CSP allows nothing unsafe")
    check(h.get("x-content-type-options") == "nosniff", "nosniff")
    check(h.get("referrer-policy") == "no-referrer", "no-referrer")
    check(h.get("x-frame-options") == "DENY", "X-Frame-Options DENY")
    check("set-cookie" not in h, "no cookie")
    for path, ctype in (("/app.js", "text/javascript; charset=utf-8"),
                        ("/style.css", "text/css; charset=utf-8"),
                        ("/index.html", "text/html; charset=utf-8")):
        st, h, body = wsclient.http_get("127.0.0.1", d.port, path)
        check(st == 200 and h.get("content-type") == ctype and
              len(body) == int(h.get("content-length", -1)) and
              len(body) > 100, "GET %s: %d %r" % (path, st,
                                                  h.get("content-type")))
        check("content-security-policy" in h, "CSP on %s" % path)
    st, h, body = wsclient.http_get("127.0.0.1", d.port, "/app.js")
    with open(os.path.join(ROOT, "bot", "webchat", "app.js"), "rb") as f:
        check(f.read() == body, "app.js served as on disk")
    for path in ("/nope", "/ws", "/../Makefile", "/app.js/x",
                 "/%2e%2e/Makefile", "/bot/webchat/app.js"):
        st, h, body = wsclient.http_get("127.0.0.1", d.port, path)
        check(st == 404, "GET %s is 404 (got %d)" % (path, st))
        check("content-security-policy" in h and
              h.get("x-content-type-options") == "nosniff",
              "404 carries the security headers")
    st, h, _ = wsclient.http_get("127.0.0.1", d.port, "/", method="POST")
    check(st == 405, "POST / is 405 (got %d)" % st)


def test_handshake(d):
    ws, hello = connect(d)
    check(ws.protocol == "faqbot-chat", "subprotocol faqbot-chat agreed")
    check(hello == {"type": "hello", "title": "Test Chat",
                    "greeting": "Hi from the test."},
          "hello with title and greeting: %r" % hello)
    ws.close()
    ws, _ = connect(d, origin="http://localhost:%d" % d.port)
    ws.close()
    check(refused(d, origin="http://evil.example"), "foreign Origin refused")
    check(refused(d, origin="http://127.0.0.1:%d.evil" % d.port),
          "Origin prefix trick refused")
    check(refused(d, origin=None), "missing Origin refused")
    check(refused(d, origin=origin(d), protocol=None),
          "no subprotocol refused")
    check(refused(d, origin=origin(d), protocol="chat"),
          "other subprotocol refused")
    check(refused(d, origin=origin(d), path="/chat"), "other path refused")


def test_questions(d):
    ws, _ = connect(d)
    r = ask(ws, "what is klonopin")
    check(r is not None and r.get("type") == "reply" and
          r.get("kind") == "answer", "a question gets an answer: %r" % r)
    if r:
        src = r.get("sources") or []
        check(len(src) >= 1 and all(s.get("title") for s in src),
              "the answer has sources")
        check(any(s.get("url", "").startswith("https://") for s in src),
              "a source has a URL")
        check(bool(r.get("disclaimer")), "the answer has the disclaimer")
        check("klonopin" in r.get("body", "").lower() or
              "clonazepam" in r.get("body", "").lower(),
              "the answer is about Klonopin")
    r = ask(ws, "zxqv wibble frobnicate the quasar")
    check(r is not None and r.get("kind") == "no_match",
          "nonsense gets no_match: %r" % (r and r.get("kind")))
    # malformed messages: an error each, the connection stays usable
    for raw, code in (("not json", "bad_json"), ("[1]", "bad_json"),
                      ('{"type":"ask"', "bad_json"),
                      ('{"type":"hello"}', "bad_type"),
                      ('{"type":"ask","text":""}', "bad_text"),
                      ('{"type":"ask","text":7}', "bad_text"),
                      (b'{"type":"ask","text":"\xff"}', None)):
        ws.send_text(raw)
        m = ws.recv_text()
        if code is None:    # invalid UTF-8 in a text frame: lws closes
            check(m is None, "invalid UTF-8 frame closes the socket")
            break
        m = json.loads(m) if m else {}
        check(m.get("type") == "error" and m.get("code") == code,
              "%r -> error %s (got %r)" % (raw, code, m))
    ws.close()
    ws, _ = connect(d)
    ws.send_frame(0x2, b'{"type":"ask","text":"hi"}')
    m = json.loads(ws.recv_text())
    check(m.get("type") == "error", "binary frame -> error")
    # fragmented message within the cap is reassembled
    msg = json.dumps({"type": "ask", "text": "what is xanax"}).encode()
    ws.send_frame(0x1, msg[:10], fin=False)
    ws.send_frame(0x0, msg[10:], fin=True)
    r = json.loads(ws.recv_text())
    check(r.get("kind") == "answer", "fragmented question answered")
    ws.close()


def test_oversized(d):
    ws, _ = connect(d)
    ws.send_text("x" * 5000)
    m = ws.recv_text()
    check(m is not None and json.loads(m).get("code") == "too_long",
          "oversized message -> too_long")
    check(ws.recv_text() is None and getattr(ws, "close_code", 0) == 1009,
          "then closed with 1009 (%r)" % getattr(ws, "close_code", None))
    ws.sock.close()
    ws, _ = connect(d)       # many fragments adding up beyond the cap
    for i in range(10):
        ws.send_frame(0x1 if i == 0 else 0x0, b"y" * 600, fin=False)
    m = ws.recv_text()
    check(m is not None and json.loads(m).get("code") == "too_long",
          "oversized fragmented message -> too_long")
    ws.sock.close()


def test_flood(d):
    ws, _ = connect(d)
    kinds = []
    for i in range(6):
        r = ask(ws, "what is melatonin")
        kinds.append(r.get("kind") or r.get("code"))
    check(kinds[:3] == ["answer"] * 3 and kinds[3:] == ["rate_limited"] * 3,
          "burst of 3, then rate_limited: %r" % kinds)
    closed = False
    for i in range(40):
        try:
            ws.send_text(json.dumps({"type": "ask", "text": "melatonin"}))
            m = ws.recv_text()
        except (ConnectionError, OSError):
            closed = True
            break
        if m is None:
            closed = getattr(ws, "close_code", None) == 1008
            break
    check(closed, "a connection that keeps flooding is closed (1008)")
    ws.sock.close()


def test_limits(d):
    conns = []
    for i in range(3):
        conns.append(connect(d)[0])
    check(refused(d, origin=origin(d)),
          "4th connection from one address refused")
    conns.pop().close()
    # the close reaches the daemon asynchronously: retry briefly
    ok = False
    deadline = time.time() + 5
    while time.time() < deadline and not ok:
        try:
            conns.append(connect(d)[0])
            ok = True
        except (wsclient.Refused, ConnectionError, OSError):
            time.sleep(0.05)
    check(ok, "a slot freed by a close is usable again")
    for c in conns:
        c.close()


def test_idle(d):
    ws, _ = connect(d)
    ws.sock.settimeout(10)
    t0 = time.time()
    try:
        m = ws.recv_text()
    except (ConnectionError, OSError):
        m = None
    took = time.time() - t0
    check(m is None and 0.5 <= took <= 6, "idle connection closed after "
          "idle_timeout_s (%.1f s)" % took)
    ws.sock.close()


def test_counted(d):
    """Unanswered log and metrics count web chat like any platform."""
    ws, _ = connect(d)
    ask(ws, "how many moons does neptune have according to the faq")
    ws.close()
    path = os.path.join(d.dir, "state", "unanswered.jsonl")
    deadline = time.time() + 5
    text = ""
    while time.time() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                text = f.read()
            if "neptune" in text:
                break
        time.sleep(0.05)
    check("webchat" in text and "neptune" in text,
          "unanswered question logged with platform webchat")
    check("w1" not in text and "127.0.0.1" not in text,
          "no visitor id in the unanswered log")
    body = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % d.admin,
                                  timeout=5).read().decode()
    lines = [l for l in body.splitlines() if 'platform="webchat"' in l]
    check(any(l.startswith("faqbot_messages_received_total") and
              not l.endswith(" 0") for l in lines),
          "metrics count webchat messages: %r" % lines[:3])
    hz = urllib.request.urlopen("http://127.0.0.1:%d/healthz" % d.admin,
                                timeout=5)
    check(hz.status == 200 and b"webchat" in hz.read(),
          "healthz lists webchat as up")


def crisis_links(d):
    """(tel numbers of the contacts, reply body) for a crisis question."""
    ws, _ = connect(d)
    r = ask(ws, "I want to kill myself") or {}
    ws.close()
    return [c.get("tel") for c in r.get("contacts", [])], r.get("body", "")


def test_reload_links(tmp):
    """A reload refreshes the crisis links with the reply text (same
    kbset swap), without a restart."""
    with open(os.path.join(ROOT, "config", "hotlines.json")) as f:
        hot = json.load(f)
    path = os.path.join(tmp, "hotlines.json")
    with open(path, "w") as f:
        json.dump(hot, f)
    d = Daemon(tmp, "reload", {"conn_rate": 0, "ip_rate": 0},
               extra={"hotlines": path})
    try:
        tels, body = crisis_links(d)
        check("988" in tels and "988" in body,
              "before reload: 988 linked and in the text: %r" % tels)
        us = hot["regions"]["US"]["crisis"]
        us["call"] = us["text"] = "555-0100"
        with open(path + ".new", "w") as f:
            json.dump(hot, f)
        os.rename(path + ".new", path)
        d.proc.send_signal(signal.SIGHUP)
        d.wait_line("reload (SIGHUP): knowledge base version")
        tels, body = crisis_links(d)
        check("555-0100" in tels and "555-0100" in body,
              "after reload: the new number linked and in the text: %r "
              "%r" % (tels, body[:200]))
        check("988" not in tels, "after reload: the old link is gone: %r"
              % tels)
    finally:
        rc = d.stop()
    check(rc == 0, "reload daemon exits 0 (got %r)" % rc)


def main():
    if not os.access(BOT, os.X_OK):
        print("test_webchat: %s not built" % BOT, file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    tmp = tempfile.mkdtemp(prefix="faqbot-webchat-")
    daemons = []
    try:
        d = Daemon(tmp, "main", {"title": "Test Chat",
                                 "greeting": "Hi from the test.",
                                 "max_message_bytes": 4096,
                                 "conn_rate": 0, "ip_rate": 0},
                   admin=True, extra={"unanswered": {"enabled": True}})
        daemons.append(d)
        test_http(d)
        test_handshake(d)
        test_questions(d)
        test_oversized(d)
        test_counted(d)
        t = Daemon(tmp, "tight", {"conn_rate": 0.001, "conn_burst": 3,
                                  "ip_rate": 0, "max_connections_per_ip": 3,
                                  "idle_timeout_s": 1})
        daemons.append(t)
        test_flood(t)
        test_limits(t)
        test_idle(t)
        test_reload_links(tmp)
        for dd in daemons:
            rc = dd.stop()
            check(rc == 0, "daemon exits 0 on SIGTERM (got %r)" % rc)
            leaked = [l for l in dd.log if "127.0.0.1" in l and
                      "listening on" not in l]
            check(not leaked, "no client address in the log: %r" %
                  leaked[:2])
        daemons = []
        if os.access(ASAN_BOT, os.X_OK):
            # the same traffic against the ASan+UBSan build: any memory
            # error or leak in the server code fails here
            a = Daemon(tmp, "asan", {"title": "Test Chat",
                                     "greeting": "Hi from the test.",
                                     "conn_rate": 0, "ip_rate": 0},
                       bot=ASAN_BOT)
            daemons.append(a)
            test_http(a)
            test_handshake(a)
            test_questions(a)
            test_oversized(a)
            rc = a.stop()
            daemons = []
            bad = [l for l in a.log if "Sanitizer" in l or
                   "runtime error" in l]
            check(rc == 0 and not bad, "ASan build: clean exit (%r) "
                  "without sanitizer reports: %r" % (rc, bad[:3]))
    except Exception as e:  # a crash of the test itself is a failure
        check(False, "test aborted: %r" % e)
    finally:
        for dd in daemons:
            dd.proc.kill()
            dd.proc.wait()
            sys.stderr.write("".join(dd.log[-20:]))
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
