"""The full-text index over `search_text` of vacancies and job seekers, in each database's own
way: on PostgreSQL a generated `tsvector` column with a GIN index; on SQLite an external-content
FTS5 table kept by triggers. `jobs.selectors` queries whichever is there."""

from django.db import migrations

TABLES = ("jobs_vacancy", "jobs_jobseeker")

POSTGRES = """
ALTER TABLE {t} ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX {t}_search ON {t} USING GIN (search_vector);
"""
POSTGRES_DROP = "DROP INDEX {t}_search; ALTER TABLE {t} DROP COLUMN search_vector;"

SQLITE = [
    "CREATE VIRTUAL TABLE {t}_fts USING fts5(search_text, content='{t}', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER {t}_fts_insert AFTER INSERT ON {t} BEGIN"
    " INSERT INTO {t}_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER {t}_fts_delete AFTER DELETE ON {t} BEGIN"
    " INSERT INTO {t}_fts({t}_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER {t}_fts_update AFTER UPDATE OF search_text ON {t} BEGIN"
    " INSERT INTO {t}_fts({t}_fts, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO {t}_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO {t}_fts(rowid, search_text) SELECT id, search_text FROM {t}",
]
SQLITE_DROP = [
    "DROP TRIGGER {t}_fts_insert",
    "DROP TRIGGER {t}_fts_delete",
    "DROP TRIGGER {t}_fts_update",
    "DROP TABLE {t}_fts",
]


def _run(schema_editor, postgres: str | list[str], sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(postgres.format(t=table))
        elif vendor == "sqlite":
            for statement in sqlite:
                schema_editor.execute(statement.format(t=table))


def create(apps, schema_editor):
    _run(schema_editor, POSTGRES, SQLITE)


def drop(apps, schema_editor):
    _run(schema_editor, POSTGRES_DROP, SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_qualification_levels")]
    operations = [migrations.RunPython(create, drop)]
