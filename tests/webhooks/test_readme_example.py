"""The README's example of a receiver checking a webhook's signature works as printed."""

from review.states import State
from tests.api.test_readme_examples import example
from webhooks.deliveries import post as send
from webhooks.models import Delivery


def test_readme_example_accepts_a_genuine_webhook_and_refuses_a_forged_one(receiver, subscription, post_in):
    namespace = {}
    exec(example("def webhook_is_genuine"), namespace)  # noqa: S102
    genuine = namespace["webhook_is_genuine"]
    post_in(State.PUBLISHED)

    send(Delivery.objects.get())

    [got] = receiver.received
    assert genuine(subscription.secret, got.headers, got.body)
    assert not genuine(subscription.secret, got.headers, got.body.replace(b"published", b"unpublished"))
    assert not genuine(subscription.secret, {**got.headers, "webhook-timestamp": "1000000000"}, got.body)
