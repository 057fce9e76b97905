"""The eBay personality's routing table.

Each eBay API module registers its handlers here, e.g.::

    @route("GET", "/sell/inventory/v1/inventory_item/{sku}")
    def get_item(req):
        ...

``auth``: "user" (a user access token), "app" (an application token),
"any" (either) or None (no token: control API, consent page, OAuth); see
``EbayPersonality.authenticate``.  ``emulator/ebay/__init__.py`` imports
every API module, so importing the package fills the table.
"""

from ..core.routes import Router

ROUTER = Router(auth_kinds=("user", "app", "any"))
route = ROUTER.route
