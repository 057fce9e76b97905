"""Start one emulator for the emulator's own tests (real HTTP on loopback)."""

import os
import sys
from pathlib import Path

import pytest
import requests

# The repository root holds the Odoo addon's __init__ (which imports odoo):
# put it on sys.path so `emulator` imports as a top-level package instead.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from emulator import start_emulator

CONTRACTS = os.environ.get("EBAY_CONTRACTS_DIR") or str(
    Path(__file__).resolve().parents[3] / "shared" / "ebay-contracts"
)


@pytest.fixture(scope="session")
def emulator():
    handle = start_emulator(contracts_dir=CONTRACTS)
    yield handle
    handle.stop()


@pytest.fixture
def emu(emulator):
    session = requests.Session()
    session.post(f"{emulator.url}/_emulator/reset", timeout=5).raise_for_status()
    session.post(
        f"{emulator.url}/_emulator/apps",
        json={
            "client_id": "app",
            "client_secret": "s3cret",
            "ru_name": "ru",
            "accept_url": "http://127.0.0.1:1/accept",
            "decline_url": "http://127.0.0.1:1/decline",
        },
        timeout=5,
    ).raise_for_status()
    return emulator.url, session
