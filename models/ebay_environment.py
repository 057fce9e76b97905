"""Where each eBay environment is, from the server's configuration only.

Production and sandbox are eBay's fixed hosts.  The emulator environment
exists only when the server's own configuration names a loopback emulator:
the ``ebay_emulator_url`` option of odoo.conf, else the ``EBAY_EMULATOR_URL``
environment variable (scripts/test.sh sets it).  No field
a user edits can add a host here: what is fetched from these hosts (eBay's
public keys for notifications) is trusted for every company.
"""

import ipaddress
import os
from urllib.parse import urlsplit

from odoo.tools import config

from ..ebay import Endpoints

EMULATOR_URL_CONFIG = "ebay_emulator_url"
EMULATOR_URL_ENV = "EBAY_EMULATOR_URL"


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def configured_emulator_url():
    """The emulator's base URL the server enables, or None.

    Only http(s) URLs on a loopback host count: the emulator is a local test
    double, never a host elsewhere.
    """
    url = config.get(EMULATOR_URL_CONFIG) or os.environ.get(EMULATOR_URL_ENV) or ""
    url = str(url).strip().rstrip("/")
    if not url:
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme not in ("http", "https") or not _is_loopback(host):
        return None
    return url


def fixed_endpoints(environment):
    """eBay's hosts for ``environment``, or None when the server does not
    enable it (the emulator without configuration, an unknown name)."""
    if environment == "emulator":
        url = configured_emulator_url()
        return Endpoints.for_environment("emulator", url) if url else None
    if environment in ("production", "sandbox"):
        return Endpoints.for_environment(environment)
    return None
