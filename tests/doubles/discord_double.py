#!/usr/bin/env python3
"""discord_double.py -- a Discord test double: gateway v10 (JSON) + REST.

One loopback port serves both the REST API (under /api/v10) and the
gateway websocket (any path with an Upgrade header).  The websocket server
side (RFC 6455 handshake and framing) is written here so that tests can
send malformed or oversized frames and drop a connection mid-frame.

Prints "PORT n" first ("PORT n TLSPORT m" with --tls-cert/--tls-key: a
second port serving the same over TLS, for wss:// tests).  Then every
event is one JSON line on stdout ("ev": ...); commands are JSON lines on stdin (see COMMANDS below), each
acknowledged with {"ev": "ok", "cmd": ...}.  The bot token is never echoed.
Python 3 standard library only.

Create Message follows the docs' enforce_nonce rule: with
"enforce_nonce": true and a nonce (a string of at most 25 characters or
an integer), a message the same author created with the same nonce in the
last --nonce-window seconds is returned (200) and no new one is created
("nonce_dup"); every message really created is one "msg_created" event.
Content over 2000 characters or a bad nonce is refused (400, 50035).
Interaction callbacks: one per interaction ("Interaction has already
been acknowledged", 400, 40060), and only within 3 s of the
INTERACTION_CREATE dispatch ("Unknown interaction", 404, 10062).
Interaction endpoints (/interactions/..., /webhooks/...) are not bound
to the global rate limit.  More than --gw-limit (120) gateway sends on
one connection within 60 s close it with 4008, as the docs say.
"""
import argparse
import base64
import hashlib
import os
import json
import random
import re
import socket
import ssl
import struct
import sys
import threading
import time
import zlib

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
BOT_ID = "900000000000000001"
API = "/api/v10"

out_lock = threading.Lock()
T0 = time.monotonic()


def emit(ev, **kw):
    kw["ev"] = ev
    kw["ts"] = round((time.monotonic() - T0) * 1000.0, 3)   # ms
    line = json.dumps(kw, separators=(",", ":"))
    with out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class Conn:
    """One gateway websocket connection (server side)."""

    def __init__(self, srv, sock, path):
        self.srv = srv
        self.sock = sock
        self.path = path
        self.wlock = threading.Lock()
        self.alive = True
        self.session = None
        self.identified = False
        self.sends = []         # times of the client's payloads
        # compress=zlib-stream: one zlib stream for the connection, each
        # payload ending in a sync flush, sent as binary frames
        self.z = zlib.compressobj() if "compress=zlib-stream" in path \
            else None

    def send_frame(self, opcode, payload, fin=True):
        with self.wlock:
            self.write_frame(opcode, payload, fin)

    def write_frame(self, opcode, payload, fin):
        """One server frame (unmasked) on the socket; the caller holds
        wlock."""
        hdr = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            hdr += bytes([n])
        elif n < 65536:
            hdr += bytes([126]) + struct.pack("!H", n)
        else:
            hdr += bytes([127]) + struct.pack("!Q", n)
        try:
            self.sock.sendall(hdr + payload)
        except OSError:
            self.alive = False

    def send_payload(self, data):
        """One gateway payload: a text frame, or with zlib-stream its
        compressed bytes in two binary fragments (opcode 2, then 0)."""
        if self.z is None:
            self.send_frame(1, data)
            return
        with self.wlock:     # the stream's order is the socket's order
            z = self.z.compress(data) + self.z.flush(zlib.Z_SYNC_FLUSH)
            k = max(1, len(z) // 2)
            for op, part, fin in ((2, z[:k], False), (0, z[k:], True)):
                self.write_frame(op, part, fin)

    def send_json(self, obj):
        # logged before sending: the bot's answer is always logged after
        emit("gw_send", op=obj.get("op"), t=obj.get("t"), s=obj.get("s"))
        self.send_payload(json.dumps(obj).encode())

    def close(self, code, reason=b""):
        self.send_frame(8, struct.pack("!H", code) + reason)
        emit("server_close", code=code)
        self.alive = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def drop(self):
        self.alive = False
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def read_message(self):
        """Returns (opcode, payload) of one whole message."""
        data = b""
        first_op = None
        while True:
            b0, b1 = self.recv_exact(2)
            fin, op = b0 & 0x80, b0 & 0x0F
            if not b1 & 0x80:
                raise ValueError("client frame not masked")
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self.recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self.recv_exact(8))[0]
            if n > 4 * 1024 * 1024:
                raise ValueError("client frame too large")
            mask = self.recv_exact(4)
            p = bytearray(self.recv_exact(n))
            for i in range(n):
                p[i] ^= mask[i & 3]
            if op >= 8:
                return op, bytes(p)
            if first_op is None:
                first_op = op
            data += p
            if fin:
                return first_op, data

    def serve(self):
        srv = self.srv
        srv.register(self)
        self.send_json({"op": 10, "d": {"heartbeat_interval": srv.hb_ms},
                        "s": None, "t": None})
        try:
            while self.alive:
                op, p = self.read_message()
                if op == 8:
                    code = struct.unpack("!H", p[:2])[0] if len(p) >= 2 else None
                    emit("client_close", code=code)
                    # as the docs say: 1000/1001 end the session itself
                    if code in (1000, 1001) and self.session is not None:
                        self.session["resumable"] = False
                    with self.wlock:
                        try:
                            self.sock.sendall(b"\x88\x02" + p[:2])
                        except OSError:
                            pass
                    break
                if op == 9:
                    self.send_frame(10, p)
                    continue
                if op != 1:
                    continue
                try:
                    msg = json.loads(p.decode())
                except ValueError:
                    emit("bad_json")
                    self.close(4002)
                    break
                self.on_payload(msg)
        except (EOFError, OSError, ValueError) as e:
            emit("conn_lost", why=str(e) or type(e).__name__)
        finally:
            self.alive = False
            srv.unregister(self)
            try:
                self.sock.close()
            except OSError:
                pass

    def on_payload(self, msg):
        srv = self.srv
        op = msg.get("op")
        d = msg.get("d")
        shown = d
        if op in (2, 6) and isinstance(d, dict):
            shown = dict(d)
            tok = shown.pop("token", None)
            shown["token_ok"] = tok == srv.token
        emit("gw_recv", op=op, d=shown)
        now = time.monotonic()
        srv.gw_sends.append((now, op))
        # the docs: 120 sends per connection every 60 s, then 4008
        self.sends = [t for t in self.sends if now - t < 60] + [now]
        if len(self.sends) > srv.gw_limit:
            emit("violation", kind="gateway", sends=len(self.sends))
            self.close(4008)
            return
        if op == 1:
            if not srv.zombie:
                self.send_json({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:
            if d.get("token") != srv.token:
                self.close(4004, b"Authentication failed.")
                return
            if srv.close_on_identify:
                code = srv.close_on_identify
                self.close(code)
                return
            if self.identified:
                self.close(4005)
                return
            self.identified = True
            self.session = srv.new_session()
            ready = {"v": 10, "user": {"id": BOT_ID, "username": "faqbot",
                                       "bot": True},
                     "guilds": [], "session_id": self.session["id"],
                     "resume_gateway_url": srv.resume_url or
                     "ws://127.0.0.1:%d/resume" % srv.port,
                     "application": {"id": srv.app_id, "flags": 0}}
            if d.get("shard") is not None:
                ready["shard"] = d.get("shard")
            srv.dispatch_to(self, "READY", ready)
        elif op == 6:
            if d.get("token") != srv.token:
                self.close(4004)
                return
            s = srv.sessions.get(d.get("session_id"))
            if s is None or not s["resumable"]:
                self.send_json({"op": 9, "d": False, "s": None, "t": None})
                return
            self.session = s
            self.identified = True
            seq = d.get("seq") or 0
            for ev in s["events"]:
                if ev["s"] > seq:
                    self.send_json(ev)
            srv.dispatch_to(self, "RESUMED", {})
        else:
            self.close(4001)


class Double:
    def __init__(self, args):
        self.token = args.token
        self.hb_ms = args.heartbeat_ms
        self.app_id = args.app_id
        self.max_conc = args.max_concurrency
        self.bucket_limit = args.bucket_limit
        self.bucket_reset = args.bucket_reset
        self.lock = threading.RLock()
        self.conns = []
        self.cond = threading.Condition(self.lock)
        self.sessions = {}
        self.cur_session = None
        self.zombie = False
        self.close_on_identify = 0
        self.gw_sends = []
        self.fail_rules = []        # [prefix, status, retry_after, global, count]
        self.buckets = {}           # (bucket hash, major) -> [remaining, reset_at]
        self.shared = {}            # route template -> bucket hash (share_bucket)
        self.global_until = 0.0
        self.msg_id = 1000
        self.nonce_window = args.nonce_window
        self.gw_limit = args.gw_limit
        self.resume_url = None      # READY's resume_gateway_url override
        self.nonces = {}            # (author, nonce) -> (created at, message)
        self.interactions = {}      # interaction id -> first dispatch time
        self.acked = set()          # interaction ids with a callback
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.tls = None
        if args.tls_cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(args.tls_cert, args.tls_key)
            self.tls = ctx
            self.tls_sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.tls_sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.tls_sock.bind(("127.0.0.1", 0))
            self.tls_sock.listen(16)
            self.tls_port = self.tls_sock.getsockname()[1]

    # ---- sessions and connections
    def new_session(self):
        with self.lock:
            sid = "sess%06d" % random.randrange(10 ** 6)
            s = {"id": sid, "seq": 0, "events": [], "resumable": True}
            self.sessions[sid] = s
            self.cur_session = s
            return s

    def register(self, c):
        with self.lock:
            self.conns.append(c)
            self.cond.notify_all()

    def unregister(self, c):
        with self.lock:
            if c in self.conns:
                self.conns.remove(c)

    def current(self):
        with self.lock:
            for c in reversed(self.conns):
                if c.alive:
                    return c
        return None

    def dispatch_to(self, c, t, d, hold=False):
        with self.lock:
            s = c.session if c is not None else self.cur_session
            if s is None:
                return None
            s["seq"] += 1
            ev = {"op": 0, "t": t, "s": s["seq"], "d": d}
            s["events"].append(ev)
            if t == "INTERACTION_CREATE" and isinstance(d, dict):
                self.interactions.setdefault(d.get("id"), time.monotonic())
        if not hold and c is not None:
            c.send_json(ev)
        return ev["s"]

    # ---- HTTP
    def accept_loop(self, lsock=None):
        lsock = lsock or self.sock
        while True:
            try:
                sock, _ = lsock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(sock,
                             lsock is not self.sock), daemon=True).start()

    def handle(self, sock, tls=False):
        if tls:
            try:
                sock.settimeout(10)
                sock = self.tls.wrap_socket(sock, server_side=True)
                sock.settimeout(None)
            except (OSError, ssl.SSLError) as e:
                emit("tls_failed", why=str(e)[:200])
                sock.close()
                return
        try:
            f = sock.makefile("rb")
            while True:
                line = f.readline(65536)
                if not line:
                    return
                reqline = line.decode("latin-1").rstrip("\r\n")
                if not reqline:
                    continue
                headers = {}
                while True:
                    h = f.readline(65536).decode("latin-1").rstrip("\r\n")
                    if not h:
                        break
                    k, _, v = h.partition(":")
                    headers[k.strip().lower()] = v.strip()
                method, target, _ = reqline.split(" ", 2)
                if headers.get("upgrade", "").lower() == "websocket":
                    key = headers.get("sec-websocket-key", "")
                    acc = base64.b64encode(hashlib.sha1(
                        (key + WS_GUID).encode()).digest()).decode()
                    sock.sendall(("HTTP/1.1 101 Switching Protocols\r\n"
                                  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Accept: %s\r\n\r\n" % acc).encode())
                    emit("gw_connect", path=target, tls=tls,
                         zlib="compress=zlib-stream" in target)
                    Conn(self, sock, target).serve()
                    return
                n = int(headers.get("content-length", "0") or 0)
                body = f.read(n) if n else b""
                status, hdrs, resp = self.rest(method, target, headers, body)
                data = b"" if resp is None else json.dumps(resp).encode()
                hl = "".join("%s: %s\r\n" % kv for kv in hdrs.items())
                sock.sendall(("HTTP/1.1 %d X\r\n%sContent-Type: application/json\r\n"
                              "Content-Length: %d\r\n\r\n" % (status, hl, len(data))
                              ).encode() + data)
        except (OSError, ValueError):
            pass
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def route_of(self, method, path):
        # major parameters (channel, guild, webhook/interaction) stay
        r = re.sub(r"/messages/\d+", "/messages/{id}", path)
        return method + " " + r

    def limit_of(self, method, path):
        """(bucket hash, major parameter, route template) of a request.
        As the docs describe: a route is the method and the path with its
        ids blanked; the top-level resource (channel, guild, webhook or
        interaction id, plus the token of the last two) is the major
        parameter; the bucket hash and the major parameter name one
        limit.  Routes share a bucket only when told (share_bucket)."""
        segs = path[len(API):].split("/") if path.startswith(API) \
            else path.split("/")
        tmpl, major, prev, token_next = [], "", "", False
        for seg in segs:
            if token_next:
                tmpl.append("{token}")
                major += "/" + seg
                token_next = False
            elif seg.isdigit() and not major and prev in (
                    "channels", "guilds", "webhooks", "interactions"):
                tmpl.append("{major}")
                major = prev + "/" + seg
                token_next = prev in ("webhooks", "interactions")
            elif seg.isdigit():
                tmpl.append("{id}")
            else:
                tmpl.append(seg)
            prev = seg
        route = method + " " + "/".join(tmpl)
        h = self.shared.get(route)
        if h is None:
            h = "b" + hashlib.sha1(route.encode()).hexdigest()[:16]
        return h, major, route

    def rest(self, method, target, headers, body):
        path = target.split("?", 1)[0]
        try:
            js = json.loads(body) if body else None
        except ValueError:
            js = "<invalid json>"
        auth = headers.get("authorization", "")
        auth_ok = auth == "Bot " + self.token
        is_interaction = path.startswith(API + "/interactions/") or \
            path.startswith(API + "/webhooks/")
        shown = re.sub(r"/(interactions/\d+|webhooks/\d+)/[^/]+",
                       r"/\1/TOKEN", path)
        emit("rest", method=method, path=shown, body=js, auth_ok=auth_ok,
             ua=headers.get("user-agent", ""))
        if not auth_ok and not is_interaction:
            return 401, {}, {"message": "401: Unauthorized", "code": 0}
        now = time.monotonic()
        route = self.route_of(method, shown)
        bucket, major, _ = self.limit_of(method, path)
        lim = (bucket, major)
        with self.lock:
            for rule in self.fail_rules:
                if route.startswith(rule["prefix"]) and rule["count"] > 0:
                    rule["count"] -= 1
                    st = rule["status"]
                    if st == 429:
                        ra = rule.get("retry_after", 0.3)
                        g = rule.get("global", False)
                        h = {"Retry-After": str(max(1, int(ra + 0.999)))}
                        if g:
                            h["X-RateLimit-Global"] = "true"
                            h["X-RateLimit-Scope"] = "global"
                            self.global_until = now + ra
                        else:
                            h.update({"X-RateLimit-Limit": str(self.bucket_limit),
                                      "X-RateLimit-Remaining": "0",
                                      "X-RateLimit-Reset-After": "%.3f" % ra,
                                      "X-RateLimit-Bucket": bucket,
                                      "X-RateLimit-Scope": "user"})
                            self.buckets[lim] = [0, now + ra]
                        emit("rest_429", route=route, glob=g)
                        return 429, h, {"message": "You are being rate limited.",
                                        "retry_after": ra, "global": g}
                    emit("rest_fail", route=route, status=st)
                    return st, {}, {"message": "injected", "code": 0}
            if now < self.global_until and not is_interaction:
                emit("violation", route=route, kind="global")
                return 429, {"X-RateLimit-Global": "true"}, {
                    "message": "You are being rate limited.",
                    "retry_after": self.global_until - now, "global": True}
            b = self.buckets.get(lim)
            if b is None or now >= b[1]:
                b = [self.bucket_limit, now + self.bucket_reset]
                self.buckets[lim] = b
            if b[0] <= 0:
                emit("violation", route=route, kind="bucket", bucket=bucket)
                return 429, {"X-RateLimit-Limit": str(self.bucket_limit),
                             "X-RateLimit-Remaining": "0",
                             "X-RateLimit-Reset-After": "%.3f" % (b[1] - now),
                             "X-RateLimit-Bucket": bucket}, {
                    "message": "You are being rate limited.",
                    "retry_after": b[1] - now, "global": False}
            b[0] -= 1
            rl = {"X-RateLimit-Limit": str(self.bucket_limit),
                  "X-RateLimit-Remaining": str(b[0]),
                  "X-RateLimit-Reset-After": "%.3f" % max(0.0, b[1] - now),
                  "X-RateLimit-Bucket": bucket}
            emit("rest_limit", bucket=bucket, remaining=b[0], route=route)
            self.msg_id += 1
            mid = str(self.msg_id)
        if method == "GET" and path == API + "/gateway/bot":
            return 200, rl, {"url": "ws://127.0.0.1:%d" % self.port, "shards": 1,
                             "session_start_limit": {
                                 "total": 1000, "remaining": 999,
                                 "reset_after": 14400000,
                                 "max_concurrency": self.max_conc}}
        m = re.fullmatch(API + r"/channels/(\d+)/messages", path)
        if m and method == "POST":
            return self.create_message(m.group(1), js, mid, rl, now)
        if re.fullmatch(API + r"/channels/\d+/messages/\d+", path) and \
                method == "DELETE":
            return 204, rl, None
        m = re.fullmatch(API + r"/interactions/(\d+)/[^/]+/callback", path)
        if m and method == "POST":
            return self.callback(m.group(1), rl, now)
        if re.fullmatch(API + r"/webhooks/\d+/[^/]+(/messages/@original)?", path):
            return 200, rl, {"id": mid}
        if re.fullmatch(API + r"/applications/\d+(/guilds/\d+)?/commands", path) \
                and method in ("PUT", "POST"):
            return 200, rl, js if isinstance(js, list) else [js]
        return 404, rl, {"message": "404: Not Found", "code": 0}

    def create_message(self, channel, js, mid, rl, now):
        """POST /channels/{id}/messages: 2000 characters at most; with
        enforce_nonce the author's message with that nonce from the last
        nonce_window seconds comes back instead of a new one."""
        js = js if isinstance(js, dict) else {}
        content = js.get("content", "")
        nonce = js.get("nonce")
        bad = None
        if not isinstance(content, str) or len(content) > 2000:
            bad = "content: Must be 2000 or fewer in length."
        elif nonce is not None and not (
                (isinstance(nonce, str) and len(nonce) <= 25) or
                (isinstance(nonce, int) and not isinstance(nonce, bool))):
            bad = "nonce: Invalid nonce"
        if bad is not None:
            emit("rest_invalid", why=bad)
            return 400, rl, {"message": "Invalid Form Body", "code": 50035,
                             "errors": bad}
        key = None
        if js.get("enforce_nonce") is True and nonce is not None:
            key = (BOT_ID, str(nonce))
        with self.lock:
            if key is not None:
                old = self.nonces.get(key)
                if old is not None and now - old[0] < self.nonce_window:
                    emit("nonce_dup", id=old[1]["id"], nonce=key[1],
                         channel=channel)
                    return 200, rl, old[1]
            ref = js.get("message_reference") or {}
            msg = {"id": mid, "channel_id": channel, "content": content,
                   "author": {"id": BOT_ID, "bot": True},
                   "nonce": nonce, "message_reference": ref}
            if key is not None:
                self.nonces[key] = (now, msg)
        emit("msg_created", id=mid, channel=channel, nonce=nonce,
             ref=ref.get("message_id") if isinstance(ref, dict) else None)
        return 200, rl, msg

    def callback(self, iid, rl, now):
        """POST /interactions/{id}/{token}/callback: the first response
        within 3 s of the event is taken; a second is refused (40060), a
        late one finds the token gone (10062)."""
        with self.lock:
            born = self.interactions.get(iid)
            if born is None or now - born > 3.0:
                emit("callback_refused", id=iid, code=10062)
                return 404, rl, {"message": "Unknown interaction",
                                 "code": 10062}
            if iid in self.acked:
                emit("callback_refused", id=iid, code=40060)
                return 400, rl, {"message": "Interaction has already been "
                                 "acknowledged.", "code": 40060}
            self.acked.add(iid)
        emit("callback_ok", id=iid, ms=round((now - born) * 1000.0, 3))
        return 204, rl, None

    # ---- commands from stdin
    def command(self, c):
        cmd = c.get("cmd")
        conn = self.current()
        if cmd == "dispatch":
            seq = self.dispatch_to(conn, c["t"], c["d"], c.get("hold", False))
            return {"seq": seq, "connected": conn is not None}
        if cmd == "heartbeat_request":
            conn.send_json({"op": 1, "d": None, "s": None, "t": None})
        elif cmd == "zombie":
            self.zombie = bool(c.get("on", True))
        elif cmd == "reconnect":
            conn.send_json({"op": 7, "d": None, "s": None, "t": None})
        elif cmd == "invalid_session":
            conn.send_json({"op": 9, "d": bool(c.get("d")), "s": None, "t": None})
        elif cmd == "close":
            conn.close(int(c["code"]))
        elif cmd == "close_on_identify":
            self.close_on_identify = int(c.get("code", 0))
        elif cmd == "drop":
            conn.drop()
        elif cmd == "malformed":
            conn.send_payload(b'{"op": 0, "t": "MESSAGE_CREATE", "d": {')
        elif cmd == "corrupt_z":
            # not a deflate stream, but with the sync-flush suffix
            conn.send_frame(2, b"\xffnot deflate\x00\x00\xff\xff")
        elif cmd == "binary_garbage":
            conn.send_frame(2, b"\x00\xffgarbage")
        elif cmd == "oversized":
            n = int(c.get("size", 8 << 20))
            pad = b'{"op":0,"t":"X","s":null,"d":{"p":"' + b"a" * n + b'"}}'
            conn.send_payload(pad)
        elif cmd == "fragmented":
            seq = self.dispatch_to(conn, c["t"], c["d"], hold=True)
            ev = json.dumps(conn.session["events"][-1]).encode()
            k = max(1, len(ev) // 3)
            conn.send_frame(1, ev[:k], fin=False)
            conn.send_frame(0, ev[k:2 * k], fin=False)
            conn.send_frame(0, ev[2 * k:], fin=True)
            return {"seq": seq}
        elif cmd == "midframe":
            ev = json.dumps({"op": 0, "t": "MESSAGE_CREATE", "s": 999999,
                             "d": {"content": "x" * 2000}}).encode()
            hdr = bytes([0x81, 126]) + struct.pack("!H", len(ev))
            with conn.wlock:
                conn.sock.sendall(hdr + ev[:len(ev) // 2])
            conn.drop()
        elif cmd == "fail":
            with self.lock:
                self.fail_rules.append({"prefix": c["prefix"],
                                        "status": int(c["status"]),
                                        "retry_after": float(c.get("retry_after", 0.3)),
                                        "global": bool(c.get("global", False)),
                                        "count": int(c.get("count", 1))})
        elif cmd == "wait_connected":
            pass
        elif cmd == "resume_url":
            # e.g. a dead port: the resume must fall back to the gateway
            self.resume_url = c.get("url")
        elif cmd == "invalidate_sessions":
            with self.lock:
                for s in self.sessions.values():
                    s["resumable"] = False
        elif cmd == "share_bucket":
            # route templates as limit_of() writes them, e.g.
            # "DELETE /channels/{major}/messages/{id}"
            with self.lock:
                for r in c["routes"]:
                    self.shared[r] = c.get("bucket", "shared")
        elif cmd == "gw_rate":
            now = time.monotonic()
            return {"conn_last60": sum(1 for t in conn.sends if now - t < 60)
                    if conn is not None else None,
                    "last60": sum(1 for t, _ in self.gw_sends if now - t < 60),
                    "last60_no_hb": sum(1 for t, op in self.gw_sends
                                        if now - t < 60 and op != 1)}
        else:
            return {"error": "unknown command"}
        return {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--token-env", default="DISCORD_DOUBLE_TOKEN",
                    help="environment variable holding the expected token")
    ap.add_argument("--heartbeat-ms", type=int, default=300)
    ap.add_argument("--app-id", default="800000000000000001")
    ap.add_argument("--max-concurrency", type=int, default=16)
    ap.add_argument("--bucket-limit", type=int, default=5)
    ap.add_argument("--bucket-reset", type=float, default=1.0)
    ap.add_argument("--gw-limit", type=int, default=120,
                    help="client gateway sends per connection and 60 s "
                    "before a 4008 close")
    ap.add_argument("--nonce-window", type=float, default=300.0,
                    help="seconds a nonce is remembered (the docs: a few "
                    "minutes)")
    ap.add_argument("--tls-cert", help="PEM certificate chain for TLSPORT")
    ap.add_argument("--tls-key", help="PEM private key for TLSPORT")
    args = ap.parse_args()
    args.token = os.environ.get(args.token_env, "")
    if not args.token:
        ap.error("$%s is empty" % args.token_env)
    d = Double(args)
    if d.tls:
        print("PORT %d TLSPORT %d" % (d.port, d.tls_port), flush=True)
        threading.Thread(target=d.accept_loop, args=(d.tls_sock,),
                         daemon=True).start()
    else:
        print("PORT %d" % d.port, flush=True)
    threading.Thread(target=d.accept_loop, daemon=True).start()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            c = json.loads(line)
            r = d.command(c)
        except Exception as e:       # report, keep serving
            r = {"error": "%s: %s" % (type(e).__name__, e)}
            c = {"cmd": "?"}
        emit("ok", cmd=c.get("cmd"), **r)


if __name__ == "__main__":
    main()
