"""Servers a test starts on a free local port to receive what the app sends out: an HTTP
receiver for webhooks (http.server in a thread) and an SMTP server for digests (aiosmtpd)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


def verified(received: Received, secret: str) -> dict:
    """The body as JSON, after checking its HMAC-SHA256 signature the way a receiving tool would."""
    expected = "sha256=" + hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["X-Campaign-Signature"], expected)
    return json.loads(received.body)


class Receiver:
    """Answers each POST with the next of `statuses` (the last one repeats) and keeps what it
    got. `redirect_to` is sent as Location with a 3xx status. `while_answering`, when set, is
    called (in the server's thread) after a request is read and before it is answered."""

    def __init__(self, statuses=(200,), redirect_to: str | None = None):
        self.requests: list[Received] = []
        self.statuses, self.redirect_to = list(statuses), redirect_to
        self.while_answering = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                receiver.requests.append(
                    Received(self.path, dict(self.headers.items()), self.rfile.read(length))
                )
                if receiver.while_answering is not None:
                    receiver.while_answering()
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self) -> None:
        """Stop answering: the port is closed, so a connection to it is refused."""
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailBox:
    """A local SMTP server (aiosmtpd) that keeps every message it is handed."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[list[str], EmailMessage]] = []
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                parsed = message_from_bytes(envelope.content, policy=policy.default)
                box.messages.append((list(envelope.rcpt_tos), parsed))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
