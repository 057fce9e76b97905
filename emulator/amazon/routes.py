"""The Amazon personality's routing table.

Each SP-API module registers its handlers here, e.g.::

    @route("GET", "/sellers/v1/marketplaceParticipations", auth="seller")
    def participations(req):
        ...

``auth``: "seller" (an LWA access token a seller's refresh token or code
gave), "grantless" (a client_credentials token with the operation's scope),
"any" (either) or None (no token: control API, LWA, consent page, presigned
document URLs); see ``AmazonPersonality.authenticate``.
``emulator/amazon/__init__.py`` imports every API module, so importing the
package fills the table.
"""

from ..core.routes import Router

ROUTER = Router(auth_kinds=("seller", "grantless", "any"))
route = ROUTER.route
