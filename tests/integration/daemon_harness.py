"""daemon_harness.py -- start the real `faqbot run` with the stdio
platform and the admin listener on a free loopback port (port 0; the
daemon logs the bound port), and synchronise on its log lines and
replies.  Shared by the daemon's integration tests and benchmarks.
Not a test itself (no test_ prefix)."""

import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def binary(build="build"):
    return os.path.join(ROOT, build, "faqbot")


class Daemon:
    """One faqbot run process; stdout replies and stderr log lines are
    collected by reader threads into queues."""

    def __init__(self, cfg, build=None, env=None, kb_dir=None,
                 tmp=None):
        # FAQBOT_TEST_BUILD=build-asan runs a test against the ASan build
        build = build or os.environ.get("FAQBOT_TEST_BUILD", "build")
        self.tmp = tmp or tempfile.mkdtemp(prefix="faqbot-it-")
        self.own_tmp = tmp is None
        c = {
            "kb_dir": kb_dir or os.path.join(ROOT, "faq"),
            "state_dir": os.path.join(self.tmp, "state"),
            "admin": {"listen": "127.0.0.1:0"},
            "stdio": {"enabled": True},
        }
        hot = os.path.join(ROOT, "config", "hotlines.json")
        if os.path.exists(hot):
            c["hotlines"] = hot
        c.update(cfg)
        self.cfg_path = os.path.join(self.tmp, "faqbot.json")
        with open(self.cfg_path, "w") as f:
            json.dump(c, f)
        e = dict(os.environ)
        e.pop("NOTIFY_SOCKET", None)
        if env:
            e.update(env)
        self.proc = subprocess.Popen(
            [binary(build), "run", "-c", self.cfg_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=ROOT, env=e)
        self.out = queue.Queue()
        self.err = queue.Queue()
        self.errlog = []
        self.lock = threading.Lock()
        threading.Thread(target=self._pump, args=(self.proc.stdout,
                         self.out, None), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr,
                         self.err, self.errlog), daemon=True).start()
        self.port = None

    def _pump(self, stream, q, keep):
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if keep is not None:
                with self.lock:
                    keep.append(line)
            q.put(line)
        q.put(None)

    def wait_log(self, needle, timeout=20):
        """Next stderr line containing needle (None at EOF/timeout)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.err.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                self.err.put(None)
                return None
            if needle in line:
                return line

    def wait_ready(self, timeout=20):
        line = self.wait_log("admin: listening on http://127.0.0.1:",
                             timeout)
        if line is None:
            return False
        self.port = int(line.rsplit(":", 1)[1].strip("/"))
        return self.wait_log("ready:", timeout) is not None

    def send(self, text):
        self.proc.stdin.write((text + "\n").encode())
        self.proc.stdin.flush()

    def ask(self, text, timeout=20):
        """Send one line and return the next reply object."""
        self.send(text)
        return self.reply(timeout)

    def reply(self, timeout=20):
        try:
            line = self.out.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            self.out.put(None)
            return None
        return json.loads(line)

    def get(self, path):
        """(status, body) of GET http://127.0.0.1:port/path."""
        try:
            with urllib.request.urlopen(
                    "http://127.0.0.1:%d%s" % (self.port, path),
                    timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def metric(self, name):
        """Value of one exact metric line (name with labels)."""
        _, body = self.get("/metrics")
        for line in body.splitlines():
            if line.startswith(name + " "):
                return float(line.split(" ")[-1])
        return None

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass

    def wait(self, timeout=20):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.wait(10)
        if self.own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def log_text(self):
        with self.lock:
            return "\n".join(self.errlog)


class Checker:
    """Counts checks; prints failures to stderr, the summary last."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        import sys
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s" % what, file=sys.stderr)
        return cond

    def done(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 0 if self.failed == 0 else 1
