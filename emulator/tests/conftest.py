"""One emulator for the emulator's own tests (real HTTP on loopback).

Run from the repository root: ``python3 -m pytest emulator/tests -q``
(``pytest.ini`` beside this file keeps pytest from importing the Odoo addon).
"""

import importlib.machinery
import importlib.util
import os
import sys
from pathlib import Path

import pytest
import requests

# The repository root holds the Odoo addon's __init__ (which imports odoo):
# put it on sys.path so `emulator` imports as a top-level package instead.
REPO_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_DIR))


def _addon_package_without_odoo(name="marketplace_connector"):
    """The addon's pure packages (``apiclient``, ``ebay``) importable as
    ``marketplace_connector.ebay``, without running the addon's __init__.

    ``ebay`` reaches ``apiclient`` as its sibling (``from ..apiclient``), so
    it must be imported inside a parent package, as Odoo does.
    """
    if name not in sys.modules:
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(REPO_DIR)]
        sys.modules[name] = importlib.util.module_from_spec(spec)


_addon_package_without_odoo()

from amazon_app import APP as AMAZON_APP
from amazon_app import AmazonEmuClient
from ebay_app import APP, EmuClient

from emulator.amazon import start_emulator as start_amazon_emulator
from emulator.client import EmulatorUnchecked
from emulator.core import state_file
from emulator.ebay import start_emulator

CONTRACTS = os.environ.get("EBAY_CONTRACTS_DIR") or str(
    REPO_DIR.parent / "shared" / "ebay-contracts"
)
AMAZON_MODELS = os.environ.get("AMAZON_MODELS_DIR") or str(
    REPO_DIR.parent / "shared" / "amazon-models"
)


def assert_savable(state):
    """Whatever a test left in ``state``, a state file (``--state-file``)
    keeps it: saved, loaded into a fresh state, saved again, the same."""
    text = state_file.dumps(state)
    fresh = type(state)()
    state_file.loads(fresh, text)
    assert state_file.dumps(fresh) == text


@pytest.fixture(scope="session")
def contracts_dir():
    if not Path(CONTRACTS, "sell_inventory_v1_oas3.json").is_file():
        pytest.fail(f"eBay's contracts are needed at {CONTRACTS} (EBAY_CONTRACTS_DIR)")
    return CONTRACTS


@pytest.fixture(scope="session")
def emulator(contracts_dir):
    handle = start_emulator(contracts_dir=contracts_dir)
    try:
        EmuClient(handle.url).checked()
    except EmulatorUnchecked as exc:
        handle.stop()
        pytest.fail(str(exc))
    yield handle
    handle.stop()


@pytest.fixture
def emu(emulator):
    """``(url, session)`` of a freshly reset emulator with one app.

    Every test ends with no contract violation left, by requests or by the
    emulator's answers: a test that provokes one on purpose takes it
    (``EmulatorClient.take_violations``) and asserts what it is.
    """
    session = requests.Session()
    control = EmuClient(emulator.url, session)
    control.reset()
    control.register_app(**APP)
    yield emulator.url, session
    left = control.violations()
    session.close()
    assert_savable(emulator.state)
    assert left == [], "eBay's contracts were broken:\n" + "\n".join(
        f"{v['side']} {v['method']} {v['path']} ({v['operation']}): {v['reason']}"
        for v in left
    )


@pytest.fixture
def client(emu):
    """An :class:`EmuClient` on the reset emulator."""
    url, session = emu
    return EmuClient(url, session)


@pytest.fixture(scope="session")
def amazon_models_dir():
    if not Path(AMAZON_MODELS, "models", "sellers-api-model", "sellers.json").is_file():
        pytest.fail(
            f"Amazon's models are needed at {AMAZON_MODELS} (AMAZON_MODELS_DIR)"
        )
    return AMAZON_MODELS


@pytest.fixture(scope="session")
def amazon_emulator(amazon_models_dir):
    handle = start_amazon_emulator(models_dir=amazon_models_dir)
    try:
        AmazonEmuClient(handle.url).checked()
    except EmulatorUnchecked as exc:
        handle.stop()
        pytest.fail(str(exc))
    yield handle
    handle.stop()


@pytest.fixture
def amazon(amazon_emulator):
    """An :class:`AmazonEmuClient` on a freshly reset Amazon emulator with
    :data:`amazon_app.APP` registered.

    Every test ends with no contract violation left (a test that provokes
    one on purpose takes it with ``take_violations`` and asserts it).
    """
    session = requests.Session()
    client = AmazonEmuClient(amazon_emulator.url, session)
    client.reset()
    client.add_app(**AMAZON_APP)
    yield client
    left = client.violations()
    session.close()
    assert_savable(amazon_emulator.state)
    assert left == [], "Amazon's models were broken:\n" + "\n".join(
        f"{v['side']} {v['method']} {v['path']} ({v['operation']}): {v['reason']}"
        for v in left
    )
