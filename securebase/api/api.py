"""The JSON API, version 1: the NinjaAPI object, its token auth, the one answer to each shared
domain outcome, and the routers of the clinical areas (each a thin edge over its domain module)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from securebase.api.auth import TokenAuth
from securebase.api.clients import router as clients_router
from securebase.api.common import REQUIRED_IN_OPENAPI, next_page_link
from securebase.core.errors import InputError, NotAllowed
from securebase.core.versioning import StaleSave
from securebase.maintain.api import router as maintain_router
from securebase.measures.api import router as measures_router
from securebase.plan.checkins.api import router as checkins_router
from securebase.plan.goals.api import router as goals_router
from securebase.plan.progress.api import router as progress_router
from securebase.plan.sessions.api import router as sessions_router
from securebase.practise.experiments.api import router as experiments_router
from securebase.practise.homework.api import router as homework_router
from securebase.practise.journal.api import router as journal_router
from securebase.practise.ladder.api import router as ladder_router
from securebase.practise.pause.api import router as pauses_router
from securebase.safety.plan.api import router as safety_router
from securebase.understand.moments.api import router as moments_router
from securebase.understand.people.api import router as people_router

ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
# The answers every operation may give besides its own (the handlers below and the middleware).
COMMON_ANSWERS = {
    401: "No valid, unexpired token in 'Authorization: Bearer …'.",
    503: "The database cannot be reached; nothing was half-saved. Retry after Retry-After.",
}
BODY_ANSWERS = {
    400: "The body is not JSON.",
    413: "The body is larger than 2.5 MB.",
    422: "Invalid input; `errors` names each field.",
}


def _finish_openapi(schema: dict) -> dict:
    """Say what the routes' declarations cannot: which operations require an Idempotency-Key,
    that it is a UUID, and the error answers every operation may give."""
    for operation in (op for path in schema["paths"].values() for op in path.values()):
        for parameter in operation.get("parameters", []):
            if parameter["name"] != "Idempotency-Key":
                continue
            description = parameter.get("description", "")
            parameter["required"] = description.startswith(REQUIRED_IN_OPENAPI)
            parameter["schema"] = {"type": "string", "format": "uuid", "description": description}
        answers = dict(COMMON_ANSWERS)
        if "requestBody" in operation:
            answers |= BODY_ANSWERS
        elif operation.get("parameters"):
            answers[422] = BODY_ANSWERS[422]
        for status, description in answers.items():
            operation["responses"].setdefault(status, {"description": description, **ERROR})
    return schema


class SecureBaseAPI(NinjaAPI):
    """The schema is built once per path and language: the routes cannot change while the process
    runs, and building it takes a few hundred milliseconds of CPU per request otherwise."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        """Every answer; a full page of a list also links to the next page."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        link = next_page_link(request, data) if response.status_code == 200 else None
        if link:
            response["Link"] = link
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        cache = self.__dict__.setdefault("_schemas", {})
        if key not in cache:
            cache[key] = _finish_openapi(
                super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            )
        return cache[key]


api = SecureBaseAPI(
    title="Secure Base API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url=None,
    description="Personal access tokens as `Authorization: Bearer …`. Errors are JSON with a "
    "`detail` message (and `errors` per field for 422). Creating requests take an "
    "`Idempotency-Key` header (a UUID). Input is strict: numbers and booleans are JSON numbers "
    "and booleans, date-times carry a time zone, dates lie between 2000 and five years ahead, "
    "text holds no control characters (tab and line breaks aside), and a body over 2.5 MB "
    "answers 413.",
)


def _invalid_input(request, problems: list[dict]):
    """422 in the one shape for bad input: ``detail`` in words, ``errors`` per field."""
    summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
    return api.create_response(
        request, {"detail": _("Invalid input: %s") % summary, "errors": problems}, status=422
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", []) if p not in ("body", "payload"))
        message = error.get("msg", "").removeprefix("Value error, ")
        problems.append({"field": where, "message": message})
    return _invalid_input(request, problems)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the API's shape, never an HTML page."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return api.create_response(
        request,
        {"detail": _("The request body is larger than %(limit)s bytes.") % {"limit": limit}},
        status=413,
    )


@api.exception_handler(InputError)
def on_input_error(request, exc: InputError):
    """A domain error meaning bad input: 422 naming the field when the error knows it."""
    if exc.field and exc.api_names_field:
        return _invalid_input(request, [{"field": exc.field, "message": str(exc)}])
    return api.create_response(request, {"detail": str(exc)}, status=422)


@api.exception_handler(StaleSave)
def on_stale_save(request, exc: StaleSave):
    """Someone saved a shared document after this edit began: 409, nothing overwritten."""
    current = getattr(exc.current, "version", None)
    return api.create_response(
        request,
        {
            "detail": _(
                "This was changed by someone else (it is now version %(version)s). Nothing was "
                "overwritten: fetch it again, merge your changes and send them with version "
                "%(version)s."
            )
            % {"version": current},
            "version": current,
        },
        status=409,
    )


@api.exception_handler(NotAllowed)
def on_not_allowed(request, exc: NotAllowed):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    """Unknown ids and ids the caller may not see answer alike, so existence is never confirmed."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": _("Send a valid, unexpired token as 'Authorization: Bearer <token>'.")},
        status=401,
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


for router in (
    clients_router,
    measures_router,
    moments_router,
    people_router,
    pauses_router,
    ladder_router,
    journal_router,
    experiments_router,
    homework_router,
    goals_router,
    checkins_router,
    progress_router,
    sessions_router,
    safety_router,
    maintain_router,
):
    api.add_router("", router)
