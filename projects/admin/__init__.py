"""Staff's daily work on projects in the Chinese admin: scoped lists with the filters they use,
actions that call the services, masked personal data with a logged "show full" page.

One module per page family: ``assessments``, ``projects``, ``beneficiaries`` and ``delivery``
(assistance, activities, progress updates, evaluation); ``common`` holds what they share.
Importing the package registers every page.
"""

from . import assessments, beneficiaries, delivery, projects  # noqa: F401 (registers the pages)
