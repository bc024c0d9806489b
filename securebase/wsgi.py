"""The WSGI application (runserver, gunicorn).

A serving process loads the risk detector's sentence model in a background thread as soon as it
starts, so that no client's first save waits the few seconds it takes; a request that needs it
before it is ready waits for the same load (``safety/detector/semantic.py`` holds a lock), never a second.
Commands and tests, which do not import this module, still load it only when they need it.
"""

import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

from securebase.safety.detector import semantic

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securebase.settings")
application = get_wsgi_application()


def _warm_the_risk_model() -> None:
    try:
        semantic.warm()
    except Exception:  # noqa: BLE001 - detection loads it again on first use and logs any failure
        logging.getLogger("securebase.safety").exception("could not load the sentence model")


threading.Thread(target=_warm_the_risk_model, name="warm-risk-model", daemon=True).start()
