from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from review import signals
        from webhooks import events

        signals.post_transitioned.connect(events.on_transition, dispatch_uid="webhooks.on_transition")
        signals.review_lapsed.connect(events.on_review_lapsed, dispatch_uid="webhooks.on_review_lapsed")
