"""``--state-file``: an emulator started again finds the seller connected.

The demo (scripts/run.sh) keeps each emulator's state in a file under
.run/: the tokens Odoo holds, the listings and the orders stay valid after
a stop and a new start.  Saved as the state changes (a killed emulator
keeps what it had), and on stop; an absent or unreadable file starts clean
and says so.  (conftest.py checks that every test's state saves and loads.)
"""

import json
import os
import signal
import stat
import time

import pytest
import requests
from amazon_app import APP as AMAZON_APP
from amazon_app import SELLER, US, AmazonEmuClient, start_amazon_cli
from ebay_app import APP, SCOPES, EmuClient, start_cli

from emulator.core import state_file
from emulator.ebay.state import EbayState

INVENTORY = "/sell/inventory/v1"
ACCOUNT_SCOPE = "https://api.ebay.com/oauth/api_scope/sell.account"
JSON = {"Content-Type": "application/json", "Content-Language": "en-US"}
APP_LINE = (
    f"{APP['client_id']}:{APP['client_secret']}:{APP['ru_name']}:"
    f"{APP['accept_url']}:{APP['decline_url']}"
)
ITEM = {
    "availability": {"shipToLocationAvailability": {"quantity": 3}},
    "condition": "NEW",
    "product": {"title": "Blue mug"},
}


def _ebay(contracts_dir, path, log):
    process, line, url = start_cli(
        "--contracts",
        contracts_dir,
        "--app",
        APP_LINE,
        "--state-file",
        str(path),
        stderr=log,
    )
    assert line == f"eBay emulator listening on {url}"
    return process, EmuClient(url, requests.Session())


def _stop(process, sig=signal.SIGTERM):
    process.send_signal(sig)
    process.wait(timeout=15)
    process.stdout.close()


def _wait_saved(path, needle):
    """Until the file at ``path`` holds ``needle`` (saved while running)."""
    for _i in range(100):
        if path.exists() and needle in path.read_text():
            return
        time.sleep(0.1)
    pytest.fail(f"{path.name} was not saved after the change")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_ebay_seller_stays_connected_across_a_restart(tmp_path, contracts_dir, stop):
    path = tmp_path / "ebay-state.json"
    log = open(tmp_path / "emulator.log", "w")  # noqa: SIM115 (closed below)
    process, client = _ebay(contracts_dir, path, log)
    try:
        tokens = client.user_tokens(f"{SCOPES} {ACCOUNT_SCOPE}")
        token = tokens["access_token"]
        answer = client.call(
            "PUT", f"{INVENTORY}/inventory_item/MUG-1", token, json=ITEM, headers=JSON
        )
        assert answer.status_code in (200, 201, 204), answer.text
        opted = client.call(
            "POST",
            "/sell/account/v1/program/opt_in",
            token,
            json={"programType": "SELLING_POLICY_MANAGEMENT"},
        )
        assert opted.status_code == 200, opted.text
        _wait_saved(path, "SELLING_POLICY_MANAGEMENT")
        if stop == signal.SIGTERM:
            # Changed just before the stop: saved by the stop itself.
            last = client.call(
                "PUT",
                f"{INVENTORY}/inventory_item/MUG-2",
                token,
                json=ITEM,
                headers=JSON,
            )
            assert last.status_code in (200, 201, 204), last.text
    finally:
        # SIGKILL: only what was saved as the state changed is there.
        _stop(process, stop)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # it holds tokens

    process, client = _ebay(contracts_dir, path, log)
    try:
        item = client.call("GET", f"{INVENTORY}/inventory_item/MUG-1", token)
        assert item.status_code == 200, item.text
        assert item.json()["product"]["title"] == "Blue mug"
        if stop == signal.SIGTERM:
            last = client.call("GET", f"{INVENTORY}/inventory_item/MUG-2", token)
            assert last.status_code == 200, last.text
        programs = client.call(
            "GET", "/sell/account/v1/program/get_opted_in_programs", token
        )
        assert programs.json()["programs"] == [
            {"programType": "SELLING_POLICY_MANAGEMENT"}
        ]
        refreshed = client.token(
            grant_type="refresh_token", refresh_token=tokens["refresh_token"]
        )
        assert refreshed.status_code == 200, refreshed.text
        assert client.violations() == []
    finally:
        _stop(process)
        log.close()
    text = (tmp_path / "emulator.log").read_text()
    assert f"state loaded from {path}" in text
    assert token not in text and APP["client_secret"] not in text


@pytest.mark.parametrize(
    "content", ["{not json", '{"format": 1, "kind": "AmazonState", "state": {}}']
)
def test_an_unreadable_file_starts_clean_and_says_so(tmp_path, contracts_dir, content):
    path = tmp_path / "ebay-state.json"
    path.write_text(content)
    log = open(tmp_path / "emulator.log", "w")  # noqa: SIM115 (closed below)
    process, client = _ebay(contracts_dir, path, log)
    try:
        # The app of the command line is there; no item is.
        tokens = client.user_tokens()
        item = client.call(
            "GET", f"{INVENTORY}/inventory_item/MUG-1", tokens["access_token"]
        )
        assert item.status_code == 404, item.text
        # The next save replaces the broken file with the state.
        _wait_saved(path, tokens["refresh_token"])
    finally:
        _stop(process)
        log.close()
    lines = (tmp_path / "emulator.log").read_text().splitlines()
    unreadable = [line for line in lines if "unreadable" in line]
    assert len(unreadable) == 1
    assert unreadable[0].endswith(": starting with a clean state")
    assert json.loads(path.read_text())["kind"] == "EbayState"


def test_no_file_starts_clean_and_says_so(tmp_path, contracts_dir):
    path = tmp_path / "ebay-state.json"
    log = open(tmp_path / "emulator.log", "w")  # noqa: SIM115 (closed below)
    process, client = _ebay(contracts_dir, path, log)
    try:
        assert client.health()["ok"]
    finally:
        _stop(process)
        log.close()
    text = (tmp_path / "emulator.log").read_text()
    assert f"no state file at {path}: starting with a clean state" in text
    assert path.exists()


def test_amazon_seller_stays_connected_across_a_restart(tmp_path, amazon_models_dir):
    path = tmp_path / "amazon-state.json"
    app_file = tmp_path / "apps"
    app_file.write_text(
        f"{AMAZON_APP['client_id']}:{AMAZON_APP['client_secret']}:"
        f"{AMAZON_APP['application_id']}:{AMAZON_APP['redirect_uri']}\n"
    )
    options = ("--models", amazon_models_dir, "--app-file", str(app_file))
    options += ("--state-file", str(path))
    process, _line, url = start_amazon_cli(*options)
    try:
        amazon = AmazonEmuClient(url, requests.Session())
        _location, query = amazon.seller_consent()
        exchanged = amazon.exchange(query["spapi_oauth_code"])
        assert exchanged.status_code == 200, exchanged.text
        refresh_token = exchanged.json()["refresh_token"]
        order = amazon.create_order(US, [{"sku": "MUG-1", "quantity": 1, "price": 9.5}])
    finally:
        _stop(process)

    process, _line, url = start_amazon_cli(*options)
    try:
        amazon = AmazonEmuClient(url, requests.Session())
        refreshed = amazon.app_lwa(
            grant_type="refresh_token", refresh_token=refresh_token
        )
        assert refreshed.status_code == 200, refreshed.text
        kept = amazon.order(order["orderId"])
        assert kept["sellerId"] == SELLER
        assert [i["product"]["sellerSku"] for i in kept["orderItems"]] == ["MUG-1"]
        assert amazon.violations() == []
    finally:
        _stop(process)


def test_what_json_lacks_comes_back_as_it_was():
    from cryptography.hazmat.primitives.asymmetric import ec

    state = EbayState()
    key = ec.generate_private_key(ec.SECP256R1())
    state.data = {
        "revisions": {("110001", "2026-12-01"): 3},
        "programs": {"SELLING_POLICY_MANAGEMENT"},
        "image": b"\x89PNG\r\n",
        "pair": ("a", 1),
        "~set": "a key that looks like a tag",
        "key": key,
    }
    fresh = EbayState()
    state_file.loads(fresh, state_file.dumps(state))
    kept = dict(fresh.data)
    assert kept.pop("key").public_key().public_numbers() == (
        key.public_key().public_numbers()
    )
    assert kept == {
        "revisions": {("110001", "2026-12-01"): 3},
        "programs": {"SELLING_POLICY_MANAGEMENT"},
        "image": b"\x89PNG\r\n",
        "pair": ("a", 1),
        "~set": "a key that looks like a tag",
    }


def test_a_value_a_file_cannot_hold_is_refused():
    state = EbayState()
    state.data["lock"] = object()
    with pytest.raises(TypeError, match="cannot hold a object"):
        state_file.dumps(state)
