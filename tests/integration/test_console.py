#!/usr/bin/env python3
"""test_console.py -- the console platform on the daemon's loop.

Drives the real binary through a pseudo-terminal (python's pty module),
as a person would: `faqbot console` alone (greeting, prompt, a sourced
answer with its disclaimer, a crisis reply with the escalation on
stderr and without the message text, Ctrl-D -> clean exit 0), then one
`faqbot run` process with the console and the web chat together: the
console answers, and its end of input leaves the web chat running
(/healthz still 200, a web question still answered) until SIGTERM.
Also: console and stdio cannot both be enabled.  Every wait is on
output, never a sleep.  Last line: N passed, N failed.
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
BUILD = os.environ.get("FAQBOT_TEST_BUILD", "build")
BOT = os.path.join(ROOT, BUILD, "faqbot")
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
    return cond


class Term:
    """A process whose stdin and stdout are a pty (stderr a pipe)."""

    def __init__(self, argv):
        self.master, slave = os.openpty()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave,
                                     stderr=subprocess.PIPE, cwd=ROOT,
                                     start_new_session=True, bufsize=0)
        os.close(slave)
        self.out = ""           # what the terminal showed, \r removed
        self.pos = 0            # how far expect() has consumed
        self.err = []

    def expect(self, needle, timeout=120):
        """Text shown from the last match up to and including needle,
        or None when it does not appear in time."""
        deadline = time.monotonic() + timeout
        while True:
            i = self.out.find(needle, self.pos)
            if i >= 0:
                seg = self.out[self.pos:i + len(needle)]
                self.pos = i + len(needle)
                return seg
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.master], [], [], left)
            if not r:
                return None
            try:
                data = os.read(self.master, 65536)
            except OSError:     # EIO: the child closed the terminal
                return None
            if not data:
                return None
            self.out += data.decode("utf-8", "replace").replace("\r", "")

    def type(self, text):
        os.write(self.master, text.encode())

    def err_line(self, needle, timeout=60):
        """Next stderr line containing needle (None at EOF/timeout)."""
        deadline = time.monotonic() + timeout
        for line in self.err:
            if needle in line:
                return line
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.proc.stderr], [], [], left)
            if not r:
                return None
            line = self.proc.stderr.readline().decode("utf-8", "replace")
            if not line:
                return None
            self.err.append(line)
            if needle in line:
                return line

    def wait(self, timeout=30):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            rc = "timeout"
        self.err.extend(self.proc.stderr.read().decode(
            "utf-8", "replace").splitlines(True))
        os.close(self.master)
        return rc


def session(t, label):
    """The conversation both tests have with a console at a prompt."""
    greet = t.expect("> ")
    check(greet is not None and "I'm faqbot" in greet and
          "/quit or Ctrl-D to leave" in greet,
          "%s: greeting then a prompt: %r" % (label, greet))
    t.type("what is klonopin\n")
    ans = t.expect("\n> ")
    check(ans is not None and "clonazepam" in ans and "Source:" in ans and
          "not medical advice" in ans,
          "%s: sourced answer with the disclaimer: %r" % (label, ans))
    t.type("I want to kill myself\n")
    cr = t.expect("\n> ")
    check(cr is not None and "988" in cr and "Source:" not in cr,
          "%s: the crisis reply, no FAQ answer: %r" % (label, cr))
    esc = t.err_line("*** escalation")
    check(esc is not None and "level=acute kind=suicide platform=console"
          in esc and "kill myself" not in esc,
          "%s: escalation on stderr without the text: %r" % (label, esc))


def test_alone(bot, label):
    t = Term([bot, "console", "--kb", os.path.join(ROOT, "faq")])
    session(t, label)
    t.type("\x04")                   # Ctrl-D at the start of a line
    rc = t.wait()
    check(rc == 0, "%s: Ctrl-D exits 0 (got %r)" % (label, rc))
    bad = [l for l in t.err if "Sanitizer" in l or "runtime error" in l]
    check(not bad, "%s: no sanitizer report: %r" % (label, bad[:3]))


def port_of(line, needle):
    return int(line.split(needle, 1)[1].split(":")[1].split("/")[0])


def test_with_webchat(tmp):
    cfg = {"kb_dir": os.path.join(ROOT, "faq"),
           "hotlines": os.path.join(ROOT, "config", "hotlines.json"),
           "state_dir": os.path.join(tmp, "state"),
           "admin": {"listen": "127.0.0.1:0"},
           "console": {"enabled": True},
           "webchat": {"enabled": True, "port": 0,
                       "assets_dir": os.path.join(ROOT, "bot", "webchat")}}
    path = os.path.join(tmp, "both.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    t = Term([BOT, "run", "-c", path])
    try:
        wl = t.err_line("webchat: listening on http://")
        al = t.err_line("admin: listening on http://")
        check(wl is not None and al is not None,
              "one process serves the web chat and the admin listener")
        if wl is None or al is None:
            return
        web = port_of(wl, "webchat: listening on http://")
        admin = port_of(al, "admin: listening on http://")
        session(t, "run console+webchat")
        t.type("\x04")
        check(t.err_line("console: end of input; the other platforms go "
                         "on") is not None,
              "console end of input logged, daemon goes on")
        hz = urllib.request.urlopen("http://127.0.0.1:%d/healthz" % admin,
                                    timeout=10)
        body = json.loads(hz.read().decode())
        check(hz.status == 200 and "closed" in json.dumps(body),
              "healthz 200 with the console closed: %r" % body)
        ws = wsclient.WS("127.0.0.1", web, origin="http://127.0.0.1:%d" %
                         web)
        ws.recv_text()                  # hello
        ws.send_text(json.dumps({"type": "ask",
                                 "text": "what is klonopin"}))
        r = json.loads(ws.recv_text() or "{}")
        ws.close()
        check(r.get("kind") == "answer",
              "the web chat still answers after the console left: %r" % r)
        check(t.proc.poll() is None, "daemon still running")
        t.proc.send_signal(signal.SIGTERM)
    finally:
        rc = t.wait()
    check(rc == 0, "SIGTERM: exit 0 (got %r)" % rc)
    bad = [l for l in t.err if "Sanitizer" in l or "runtime error" in l]
    check(not bad, "console+webchat: no sanitizer report: %r" % bad[:3])


def test_stdin_once(tmp):
    path = os.path.join(tmp, "two.json")
    with open(path, "w") as f:
        json.dump({"state_dir": os.path.join(tmp, "s2"),
                   "console": {"enabled": True},
                   "stdio": {"enabled": True}}, f)
    p = subprocess.run([BOT, "check-config", "-c", path], cwd=ROOT,
                       capture_output=True, text=True)
    check(p.returncode == 1 and "console.enabled: cannot be enabled with "
          "\"stdio\": both read stdin" in p.stderr,
          "console and stdio together refused: %r" % p.stderr)


def main():
    if not os.access(BOT, os.X_OK):
        print("test_console: %s not built" % BOT, file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    tmp = tempfile.mkdtemp(prefix="faqbot-console-")
    try:
        test_alone(BOT, "console")
        test_with_webchat(tmp)
        test_stdin_once(tmp)
        if BUILD == "build" and os.access(ASAN_BOT, os.X_OK):
            test_alone(ASAN_BOT, "console (ASan)")
    except Exception as e:  # a crash of the test itself is a failure
        check(False, "test aborted: %r" % e)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
