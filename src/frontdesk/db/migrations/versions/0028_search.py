"""Full-text search indexes over messages, notes and contacts

One `search_document` row per message, note and contact, kept in step by SQL triggers in the
same transaction as the write (docs/decisions/0033-full-text-search.md). SQLite indexes it with
an external-content FTS5 table (`unicode61 remove_diacritics 2`); PostgreSQL with a GIN index
over the stored `search_tsv` (`search_vector(body)`): `simple`, `english` and `portuguese`
configurations with `unaccent`
in front, so "nao" finds "não" and "tieng viet" finds "tiếng Việt" on both. Existing rows are
indexed here (the backfill).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 06:00:00.000000
"""

# The trigger SQL is assembled from this file's own constants; nothing comes from outside.
# ruff: noqa: S608

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = frontdesk.db.types.UTCDateTime(timezone=True)
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_DOCUMENT_COLUMNS = "workspace_id, kind, message_id, conversation_id, channel_id, created_at, body"
_CONTACT_COLUMNS = "workspace_id, kind, contact_id, created_at, body"

# ---- SQLite ---------------------------------------------------------------------------------

# unicode61 keeps "đ" (a letter of its own, not a letter with a mark); PostgreSQL's unaccent
# folds it to "d", so SQLite folds it before indexing and before matching.
_SQLITE_FOLD = "replace(replace({0}, 'đ', 'd'), 'Đ', 'D')"


def _sqlite_message_values(row: str) -> str:
    kind = (
        f"CASE WHEN {row}.is_whisper THEN 'whisper' WHEN {row}.kind = 'note' THEN 'note' "
        "ELSE 'message' END"
    )
    return (
        f"{row}.workspace_id, {kind}, {row}.id, {row}.conversation_id, {row}.channel_id, "
        f"{row}.created_at, {row}.body"
    )


def _sqlite_contact_text(contact_id: str) -> str:
    digits = "coalesce(c.phone, '')"
    for char in ("+", " ", "-", "(", ")", ".", "/"):
        digits = f"replace({digits}, '{char}', '')"
    return f"""(SELECT trim(c.name || ' ' || coalesce(c.email, '') || ' ' || coalesce(c.phone, '')
        || ' ' || {digits} || ' ' || coalesce((SELECT group_concat(i.provider_id || ' '
        || coalesce(i.profile_name, ''), ' ') FROM contact_identity i
        WHERE i.contact_id = c.id), '') || ' ' || coalesce((SELECT group_concat(v.value, ' ')
        FROM contact_field_value v WHERE v.contact_id = c.id), ''))
        FROM contact c WHERE c.id = {contact_id})"""


def _sqlite_refresh(contact_id: str) -> str:
    text = _sqlite_contact_text(contact_id)
    return f"UPDATE search_document SET body = {text} WHERE contact_id = {contact_id};"


def _sqlite_statements() -> list[str]:
    fold_new, fold_old = _SQLITE_FOLD.format("new.body"), _SQLITE_FOLD.format("old.body")
    indexed = "new.body <> '' AND new.deleted_at IS NULL"
    statements = [
        "CREATE VIRTUAL TABLE search_index USING fts5(body, content='search_document', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"""CREATE TRIGGER search_document_insert AFTER INSERT ON search_document BEGIN
            INSERT INTO search_index (rowid, body) VALUES (new.id, {fold_new}); END""",
        f"""CREATE TRIGGER search_document_delete AFTER DELETE ON search_document BEGIN
            INSERT INTO search_index (search_index, rowid, body)
            VALUES ('delete', old.id, {fold_old}); END""",
        f"""CREATE TRIGGER search_document_update AFTER UPDATE OF body ON search_document BEGIN
            INSERT INTO search_index (search_index, rowid, body)
            VALUES ('delete', old.id, {fold_old});
            INSERT INTO search_index (rowid, body) VALUES (new.id, {fold_new}); END""",
        f"""INSERT INTO search_document ({_DOCUMENT_COLUMNS})
            SELECT {_sqlite_message_values("message")} FROM message
            WHERE message.body <> '' AND message.deleted_at IS NULL""",
        f"""INSERT INTO search_document ({_CONTACT_COLUMNS})
            SELECT contact.workspace_id, 'contact', contact.id, contact.created_at,
            {_sqlite_contact_text("contact.id")} FROM contact""",
        f"""CREATE TRIGGER message_search_insert AFTER INSERT ON message WHEN {indexed} BEGIN
            INSERT INTO search_document ({_DOCUMENT_COLUMNS})
            VALUES ({_sqlite_message_values("new")}); END""",
        f"""CREATE TRIGGER message_search_update
            AFTER UPDATE OF body, kind, is_whisper, deleted_at ON message BEGIN
            DELETE FROM search_document WHERE message_id = old.id;
            INSERT INTO search_document ({_DOCUMENT_COLUMNS})
            SELECT {_sqlite_message_values("new")} WHERE {indexed}; END""",
        f"""CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN
            INSERT INTO search_document ({_CONTACT_COLUMNS})
            VALUES (new.workspace_id, 'contact', new.id, new.created_at,
            {_sqlite_contact_text("new.id")}); END""",
        f"""CREATE TRIGGER contact_search_update AFTER UPDATE OF name, email, phone ON contact
            BEGIN {_sqlite_refresh("new.id")} END""",
    ]
    for table in ("contact_identity", "contact_field_value"):
        statements += [
            f"""CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table}
                BEGIN {_sqlite_refresh("new.contact_id")} END""",
            f"""CREATE TRIGGER {table}_search_update AFTER UPDATE ON {table}
                BEGIN {_sqlite_refresh("old.contact_id")} {_sqlite_refresh("new.contact_id")} END""",
            f"""CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table}
                BEGIN {_sqlite_refresh("old.contact_id")} END""",
        ]
    return statements


_SQLITE_TRIGGERS = [
    "search_document_insert",
    "search_document_delete",
    "search_document_update",
    "message_search_insert",
    "message_search_update",
    "contact_search_insert",
    "contact_search_update",
] + [
    f"{table}_search_{op_}"
    for table in ("contact_identity", "contact_field_value")
    for op_ in ("insert", "update", "delete")
]

# ---- PostgreSQL -----------------------------------------------------------------------------

_PG_CONFIGURATIONS = (
    ("search_simple", "simple", "simple"),
    ("search_english", "english", "english_stem"),
    ("search_portuguese", "portuguese", "portuguese_stem"),
)

_PG_MESSAGE_VALUES = (
    "NEW.workspace_id, CASE WHEN NEW.is_whisper THEN 'whisper' WHEN NEW.kind = 'note' "
    "THEN 'note' ELSE 'message' END, NEW.id, NEW.conversation_id, NEW.channel_id, "
    "NEW.created_at, NEW.body"
)


def _pg_statements() -> list[str]:
    statements = ["CREATE EXTENSION IF NOT EXISTS unaccent"]
    for name, parent, dictionary in _PG_CONFIGURATIONS:
        statements += [
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {parent})",
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {dictionary}",
        ]
    vectors = " || ".join(f"to_tsvector('{n}'::regconfig, body)" for n, _, _ in _PG_CONFIGURATIONS)
    queries = " || ".join(
        f"websearch_to_tsquery('{n}'::regconfig, q)" for n, _, _ in _PG_CONFIGURATIONS
    )
    statements += [
        f"""CREATE FUNCTION search_vector(body text) RETURNS tsvector
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {vectors} $$""",
        f"""CREATE FUNCTION search_query(q text) RETURNS tsquery
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {queries} $$""",
        """CREATE FUNCTION search_contact_text(contact uuid) RETURNS text
            LANGUAGE sql STABLE AS $$
            SELECT concat_ws(' ', c.name, c.email, c.phone,
                regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g'),
                (SELECT string_agg(concat_ws(' ', i.provider_id, i.profile_name), ' ')
                 FROM contact_identity i WHERE i.contact_id = c.id),
                (SELECT string_agg(v.value #>> '{}', ' ')
                 FROM contact_field_value v WHERE v.contact_id = c.id))
            FROM contact c WHERE c.id = contact $$""",
        f"""CREATE FUNCTION search_index_message() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    DELETE FROM search_document WHERE message_id = OLD.id;
                END IF;
                IF NEW.body <> '' AND NEW.deleted_at IS NULL THEN
                    INSERT INTO search_document ({_DOCUMENT_COLUMNS})
                    VALUES ({_PG_MESSAGE_VALUES});
                END IF;
                RETURN NULL;
            END $$""",
        f"""CREATE FUNCTION search_index_contact() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO search_document ({_CONTACT_COLUMNS})
                    VALUES (NEW.workspace_id, 'contact', NEW.id, NEW.created_at,
                            search_contact_text(NEW.id));
                ELSE
                    UPDATE search_document SET body = search_contact_text(NEW.id)
                    WHERE contact_id = NEW.id;
                END IF;
                RETURN NULL;
            END $$""",
        """CREATE FUNCTION search_index_contact_part() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    UPDATE search_document SET body = search_contact_text(OLD.contact_id)
                    WHERE contact_id = OLD.contact_id;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    UPDATE search_document SET body = search_contact_text(NEW.contact_id)
                    WHERE contact_id = NEW.contact_id;
                END IF;
                RETURN NULL;
            END $$""",
        # The vector is stored (ranking and the index's recheck read it, never recompute it).
        "ALTER TABLE search_document ADD COLUMN search_tsv tsvector",
        """CREATE FUNCTION search_document_vector() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_tsv := search_vector(NEW.body);
                RETURN NEW;
            END $$""",
        """CREATE TRIGGER search_document_vector BEFORE INSERT OR UPDATE OF body
            ON search_document FOR EACH ROW EXECUTE FUNCTION search_document_vector()""",
        f"""INSERT INTO search_document ({_DOCUMENT_COLUMNS})
            SELECT {_PG_MESSAGE_VALUES.replace("NEW.", "m.")} FROM message m
            WHERE m.body <> '' AND m.deleted_at IS NULL""",
        f"""INSERT INTO search_document ({_CONTACT_COLUMNS})
            SELECT c.workspace_id, 'contact', c.id, c.created_at, search_contact_text(c.id)
            FROM contact c""",
        "CREATE INDEX ix_search_document_vector ON search_document USING gin (search_tsv)",
        """CREATE TRIGGER message_search_insert AFTER INSERT ON message
            FOR EACH ROW EXECUTE FUNCTION search_index_message()""",
        """CREATE TRIGGER message_search_update
            AFTER UPDATE OF body, kind, is_whisper, deleted_at ON message FOR EACH ROW
            WHEN (OLD.body IS DISTINCT FROM NEW.body OR OLD.kind IS DISTINCT FROM NEW.kind
                  OR OLD.is_whisper IS DISTINCT FROM NEW.is_whisper
                  OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
            EXECUTE FUNCTION search_index_message()""",
        """CREATE TRIGGER contact_search_insert AFTER INSERT ON contact
            FOR EACH ROW EXECUTE FUNCTION search_index_contact()""",
        """CREATE TRIGGER contact_search_update AFTER UPDATE OF name, email, phone ON contact
            FOR EACH ROW EXECUTE FUNCTION search_index_contact()""",
    ]
    for table in ("contact_identity", "contact_field_value"):
        statements.append(
            f"""CREATE TRIGGER {table}_search AFTER INSERT OR UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION search_index_contact_part()"""
        )
    return statements


def _pg_drop_statements() -> list[str]:
    statements = [
        "DROP TRIGGER IF EXISTS message_search_insert ON message",
        "DROP TRIGGER IF EXISTS message_search_update ON message",
        "DROP TRIGGER IF EXISTS contact_search_insert ON contact",
        "DROP TRIGGER IF EXISTS contact_search_update ON contact",
        "DROP TRIGGER IF EXISTS contact_identity_search ON contact_identity",
        "DROP TRIGGER IF EXISTS contact_field_value_search ON contact_field_value",
        "DROP INDEX IF EXISTS ix_search_document_vector",
        "DROP TRIGGER IF EXISTS search_document_vector ON search_document",
        "ALTER TABLE search_document DROP COLUMN IF EXISTS search_tsv",
    ]
    for function in (
        "search_index_message()",
        "search_index_contact()",
        "search_index_contact_part()",
        "search_document_vector()",
        "search_contact_text(uuid)",
        "search_query(text)",
        "search_vector(text)",
    ):
        statements.append(f"DROP FUNCTION IF EXISTS {function}")
    for name, _, _ in _PG_CONFIGURATIONS:
        statements.append(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
    return statements


def _create_document_table() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("channel_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
            name=op.f("fk_search_document_channel_id_channel"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_search_document_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_search_document_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["message.id"],
            name=op.f("fk_search_document_message_id_message"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_search_document_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("contact_id", name=op.f("uq_search_document_contact_id")),
        sa.UniqueConstraint("message_id", name=op.f("uq_search_document_message_id")),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index("ix_search_document_conversation", ["conversation_id"])
        batch_op.create_index("ix_search_document_workspace_kind", ["workspace_id", "kind"])


def upgrade() -> None:
    _create_document_table()
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite_statements() if sqlite else _pg_statements():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_index")
    else:
        for statement in _pg_drop_statements():
            op.execute(statement)
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index("ix_search_document_workspace_kind")
        batch_op.drop_index("ix_search_document_conversation")
    op.drop_table("search_document")
