from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public site"

    def ready(self):
        from review.signals import address_changed

        from public.redirects import address_changed_receiver

        address_changed.connect(address_changed_receiver, dispatch_uid="public.address_changed")
