"""Fuzzing the API against its own OpenAPI document with schemathesis (marker `fuzz`): the schema,
the checks, the settings and the one way to send a generated request. The test modules
(`test_api_fuzz_*.py`) are one per role, so that pytest-xdist runs them side by side.

No answer may be a server error or differ from what the document promises, and nothing one
person's token reaches by id may be reachable with an outsider's token (object-level
authorization). The generated requests carry a real token, and where a path names a client, that
client's real id half of the time, so they get past the front door into the domain code.
"""

from __future__ import annotations

import json
import os
import uuid
import zlib

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from securebase.api.api import api
from tests.factories import bearer

# Examples per operation and role, valid and invalid ones mixed: a few by hand, more in CI's
# thorough run.
EXAMPLES = 25 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 5

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

# The document as the app builds it (JSON round trip: what /api/v1/openapi.json serves), the app
# called in this process through WSGI (the `api_in_process` fixture of tests/conftest.py).
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), default=str))
)
schema.app = get_wsgi_application()

# One pytest test per operation (its id "POST /api/v1/…"), so pytest-xdist can share them out.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


def requests_for(operation):
    """Generated requests for ``operation``: ones the document allows and ones it does not."""
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


def label(operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


def _with_real_ids(case, client) -> None:
    """Half the generated client ids become the real client's, so the domain code runs."""
    generated = str((case.path_parameters or {}).get("client_id", ""))
    if generated and zlib.crc32(generated.encode()) % 2:
        case.path_parameters["client_id"] = str(client.pk)


def send(case, actor, client, outsider) -> None:
    """Send ``case`` as ``actor``; check the answer; replay a 2xx on an id as ``outsider``."""
    _with_real_ids(case, client)
    headers = {**bearer(actor, "write"), "Idempotency-Key": str(uuid.uuid4())}

    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)

    if case.path_parameters and 200 <= response.status_code < 300:
        outsiders = {**bearer(outsider, "write"), "Idempotency-Key": str(uuid.uuid4())}
        replay = case.call(headers=outsiders)
        assert replay.status_code in (403, 404, 422), (
            f"{case.method} {case.formatted_path} answered {replay.status_code} to an outsider"
        )
