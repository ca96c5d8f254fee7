"""DDL that makes journal tables append-only inside the database, per dialect."""

from __future__ import annotations

from collections.abc import Iterable


def append_only_ddl(dialect: str, tables: Iterable[str]) -> list[str]:
    """Statements that make every table in `tables` refuse UPDATE and DELETE."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {t}_no_{op.lower()} BEFORE {op} ON {t} "
            f"BEGIN SELECT RAISE(ABORT, 'journal table {t} is append-only: {op} refused'); END"
            for t in tables
            for op in ("UPDATE", "DELETE")
        ]
    if dialect == "postgresql":
        statements = [
            "CREATE OR REPLACE FUNCTION jf_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'journal table % is append-only: % refused', "
            "TG_TABLE_NAME, TG_OP; END $$"
        ]
        for t in tables:
            statements.append(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION jf_refuse_change()"
            )
            statements.append(
                f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
                "FOR EACH STATEMENT EXECUTE FUNCTION jf_refuse_change()"
            )
        return statements
    raise ValueError(f"unsupported database dialect {dialect!r}")


def account_guard_ddl(dialect: str) -> list[str]:
    """Accounts may only gain a closing date; everything else about them is history too."""
    if dialect == "sqlite":
        return [
            "CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts "
            "BEGIN SELECT RAISE(ABORT, 'accounts cannot be deleted; close them'); END",
            "CREATE TRIGGER accounts_frozen BEFORE UPDATE OF id, name, type, currency, partner, "
            "non_negative, opened_on ON accounts "
            "BEGIN SELECT RAISE(ABORT, 'only closed_on of an account may change'); END",
        ]
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION jf_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN IF TG_OP = 'DELETE' THEN "
            "RAISE EXCEPTION 'accounts cannot be deleted; close them'; END IF; "
            "IF (NEW.id, NEW.name, NEW.type, NEW.currency, NEW.partner, NEW.non_negative, "
            "NEW.opened_on) IS DISTINCT FROM (OLD.id, OLD.name, OLD.type, OLD.currency, "
            "OLD.partner, OLD.non_negative, OLD.opened_on) THEN "
            "RAISE EXCEPTION 'only closed_on of an account may change'; END IF; "
            "RETURN NEW; END $$",
            "CREATE TRIGGER accounts_guard BEFORE UPDATE OR DELETE ON accounts "
            "FOR EACH ROW EXECUTE FUNCTION jf_account_guard()",
        ]
    raise ValueError(f"unsupported database dialect {dialect!r}")
