"""config.triggers: the append-only trigger that migrations install, on a table of the test's
own in the test database (rolled back with the test)."""

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from config.triggers import append_only

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def table():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE tests_notes (id serial PRIMARY KEY, note text, published boolean);"
            "INSERT INTO tests_notes (note, published) VALUES ('draft', false), ('out', true);"
        )
    return "tests_notes"


def run(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def refused(sql: str) -> str:
    with pytest.raises(DatabaseError) as error:
        run(sql)
    assert error.value.__cause__.sqlstate == "23001"  # restrict_violation
    return str(error.value)


def install(operation, *, reverse=False):
    with connection.schema_editor(atomic=False) as editor:
        (operation.reverse_code if reverse else operation.code)(apps, editor)


def test_every_update_and_delete_is_refused_and_the_reverse_lifts_it(table):
    operation = append_only(
        table, function="tests_refuse_note_change", message="notes are append-only: % on % it's"
    )
    install(operation)
    assert "notes are append-only: UPDATE on tests_notes it's" in refused(
        "UPDATE tests_notes SET note = 'x'"
    )
    assert "DELETE on tests_notes" in refused("DELETE FROM tests_notes")
    assert run("INSERT INTO tests_notes (note) VALUES ('more')") == 1

    install(operation, reverse=True)
    assert run("UPDATE tests_notes SET note = 'x'") == 3


def test_rows_are_let_through_while_the_condition_holds(table):
    install(
        append_only(
            table,
            function="tests_refuse_published_note_change",
            message="note % is published: % refused",
            message_args=("OLD.id", "TG_OP"),
            unless="NOT OLD.published",
        )
    )
    assert run("UPDATE tests_notes SET note = 'edited' WHERE note = 'draft'") == 1
    assert "note 2 is published: UPDATE refused" in refused(
        "UPDATE tests_notes SET note = 'x' WHERE published"
    )
    assert "is published: DELETE refused" in refused("DELETE FROM tests_notes WHERE published")
    assert run("DELETE FROM tests_notes WHERE NOT published") == 1
