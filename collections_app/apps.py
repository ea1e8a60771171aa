from django.apps import AppConfig


class CollectionsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collections_app"

    def ready(self):
        from collections_app import signals

        signals.connect()
