"""The documents anyone may fetch to check the site: the attestation keys and the newest audit checkpoint."""

from review import public_signing
from tests.review.test_checkpoints import stored_checkpoints, witnessed  # noqa: F401  (a fixture)


def test_the_newest_checkpoint_and_the_keys_are_served_at_well_known_addresses(witnessed, client):
    newest = max(stored_checkpoints(), key=lambda c: c.time)

    keys = client.get("/.well-known/medreview/keys.json")
    served = client.get("/.well-known/medreview/checkpoint.json")

    assert keys.status_code == served.status_code == 200
    payload, kid = public_signing.open_document(served.content, keys.json()["keys"])
    assert (payload["seq"], payload["hash"]) == (newest.seq, newest.hash)
    assert [key["kid"] for key in keys.json()["keys"]] == [kid]


def test_no_checkpoint_yet_is_a_404(db, client):
    assert client.get("/.well-known/medreview/checkpoint.json").status_code == 404
