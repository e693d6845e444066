"""How the project declares a Celery task: by an explicit name, ``<app>.<what it does>``
(``donations.notify_donor``), never the name Celery would derive from the module path.

A task's name is stored where it waits to run (outbox rows, the broker's queues, beat's
schedule), so a renamed task keeps answering to what it was called before: ``formerly``
registers the same function under each old name.
"""

import re

from celery import shared_task

NAME = re.compile(r"^[a-z]+\.[a-z][a-z0-9_]*$")

# Every former name → the name it answers to now (filled as the task modules are imported).
FORMER_NAMES: dict[str, str] = {}


def task(name: str, *, formerly: tuple[str, ...] = (), **options):
    """``@task("funds.notify_decision", formerly=("funds.tasks.notify_decision_task",))``:
    a shared task under ``name`` that also runs when called by a former name."""
    if not NAME.match(name) or name.endswith("_task"):
        raise ValueError(f"task name {name!r} is not '<app>.<what it does>'")

    def register(function):
        for old in formerly:
            shared_task(name=old, **options)(function)
            FORMER_NAMES[old] = name
        return shared_task(name=name, **options)(function)

    return register
