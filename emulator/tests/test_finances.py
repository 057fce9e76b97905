"""The Finances API of the eBay emulator: transactions, payouts, their
filters and pages, checked against eBay's contract (no violation left)."""

import pytest
from ebay_app import API_SCOPE

FINANCES = "/sell/finances/v1"
MARKETPLACE = {"X-EBAY-C-MARKETPLACE-ID": "EBAY_US"}


@pytest.fixture
def token(client):
    scope = f"{API_SCOPE} {API_SCOPE}/sell.finances"
    return client.user_tokens(scope=scope)["access_token"]


def get(client, token, path, **params):
    return client.call(
        "GET", f"{FINANCES}{path}", token, params=params, headers=MARKETPLACE
    )


def test_a_payout_groups_what_is_available(client, token):
    assert get(client, token, "/transaction").status_code == 204
    for amount in (1.5, 2.25, 0.35):
        client.control("POST", "finances/charges", json={"amount": amount})
    # Charges are debits: nothing to pay out.
    with pytest.raises(Exception, match="nothing to pay out"):
        client.control("POST", "payouts", json={})
    page = get(client, token, "/transaction", limit="2", sort="transactionDate")
    assert page.status_code == 200
    body = page.json()
    assert body["total"] == 3 and len(body["transactions"]) == 2 and body["next"]
    first = body["transactions"][0]
    assert first["transactionType"] == "NON_SALE_CHARGE"
    assert first["bookingEntry"] == "DEBIT" and first["amount"]["value"] == "1.50"
    assert first["transactionStatus"] == "FUNDS_AVAILABLE_FOR_PAYOUT"
    rest = get(client, token, "/transaction", limit="2", offset="2").json()
    assert len(rest["transactions"]) == 1 and "next" not in rest
    summary = get(
        client, token, "/transaction_summary", filter="transactionStatus:{PAYOUT}"
    ).json()
    assert summary["nonSaleChargeCount"] == 0
    assert get(client, token, "/payout").status_code == 204


def test_filters_and_errors(client, token):
    client.control("POST", "finances/charges", json={"amount": 4})
    typed = get(client, token, "/transaction", filter="transactionType:{SALE}")
    assert typed.status_code == 204
    by_date = get(
        client,
        token,
        "/transaction",
        filter="transactionDate:[2020-01-01T00:00:00.000Z..],"
        "transactionType:{NON_SALE_CHARGE}",
    )
    assert by_date.json()["total"] == 1
    bad_type = get(client, token, "/transaction", filter="transactionType:{GIFT}")
    assert bad_type.status_code == 400
    assert bad_type.json()["errors"][0]["errorId"] == 135006
    no_type = get(client, token, "/transaction", filter="transactionId:{NSC-1}")
    assert no_type.json()["errors"][0]["errorId"] == 135009
    too_many = get(client, token, "/transaction", limit="1001")
    assert too_many.json()["errors"][0]["errorId"] == 135003
    missing = get(client, token, "/payout/42")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["errorId"] == 135001
    no_status = get(client, token, "/transaction_summary")
    assert no_status.json()["errors"][0]["errorId"] == 135011


def test_the_scope_is_needed(client):
    narrow = client.user_tokens()["access_token"]  # no sell.finances
    denied = get(client, narrow, "/transaction")
    assert denied.status_code == 403
    assert denied.json()["errors"][0]["errorId"] == 1100
