"""The ``securebase`` command: Django's manage.py with the settings preset."""

import os
import sys
import tempfile

from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "securebase.settings")
    if sys.argv[1:2] == ["serve"]:
        # Before anything imports prometheus_client: the workers of one server share their
        # metrics through files (securebase serve gives each server a directory of its own).
        os.environ.setdefault(
            "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="securebase-metrics-")
        )
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake deserves one clear line, not a traceback.
        sys.exit(f"securebase: {exc}")


if __name__ == "__main__":
    main()
