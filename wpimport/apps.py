from django.apps import AppConfig


class WpImportConfig(AppConfig):
    name = "wpimport"
    verbose_name = "Import from WordPress"
