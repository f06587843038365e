"""A trigger that refuses any change to what was signed (SQLite and PostgreSQL)."""

from django.db import migrations

SIGNED = [
    "code", "kind", "subject_ref", "version", "supersedes_id",
    "payload", "signature", "key_id", "issued_at", "pdf",
]

SQLITE_UP = [(
    "CREATE TRIGGER documents_document_immutable BEFORE UPDATE ON documents_document "
    "WHEN " + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in SIGNED) + " "
    "BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;"
)]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS documents_document_immutable"]

POSTGRES_UP = [f"""
CREATE FUNCTION documents_document_immutable() RETURNS trigger AS $$
BEGIN
  IF ({", ".join("NEW." + c for c in SIGNED)}) IS DISTINCT FROM
     ({", ".join("OLD." + c for c in SIGNED)}) THEN
    RAISE EXCEPTION 'issued documents are immutable';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""", """
CREATE TRIGGER documents_document_immutable BEFORE UPDATE ON documents_document
  FOR EACH ROW EXECUTE FUNCTION documents_document_immutable()"""]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS documents_document_immutable ON documents_document",
    "DROP FUNCTION IF EXISTS documents_document_immutable()",
]


def run(sql_by_vendor):
    def apply(apps, schema_editor):
        for statement in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
