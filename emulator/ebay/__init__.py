"""The eBay personality of the emulator.

It answers as eBay's REST APIs do (OAuth consent page and token endpoint,
Identity, Account, Inventory, Fulfillment, Media, Migrate, Notification,
Taxonomy), on eBay's own paths, checked against eBay's OpenAPI contracts by
the core.  Importing this package registers every API module's routes on
``routes.ROUTER``; :class:`EbayPersonality` is what the core serves.
"""

from . import (
    account_api,
    control,
    fulfillment_api,
    group_api,
    identity,
    inventory_api,
    media_api,
    migrate_api,
    notification_api,
    oauth,
    taxonomy_api,
)
from .personality import UNCHECKED_WARNING, EbayPersonality, default_contracts_dir

__all__ = ["UNCHECKED_WARNING", "EbayPersonality", "default_contracts_dir"]
