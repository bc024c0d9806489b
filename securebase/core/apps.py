from django.apps import AppConfig
from django.db.backends.signals import connection_created

from securebase.core.sqlite import make_private


class CoreConfig(AppConfig):
    name = "securebase.core"
    label = "core"
    verbose_name = "Secure Base core"

    def ready(self):
        connection_created.connect(make_private, dispatch_uid="securebase-private-sqlite")
