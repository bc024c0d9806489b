from securebase.measures import catalogue_strings, translatable


def test_every_definition_string_is_offered_to_translators():
    """makemessages reads catalogue_strings.py; regenerate it when a definition changes."""
    assert sorted(catalogue_strings.STRINGS) == translatable.strings()
