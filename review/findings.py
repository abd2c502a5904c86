"""What the review workflow does with the claims check: the warnings a signer must acknowledge, and their sealed record.

The claims side (findings per field, keys, justifications, rows for pages) is `claims.findings`: import it from there.
"""

from claims.findings import FieldFinding


def acknowledgement_record(f: FieldFinding) -> dict:
    return {"key": f.key, "field": f.field, "rule": f.rule, "severity": f.severity, "text": f.text,
            "start": f.start, "end": f.end, "message": f.message, "source": f.source}


def to_acknowledge(found: list[FieldFinding], justified) -> list[FieldFinding]:
    """What a signer must tick: every warning, and any blocked wording that reached review without a reason."""
    return [f for f in found if f.is_warn or (f.is_block and f.key not in justified)]
