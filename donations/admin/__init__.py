"""Staff's daily work with donations, in Chinese and scoped to their stations.

Rows are never edited here: recording, confirming, refunding and voiding go through
``donations.services`` (goods through ``donations.goods_services``); money fields are read
only. One module per page family: ``points`` (donation points and donors), ``donations``,
``batches`` (box openings), ``receipts`` and ``goods``; ``filters`` holds the shared list
filters. Importing the package registers every page.
"""

from . import batches, donations, goods, points, receipts  # noqa: F401 (registers the pages)
