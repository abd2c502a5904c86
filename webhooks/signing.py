"""How a delivery is signed, in the style of the Standard Webhooks specification.

Headers `webhook-id` (the same for every attempt of one message, so a receiver can drop replays),
`webhook-timestamp` (Unix seconds of this attempt, so it can refuse old ones) and `webhook-signature`:
`v1,` and the base64 HMAC-SHA256, keyed with the secret's bytes, of `<id>.<timestamp>.<body>`.
"""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    mac = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
