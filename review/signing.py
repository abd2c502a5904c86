"""Electronic signatures: what a signature seals, and how one is verified.

A signature is valid only while three things agree: the hash it recorded, the hash
stored on its revision, and the hash recomputed from that revision's fields now; and
its own seal still matches what it recorded (signer, name, credentials, meaning, time, and in its
details the signer record: account, username, reviewer profile and its address), under the record key it
names (review.keyring); and the account and profile it points to are the ones the signer record names.
"""

from review import keyed_hash, keyring

ATTESTATION = (
    "I have reviewed this article for medical accuracy and approve it for publication "
    "as it stands, and I understand that this electronic signature is the equivalent "
    "of my handwritten signature."
)


def seal(*, revision_id, revision_hash, signer_id, printed_name, credentials,
         registration_number, meaning, signed_at, statement, details, key: bytes | None = None) -> str:
    """The seal over these fields, with `key` (by default the newest record key)."""
    return keyed_hash.keyed_hash(sealed_fields(
        revision_id=revision_id, revision_hash=revision_hash, signer_id=signer_id, printed_name=printed_name,
        credentials=credentials, registration_number=registration_number, meaning=meaning, signed_at=signed_at,
        statement=statement, details=details), key=key)


def sealed_fields(*, revision_id, revision_hash, signer_id, printed_name, credentials,
                  registration_number, meaning, signed_at, statement, details) -> dict:
    return {
        "revision_id": revision_id,
        "revision_hash": revision_hash,
        "signer_id": signer_id,
        "printed_name": printed_name,
        "credentials": credentials,
        "registration_number": registration_number,
        "meaning": meaning,
        "signed_at": signed_at.isoformat(),
        "statement": statement,
        "details": details,
    }


def signer_record(user, profile) -> dict:
    """Who signed, sealed in the signature's details: the account that signed (its id and username) and the
    reviewer profile it signed as (its id and address). The review line links to that address."""
    return {"account_id": user.pk, "username": user.get_username(), "reviewer_id": profile.pk,
            "reviewer_slug": profile.slug}


def signer_matches(signature) -> bool:
    """The signature's account and reviewer are the ones its seal names (signatures older than the signer
    record name them only unsealed)."""
    signer = (signature.details or {}).get("signer")
    return signer is None or (signer.get("account_id") == signature.signer_id
                              and signer.get("reviewer_id") == signature.reviewer_id)


def signature_fields(signature) -> dict:
    return sealed_fields(
        revision_id=signature.revision_id,
        revision_hash=signature.revision_hash,
        signer_id=signature.signer_id,
        printed_name=signature.printed_name,
        credentials=signature.credentials,
        registration_number=signature.registration_number,
        meaning=signature.meaning,
        signed_at=signature.signed_at,
        statement=signature.statement,
        details=signature.details,
    )


def signature_seal(signature) -> str:
    """The seal `signature` must carry, under the key it names (a new signature names the newest); "" when that
    key is not configured."""
    secrets = keyring.secrets_for(signature.key_id)
    return keyed_hash.keyed_hash(signature_fields(signature), key=secrets[0]) if secrets else ""


def seal_matches(signature) -> bool:
    return keyed_hash.matches(signature_fields(signature), signature.seal, signature.key_id)


def seal_problem(signature) -> str:
    """Why `signature`'s seal does not verify, or ""."""
    if not keyring.secrets_for(signature.key_id):
        return f"signature #{signature.pk} was {keyring.not_configured(signature.key_id)}"
    if not seal_matches(signature):
        return f"signature #{signature.pk} does not verify with the key that made it"
    return ""


def is_valid(signature, revision, *, revision_intact: bool | None = None) -> bool:
    """True only if `signature` covers exactly the content `revision` holds now.

    `revision_intact` is `revision.is_intact` when the caller has just computed it for this same
    instance (hashing the revision is the expensive part, and a page may check several signatures
    of one revision); otherwise the revision is hashed here.
    """
    return (
        signature.revision_id == revision.pk
        and signature.revision_hash == revision.content_hash
        and (revision.is_intact if revision_intact is None else revision_intact)
        and signer_matches(signature)
        and seal_matches(signature)
    )
