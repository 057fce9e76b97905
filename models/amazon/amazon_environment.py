"""Which Amazon hosts this server lets an account talk to (not a model).

Production and sandbox are Amazon's fixed hosts per region.  The emulator
environment exists only when the server's own configuration enables it,
through the ``AMAZON_EMULATOR_URL`` environment variable or the
``amazon_emulator_url`` option of the Odoo configuration file, and only at a
loopback address (models/marketplace/loopback_url.py): no field a user edits
chooses where the LWA secret and the seller's tokens are sent.

Everything that needs an Amazon host asks here: the account's clients, the
connect wizard, the consent callback.
"""

import logging

from odoo.exceptions import UserError

from ...amazon import endpoints_for as amazon_endpoints_for
from ..marketplace.loopback_url import configured_loopback_url

_logger = logging.getLogger(__name__)

EMULATOR_URL_ENV = "AMAZON_EMULATOR_URL"
EMULATOR_URL_CONFIG = "amazon_emulator_url"

# Amazon's regions: one refresh token per (seller, region) (facts §3).
REGIONS = [
    ("NA", "North America"),
    ("EU", "Europe"),
    ("FE", "Far East"),
]

# Where Seller Central sends the seller back with the authorisation code.
OAUTH_CALLBACK_PATH = "/amazon/oauth/callback"
# The HMAC scope of Amazon's consent states: an eBay state is worthless here.
OAUTH_HMAC_SCOPE = "marketplace_connector.amazon_oauth"

# LWA client secrets must be rotated every 180 days (facts §1); managers are
# alerted this many days before the end.
CLIENT_SECRET_LIFETIME_DAYS = 180
CLIENT_SECRET_WARNING_DAYS = 30


def enabled_emulator_url():
    """The Amazon emulator URL this server's configuration enables, or None."""
    return configured_loopback_url(
        EMULATOR_URL_ENV, EMULATOR_URL_CONFIG, _logger, "the Amazon emulator"
    )


def emulator_not_enabled_error(env):
    return UserError(
        env._(
            "The Amazon emulator is not enabled on this server. Only an "
            "administrator of the server enables it, by setting %(env)s, or "
            "'%(option)s' in the Odoo configuration file, to the emulator's "
            "loopback URL (for example http://127.0.0.1:8098).",
            env=EMULATOR_URL_ENV,
            option=EMULATOR_URL_CONFIG,
        )
    )


def endpoints_for(env, region, environment):
    """Amazon's hosts (SP-API, LWA, Seller Central) of ``region`` and
    ``environment`` on this server.

    Raises a UserError that says how to enable the emulator when
    ``environment`` is the emulator and the server does not enable it.
    """
    if not region:
        raise UserError(env._("Choose the Amazon region of the account."))
    if environment == "emulator":
        url = enabled_emulator_url()
        if not url:
            raise emulator_not_enabled_error(env)
        return amazon_endpoints_for(region, environment, emulator_url=url)
    return amazon_endpoints_for(region, environment)
