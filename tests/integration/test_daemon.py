"""test_daemon.py -- the real `faqbot run` with the stdio platform and
the admin listener on a free loopback port: replies, /healthz and
/metrics, moderator commands allowed and refused, flood limit, reload
with a good and a broken KB (old one kept, errors logged with the file),
SIGTERM drain, the unanswered log and `faqbot unanswered`,
`faqbot check-config`, message texts logged escaped when allowed.  Synchronises on log lines and replies only."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_harness import Daemon, Checker, ROOT, binary  # noqa: E402

T = Checker()
Q = "is klonopin an antidepressant"


def test_replies_admin_drain():
    d = Daemon({"moderators": {"users": ["stdio:mod"]},
                "unanswered": {"enabled": True}})
    try:
        T.check(d.wait_ready(), "daemon ready, admin port logged")
        r = d.ask(Q)
        T.check(r is not None and r["in"] == 1 and r["kind"] == "answer"
                and r["intent"] == "klonopin.is_antidepressant"
                and "not medical advice" in r["reply"].lower()
                and r["sources"], "FAQ answer with sources: %r" % (r,))
        r = d.ask("what is the weather like on mars today")
        T.check(r is not None and r["kind"] == "no_match",
                "no match: %r" % (r,))
        st, body = d.get("/healthz")
        h = json.loads(body)
        T.check(st == 200 and h["status"] == "ok"
                and h["platforms"] == {"stdio": "connected"}
                and h["kb_version"], "healthz 200: %s %s" % (st, body))
        st, body = d.get("/metrics")
        T.check(st == 200, "metrics 200")
        for want in ('faqbot_messages_received_total{platform="stdio"} 2',
                     'faqbot_replies_sent_total{platform="stdio"} 2',
                     'faqbot_replies_by_intent_total{intent='
                     '"klonopin.is_antidepressant"} 1',
                     'faqbot_no_match_total 1',
                     'faqbot_reply_latency_seconds_count 2',
                     'faqbot_kb_reloads_total 0',
                     'faqbot_kb_reload_failures_total 0',
                     'faqbot_unanswered_logged_total 1',
                     'faqbot_platform_up{platform="stdio",'
                     'status="connected"} 1',
                     '# TYPE faqbot_reply_latency_seconds histogram',
                     'faqbot_kb_info{version="%s"} 1' % h["kb_version"]):
            T.check(want in body, "metrics has %s" % want)
        T.check("mars" not in body and "klonopin an" not in body,
                "no message text in metrics")
        st, _ = d.get("/nope")
        T.check(st == 404, "unknown path 404")
        for raw, code in ((b"POST /metrics HTTP/1.1\r\n\r\n", b" 405 "),
                          (b"GET /metrics HTTP/1.1\r\nContent-Length: 3"
                           b"\r\n\r\nabc", b" 413 "),
                          (b"GET metrics HTTP/1.1\r\n\r\n", b" 400 "),
                          (b"GET /healthz HTTP/2.0\r\n\r\n", b" 505 "),
                          (b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 9000,
                           b" 431 "),
                          (b"HEAD /healthz HTTP/1.1\r\n\r\n", b" 200 ")):
            resp = raw_http(d.port, raw)
            T.check(resp.startswith(b"HTTP/1.1" + code),
                    "admin %r -> %r" % (raw[:30], resp[:40]))
        T.check(raw_http(d.port, b"HEAD /healthz HTTP/1.1\r\n\r\n")
                .endswith(b"\r\n\r\n"), "HEAD has no body")

        # moderator commands: allowed for a configured moderator only
        r = d.ask(json.dumps({"text": "!faq stats", "user": "mod"}))
        T.check(r and "KB version" in r["reply"], "!faq stats: %r" % (r,))
        r = d.ask(json.dumps({"text": "!faq help", "user": "mod"}))
        T.check(r and "!faq reload" in r["reply"], "!faq help")
        r = d.ask(json.dumps({"text": "!faq unanswered", "user": "mod"}))
        T.check(r and "weather like on mars" in r["reply"],
                "!faq unanswered lists the question: %r" % (r,))
        # the load runs off the loop: a question sent right after the
        # command is answered first, then the moderator gets the result
        d.send(json.dumps({"text": "!faq reload", "user": "mod"}))
        d.send(Q)
        r1, r2 = d.reply(), d.reply()
        T.check(r1 and r1["intent"] == "klonopin.is_antidepressant",
                "answering during a reload: %r" % (r1,))
        T.check(r2 and r2["in"] == r1["in"] - 1
                and r2["reply"].startswith("Reloaded"),
                "!faq reload by a moderator: %r" % (r2,))
        r = d.ask(json.dumps({"text": "!faq reload", "user": "eve"}))
        T.check(r and "only moderators" in r["reply"],
                "refused for others: %r" % (r,))
        T.check(d.wait_log('refused "!faq reload" from non-moderator '
                           'stdio:eve') is not None, "refusal logged")
        r = d.ask(json.dumps({"text": "!faq " + Q, "user": "eve"}))
        T.check(r and r["intent"] == "klonopin.is_antidepressant",
                "!faq QUESTION is a question: %r" % (r,))
        T.check(d.metric('faqbot_moderator_commands_total{result='
                         '"refused"}') == 1, "refusal counted")

        # SIGTERM: drain and exit 0 within the bound
        t0 = time.monotonic()
        d.proc.send_signal(signal.SIGTERM)
        rc = d.wait(10)
        T.check(rc == 0, "SIGTERM exit status 0 (got %r)" % rc)
        T.check(time.monotonic() - t0 < 5.5, "drained within 5 s")
        log = d.log_text()
        T.check("shutdown: draining" in log and "shutdown: done" in log,
                "drain logged")
        T.check("weather" not in log and "klonopin an" not in log,
                "no message text in the log by default")

        # the unanswered log and its report
        un = os.path.join(d.tmp, "state", "unanswered.jsonl")
        with open(un) as f:
            lines = [json.loads(x) for x in f]
        T.check(len(lines) == 1 and set(lines[0]) == {"ts", "platform",
                                                       "text"}
                and lines[0]["platform"] == "stdio",
                "unanswered line has no user ids: %r" % (lines,))
        p = subprocess.run([binary(), "unanswered", "-c", d.cfg_path,
                            "--days", "7"], capture_output=True, text=True)
        T.check(p.returncode == 0 and "1 unanswered question" in p.stdout
                and "1  what is the weather like on mars today"
                in p.stdout, "faqbot unanswered: %r" % (p.stdout,))
    finally:
        d.stop()


def raw_http(port, data):
    """Send raw bytes to the admin port; the whole response."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        out = b""
        while True:
            b = s.recv(65536)
            if not b:
                return out
            out += b


def test_flood():
    d = Daemon({"flood": {"user_rate": 0.001, "user_burst": 3,
                          "room_rate": 0.001, "room_burst": 5}})
    try:
        T.check(d.wait_ready(), "ready (flood)")
        for i in range(8):
            d.send(json.dumps({"text": Q, "user": "spammer"}))
        for i in range(4):
            d.send(json.dumps({"text": Q, "user": "other%d" % i}))
        d.close_stdin()
        T.check(d.wait(20) == 0, "EOF ends the daemon with status 0")
        got = []
        while True:
            r = d.reply(5)
            if r is None:
                break
            got.append(r["in"])
        # user burst 3 for the spammer; room burst 5 in all
        T.check(got == [1, 2, 3, 9, 10], "flood limited: %r" % (got,))
    finally:
        d.stop()


def copy_kb(tmp):
    kb = os.path.join(tmp, "kb")
    shutil.copytree(os.path.join(ROOT, "faq"), kb)
    return kb


def test_reload():
    tmp = tempfile.mkdtemp(prefix="faqbot-reload-")
    kb = copy_kb(tmp)
    d = Daemon({}, kb_dir=kb, tmp=tmp)
    try:
        T.check(d.wait_ready(), "ready (reload)")
        v0 = json.loads(d.get("/healthz")[1])["kb_version"]
        # a good edit: new version
        path = os.path.join(kb, "lexicon.json")
        with open(path) as f:
            lex = json.load(f)
        lex["concepts"][0]["variants"].append("zzreloadtest")
        with open(path, "w") as f:
            json.dump(lex, f)
        d.proc.send_signal(signal.SIGHUP)
        line = d.wait_log("reload (SIGHUP): knowledge base version")
        T.check(line is not None, "good reload logged")
        v1 = json.loads(d.get("/healthz")[1])["kb_version"]
        T.check(v1 != v0, "version changed %s -> %s" % (v0, v1))
        T.check(d.metric("faqbot_kb_reloads_total") == 1, "reload counted")
        # a broken edit: old KB kept, every error logged with the file
        with open(path, "w") as f:
            f.write('{"concepts": [ {"canonical": }\n')
        d.proc.send_signal(signal.SIGHUP)
        line = d.wait_log("rejected")
        T.check(line is not None, "broken reload rejected")
        T.check(path in d.log_text(), "error names the file %s" % path)
        T.check(json.loads(d.get("/healthz")[1])["kb_version"] == v1,
                "old KB still in use")
        r = d.ask(Q)
        T.check(r and r["intent"] == "klonopin.is_antidepressant",
                "still answering after a failed reload")
        T.check(d.metric("faqbot_kb_reload_failures_total") == 1,
                "failure counted")
        d.proc.send_signal(signal.SIGTERM)
        T.check(d.wait(10) == 0, "exit 0 after reloads")
    finally:
        d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_broken_kb_at_start():
    """A broken KB at start: every error logged with its file, exit 1."""
    tmp = tempfile.mkdtemp(prefix="faqbot-badkb-")
    kb = copy_kb(tmp)
    path = os.path.join(kb, "lexicon.json")
    with open(path, "w") as f:
        f.write('{"concepts": [\n')
    d = Daemon({}, kb_dir=kb, tmp=tmp)
    try:
        d.close_stdin()
        T.check(d.wait(60) == 1, "broken KB at start: exit 1")
        d.wait_log("startup failed", 10)
        T.check(path in d.log_text() and "rejected" in d.log_text(),
                "start error names %s" % path)
    finally:
        d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_check_config():
    tmp = tempfile.mkdtemp(prefix="faqbot-cc-")
    try:
        bad = os.path.join(tmp, "bad.json")
        tok = os.path.join(tmp, "tok")
        with open(tok, "w") as f:
            f.write("secret\n")
        os.chmod(tok, 0o644)
        with open(bad, "w") as f:
            json.dump({"state_dir": tmp, "colour": 1, "region": 5,
                       "admin": {"listen": "nowhere"},
                       "stdio": {"enabled": "yes"}}, f)
        p = subprocess.run([binary(), "check-config", "-c", bad],
                           capture_output=True, text=True)
        T.check(p.returncode == 1, "bad config exits 1")
        for want in ("%s: colour: unknown key" % bad,
                     "%s: region: expected a string" % bad,
                     "%s: admin.listen: expected \"host:port\"" % bad,
                     "%s: stdio.enabled: expected true or false" % bad):
            T.check(want in p.stderr, "check-config reports %r in %r"
                    % (want, p.stderr))
        good = os.path.join(tmp, "good.json")
        with open(good, "w") as f:
            json.dump({"state_dir": tmp, "stdio": {"enabled": True}}, f)
        p = subprocess.run([binary(), "check-config", "-c", good],
                           capture_output=True, text=True)
        T.check(p.returncode == 0 and p.stdout == "configuration OK\n",
                "good config OK: %r" % (p.stdout + p.stderr))
        ex = os.path.join(ROOT, "config", "faqbot.example.json")
        p = subprocess.run([binary(), "check-config", "-c", ex],
                           capture_output=True, text=True)
        T.check(p.returncode == 0, "example config parses: %r" % p.stderr)
        T.check("secret" not in p.stderr, "no secret in output")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_libcurl_missing():
    """libcurl is loaded at run time: when what is found under its name
    is not libcurl, check-config and run fail with a message naming the
    library and the Debian package, and a daemon without HTTP platforms
    does not care."""
    tmp = tempfile.mkdtemp(prefix="faqbot-nocurl-")
    try:
        lib = os.path.join(tmp, "lib")
        os.makedirs(lib)
        # a real shared library, but not libcurl, found first by dlopen
        shutil.copy("/lib/x86_64-linux-gnu/libutf8proc.so.2",
                    os.path.join(lib, "libcurl.so.4"))
        env = dict(os.environ, LD_LIBRARY_PATH=lib)
        tok = os.path.join(tmp, "tok")
        with open(tok, "w") as f:
            f.write("tok\n")
        os.chmod(tok, 0o600)
        cfg = os.path.join(tmp, "matrix.json")
        with open(cfg, "w") as f:
            json.dump({"state_dir": tmp, "matrix": {
                "homeserver": "http://127.0.0.1:1", "user_id": "@b:x",
                "token_file": tok}}, f)
        p = subprocess.run([binary(), "check-config", "-c", cfg], env=env,
                           capture_output=True, text=True, timeout=60)
        T.check(p.returncode == 1 and "libcurl.so.4 has no "
                "curl_global_init" in p.stderr and "package libcurl4" in
                p.stderr and "matrix.homeserver: cannot be checked" in
                p.stderr, "check-config names libcurl and its package: "
                "%r" % p.stderr)
        p = subprocess.run([binary(), "run", "-c", cfg], env=env,
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=60)
        T.check(p.returncode == 1 and "package libcurl4" in p.stderr,
                "run exits 1 naming the package: %r" % p.stderr[-500:])
        good = os.path.join(tmp, "stdio.json")
        with open(good, "w") as f:
            json.dump({"state_dir": tmp, "stdio": {"enabled": True}}, f)
        p = subprocess.run([binary(), "check-config", "-c", good], env=env,
                           capture_output=True, text=True, timeout=60)
        T.check(p.returncode == 0, "no HTTP platform: libcurl not needed: "
                "%r" % p.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def mapped_libs(pid):
    """Base names of the shared libraries mapped into process pid."""
    libs = set()
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            p = line.split()
            if len(p) > 5 and ".so" in p[5]:
                libs.add(os.path.basename(p[5]).split(".so")[0])
    return libs


def test_notify_and_watch():
    """sd_notify READY/RELOADING/STOPPING and watchdog pings on a
    NOTIFY_SOCKET we own (without libcurl loaded when no HTTP platform is
    configured), and a reload triggered by inotify when a KB file
    changes."""
    import socket
    tmp = tempfile.mkdtemp(prefix="faqbot-notify-")
    kb = copy_kb(tmp)
    sp = os.path.join(tmp, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sp)
    sock.settimeout(30)
    d = Daemon({"watch_kb": {"enabled": True, "debounce_ms": 50}},
               kb_dir=kb, tmp=tmp, env={"NOTIFY_SOCKET": sp,
                                        "WATCHDOG_USEC": "200000"})

    def until(word):
        while True:
            msg = sock.recv(4096).decode().split("\n")
            if word in msg:
                return msg
    try:
        T.check(d.wait_ready(), "ready (notify)")
        msg = until("READY=1")
        T.check(any(x.startswith("STATUS=answering") for x in msg),
                "READY=1 with a STATUS line: %r" % (msg,))
        T.check(until("WATCHDOG=1") is not None and
                "watchdog: pinging systemd every 100 ms" in d.log_text(),
                "WATCHDOG=1 pings at half of WATCHDOG_USEC")
        libs = mapped_libs(d.proc.pid)
        T.check("libuv" in libs and not libs & {"libcurl", "libgnutls",
                                                "libldap"},
                "stdio only: neither libcurl nor its dependencies "
                "mapped: %s" % sorted(libs))
        T.check("watch_kb: watching %s" % kb in d.log_text(),
                "kb_dir watched")
        path = os.path.join(kb, "lexicon.json")
        with open(path) as f:
            lex = json.load(f)
        lex["concepts"][0]["variants"].append("zzinotifytest")
        with open(path, "w") as f:
            json.dump(lex, f)
        T.check(d.wait_log("reload (inotify): knowledge base version")
                is not None, "inotify reload")
        until("RELOADING=1")
        T.check(until("READY=1") is not None, "RELOADING=1 then READY=1")
        d.proc.send_signal(signal.SIGTERM)
        T.check(until("STOPPING=1") is not None, "STOPPING=1 on SIGTERM")
        T.check(d.wait(10) == 0, "exit 0 (notify)")
    except OSError as e:
        T.check(False, "notify socket: %r" % (e,))
    finally:
        sock.close()
        d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_healthz_unavailable():
    """A platform that is not connected (Matrix homeserver on a closed
    loopback port) makes /healthz 503 with its status."""
    tmp = tempfile.mkdtemp(prefix="faqbot-503-")
    tok = os.path.join(tmp, "token")
    with open(tok, "w") as f:
        f.write("not-a-real-token\n")
    os.chmod(tok, 0o600)
    s = socket_free_port()
    d = Daemon({"matrix": {"enabled": True,
                           "homeserver": "http://127.0.0.1:%d" % s,
                           "user_id": "@bot:localhost", "token_file": tok}},
               tmp=tmp)
    try:
        T.check(d.wait_ready(), "ready (503)")
        st, body = d.get("/healthz")
        h = json.loads(body)
        T.check(st == 503 and h["status"] == "unavailable"
                and h["platforms"]["stdio"] == "connected"
                and h["platforms"]["matrix"] != "connected",
                "healthz 503 with per-platform status: %s %s" % (st, body))
        T.check("libcurl" in mapped_libs(d.proc.pid),
                "matrix configured: libcurl loaded")
        _, m = d.get("/metrics")
        T.check('faqbot_platform_up{platform="stdio",status="connected"} 1'
                in m, "platform_up metric")
        T.check("not-a-real-token" not in m and "not-a-real-token" not in
                d.log_text(), "token never in metrics or log")
    finally:
        d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def socket_free_port():
    """A loopback port with nothing listening (bound, then closed)."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_flood_never_hides_crisis():
    """Over the flood limit a crisis message still gets its crisis reply.
    Only meaningful once the pipeline detects crisis messages: probed
    first, reported (not counted) while it does not."""
    crisis = "I want to kill myself tonight"
    d = Daemon({"flood": {"user_rate": 0.001, "user_burst": 1}})
    try:
        T.check(d.wait_ready(), "ready (crisis flood)")
        escalations = []

        def answer():
            r = d.reply()
            while r is not None and "escalation" in r:
                escalations.append(r)
                r = d.reply()
            return r
        d.send(json.dumps({"text": crisis, "user": "probe"}))
        probe = answer()
        if not probe or probe["kind"] != "crisis":
            print("test_flood_never_hides_crisis: the pipeline does not "
                  "flag %r as a crisis yet; not checked" % crisis,
                  file=sys.stderr)
            return
        d.send(json.dumps({"text": Q, "user": "u"}))
        r = answer()
        T.check(r and r["in"] == 2, "first message within the limit")
        d.send(json.dumps({"text": Q, "user": "u"}))	# dropped
        d.send(json.dumps({"text": crisis, "user": "u"}))
        r = answer()
        T.check(r and r["in"] == 4 and r["kind"] == "crisis",
                "crisis reply over the flood limit: %r" % (r,))
        T.check(any(e["in"] == 1 and e["escalation"]["level"] in
                    ("concern", "acute") for e in escalations),
                "escalation emitted: %r" % (escalations,))
        T.check(d.wait_log("escalation: platform=stdio level=") is not None,
                "escalation logged")
        T.check(crisis not in d.log_text(), "crisis text not logged")
    finally:
        d.stop()


def test_log_message_text():
    """With privacy.log_message_text the text is logged as one JSON
    string: a user's newline or control byte cannot forge a log line."""
    d = Daemon({"privacy": {"log_message_text": True}})
    try:
        T.check(d.wait_ready(), "ready (log_message_text)")
        forged = "hello\n<3>faqbot: forged line\u0007 " + "x" * 600
        r = d.ask(json.dumps({"text": forged, "user": "u"}))
        T.check(r is not None, "answered (log_message_text)")
        line = d.wait_log("message: platform=stdio")
        T.check(line is not None and
                'text="hello\\n<3>faqbot: forged line\\u0007 x' in line,
                "text logged escaped: %r" % (line,))
        T.check(line is not None and "x" * 501 not in line,
                "logged text cut at 500 bytes")
        T.check(not any(x.startswith("<3>faqbot: forged")
                        for x in d.log_text().splitlines()),
                "no forged log line")
    finally:
        d.stop()


def test_unanswered_off():
    """The unanswered log is opt-in: by default no question is kept, a
    log left by an earlier run is removed at start, and both reports say
    the log is off."""
    tmp = tempfile.mkdtemp(prefix="faqbot-it-")
    os.makedirs(os.path.join(tmp, "state"))
    old = os.path.join(tmp, "state", "unanswered.jsonl")
    with open(old, "w") as f:
        f.write('{"ts":"2026-01-01T00:00:00Z","platform":"stdio",'
                '"text":"an old question"}\n')
    d = Daemon({"moderators": {"users": ["stdio:mod"]}}, tmp=tmp)
    try:
        T.check(d.wait_ready(), "ready (unanswered off)")
        T.check(not os.path.exists(old) and
                "unanswered: the log is off; removed" in d.log_text(),
                "an earlier run's log is removed at start")
        r = d.ask("what is the weather like on mars today")
        T.check(r is not None and r["kind"] == "no_match",
                "no match (unanswered off): %r" % (r,))
        r = d.ask(json.dumps({"text": "!faq unanswered", "user": "mod"}))
        T.check(r is not None and "turned off" in r["reply"],
                "!faq unanswered says the log is off: %r" % (r,))
        T.check(not os.path.exists(old), "no question kept")
        p = subprocess.run([binary(), "unanswered", "-c", d.cfg_path],
                           capture_output=True, text=True, cwd=ROOT)
        T.check(p.returncode == 0 and "log is off" in p.stdout,
                "faqbot unanswered says the log is off: %r" % (p.stdout,))
    finally:
        d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def test_model_cache_restart():
    """The trained models are cached in the state directory: a restart
    with the same KB and binary reads them instead of training, and
    answers exactly as the trained models did."""
    tmp = tempfile.mkdtemp(prefix="faqbot-it-")
    q = "is klonopin an antidepressant"
    try:
        d = Daemon({}, tmp=tmp)
        try:
            T.check(d.wait_ready(), "ready (first start)")
            T.check("cache written" in d.log_text(),
                    "first start trains and writes the cache")
            first = d.ask(q)
        finally:
            d.stop()
        T.check(os.path.exists(os.path.join(tmp, "state",
                                             "model-matcher.cache")),
                "matcher cache file in the state directory")
        d = Daemon({}, tmp=tmp)
        try:
            T.check(d.wait_ready(), "ready (restart)")
            log = d.log_text()
            T.check("matcher: loaded from the cache" in log and
                    "crisis backstop: loaded from the cache" in log,
                    "restart reads both models from the cache")
            again = d.ask(q)
            T.check(first is not None and again is not None and
                    first.get("intent") is not None and
                    first.get("intent") == again.get("intent") and
                    first.get("confidence") == again.get("confidence") and
                    first.get("reply") == again.get("reply"),
                    "cached models answer as the trained ones: %r / %r" %
                    (first, again))
        finally:
            d.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def crisis_exchange(d, text, user):
    """Send a crisis message; (reply, escalation object or None)."""
    d.send(json.dumps({"text": text, "user": user}))
    reply = esc = None
    for _ in range(2):
        r = d.reply()
        if r is None:
            break
        if "escalation" in r:
            esc = r["escalation"]
        else:
            reply = r
        if reply is not None and esc is not None:
            break
    return reply, esc


def test_escalation_text():
    """privacy.escalation_include_text: off (the default), escalations
    and their log line never carry the text; on, both do, cut to 500
    bytes on a character boundary."""
    crisis = "I want to kill myself tonight"
    d = Daemon({})
    try:
        T.check(d.wait_ready(), "ready (escalation text off)")
        r, e = crisis_exchange(d, crisis, "a")
        T.check(r is not None and r["kind"] == "crisis" and e is not None,
                "crisis reply and escalation (default): %r %r" % (r, e))
        T.check(e is not None and "text" not in e,
                "default: no text in the escalation: %r" % (e,))
        line = d.wait_log("escalation: platform=stdio")
        T.check(line is not None and "text=" not in line and
                crisis not in d.log_text(),
                "default: no text in the escalation log line: %r" % line)
    finally:
        d.stop()
    d = Daemon({"privacy": {"escalation_include_text": True}})
    try:
        T.check(d.wait_ready(), "ready (escalation text on)")
        r, e = crisis_exchange(d, crisis, "a")
        T.check(e is not None and e.get("text") == crisis and
                e.get("text_cut") is False,
                "on: the escalation carries the text: %r" % (e,))
        line = d.wait_log("escalation: platform=stdio")
        T.check(line is not None and ('text="%s"' % crisis) in line,
                "on: the escalation log line carries the text: %r" % line)
        long_text = crisis + " " + "\u00e9" * 400     # 2 bytes each
        r, e = crisis_exchange(d, long_text, "b")
        t = (e or {}).get("text", "")
        T.check(e is not None and e.get("text_cut") is True and
                0 < len(t.encode()) <= 500 and long_text.startswith(t) and
                "\ufffd" not in t,
                "on: a long text is cut to 500 bytes on a character "
                "boundary: %r" % (e,))
    finally:
        d.stop()


for t in (test_replies_admin_drain, test_flood, test_reload,
          test_check_config, test_libcurl_missing,
          test_broken_kb_at_start, test_notify_and_watch,
          test_healthz_unavailable, test_flood_never_hides_crisis,
          test_log_message_text, test_escalation_text,
          test_unanswered_off, test_model_cache_restart):
    try:
        t0 = time.monotonic()
        t()
        print("%s: %.1f s" % (t.__name__, time.monotonic() - t0),
              file=sys.stderr)
    except Exception as e:  # a crash in a test is a failure, not silence
        T.check(False, "%s raised %r" % (t.__name__, e))
sys.exit(T.done())
