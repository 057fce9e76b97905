"""Sellers API: participations and account from the seller's marketplaces,
validated against the model (the fixture asserts zero violations)."""

from amazon_app import CA, PARTICIPATIONS, US

from emulator.amazon.marketplaces import MARKETPLACES

UK, DE = "A1F83G8C2ARO7P", "A1PA6795UKMFR9"


def test_participations_of_the_default_seller(amazon):
    answer = amazon.call("GET", PARTICIPATIONS, amazon.access_token())
    assert answer.status_code == 200
    payload = answer.json()["payload"]
    assert [p["marketplace"] for p in payload] == [
        {
            "id": US,
            "name": "Amazon.com",
            "countryCode": "US",
            "defaultCurrencyCode": "USD",
            "defaultLanguageCode": "en",
            "domainName": "www.amazon.com",
        },
        {
            "id": CA,
            "name": "Amazon.ca",
            "countryCode": "CA",
            "defaultCurrencyCode": "CAD",
            "defaultLanguageCode": "en",
            "domainName": "www.amazon.ca",
        },
    ]
    assert all(p["participation"]["isParticipating"] for p in payload)
    assert {p["storeName"] for p in payload} == {"Emulator Seller LLC"}


def test_participations_of_a_european_seller(amazon):
    amazon.add_seller("A3EUSELLER", region="EU", marketplaces=[UK, DE], name="EU Shop")
    answer = amazon.call("GET", PARTICIPATIONS, amazon.access_token("A3EUSELLER"))
    payload = answer.json()["payload"]
    assert [
        (p["marketplace"]["countryCode"], p["marketplace"]["defaultCurrencyCode"])
        for p in payload
    ] == [("GB", "GBP"), ("DE", "EUR")]
    assert payload[1]["marketplace"]["defaultLanguageCode"] == "de"


def test_account(amazon):
    answer = amazon.call("GET", "/sellers/v1/account", amazon.access_token())
    assert answer.status_code == 200
    account = answer.json()["payload"]
    assert account["sellingPlan"] == "PROFESSIONAL"
    ids = [p["marketplace"]["id"] for p in account["marketplaceParticipationList"]]
    assert ids == [US, CA]


def test_a_seller_outside_its_region_is_refused_by_the_control_api(amazon):
    answer = amazon.session.post(
        f"{amazon.url}/_emulator/amazon/sellers",
        json={"seller_id": "A4MIXED", "region": "NA", "marketplaces": [US, UK]},
        timeout=5,
    )
    assert answer.status_code == 400
    assert "A1F83G8C2ARO7P" in answer.json()["error"]


def test_every_marketplace_of_the_facts_validates(amazon):
    """One seller per region with all its marketplaces: each answer is
    checked against the model's Marketplace (countryCode ^[A-Z]{2}$...)."""
    for region in ("NA", "EU", "FE"):
        ids = [m for m, row in MARKETPLACES.items() if row[5] == region]
        amazon.add_seller(f"A5{region}", region=region, marketplaces=ids)
        answer = amazon.call("GET", PARTICIPATIONS, amazon.access_token(f"A5{region}"))
        assert [p["marketplace"]["id"] for p in answer.json()["payload"]] == ids
