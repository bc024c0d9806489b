"""The moment every in-process test runs at.

Each test starts on this instant and the clock ticks on from it (``conftest.clock``), so a test
that builds dates builds them from ``FROZEN_NOW`` and passes on any day it is run. A Friday
afternoon in late November, away from daylight-saving changes in the demo's time zones.
"""

import datetime as dt

FROZEN_NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
