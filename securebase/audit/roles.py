"""PostgreSQL: the app connects as a role that cannot change or empty the audit tables.

Migrations run as the owner of the tables. The app's own role gets every privilege it needs on
every table except UPDATE, DELETE and TRUNCATE on the audit tables; as it owns nothing, it cannot
drop or disable their triggers either. Run after every migrate (new tables need their grants).
"""

from __future__ import annotations

from psycopg import sql

APPEND_ONLY = ("audit_auditevent", "audit_auditcheckpoint")


class RoleRefused(Exception):
    """The role cannot be the app's: it does not exist, bypasses privileges or owns tables."""


def grant_app_role(connection, role: str) -> int:
    """Grant ``role`` the app's privileges; return how many tables it may use."""
    if connection.vendor != "postgresql":
        raise RoleRefused("grant-app-role is for PostgreSQL; SQLite has no roles.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise RoleRefused(f"There is no role {role!r}: CREATE ROLE {role} LOGIN PASSWORD '…'.")
        if any(found):
            raise RoleRefused(f"{role} is a superuser or bypasses row security: use a plain role.")
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            [role],
        )
        if cursor.fetchone()[0]:
            raise RoleRefused(
                f"{role} owns tables: run migrations as another role (the owner), and give "
                f"{role} only this command's grants."
            )
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        )
        tables = cursor.fetchone()[0]
        name = sql.Identifier(role)
        for statement in (
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(connection.settings_dict["NAME"]), name
            ),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(name),
            sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(
                name
            ),
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.SQL(", ").join(sql.Identifier(table) for table in APPEND_ONLY), name
            ),
        ):
            cursor.execute(statement.as_string(cursor.connection))
    return tables
