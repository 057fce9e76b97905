"""The eBay personality of the emulator.

It answers as eBay's REST APIs do (OAuth consent page and token endpoint,
Identity, Account, Inventory, Fulfillment, Feed, Finances, Media, Migrate,
Notification, Taxonomy, Analytics), on eBay's own paths, checked against
eBay's OpenAPI contracts by the core.  Importing this package registers every
API module's routes on ``routes.ROUTER``; :class:`EbayPersonality` is what the
core serves.

In a process (benchmarks, tests)::

    from emulator.ebay import start_emulator
    handle = start_emulator()            # 127.0.0.1, a free port
    ...
    handle.stop()
"""

import logging

from . import (
    account_api,
    analytics_api,
    control,
    feed_api,
    finances_api,
    fulfillment_api,
    group_api,
    identity,
    inventory_api,
    media_api,
    migrate_api,
    notification_api,
    oauth,
    refund_api,
    taxonomy_api,
)
from .personality import UNCHECKED_WARNING, EbayPersonality, default_contracts_dir

__all__ = [
    "UNCHECKED_WARNING",
    "ContractsMissing",
    "EbayPersonality",
    "EmulatorHandle",
    "build_server",
    "default_contracts_dir",
    "load_contracts",
    "start_emulator",
]

from ..core import ContractsMissing, EmulatorHandle, serve_in_thread
from ..core import build_server as build_core_server

_logger = logging.getLogger("emulator")


def load_contracts(contracts_dir=None):
    """eBay's contract book of ``contracts_dir`` (default: see
    :func:`default_contracts_dir`); :class:`ContractsMissing` when there is
    none."""
    return EbayPersonality().load_contracts(contracts_dir)


def build_server(
    host="127.0.0.1", port=0, contracts_dir=None, apps=(), no_contracts=False
):
    """An eBay emulator server bound to ``host:port``, not yet serving.

    ``apps``: dicts ``{client_id, client_secret, ru_name, accept_url,
    decline_url?}`` registered now and again after every reset.  Without
    contracts it raises :class:`ContractsMissing`, unless ``no_contracts``
    asks for an unchecked emulator (then nothing is checked, loudly).
    """
    personality = EbayPersonality(apps)
    if no_contracts:
        _logger.warning(UNCHECKED_WARNING)
        contracts = None
    else:
        contracts = personality.load_contracts(contracts_dir)
    return build_core_server(personality, host, port, contracts)


def start_emulator(
    host="127.0.0.1", port=0, contracts_dir=None, apps=(), no_contracts=False
):
    """Serve in a background (daemon) thread; return an :class:`EmulatorHandle`.

    ``port=0`` picks a free port (see ``handle.url``).  ``contracts_dir``
    defaults as in :func:`default_contracts_dir`; see :func:`build_server`
    for ``no_contracts``.
    """
    server = build_server(host, port, contracts_dir, apps, no_contracts)
    return serve_in_thread(server, name="ebay-emulator")
