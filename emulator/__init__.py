"""A loopback eBay emulator for tests, benchmarks and the demo.

It answers as eBay's REST APIs do (OAuth consent page and token endpoint,
Identity, Inventory, Account, Fulfillment, ...), on eBay's own paths, and
checks every request to an eBay path, and every answer it gives there,
against eBay's OpenAPI contracts (``../shared/ebay-contracts`` beside the
repository, or ``EBAY_CONTRACTS_DIR``); the OAuth endpoints, which have no
contract, against the form eBay documents (``oauth_contract.py``).  Without
contracts it refuses to start, unless ``--no-contracts`` asks for an
unchecked emulator.
It is pure Python (stdlib HTTP server + jsonschema), never imports odoo, and
the Odoo addon never imports it.

In a process (benchmarks, tests)::

    from emulator import start_emulator
    handle = start_emulator()            # 127.0.0.1, a free port
    requests.post(handle.url + "/_emulator/apps", json={...})
    ...
    handle.stop()

On the command line (from the repository root)::

    python3 -m emulator --host 127.0.0.1 --port 8099 \\
        --contracts ../shared/ebay-contracts \\
        --app CLIENT_ID:CLIENT_SECRET:RUNAME:ACCEPT_URL[:DECLINE_URL] \\
        [--port-file FILE] [--no-contracts]

The control API (``/_emulator/...``) is listed in ``control.py``; the request
pipeline in ``server.py``; what the contract check checks in ``contracts.py``.

Its tests, from the repository root::

    python3 -m pytest emulator/tests -q

``emulator/tests/pytest.ini`` makes that folder pytest's rootdir, so pytest
never imports the repository's top-level ``__init__.py`` (the Odoo addon),
and turns the pytest-odoo plugin off (it wants a database); ``conftest.py``
puts the repository root on ``sys.path`` so ``emulator`` imports as a
top-level package.
"""

import logging
import os
import threading
from pathlib import Path

from .contracts import ContractBook
from .server import EmulatorServer
from .state import State

_logger = logging.getLogger("emulator")

REPO_DIR = Path(__file__).resolve().parents[1]


def default_contracts_dir():
    """``EBAY_CONTRACTS_DIR``, else ``<repo>/../shared/ebay-contracts`` if it
    exists, else None."""
    env = os.environ.get("EBAY_CONTRACTS_DIR")
    if env:
        return env
    candidate = REPO_DIR.parent / "shared" / "ebay-contracts"
    return str(candidate) if candidate.is_dir() else None


class ContractsMissing(RuntimeError):
    """No eBay contracts where the emulator was told to find them."""


UNCHECKED_WARNING = (
    "THE eBay EMULATOR RUNS WITHOUT eBay's CONTRACTS (--no-contracts): no "
    "request and no answer is checked, and 'no contract violation' proves nothing."
)


def load_contracts(contracts_dir=None):
    """The :class:`ContractBook` of ``contracts_dir`` (default: see
    :func:`default_contracts_dir`); :class:`ContractsMissing` when there is
    none: the emulator does not run unchecked by accident."""
    contracts_dir = contracts_dir or default_contracts_dir()
    if not contracts_dir or not Path(contracts_dir).is_dir():
        raise ContractsMissing(
            f"No eBay contracts found ({contracts_dir or 'none given'}): give their "
            "folder with --contracts or EBAY_CONTRACTS_DIR, or run unchecked with "
            "--no-contracts"
        )
    book = ContractBook(contracts_dir)
    if not book.operations:
        raise ContractsMissing(f"No eBay operations in the contracts: {contracts_dir}")
    for operation in book.operations:  # compile now, not on the first call
        operation.body_validator()
    return book


def build_server(
    host="127.0.0.1", port=0, contracts_dir=None, apps=(), no_contracts=False
):
    """An :class:`EmulatorServer` bound to ``host:port``, not yet serving.

    ``apps``: dicts ``{client_id, client_secret, ru_name, accept_url,
    decline_url?}`` registered now and again after every reset.  Without
    contracts it raises :class:`ContractsMissing`, unless ``no_contracts``
    asks for an unchecked emulator (then nothing is checked, loudly).
    """
    state = State(cli_apps=apps)
    if no_contracts:
        _logger.warning(UNCHECKED_WARNING)
        state.contracts = None
    else:
        state.contracts = load_contracts(contracts_dir)
    return EmulatorServer((host, port), state)


class EmulatorHandle:
    """A running in-process emulator: ``url``, ``state`` and ``stop()``."""

    def __init__(self, server, thread):
        self.server = server
        self.thread = thread
        self.host, self.port = server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self.state = server.state

    def stop(self):
        """Stop serving and close the listening socket."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start_emulator(
    host="127.0.0.1", port=0, contracts_dir=None, apps=(), no_contracts=False
):
    """Serve in a background (daemon) thread; return an :class:`EmulatorHandle`.

    ``port=0`` picks a free port (see ``handle.url``).  ``contracts_dir``
    defaults as in :func:`default_contracts_dir`; see :func:`build_server`
    for ``no_contracts``.
    """
    server = build_server(host, port, contracts_dir, apps, no_contracts)
    thread = threading.Thread(
        target=server.serve_forever, name="ebay-emulator", daemon=True
    )
    thread.start()
    return EmulatorHandle(server, thread)
