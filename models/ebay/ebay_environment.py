"""Which eBay hosts this server lets an account talk to (not a model).

Production and sandbox are eBay's fixed hosts.  The emulator environment
exists only when the server's own configuration enables it, through the
``EBAY_EMULATOR_URL`` environment variable or the ``ebay_emulator_url``
option of the Odoo configuration file, and only at a loopback address
(127.0.0.0/8, ::1, localhost).  No field a user edits chooses a host, so no
one can have an account's tokens or client secret sent to a host of their
choosing.

Everything that needs an eBay host asks here: the account's clients, the
notification key lookup, the connect wizard.
"""

import logging

from odoo.exceptions import UserError

from ...const import EMULATOR_URL_CONFIG, EMULATOR_URL_ENV
from ...ebay import Endpoints
from ..marketplace.loopback_url import (
    configured_loopback_url,
    loopback_base_url,  # noqa: F401  (eBay's callers import it from here)
)

_logger = logging.getLogger(__name__)


def enabled_emulator_url():
    """The emulator URL this server's configuration enables, or None.

    The environment variable wins over the configuration file.  A setting
    that is not a loopback URL enables nothing (and is reported once).
    """
    return configured_loopback_url(
        EMULATOR_URL_ENV, EMULATOR_URL_CONFIG, _logger, "the eBay emulator"
    )


def emulator_not_enabled_error(env):
    return UserError(
        env._(
            "The eBay emulator is not enabled on this server. Only an "
            "administrator of the server enables it, by setting %(env)s, or "
            "'%(option)s' in the Odoo configuration file, to the emulator's "
            "loopback URL (for example http://127.0.0.1:8099).",
            env=EMULATOR_URL_ENV,
            option=EMULATOR_URL_CONFIG,
        )
    )


def endpoints_for(env, environment):
    """The eBay hosts of ``environment`` on this server.

    Raises a UserError that says how to enable the emulator when
    ``environment`` is the emulator and the server does not enable it.
    """
    if environment == "emulator":
        url = enabled_emulator_url()
        if not url:
            raise emulator_not_enabled_error(env)
        return Endpoints.for_environment("emulator", url)
    return Endpoints.for_environment(environment)


def fixed_endpoints(environment):
    """eBay's hosts for ``environment``, or None when this server does not
    enable it (the emulator without the switch, an unknown name).

    What is fetched from these hosts (eBay's public keys for notifications)
    is trusted for every company, so no field a user edits may add one.
    """
    if environment == "emulator":
        url = enabled_emulator_url()
        return Endpoints.for_environment("emulator", url) if url else None
    if environment in ("production", "sandbox"):
        return Endpoints.for_environment(environment)
    return None
