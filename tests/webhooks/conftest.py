"""A real HTTP receiver on loopback that checks each delivery's signature as a subscriber's site would."""

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from webhooks.models import Event, Subscription


@dataclass
class Received:
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def message(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next status of `answers` (then 204), and records what came."""

    secret: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def signature_valid(self, headers, body: bytes) -> bool:
        # As a receiving site does it, from the Standard Webhooks description, not from webhooks.signing.
        key = base64.b64decode(self.secret.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        return any(hmac.compare_digest(f"v1,{expected}", given) for given in headers["webhook-signature"].split())


@pytest.fixture
def receiver():
    found = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            found.received.append(Received(headers, body, found.signature_valid(headers, body)))
            status = found.answers.pop(0) if found.answers else 204
            self.send_response(status)
            if status in (301, 302, 307, 308):
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.url = f"http://127.0.0.1:{server.server_address[1]}/medreview-hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscription(db, receiver):
    made = Subscription.objects.create(url=receiver.url, events=list(Event.values), description="Clinic website")
    receiver.secret = made.secret
    return made


@pytest.fixture
def run_worker():
    """Run the background worker (django-tasks-db) until no task is due, as `db_worker` does in production."""

    def run():
        call_command("db_worker", batch=True, no_startup_delay=True, interval=0)

    return run
