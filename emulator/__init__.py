"""A loopback eBay emulator for tests, benchmarks and the demo.

It answers as eBay's REST APIs do (OAuth consent page and token endpoint,
Identity, Inventory, Account, Fulfillment, ...), on eBay's own paths, and
checks every request to an eBay path against eBay's OpenAPI contracts
(``../shared/ebay-contracts`` beside the repository, or ``EBAY_CONTRACTS_DIR``).
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
        [--port-file FILE]

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


def load_contracts(contracts_dir=None):
    """The :class:`ContractBook` of ``contracts_dir`` (default: see
    :func:`default_contracts_dir`), or None, with a warning, when there is
    none: the emulator then answers without checking requests."""
    contracts_dir = contracts_dir or default_contracts_dir()
    if not contracts_dir or not Path(contracts_dir).is_dir():
        _logger.warning(
            "No eBay contracts found (%s): requests are NOT checked against them",
            contracts_dir or "set EBAY_CONTRACTS_DIR or --contracts",
        )
        return None
    book = ContractBook(contracts_dir)
    if not book.operations:
        _logger.warning("No operations in %s: requests are NOT checked", contracts_dir)
        return None
    for operation in book.operations:  # compile now, not on the first call
        operation.body_validator()
    return book


def build_server(host="127.0.0.1", port=0, contracts_dir=None, apps=()):
    """An :class:`EmulatorServer` bound to ``host:port``, not yet serving.

    ``apps``: dicts ``{client_id, client_secret, ru_name, accept_url,
    decline_url?}`` registered now and again after every reset.
    """
    state = State(cli_apps=apps)
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


def start_emulator(host="127.0.0.1", port=0, contracts_dir=None, apps=()):
    """Serve in a background (daemon) thread; return an :class:`EmulatorHandle`.

    ``port=0`` picks a free port (see ``handle.url``).  ``contracts_dir``
    defaults as in :func:`default_contracts_dir`.
    """
    server = build_server(host, port, contracts_dir, apps)
    thread = threading.Thread(
        target=server.serve_forever, name="ebay-emulator", daemon=True
    )
    thread.start()
    return EmulatorHandle(server, thread)
