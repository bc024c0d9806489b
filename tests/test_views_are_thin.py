"""Web views parse input, call one domain function and render: no queries, no audit calls.

Reads, access checks and read audits live in each concept's domain module (and in
``care/policy.py``); a view that queries the database itself or writes to the audit log by hand
fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import securebase

ROOT = Path(securebase.__file__).parent

AUDIT_LOG = ("securebase.audit.log", "securebase.audit.models")


def _view_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*views.py") if "migrations" not in p.parts)


def _imports_audit_log(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        if any(name.startswith(AUDIT_LOG) for name in names):
            return True
    return False


def _problems(path: Path) -> list[str]:
    text = path.read_text()
    found = []
    if ".objects." in text:
        found.append("queries the database (.objects.)")
    if "get_object_or_404" in text:
        found.append("fetches by id without the policy (get_object_or_404)")
    if _imports_audit_log(ast.parse(text)):
        found.append("writes to the audit log itself")
    if "audit_read(" in text:
        found.append("audits a read itself (the domain's fetch should)")
    return found


def test_the_scan_finds_every_kind_of_view_file():
    names = {str(p.relative_to(ROOT)) for p in _view_files()}
    assert {"practise/toolkit/clinician_views.py", "audit/views.py", "core/views.py"} <= names


def test_web_views_leave_queries_and_audit_to_the_domain():
    offenders = {
        str(path.relative_to(ROOT)): problems
        for path in _view_files()
        if (problems := _problems(path))
    }
    assert offenders == {}
