"""bench_daemon.py -- daemon figures for `make bench`: start to READY
(sd_notify on a NOTIFY_SOCKET this script owns) with the trained-model
cache in the state directory and without it (first start), idle RSS
with only the stdio platform and with Matrix connected to the
homeserver double (libcurl and OpenSSL loaded),
reload time (SIGHUP -> RELOADING=1 -> READY=1, and the daemon's own
figure) for an unchanged KB (models from the cache) and for a KB whose
examples changed (models retrained), and throughput through the stdio
platform (one daemon thread).  Prints the figures and a JSON line;
judges nothing."""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from smaps_rss import breakdown

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "doubles"))
import matrix_homeserver as mhs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "build", "faqbot")


def config(tmp, extra=None, kb=None, name="bench.json"):
    c = {"kb_dir": kb or os.path.join(ROOT, "faq"),
         "state_dir": os.path.join(tmp, "state"),
         "log_level": "info", "stdio": {"enabled": True},
         "unanswered": {"enabled": False}}
    hot = os.path.join(ROOT, "config", "hotlines.json")
    if os.path.exists(hot):
        c["hotlines"] = hot
    c.update(extra or {})
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(c, f)
    return path


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def start(cfg, sock_path, stderr=subprocess.DEVNULL):
    env = dict(os.environ, NOTIFY_SOCKET=sock_path)
    return subprocess.Popen([BIN, "run", "-c", cfg], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=stderr,
                            cwd=ROOT, env=env)


def wait_notify(sock, what, timeout=30):
    sock.settimeout(timeout)
    while True:
        msg = sock.recv(4096).decode()
        if what in msg.split("\n"):
            return msg


def main():
    tmp = tempfile.mkdtemp(prefix="faqbot-bench-")
    sock_path = os.path.join(tmp, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    cfg = config(tmp)
    res = {}

    def start_runs(n, cold):
        times, loads = [], []
        for _ in range(n):
            if cold:
                shutil.rmtree(os.path.join(tmp, "state"), ignore_errors=True)
            t0 = time.monotonic()
            p = start(cfg, sock_path, stderr=subprocess.PIPE)
            wait_notify(sock, "READY=1")
            times.append((time.monotonic() - t0) * 1000)
            p.stdin.close()
            err = p.stderr.read().decode()
            p.wait(10)
            m = re.search(r"start: knowledge base version \S+ loaded in "
                          r"([0-9.]+) ms", err)
            if m:
                loads.append(float(m.group(1)))
        return times, loads

    # first start: no model cache, the models are trained (5 runs)
    times, loads = start_runs(5, True)
    res["start_cold_ms_median"] = round(statistics.median(times), 1)
    if loads:
        res["start_cold_kb_load_ms_median"] = round(
            statistics.median(loads), 1)
    print("start to READY=1 (medical KB), no model cache (trains): median "
          "%.1f ms (5 runs); of which KB load + training (median) %s ms" %
          (res["start_cold_ms_median"],
           res.get("start_cold_kb_load_ms_median", "?")))

    # start to READY=1 with the cache the previous run left, 10 runs
    times, loads = start_runs(10, False)
    res["start_to_ready_ms_median"] = round(statistics.median(times), 1)
    res["start_to_ready_ms_min"] = round(min(times), 1)
    if loads:
        res["start_kb_load_ms_median"] = round(statistics.median(loads), 1)
    print("start to READY=1 (medical KB), models from the cache: median "
          "%.1f ms, min %.1f ms (10 runs); of which KB load (median) %s ms" %
          (res["start_to_ready_ms_median"], res["start_to_ready_ms_min"],
           res.get("start_kb_load_ms_median", "?")))

    # idle RSS with Matrix connected to the homeserver double: what a
    # deployment carries (libcurl and OpenSSL loaded and initialised)
    hs = mhs.Homeserver(user="@faqbot:test.local", token="tok-bench")
    srv = mhs.serve(hs)
    tok = os.path.join(tmp, "matrix-token")
    with open(tok, "w") as f:
        f.write("tok-bench\n")
    os.chmod(tok, 0o600)
    cfg_m = config(tmp, {"stdio": {"enabled": False}, "matrix": {
        "homeserver": "http://127.0.0.1:%d" % srv.server_address[1],
        "user_id": "@faqbot:test.local", "token_file": tok}},
        name="bench-matrix.json")
    p = start(cfg_m, sock_path, stderr=subprocess.PIPE)
    wait_notify(sock, "READY=1")
    for raw in p.stderr:
        if b"matrix: connected" in raw:
            break
    res["idle_rss_matrix_kb"] = rss_kb(p.pid)
    print("idle RSS, Matrix connected (homeserver double, loopback): "
          "%d kB (%.1f MB)" % (res["idle_rss_matrix_kb"],
                               res["idle_rss_matrix_kb"] / 1024))
    print("idle RSS, Matrix connected, is %s" % breakdown(p.pid))
    p.send_signal(signal.SIGTERM)
    p.stderr.close()
    p.wait(10)
    srv.shutdown()

    # idle RSS (stdio platform only) and reload time on one daemon
    p = start(cfg, sock_path, stderr=subprocess.PIPE)
    wait_notify(sock, "READY=1")
    res["idle_rss_kb"] = rss_kb(p.pid)
    print("idle RSS after READY, stdio platform only (libcurl not "
          "loaded): %d kB (%.1f MB)" %
          (res["idle_rss_kb"], res["idle_rss_kb"] / 1024))
    print("idle RSS is %s" % breakdown(p.pid))
    logged = []

    def pump():
        for raw in p.stderr:
            m = re.search(r"loaded in ([0-9.]+) ms", raw.decode())
            if m:
                logged.append(float(m.group(1)))
    threading.Thread(target=pump, daemon=True).start()

    def reloads(proc, n, before=None):
        walls = []
        for i in range(n):
            if before:
                before(i)
            t0 = time.monotonic()
            proc.send_signal(signal.SIGHUP)
            wait_notify(sock, "RELOADING=1")
            wait_notify(sock, "READY=1")
            walls.append((time.monotonic() - t0) * 1000)
        return walls

    walls = reloads(p, 20)
    res["reload_ms_median"] = round(statistics.median(walls), 1)
    res["reload_ms_max"] = round(max(walls), 1)
    res["rss_after_reloads_kb"] = rss_kb(p.pid)
    p.stdin.close()
    p.wait(10)
    if logged:
        res["reload_load_ms_median"] = round(statistics.median(logged), 1)
    print("reload, unchanged KB (SIGHUP -> READY=1): median %.1f ms, max "
          "%.1f ms (20 reloads; daemon-measured load %s ms); RSS after: "
          "%d kB" %
          (res["reload_ms_median"], res["reload_ms_max"],
           res.get("reload_load_ms_median", "?"),
           res["rss_after_reloads_kb"]))

    # reload after an example was edited: a copy of the KB whose first
    # intent file alternates between two versions, so every reload retrains
    kb = os.path.join(tmp, "kb")
    shutil.copytree(os.path.join(ROOT, "faq"), kb)
    first = sorted(os.listdir(os.path.join(kb, "intents")))[0]
    ipath = os.path.join(kb, "intents", first)
    with open(ipath) as f:
        orig = f.read()
    m = re.search(r'"examples": \[\s*"', orig)
    edited = orig[:m.end()] + "please tell me, " + orig[m.end():]
    cfg_e = config(tmp, kb=kb)
    p = start(cfg_e, sock_path, stderr=subprocess.PIPE)
    wait_notify(sock, "READY=1")
    logged.clear()
    threading.Thread(target=pump, daemon=True).start()

    def edit(i):
        with open(ipath, "w") as f:
            f.write(edited if i % 2 == 0 else orig)
    walls = reloads(p, 6, edit)
    res["reload_edited_ms_median"] = round(statistics.median(walls), 1)
    res["reload_edited_ms_max"] = round(max(walls), 1)
    p.stdin.close()
    p.wait(10)
    print("reload, an example edited (models retrained): median %.1f ms, "
          "max %.1f ms (6 reloads)" %
          (res["reload_edited_ms_median"], res["reload_edited_ms_max"]))

    # throughput through stdio
    n = 50000
    qs = ["is klonopin an antidepressant", "does xanax help sleep",
          "what is melatonin", "can melatonin be addictive",
          "how long does xanax stay in your system", "hello"]
    data = "".join(qs[i % len(qs)] + "\n" for i in range(n)).encode()
    cfg2 = config(tmp, {"log_level": "warn"})  # the same state directory
    p = start(cfg2, sock_path)
    wait_notify(sock, "READY=1")
    got = [0]

    def reader():
        for _ in p.stdout:
            got[0] += 1
    th = threading.Thread(target=reader, daemon=True)
    th.start()
    t0 = time.monotonic()
    p.stdin.write(data)
    p.stdin.close()
    p.wait(300)
    th.join(60)
    secs = time.monotonic() - t0
    res["stdio_questions"] = got[0]
    res["stdio_qps"] = round(got[0] / secs)
    print("stdio throughput: %d questions in %.2f s = %d questions/s "
          "(one daemon thread)" % (got[0], secs, res["stdio_qps"]))
    print(json.dumps({"daemon": res}))
    sock.close()
    subprocess.run(["rm", "-rf", tmp])
    return 0


sys.exit(main())
