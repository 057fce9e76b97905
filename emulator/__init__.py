"""A loopback eBay emulator for tests, benchmarks and the demo.

It answers as eBay's REST APIs do and checks every request to an eBay path
against eBay's OpenAPI contracts (../shared/ebay-contracts).  It never
imports odoo and Odoo never imports it.

Run: ``python3 -m emulator --port 8099 --contracts ../shared/ebay-contracts``
(from the repository root).  Tests: ``python3 -m pytest emulator/tests``.
"""

import logging
import os
import threading
from pathlib import Path

from .contracts import ContractBook
from .server import EmulatorServer
from .state import State

_logger = logging.getLogger("emulator")


def default_contracts_dir():
    env = os.environ.get("EBAY_CONTRACTS_DIR")
    if env:
        return env
    candidate = Path(__file__).resolve().parents[1].parent / "shared" / "ebay-contracts"
    return str(candidate) if candidate.is_dir() else None


class EmulatorHandle:
    def __init__(self, server, thread):
        self.server = server
        self.thread = thread
        host, port = server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self.state = server.state

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def build_server(host="127.0.0.1", port=0, contracts_dir=None, apps=()):
    state = State(cli_apps=apps)
    contracts_dir = contracts_dir or default_contracts_dir()
    if contracts_dir and Path(contracts_dir).is_dir():
        state.contracts = ContractBook(contracts_dir)
    else:
        _logger.warning("No eBay contracts found: requests are not checked")
        state.contracts = None
    return EmulatorServer((host, port), state)


def start_emulator(host="127.0.0.1", port=0, contracts_dir=None, apps=()):
    """Start in a background thread; return an :class:`EmulatorHandle`."""
    server = build_server(host, port, contracts_dir, apps)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return EmulatorHandle(server, thread)
