"""The demo's seller (``--demo-seller``): opted in to business policies, with
a shipping, a payment and a return policy on eBay US that the connector reads
as a real seller's, checked against the Account contract."""

import pytest
from ebay_app import API_SCOPE

from emulator.__main__ import main
from emulator.ebay.account_api import seed_demo_seller

ACCOUNT = "/sell/account/v1"
KINDS = {
    "fulfillment_policy": "fulfillmentPolicies",
    "payment_policy": "paymentPolicies",
    "return_policy": "returnPolicies",
}


@pytest.fixture
def token(client):
    scopes = f"{API_SCOPE} {API_SCOPE}/sell.account"
    return client.user_tokens(scope=scopes)["access_token"]


def _names(client, token, marketplace="EBAY_US"):
    names = {}
    for kind, collection in KINDS.items():
        answer = client.call(
            "GET", f"{ACCOUNT}/{kind}?marketplace_id={marketplace}", token
        )
        assert answer.status_code == 200, answer.text
        names[kind] = [p["name"] for p in answer.json()[collection]]
    return names


def test_the_demo_seller_has_its_policies_once(client, emulator, token):
    assert _names(client, token) == {kind: [] for kind in KINDS}
    seed_demo_seller(emulator.state)
    # A kept state seeded before is not seeded again.
    seed_demo_seller(emulator.state)
    assert _names(client, token) == {
        "fulfillment_policy": ["Free USPS Priority, ships next day"],
        "payment_policy": ["Immediate payment"],
        "return_policy": ["30-day returns"],
    }
    assert _names(client, token, "EBAY_GB") == {kind: [] for kind in KINDS}
    programs = client.call("GET", f"{ACCOUNT}/program/get_opted_in_programs", token)
    assert programs.json()["programs"] == [{"programType": "SELLING_POLICY_MANAGEMENT"}]


def test_the_option_is_offered(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--demo-seller" in capsys.readouterr().out
