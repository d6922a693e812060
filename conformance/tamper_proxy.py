"""A small HTTP proxy in front of the real server that can corrupt what the SDKs receive, to prove
that their CRC-64 checks really run against our headers:

- `flip-body`: flips one bit in the middle of every non-empty GET 200/206 response body, keeping
  every header (Content-Length included) as the server sent it;
- `rewrite-crc`: replaces the `x-oss-hash-crc64ecma` response header of PUT/POST requests (or only
  of the methods in `rewrite_methods`) with another valid-looking value;
- `flip-request`: flips one bit in the middle of every non-empty PUT request body on its way to
  the server, as a faulty network card or proxy would.

Requests are forwarded unchanged (a chunked request body is re-framed with Content-Length, which no
signature covers). Only loopback addresses are involved.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional, Set
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "content-length"}


class TamperProxy:
    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname
        self.upstream_port = parts.port or 80
        self.mode: Optional[str] = None
        self.rewrite_methods: Set[str] = {"PUT", "POST"}
        self.tampered = 0
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"proxy": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def count(self) -> None:
        with self._lock:
            self.tampered += 1

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def flip_middle_bit(data: bytes) -> bytes:
    i = len(data) // 2
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


def other_crc(value: str) -> str:
    return str((int(value) + 1) % (1 << 64))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    proxy: TamperProxy

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is not None:
            return self.rfile.read(int(length))
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        return b""

    def _forward(self):
        method = self.command
        body = self._read_body()
        if self.proxy.mode == "flip-request" and method == "PUT" and body:
            body = flip_middle_bit(body)
            self.proxy.count()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if body or method in ("PUT", "POST"):
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection(self.proxy.upstream_host, self.proxy.upstream_port, timeout=120)
        try:
            conn.request(method, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status, reason, resp_headers = resp.status, resp.reason, resp.getheaders()
        except OSError as error:
            message = f"proxy: upstream failed: {error}".encode()
            self.send_response_only(502, "Bad Gateway")
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
            return
        finally:
            conn.close()

        mode = self.proxy.mode
        if mode == "flip-body" and method == "GET" and status in (200, 206) and data:
            data = flip_middle_bit(data)
            self.proxy.count()
        out_headers = []
        for name, value in resp_headers:
            lower = name.lower()
            if lower in HOP_BY_HOP:
                continue
            if (mode == "rewrite-crc" and lower == "x-oss-hash-crc64ecma" and method in self.proxy.rewrite_methods
                    and 200 <= status < 300):
                value = other_crc(value)
                self.proxy.count()
            out_headers.append((name, value))

        self.send_response_only(status, reason)
        for name, value in out_headers:
            self.send_header(name, value)
        if method == "HEAD":
            length = resp.getheader("Content-Length")
            if length is not None:
                self.send_header("Content-Length", length)
        elif status not in (204, 304):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method != "HEAD" and status not in (204, 304):
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward
