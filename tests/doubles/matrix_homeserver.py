#!/usr/bin/env python3
"""matrix_homeserver.py -- a Matrix homeserver test double (client-server
API v1.x, /_matrix/client/v3) for faqbot's Matrix adapter tests.

Loopback only, on a free port; prints "PORT n" on stdout once listening.
Implements what the adapter calls, following the spec: /versions, login
(m.login.password), account/whoami, user/{id}/filter, sync (long-poll with
timeout/since/full_state, next_batch, rooms join/invite/leave, timeline,
state, summary, account_data), join, leave, createRoom, send (idempotent
per access token + txnId), joined_members, state, account_data; bearer
auth; errors as {"errcode", "error"} JSON (M_UNKNOWN_TOKEN 401,
M_LIMIT_EXCEEDED 429 with Retry-After and/or retry_after_ms, ...).

Tests script it through POST /_test/<command> with a JSON body (or import
this module and call Homeserver methods directly):
  create_room {creator, members?, encrypted?, power?, room_id?}
  invite {room_id, sender, is_direct?}     join / leave {room_id, user}
  send {room_id, sender, content, type?}   -> {event_id}
  fail {mode, count?, path?, retry_ms?}    modes: 429h 429b 500 drop
                                            malformed huge raw (body)
  revoke {}                                every token becomes unknown
  sent {since?}                            events the bot sent
  wait_sent {count, timeout?}              block until the bot sent count
  wait_requests {path, count, timeout?}    block until count requests
  requests {}                              the request log (method, path)
Usage: matrix_homeserver.py [--user @bot:test] [--password pw]
                            [--token tok] [--device DEV]
"""

import argparse
import itertools
import json
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVER = "test.local"
VERSIONS = ["v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7",
            "v1.8", "v1.9"]


class MatrixError(Exception):
    def __init__(self, status, errcode, error, extra=None, headers=None):
        super().__init__(error)
        self.status = status
        self.body = {"errcode": errcode, "error": error}
        self.body.update(extra or {})
        self.headers = headers or {}


class Room:
    def __init__(self, room_id):
        self.room_id = room_id
        self.state = {}          # (type, state_key) -> event
        self.events = []         # (pos, event) in order


class Homeserver:
    """All state, under one condition variable (long-polls wait on it)."""

    def __init__(self, user="@faqbot:" + SERVER, password=None,
                 token=None, device="FAQBOTDEV"):
        self.cond = threading.Condition()
        self.bot = user
        self.password = password
        self.tokens = {}         # token -> (user, device)
        if token:
            self.tokens[token] = (user, device)
        self.pos = 0
        self.rooms = {}
        self.membership = {}     # (room, user) -> (membership, pos)
        self.invite_state = {}   # room -> (pos, [stripped events])
        self.account_data = {}   # type -> (pos, content)
        self.txns = {}           # (token, room, txn) -> event_id
        self.sent = []           # events the bot sent, in order
        self.requests = []       # (method, path)
        self.failures = []       # [mode, count, path, retry_ms, body]
        self.filters = {}
        self.ids = itertools.count(1)
        self.logins = 0

    # -- helpers (call with self.cond held) ------------------------------

    def _next_pos(self):
        self.pos += 1
        return self.pos

    def _event(self, room, etype, sender, content, state_key=None):
        pos = self._next_pos()
        ev = {"type": etype, "sender": sender, "content": content,
              "event_id": "$ev%d_%s" % (next(self.ids), SERVER),
              "origin_server_ts": int(time.time() * 1000),
              "room_id": room.room_id, "unsigned": {"age": 0}}
        if state_key is not None:
            ev["state_key"] = state_key
            room.state[(etype, state_key)] = ev
            if etype == "m.room.member":
                self.membership[(room.room_id, state_key)] = (
                    content.get("membership"), pos)
        room.events.append((pos, ev))
        self.cond.notify_all()
        return ev

    def _members(self, room_id, which="join"):
        return [u for (r, u), (m, _) in self.membership.items()
                if r == room_id and m == which]

    def _room(self, room_id):
        if room_id not in self.rooms:
            raise MatrixError(404, "M_NOT_FOUND", "unknown room")
        return self.rooms[room_id]

    # -- scripting -------------------------------------------------------

    def create_room(self, creator, members=(), encrypted=False, power=None,
                    room_id=None):
        with self.cond:
            rid = room_id or "!room%d:%s" % (next(self.ids), SERVER)
            room = Room(rid)
            self.rooms[rid] = room
            self._event(room, "m.room.create", creator,
                        {"creator": creator, "room_version": "10"}, "")
            self._event(room, "m.room.member", creator,
                        {"membership": "join"}, creator)
            users = {creator: 100}
            users.update(power or {})
            self._event(room, "m.room.power_levels", creator,
                        {"users": users, "users_default": 0,
                         "events_default": 0, "state_default": 50}, "")
            for m in members:
                self._event(room, "m.room.member", m,
                            {"membership": "join"}, m)
            if encrypted:
                self._event(room, "m.room.encryption", creator,
                            {"algorithm": "m.megolm.v1.aes-sha2"}, "")
            return rid

    def invite(self, room_id, sender, is_direct=False):
        with self.cond:
            room = self._room(room_id)
            content = {"membership": "invite"}
            if is_direct:
                content["is_direct"] = True
            ev = self._event(room, "m.room.member", sender, content,
                             self.bot)
            stripped = [{"type": t, "state_key": k, "sender": e["sender"],
                         "content": e["content"]}
                        for (t, k), e in room.state.items()
                        if t in ("m.room.create", "m.room.encryption")]
            stripped.append({"type": "m.room.member",
                             "state_key": self.bot, "sender": sender,
                             "content": content})
            self.invite_state[room_id] = (self.pos, stripped)
            return ev["event_id"]

    def join(self, room_id, user):
        with self.cond:
            room = self._room(room_id)
            return self._event(room, "m.room.member", user,
                               {"membership": "join"}, user)["event_id"]

    def leave(self, room_id, user):
        with self.cond:
            room = self._room(room_id)
            return self._event(room, "m.room.member", user,
                               {"membership": "leave"}, user)["event_id"]

    def send(self, room_id, sender, content, etype="m.room.message",
             state_key=None):
        with self.cond:
            room = self._room(room_id)
            return self._event(room, etype, sender, content,
                               state_key)["event_id"]

    def fail(self, mode, count=1, path="", retry_ms=1000, body=None):
        with self.cond:
            self.failures.append([mode, count, path, retry_ms, body])

    def revoke(self):
        with self.cond:
            self.tokens.clear()

    def sent_events(self, since=0):
        with self.cond:
            return list(self.sent[since:])

    def wait_sent(self, count, timeout=10.0):
        end = time.monotonic() + timeout
        with self.cond:
            while len(self.sent) < count:
                left = end - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            return list(self.sent)

    def wait_for(self, pred, timeout=10.0):
        """Block until pred() (called with the lock held) is true."""
        end = time.monotonic() + timeout
        with self.cond:
            while not pred():
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def membership_of(self, room_id, user):
        with self.cond:
            return self.membership.get((room_id, user), ("",))[0]

    def request_count(self, path):
        with self.cond:
            return sum(1 for _, p in self.requests if path in p)

    def wait_requests(self, path, count, timeout=10.0):
        end = time.monotonic() + timeout
        with self.cond:
            while sum(1 for _, p in self.requests if path in p) < count:
                left = end - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            return sum(1 for _, p in self.requests if path in p)

    # -- the client-server API -------------------------------------------

    def take_failure(self, path):
        with self.cond:
            for f in self.failures:
                if f[1] > 0 and f[2] in path:
                    f[1] -= 1
                    if f[1] == 0:
                        self.failures.remove(f)
                    return f
        return None

    def auth(self, headers, query):
        h = headers.get("Authorization", "")
        tok = None
        if h.startswith("Bearer "):
            tok = h[7:].strip()
        elif "access_token" in query:
            tok = query["access_token"][0]
        if tok is None:
            raise MatrixError(401, "M_MISSING_TOKEN", "missing token")
        with self.cond:
            if tok not in self.tokens:
                raise MatrixError(401, "M_UNKNOWN_TOKEN", "unknown token",
                                  {"soft_logout": False})
            return tok, self.tokens[tok]

    def login(self, body):
        if body.get("type") != "m.login.password":
            raise MatrixError(400, "M_UNKNOWN", "unsupported login type")
        ident = body.get("identifier") or {}
        user = ident.get("user") or body.get("user")
        if user and not user.startswith("@"):
            user = "@%s:%s" % (user, SERVER)
        if (user != self.bot or self.password is None or
                body.get("password") != self.password):
            raise MatrixError(403, "M_FORBIDDEN", "invalid password")
        with self.cond:
            self.logins += 1
            device = body.get("device_id") or "DEV%d" % next(self.ids)
            # a stable device keeps one session: old tokens are replaced
            for t, (u, d) in list(self.tokens.items()):
                if d == device:
                    del self.tokens[t]
            tok = "syt_%s_%d" % (device, next(self.ids))
            self.tokens[tok] = (user, device)
        return {"user_id": user, "access_token": tok, "device_id": device,
                "home_server": SERVER}

    def room_send(self, tok, user, room_id, etype, txn, content):
        with self.cond:
            key = (tok, room_id, txn)
            if key in self.txns:
                return {"event_id": self.txns[key]}
            room = self._room(room_id)
            if self.membership.get((room_id, user), ("",))[0] != "join":
                raise MatrixError(403, "M_FORBIDDEN", "not in room")
            ev = self._event(room, etype, user, content)
            self.txns[key] = ev["event_id"]
            self.sent.append({"room_id": room_id, "type": etype,
                              "content": content, "txn_id": txn,
                              "event_id": ev["event_id"]})
            self.cond.notify_all()
            return {"event_id": ev["event_id"]}

    def room_join(self, user, room_id):
        with self.cond:
            room = self._room(room_id)
            m = self.membership.get((room_id, user), ("",))[0]
            if m not in ("invite", "join"):
                raise MatrixError(403, "M_FORBIDDEN", "not invited")
            if m != "join":
                self._event(room, "m.room.member", user,
                            {"membership": "join",
                             "displayname": "FAQ Bot"}, user)
            self.invite_state.pop(room_id, None)
            return {"room_id": room_id}

    def room_leave(self, user, room_id):
        with self.cond:
            room = self._room(room_id)
            self._event(room, "m.room.member", user,
                        {"membership": "leave"}, user)
            self.invite_state.pop(room_id, None)
            return {}

    def create_room_api(self, user, body):
        rid = self.create_room(user)
        with self.cond:
            room = self.rooms[rid]
            for u in body.get("invite", []):
                c = {"membership": "invite"}
                if body.get("is_direct"):
                    c["is_direct"] = True
                self._event(room, "m.room.member", user, c, u)
        return {"room_id": rid}

    def _filter_events(self, evs, spec):
        types = spec.get("types")
        nots = spec.get("not_types", [])
        out = []
        for e in evs:
            if types is not None and e["type"] not in types:
                continue
            if e["type"] in nots or "*" in nots:
                continue
            out.append(e)
        return out

    def _client_event(self, ev):
        e = dict(ev)
        e.pop("room_id", None)
        return e

    def _sync_once(self, since, full_state, flt):
        """The response for since (None: initial), or None if empty."""
        rf = flt.get("room", {})
        tl_spec = rf.get("timeline", {})
        st_spec = rf.get("state", {})
        limit = tl_spec.get("limit", 10)
        resp = {"next_batch": "s%d" % self.pos,
                "rooms": {"join": {}, "invite": {}, "leave": {}},
                "account_data": {"events": []},
                "presence": {"events": []}, "to_device": {"events": []}}
        changed = False
        start = since if since is not None else 0
        for typ, (pos, content) in self.account_data.items():
            if pos > start or (since is None):
                resp["account_data"]["events"].append(
                    {"type": typ, "content": content})
                changed = True
        for rid, room in self.rooms.items():
            mem, mpos = self.membership.get((rid, self.bot), ("", 0))
            if mem == "invite" and rid in self.invite_state:
                ipos, stripped = self.invite_state[rid]
                if since is None or ipos > since or full_state:
                    resp["rooms"]["invite"][rid] = {
                        "invite_state": {"events": stripped}}
                    changed = True
            elif mem == "join":
                new = [e for p, e in room.events if p > start and
                       p >= mpos - 0]
                if since is None:
                    new = [e for p, e in room.events][-limit:]
                if not new and not full_state:
                    continue
                tl = self._filter_events(new, tl_spec)
                limited = len(tl) > limit
                tl = tl[-limit:]
                state = []
                # a room joined since `since` gets its full state
                if since is None or full_state or mpos > start:
                    tl_ids = {e["event_id"] for e in tl}
                    state = [e for e in room.state.values()
                             if e["event_id"] not in tl_ids]
                    state = self._filter_events(state, st_spec)
                resp["rooms"]["join"][rid] = {
                    "timeline": {"events": [self._client_event(e)
                                            for e in tl],
                                 "limited": limited,
                                 "prev_batch": "p%d" % start},
                    "state": {"events": [self._client_event(e)
                                         for e in state]},
                    "summary": {
                        "m.joined_member_count":
                            len(self._members(rid, "join")),
                        "m.invited_member_count":
                            len(self._members(rid, "invite"))},
                    "account_data": {"events": []},
                    "ephemeral": {"events": []},
                    "unread_notifications": {}}
                if new or full_state:
                    changed = True
            elif mem in ("leave", "ban") and since is not None and \
                    mpos > since:
                resp["rooms"]["leave"][rid] = {
                    "timeline": {"events": []}, "state": {"events": []}}
                changed = True
        return resp if changed or since is None else None

    def sync(self, query):
        since = query.get("since", [None])[0]
        if since is not None:
            if not since.startswith("s") or not since[1:].isdigit():
                raise MatrixError(400, "M_INVALID_PARAM", "bad since")
            since = int(since[1:])
        timeout = int(query.get("timeout", ["0"])[0]) / 1000.0
        full_state = query.get("full_state", ["false"])[0] == "true"
        fid = query.get("filter", [None])[0]
        flt = {}
        if fid is not None:
            if fid.startswith("{"):
                flt = json.loads(fid)
            elif fid in self.filters:
                flt = self.filters[fid]
            else:
                raise MatrixError(400, "M_INVALID_PARAM", "unknown filter")
        end = time.monotonic() + min(timeout, 60.0)
        with self.cond:
            while True:
                r = self._sync_once(since, full_state, flt)
                if r is not None:
                    return r
                left = end - time.monotonic()
                if left <= 0:
                    return {"next_batch": "s%d" % self.pos,
                            "rooms": {"join": {}, "invite": {},
                                      "leave": {}}}
                self.cond.wait(left)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hs = None  # set by serve()

    def log_message(self, fmt, *args):
        pass

    def _reply(self, status, obj, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(n) if n else b""
        if not data:
            return {}
        try:
            obj = json.loads(data)
        except ValueError:
            raise MatrixError(400, "M_NOT_JSON", "body is not JSON")
        if not isinstance(obj, dict):
            raise MatrixError(400, "M_BAD_JSON", "body is not an object")
        return obj

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def _dispatch(self, method):
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        query = urllib.parse.parse_qs(url.query)
        hs = self.hs
        try:
            body = self._body()
            if path.startswith("/_test/"):
                return self._reply(200, self._control(path[7:], body,
                                                      query))
            with hs.cond:
                hs.requests.append((method, path))
                hs.cond.notify_all()
            f = hs.take_failure(path)
            if f is not None and self._inject(f):
                return
            self._reply(200, self._api(method, path, query, body))
        except MatrixError as e:
            self._reply(e.status, e.body, e.headers)
        except (ConnectionError, BrokenPipeError):
            self.close_connection = True

    def _inject(self, f):
        mode, _, _, retry_ms, raw = f
        if mode == "429h":
            secs = max(1, (retry_ms + 999) // 1000)
            raise MatrixError(429, "M_LIMIT_EXCEEDED", "Too many requests",
                              headers={"Retry-After": str(secs)})
        if mode == "429b":
            raise MatrixError(429, "M_LIMIT_EXCEEDED", "Too many requests",
                              {"retry_after_ms": retry_ms})
        if mode == "500":
            raise MatrixError(500, "M_UNKNOWN", "Internal server error")
        if mode == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        if mode == "malformed":
            self._reply(200, None, raw=b'{"next_batch": "s1", "rooms": {')
            return True
        if mode == "huge":
            self._reply(200, None, raw=b'{"next_batch":"' +
                        b"x" * (12 * 1024 * 1024) + b'"}')
            return True
        if mode == "raw":
            self._reply(200, None, raw=raw.encode())
            return True
        return False

    def _api(self, method, path, query, body):
        hs = self.hs
        if path == "/_matrix/client/versions" and method == "GET":
            return {"versions": VERSIONS, "unstable_features": {}}
        pre = "/_matrix/client/v3/"
        if not path.startswith(pre):
            raise MatrixError(404, "M_UNRECOGNIZED", "unrecognized path")
        parts = [urllib.parse.unquote(p) for p in
                 path[len(pre):].split("/")]
        if parts == ["login"]:
            if method == "GET":
                return {"flows": [{"type": "m.login.password"}]}
            return hs.login(body)
        tok, (user, device) = hs.auth(self.headers, query)
        if parts == ["account", "whoami"] and method == "GET":
            return {"user_id": user, "device_id": device,
                    "is_guest": False}
        if (len(parts) == 3 and parts[0] == "user" and
                parts[2] == "filter" and method == "POST"):
            if parts[1] != user:
                raise MatrixError(403, "M_FORBIDDEN", "not your filter")
            with hs.cond:
                fid = str(len(hs.filters) + 1)
                hs.filters[fid] = body
            return {"filter_id": fid}
        if (len(parts) == 4 and parts[0] == "user" and
                parts[2] == "account_data" and method == "PUT"):
            if parts[1] != user:
                raise MatrixError(403, "M_FORBIDDEN", "not yours")
            with hs.cond:
                hs.account_data[parts[3]] = (hs._next_pos(), body)
                hs.cond.notify_all()
            return {}
        if parts == ["sync"] and method == "GET":
            return hs.sync(query)
        if parts == ["createRoom"] and method == "POST":
            return hs.create_room_api(user, body)
        if len(parts) == 2 and parts[0] == "join" and method == "POST":
            return hs.room_join(user, parts[1])
        if len(parts) >= 3 and parts[0] == "rooms":
            rid = parts[1]
            if parts[2] == "join" and method == "POST":
                return hs.room_join(user, rid)
            if parts[2] == "leave" and method == "POST":
                return hs.room_leave(user, rid)
            if (parts[2] == "send" and len(parts) == 5 and
                    method == "PUT"):
                return hs.room_send(tok, user, rid, parts[3], parts[4],
                                    body)
            if parts[2] == "joined_members" and method == "GET":
                with hs.cond:
                    hs._room(rid)
                    return {"joined": {u: {} for u in
                                       hs._members(rid, "join")}}
            if parts[2] == "state" and method == "GET":
                with hs.cond:
                    room = hs._room(rid)
                    if len(parts) == 3:
                        return [hs._client_event(e)
                                for e in room.state.values()]
                    key = parts[4] if len(parts) > 4 else ""
                    ev = room.state.get((parts[3], key))
                    if ev is None:
                        raise MatrixError(404, "M_NOT_FOUND", "no state")
                    return ev["content"]
        raise MatrixError(404, "M_UNRECOGNIZED", "unrecognized request")

    def _control(self, cmd, b, query):
        hs = self.hs
        if cmd == "create_room":
            return {"room_id": hs.create_room(
                b["creator"], b.get("members", []),
                b.get("encrypted", False), b.get("power"),
                b.get("room_id"))}
        if cmd == "invite":
            return {"event_id": hs.invite(b["room_id"], b["sender"],
                                          b.get("is_direct", False))}
        if cmd == "join":
            return {"event_id": hs.join(b["room_id"], b["user"])}
        if cmd == "leave":
            return {"event_id": hs.leave(b["room_id"], b["user"])}
        if cmd == "send":
            return {"event_id": hs.send(b["room_id"], b["sender"],
                                        b["content"],
                                        b.get("type", "m.room.message"),
                                        b.get("state_key"))}
        if cmd == "fail":
            hs.fail(b["mode"], b.get("count", 1), b.get("path", ""),
                    b.get("retry_ms", 1000), b.get("body"))
            return {}
        if cmd == "revoke":
            hs.revoke()
            return {}
        if cmd == "sent":
            return {"sent": hs.sent_events(b.get("since", 0))}
        if cmd == "wait_sent":
            return {"sent": hs.wait_sent(b["count"],
                                         b.get("timeout", 10.0))}
        if cmd == "wait_requests":
            return {"count": hs.wait_requests(b["path"], b["count"],
                                              b.get("timeout", 10.0))}
        if cmd == "requests":
            with hs.cond:
                return {"requests": [list(r) for r in hs.requests],
                        "logins": hs.logins}
        if cmd == "membership":
            with hs.cond:
                m = hs.membership.get((b["room_id"], b["user"]), ("",))
                return {"membership": m[0]}
        raise MatrixError(404, "M_UNRECOGNIZED", "unknown test command")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass    # clients dropping connections are part of the tests


def serve(hs, port=0, tls=None):
    """Start a server for hs on 127.0.0.1 in a thread; returns it.
    tls=(certfile, keyfile) serves HTTPS; a client that rejects the
    certificate just fails its handshake."""
    handler = type("BoundHandler", (Handler,), {"hs": hs})
    srv = Server(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    if tls is not None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--user", default="@faqbot:" + SERVER)
    ap.add_argument("--password")
    ap.add_argument("--token")
    ap.add_argument("--device", default="FAQBOTDEV")
    a = ap.parse_args()
    hs = Homeserver(a.user, a.password, a.token, a.device)
    srv = serve(hs)
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        sys.stdin.read()        # runs until stdin closes
    except KeyboardInterrupt:
        pass
    srv.shutdown()


if __name__ == "__main__":
    main()
