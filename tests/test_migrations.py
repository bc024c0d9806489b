"""The feature apps' migrations are squashed: one per app for a fresh database, each naming the
migrations it replaces, so a database migrated before the squash, and a migration written before
it, still find every migration by its old name.

The data migrations that only converted existing rows (encrypting preferred terms, phase labels
and emotion words; backfilling alert sources; naming free-text measure targets) were elided: every
database that had such rows applied them before the squash, and a fresh database has none.
"""

import pytest
from django.db import connection, migrations
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

# The migrations a database migrated by the last release before the squash has recorded.
BEFORE_THE_SQUASH = {
    "care": [
        "0001_initial",
        "0002_client_preferences",
        "0003_client_time_zone",
        "0004_client_programme_paused_at",
        "0005_encrypt_preferred_terms",
        "0006_client_country",
        "0007_client_updated_by",
    ],
    "maintain": [
        "0001_tapering_maintenance_discharge",
        "0002_encrypt_phase_label",
        "0003_safety_override_notes",
    ],
    "measures": [
        "0001_measures",
        "0002_alert_sources_and_acknowledgement",
        "0003_target_names",
        "0004_alert_once_per_open_source",
        "0005_alert_moves_to_safety",
    ],
    "plan": [
        "0001_plan_and_track",
        "0002_checkin_safety",
        "0003_schedule_effective_at",
        "0004_checkin_safety_frequency",
    ],
    "practise": [
        "0001_practise",
        "0002_coregulation",
        "0003_encrypt_emotion_words",
        "0004_experiment_version",
        "0005_ladder_experiment_updated_by",
    ],
    "safety": [
        "0001_safety_plan",
        "0002_risk_learning",
        "0003_crisis_overrides",
        "0004_alert_moves_here",
    ],
    "understand": ["0001_understand", "0002_moment_updated_by"],
}
LATER = ("care", "0099_written_before_the_squash")


def _squashes(loader):
    return {key: m for key, m in loader.disk_migrations.items() if key[0] in BEFORE_THE_SQUASH}


def test_each_squashed_app_has_one_migration_replacing_all_it_had():
    squashes = _squashes(MigrationLoader(None, ignore_no_migrations=True))
    assert {
        app: [name for replaced_app, name in migration.replaces if replaced_app == app]
        for (app, _), migration in squashes.items()
        if migration.replaces
    } == BEFORE_THE_SQUASH


# Written after the squash: a database at the last release before it applies these, and only these.
AFTER_THE_SQUASH = [
    ("care", "0008_encrypt_names"),
    ("care", "0009_encrypt_client_email"),
    ("care", "0010_data_keys"),
]


def test_a_database_migrated_before_the_squash_applies_only_later_migrations(monkeypatch):
    everything = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    recorded = {key for key in everything if key[0] not in BEFORE_THE_SQUASH}
    recorded |= {(app, name) for app, names in BEFORE_THE_SQUASH.items() for name in names}
    monkeypatch.setattr(
        MigrationRecorder, "applied_migrations", lambda self: dict.fromkeys(recorded)
    )
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert [(m.app_label, m.name) for m, _backwards in plan] == AFTER_THE_SQUASH


def test_a_database_migrated_before_the_squash_has_nothing_to_apply(monkeypatch):
    everything = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    recorded = {key for key in everything if key[0] not in BEFORE_THE_SQUASH}
    recorded |= {(app, name) for app, names in BEFORE_THE_SQUASH.items() for name in names}
    recorded |= set(AFTER_THE_SQUASH)  # written after it, applied as any new migration is
    monkeypatch.setattr(
        MigrationRecorder, "applied_migrations", lambda self: dict.fromkeys(recorded)
    )
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert set(_squashes(executor.loader)) <= set(executor.loader.applied_migrations)


class LoaderWithALaterMigration(MigrationLoader):
    """As if a branch started before the squash added a migration depending on the old names."""

    def load_disk(self):
        super().load_disk()
        later = type(
            "Migration",
            (migrations.Migration,),
            {
                "dependencies": [
                    ("care", "0007_client_updated_by"),
                    ("measures", "0004_alert_once_per_open_source"),
                    ("safety", "0004_alert_moves_here"),
                ]
            },
        )
        self.disk_migrations[LATER] = later(LATER[1], LATER[0])


@pytest.mark.parametrize("app", ["care", "measures", "safety"])
def test_a_migration_written_before_the_squash_still_finds_what_it_depends_on(app):
    loader = LoaderWithALaterMigration(None, ignore_no_migrations=True)
    parents = {parent.key for parent in loader.graph.node_map[LATER].parents}
    (squash,) = (key for key, m in _squashes(loader).items() if key[0] == app and m.replaces)
    assert squash in parents
