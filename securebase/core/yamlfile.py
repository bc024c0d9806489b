"""Reading the YAML files the app ships (instruments, risk language, crisis resources)."""

from pathlib import Path

import yaml

# libyaml's parser (bundled with PyYAML's wheels) reads the files about ten times faster than the
# pure-Python one; every command and server process reads them at start-up.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Error = yaml.YAMLError


def parse(text: str):
    """The data in ``text``, safely (plain values only); raises :data:`Error` when it is not YAML."""
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a safe loader


def read(path: Path):
    return parse(path.read_text(encoding="utf-8"))
