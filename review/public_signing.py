"""Signatures anyone can check: the Ed25519 attestation key, its id, signed documents, and the published keys.

Checkpoints of the audit chain, review attestations and the status list are signed with one Ed25519 key
(ATTESTATION_KEY_FILE, a PEM file outside the database). A signed document is a flattened JWS in its JSON
serialization (RFC 7515, EdDSA per RFC 8037): {"protected", "payload", "signature"}, each base64url, the
payload being UTF-8 JSON. A key's id is its RFC 7638 JWK thumbprint.

Every key that has signed is published, with the time it first signed, as `keys/<kid>.json` in the
checkpoint storage; a key is valid until the next one first signed. Rotating the key file therefore
keeps every older document verifiable, without keeping the old private key.
"""

import base64
import binascii
import hashlib
import json
import logging
import os
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

logger = logging.getLogger(__name__)

KEYS_FOLDER = "keys"


class BadDocument(Exception):
    """A signed document that cannot be read, or whose signature does not verify with a published key."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BadDocument("not base64url") from exc


def compact_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def utc_iso(moment: datetime) -> str:
    # Microseconds: a key rotated in the same second as a document was signed must still order after it.
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def storage():
    """Where checkpoints and the published keys are written: outside the database (settings.STORAGES)."""
    return storages["checkpoints"]


# --- the key


def public_jwk(public_key: Ed25519PublicKey) -> dict:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}


def key_id(public_key: Ed25519PublicKey) -> str:
    """The RFC 7638 thumbprint: SHA-256 of the key's required members, in lexical order, without spaces."""
    return b64url(hashlib.sha256(compact_json(public_jwk(public_key))).digest())


def new_key_file(path: Path) -> None:
    """Write a new private key to `path`, readable by its owner only; never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)


@lru_cache(maxsize=4)
def _load(path: str, modified: float) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} holds a {type(key).__name__}, not an Ed25519 private key.")
    return key


def signing_key() -> Ed25519PrivateKey | None:
    """The current attestation key, or None when ATTESTATION_KEY_FILE does not exist (with DEBUG it is created)."""
    path = Path(settings.ATTESTATION_KEY_FILE)
    if not path.exists():
        if not settings.DEBUG:
            logger.error("ATTESTATION_KEY_FILE %s does not exist: nothing is signed (README: Keys).", path)
            return None
        try:
            new_key_file(path)
        except FileExistsError:
            pass  # another process made it just now
    return _load(str(path), path.stat().st_mtime)


def current_key_id() -> str | None:
    key = signing_key()
    return key_id(key.public_key()) if key else None


# --- published keys


def _publish(public_key: Ed25519PublicKey, kid: str, now: datetime) -> None:
    name = f"{KEYS_FOLDER}/{kid}.json"
    if not storage().exists(name):
        entry = {**public_jwk(public_key), "kid": kid, "use": "sig", "alg": "EdDSA", "valid_from": utc_iso(now)}
        storage().save(name, ContentFile(compact_json(entry)))


def published_keys() -> list[dict]:
    """Every key that has signed, oldest first, each valid from its first signature until the next key's."""
    try:
        names = storage().listdir(KEYS_FOLDER)[1]
    except FileNotFoundError:
        return []
    keys = []
    for name in names:
        if name.endswith(".json"):
            with storage().open(f"{KEYS_FOLDER}/{name}", "rb") as handle:
                keys.append(json.loads(handle.read()))
    keys.sort(key=lambda entry: (entry["valid_from"], entry["kid"]))
    for older, newer in zip(keys, keys[1:]):
        older["valid_until"] = newer["valid_from"]
    for entry in keys[-1:]:
        entry["valid_until"] = None
    return keys


def key_set() -> dict:
    """The published keys as a JWK Set (RFC 7517), with each key's validity."""
    return {"keys": published_keys()}


# --- documents


def sign(payload: dict, *, now: datetime) -> str | None:
    """`payload` signed with the current key as a flattened JWS (JSON text), or None without a key."""
    key = signing_key()
    if key is None:
        return None
    kid = key_id(key.public_key())
    _publish(key.public_key(), kid, now)
    protected = b64url(compact_json({"alg": "EdDSA", "kid": kid}))
    body = b64url(compact_json(payload))
    signature = key.sign(f"{protected}.{body}".encode("ascii"))
    return json.dumps({"protected": protected, "payload": body, "signature": b64url(signature)}, indent=1)


def open_document(text: str | bytes, keys: list[dict]) -> tuple[dict, str]:
    """The payload of a signed document and the id of the key that signed it, checked against `keys`
    (published_keys()); BadDocument when it cannot be read or does not verify."""
    try:
        document = json.loads(text)
        protected, body, signature = document["protected"], document["payload"], document["signature"]
        header = json.loads(unb64url(protected))
        payload = json.loads(unb64url(body))
    except (ValueError, KeyError, TypeError) as exc:
        raise BadDocument("not a signed document") from exc
    if header.get("alg") != "EdDSA":
        raise BadDocument(f"signed with {header.get('alg')!r}, not EdDSA")
    kid = header.get("kid")
    found = next((entry for entry in keys if entry.get("kid") == kid), None)
    if found is None:
        raise BadDocument(f"signed with key {kid}, which is not published")
    public_key = Ed25519PublicKey.from_public_bytes(unb64url(found["x"]))
    try:
        public_key.verify(unb64url(signature), f"{protected}.{body}".encode("ascii"))
    except InvalidSignature as exc:
        raise BadDocument(f"its signature does not verify with key {kid}") from exc
    return payload, kid
