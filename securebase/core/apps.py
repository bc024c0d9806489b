from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.backends.signals import connection_created

from securebase.core.request_id import forget, install_record_factory
from securebase.core.sqlite import make_private


class CoreConfig(AppConfig):
    name = "securebase.core"
    label = "core"
    verbose_name = "Secure Base core"

    def ready(self):
        connection_created.connect(make_private, dispatch_uid="securebase-private-sqlite")
        install_record_factory()
        request_finished.connect(forget, dispatch_uid="securebase-forget-request-id")
