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

import ipaddress
import logging
import os
from urllib.parse import urlsplit

from odoo.exceptions import UserError
from odoo.tools import config

from ...const import EMULATOR_URL_CONFIG, EMULATOR_URL_ENV
from ...ebay import Endpoints

_logger = logging.getLogger(__name__)
_refused_settings = set()


def loopback_base_url(value):
    """``scheme://host[:port]`` of ``value`` when it is a loopback URL, else None.

    Anything more than a scheme, a host and a port (credentials, a path, a
    query) is refused rather than dropped: the setting must say exactly
    where the emulator is.
    """
    try:
        parts = urlsplit((value or "").strip())
        port = parts.port  # ValueError on a port that is not a number
    except ValueError:
        return None
    host = parts.hostname
    if (
        parts.scheme not in ("http", "https")
        or not host
        or parts.username is not None
        or parts.password is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        return None
    if host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                return None
        except ValueError:  # a name other than localhost
            return None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}"


def enabled_emulator_url():
    """The emulator URL this server's configuration enables, or None.

    The environment variable wins over the configuration file.  A setting
    that is not a loopback URL enables nothing (and is reported once).
    """
    if os.environ.get(EMULATOR_URL_ENV):
        source, raw = EMULATOR_URL_ENV, os.environ[EMULATOR_URL_ENV]
    else:
        source, raw = EMULATOR_URL_CONFIG, config.get(EMULATOR_URL_CONFIG)
    if not raw:
        return None
    url = loopback_base_url(raw)
    if url is None and (source, raw) not in _refused_settings:
        _refused_settings.add((source, raw))
        _logger.warning(
            "%s is not a loopback http(s) URL (scheme, host and port only): "
            "the eBay emulator stays disabled",
            source,
        )
    return url


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
