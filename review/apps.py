from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "Review workflow"

    def ready(self):
        from review import lockouts  # noqa: F401  (connects the login lock-out's signal receiver)
        from review import checks  # noqa: F401  (registers the system checks)
