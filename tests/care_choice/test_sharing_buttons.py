"""The sharing page's buttons each name their kind of entry for a screen reader, which lists a
dozen buttons otherwise all called "Share all past entries" or "Make all past entries private"."""

from django.utils import timezone

from tests.factories import MomentFactory


def test_each_sharing_button_names_its_kind_of_entry(maya, as_maya):
    for shared in (True, False):
        MomentFactory(
            client=maya, occurred_at=timezone.now(), kind="threat", situation="x", shared=shared
        )

    page = as_maya.get("/home/sharing/")

    assert page.status_code == 200
    hidden = '<span class="visually-hidden">(Moments)</span></button>'
    assert page.text.count(hidden) == 2
    assert f"Share all past entries{hidden}" in page.text
    assert f"Make all past entries private{hidden}" in page.text
