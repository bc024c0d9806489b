"""allauth's sign-in wording reads in Spanish as the rest of Secure Base does: "tú", not "usted"."""

import gettext
from pathlib import Path

import allauth
from django.utils import translation

from securebase.accounts.allauth_wording import ALLAUTH_MSGIDS

ALLAUTHS_SPANISH = gettext.translation(
    "django", Path(allauth.__file__).parent / "locale", languages=["es"]
)


def test_each_msgid_is_allauths_own_and_ours_replaces_its_spanish():
    for msgid in ALLAUTH_MSGIDS:
        theirs = ALLAUTHS_SPANISH.gettext(msgid)
        assert theirs != msgid, f"not an allauth msgid (a typo?): {msgid!r}"
        with translation.override("es"):
            ours = translation.gettext(msgid)
        assert ours != theirs and ours != msgid, msgid


def test_the_sign_in_page_speaks_as_tu(client, db):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "¿Olvidaste tu contraseña?" in page
    assert "Ha olvidado su contraseña" not in page
    reset = client.get("/accounts/password/reset/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Escribe tu correo electrónico" in reset and "Introduzca su" not in reset
