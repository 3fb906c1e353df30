"""wsclient.py -- a minimal websocket client (RFC 6455) and HTTP GET for
the web chat tests, on plain sockets (python3 stdlib only).

Only what the tests need: the opening handshake with Origin and a
subprotocol, masked text/binary frames (optionally fragmented), reading
frames (text, close, ping), and a raw HTTP/1.1 GET that returns status,
headers and body.  Every read has a timeout so a test never hangs.
"""
import base64
import hashlib
import os
import socket
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Refused(Exception):
    """The server did not accept the websocket handshake."""


def http_get(host, port, path, method="GET", timeout=5.0, headers=None):
    """One request on a fresh connection; returns (status, {name: value},
    body bytes).  Header names are lower-case."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        extra = "".join("%s: %s\r\n" % kv for kv in (headers or {}).items())
        req = ("%s %s HTTP/1.1\r\nHost: %s:%d\r\n%sConnection: close\r\n"
               "Content-Length: 0\r\n\r\n" % (method, path, host, port,
                                              extra))
        s.sendall(req.encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                hdrs = parse_headers(head)
                n = int(hdrs.get("content-length", "-1"))
                if n >= 0 and len(body) >= n:
                    break
    finally:
        s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, parse_headers(head), body


def parse_headers(head):
    out = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        out[name.strip().lower()] = value.strip()
    return out


class WS:
    """One websocket connection (blocking, with a timeout)."""

    def __init__(self, host, port, path="/ws", origin=None,
                 protocol="faqbot-chat", timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        key = base64.b64encode(os.urandom(16)).decode()
        lines = ["GET %s HTTP/1.1" % path, "Host: %s:%d" % (host, port),
                 "Upgrade: websocket", "Connection: Upgrade",
                 "Sec-WebSocket-Key: " + key, "Sec-WebSocket-Version: 13"]
        if origin is not None:
            lines.append("Origin: " + origin)
        if protocol is not None:
            lines.append("Sec-WebSocket-Protocol: " + protocol)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = self._read_until(b"\r\n\r\n")
        if head is None:
            self.sock.close()
            raise Refused("connection closed during the handshake")
        status = head.split(b" ", 2)[1] if b" " in head else b"?"
        hdrs = parse_headers(head)
        want = base64.b64encode(hashlib.sha1(key.encode() + GUID)
                                .digest()).decode()
        if status != b"101" or hdrs.get("sec-websocket-accept") != want:
            self.sock.close()
            raise Refused("status %s" % status.decode("latin-1"))
        self.protocol = hdrs.get("sec-websocket-protocol")

    def _read_until(self, sep):
        while sep not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionError, socket.timeout):
                return None
            if not chunk:
                return None
            self.buf += chunk
        head, _, self.buf = self.buf.partition(sep)
        return head

    def _read_n(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send_frame(self, opcode, payload, fin=True):
        head = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + body)

    def send_text(self, text):
        data = text.encode() if isinstance(text, str) else text
        self.send_frame(0x1, data)

    def recv_frame(self):
        """(opcode, payload); raises ConnectionError/timeout."""
        b0, b1 = self._read_n(2)
        n = b1 & 0x7f
        if n == 126:
            n = struct.unpack("!H", self._read_n(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read_n(8))[0]
        if b1 & 0x80:
            mask = self._read_n(4)
            data = bytes(b ^ mask[i % 4] for i, b in
                         enumerate(self._read_n(n)))
        else:
            data = self._read_n(n)
        return b0 & 0x0f, data

    def recv_text(self):
        """The next text message (pings answered); None on close."""
        while True:
            op, data = self.recv_frame()
            if op == 0x1:
                return data.decode()
            if op == 0x8:
                self.close_code = (struct.unpack("!H", data[:2])[0]
                                   if len(data) >= 2 else None)
                return None
            if op == 0x9:
                self.send_frame(0xA, data)

    def close(self):
        try:
            self.send_frame(0x8, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()
