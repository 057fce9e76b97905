"""A loopback marketplace emulator for tests, benchmarks and the demo.

Two places: ``core/`` (HTTP server, request pipeline, contract checks of
requests and answers against OpenAPI 3 and Swagger 2.0 contracts, faults,
clock, call log, control API; it names no marketplace) and one personality
per marketplace; ``ebay/`` is the first.  ``client.py`` is the one control
client tests, benchmarks and scripts use.

The eBay personality answers as eBay's REST APIs do (OAuth consent page and
token endpoint, Identity, Inventory, Account, Fulfillment, ...), on eBay's
own paths, and
checks every request to an eBay path, and every answer it gives there,
against eBay's OpenAPI contracts (``../shared/ebay-contracts`` beside the
repository, or ``EBAY_CONTRACTS_DIR``); the OAuth endpoints, which have no
contract, against the form eBay documents (``ebay/oauth_contract.py``).  Without
contracts it refuses to start, unless ``--no-contracts`` asks for an
unchecked emulator.
It is pure Python (stdlib HTTP server + jsonschema), never imports odoo, and
the Odoo addon never imports it.

In a process (benchmarks, tests)::

    from emulator import start_emulator
    from emulator.client import EbayEmulatorClient
    handle = start_emulator()            # 127.0.0.1, a free port
    EbayEmulatorClient(handle.url).register_app(...)
    ...
    handle.stop()

On the command line (from the repository root)::

    python3 -m emulator --host 127.0.0.1 --port 8099 \\
        --contracts ../shared/ebay-contracts \\
        --app CLIENT_ID:CLIENT_SECRET:RUNAME:ACCEPT_URL[:DECLINE_URL] \\
        [--port-file FILE] [--no-contracts]

The control API (``/_emulator/...``) is listed in ``core/control.py`` and
``ebay/control.py``; the request pipeline in ``core/server.py``; what the
contract check checks in ``core/contracts.py`` (and eBay's corrections in
``ebay/contracts.py``).

Its tests, from the repository root::

    python3 -m pytest emulator/tests -q

``emulator/tests/pytest.ini`` makes that folder pytest's rootdir, so pytest
never imports the repository's top-level ``__init__.py`` (the Odoo addon),
and turns the pytest-odoo plugin off (it wants a database); ``conftest.py``
puts the repository root on ``sys.path`` so ``emulator`` imports as a
top-level package.
"""

import logging

from .core import ContractsMissing, EmulatorHandle, serve_in_thread
from .core import build_server as build_core_server
from .ebay import UNCHECKED_WARNING, EbayPersonality, default_contracts_dir

__all__ = [
    "UNCHECKED_WARNING",
    "ContractsMissing",
    "EmulatorHandle",
    "build_server",
    "default_contracts_dir",
    "load_contracts",
    "start_emulator",
]

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
