"""Notifications API v1 and ORDER_CHANGE delivery into SQS (moto).

The emulator's Notifications API (destinations grantless, subscriptions by
the seller's token, 1 rps burst 5), driven through the pure clients
``amazon.notifications`` and ``amazon.sqs`` against moto's server mode: the
queue policy for Amazon's principal, a destination, an ORDER_CHANGE
subscription, then messages delivered by the emulator (checked against
OrderChangeNotification.json), duplicated, held and released in reverse,
and raw messages.
"""

import atexit
import json
import os
import uuid

import pytest
from amazon_app import APP, SELLER, AmazonEmuClient, start_amazon_cli
from marketplace_connector.amazon import RateLimiter, SpApiClient
from marketplace_connector.amazon.errors import AmazonAuthError, AmazonRefused
from marketplace_connector.amazon.notifications import ORDER_CHANGE, SCOPE
from marketplace_connector.amazon.sqs import SqsQueue, loads_message

from emulator.client import SQS_ENDPOINT_ENV, ControlError, start_moto

_moto = {}


@pytest.fixture(scope="session")
def moto_url():
    """The run's moto (scripts/test.sh's), else one started here."""
    if "url" not in _moto:
        url = os.environ.get(SQS_ENDPOINT_ENV)
        if not url:
            process, url = start_moto()
            atexit.register(process.terminate)
        _moto["url"] = url.rstrip("/")
    return _moto["url"]


@pytest.fixture
def sqs(amazon, moto_url):
    """The emulator delivering to moto, and a fresh queue of the seller's."""
    amazon.config(sqs_endpoint_url=moto_url)
    name = f"notify-{uuid.uuid4().hex[:12]}"
    url = f"https://sqs.us-east-1.amazonaws.com/123456789012/{name}"
    queue = SqsQueue(url, "us-east-1", "AKIDTEST", "test-secret", endpoint_url=moto_url)
    queue._client.create_queue(QueueName=name)
    return queue


def _client(amazon, grantless_scope=SCOPE):
    seller_token = amazon.access_token(SELLER)
    grantless_token = amazon.grantless_token(grantless_scope)

    def token(grantless=False):
        return grantless_token if grantless else seller_token

    return SpApiClient(
        api_url=amazon.url,
        access_token=token,
        seller_id=SELLER,
        limiter=RateLimiter(),
    )


def _set_up(amazon, sqs):
    client = _client(amazon)
    sqs.allow_amazon()
    destination = client.notifications.create_sqs_destination("odoo", sqs.arn)
    subscription = client.notifications.create_subscription(
        ORDER_CHANGE, destination["destinationId"]
    )
    return client, destination, subscription


def _drain(sqs, rounds=3):
    bodies = []
    for _i in range(rounds):
        messages = sqs.receive(10, wait_seconds=1)
        if not messages:
            break
        bodies += [m["Body"] for m in messages]
        sqs.delete([m["ReceiptHandle"] for m in messages])
    return bodies


def _new_order(amazon):
    return amazon.create_order(
        seller_id=SELLER,
        marketplace_id="ATVPDKIKX0DER",
        items=[{"sku": "SKU-1", "quantity": 2, "price": 10.0}],
    )


def test_destination_needs_amazon_in_the_queue_policy(amazon, sqs):
    client = _client(amazon)
    with pytest.raises(AmazonRefused, match="queue policy"):
        client.notifications.create_sqs_destination("odoo", sqs.arn)
    policy = sqs.allow_amazon()
    assert policy["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::437568002678:root"
    }
    destination = client.notifications.create_sqs_destination("odoo", sqs.arn)
    assert destination["resource"] == {"sqs": {"arn": sqs.arn}}
    assert client.notifications.destination_for_queue(sqs.arn) == destination
    # A second destination for the same queue is refused: look first.
    with pytest.raises(AmazonRefused):
        client.notifications.create_sqs_destination("odoo", sqs.arn)
    amazon.take_violations()  # the 409 is declared; nothing else may be left


def test_subscription_create_get_by_id_delete(amazon, sqs):
    client, destination, subscription = _set_up(amazon, sqs)
    assert subscription["destinationId"] == destination["destinationId"]
    assert client.notifications.subscription(ORDER_CHANGE) == subscription
    assert (
        client.notifications.subscription_by_id(
            ORDER_CHANGE, subscription["subscriptionId"]
        )
        == subscription
    )
    with pytest.raises(AmazonRefused):
        client.notifications.create_subscription(
            ORDER_CHANGE, destination["destinationId"]
        )
    # A destination in use stays.
    with pytest.raises(AmazonRefused):
        client.notifications.delete_destination(destination["destinationId"])
    client.notifications.delete_subscription(
        ORDER_CHANGE, subscription["subscriptionId"]
    )
    assert client.notifications.subscription(ORDER_CHANGE) is None
    client.notifications.delete_destination(destination["destinationId"])
    assert client.notifications.destinations() == []


def test_grantless_calls_need_the_notifications_scope(amazon, sqs):
    client = _client(amazon, grantless_scope="sellingpartnerapi::migration")
    with pytest.raises(AmazonAuthError):
        client.notifications.destinations()
    # A seller's token is no grantless token either.
    seller_token = amazon.access_token(SELLER)
    answer = amazon.call("GET", "/notifications/v1/destinations", token=seller_token)
    assert answer.status_code == 403


def test_destinations_are_rated_one_per_second_burst_five(amazon, sqs):
    token = amazon.grantless_token()
    answers = [
        amazon.call("GET", "/notifications/v1/destinations", token=token)
        for _i in range(6)
    ]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert answers[0].headers["x-amzn-RateLimit-Limit"] == "1"
    amazon.advance(1)
    again = amazon.call("GET", "/notifications/v1/destinations", token=token)
    assert again.status_code == 200


def test_order_change_delivered_checked_against_the_schema(amazon, sqs):
    _client, _destination, subscription = _set_up(amazon, sqs)
    order = _new_order(amazon)
    bodies = _drain(sqs)
    assert len(bodies) == 1
    message = loads_message(bodies[0])
    assert message["NotificationType"] == ORDER_CHANGE
    change = message["Payload"]["OrderChangeNotification"]
    assert change["AmazonOrderId"] == order["orderId"]
    assert change["SellerId"] == SELLER
    assert (
        message["NotificationMetadata"]["SubscriptionId"]
        == (subscription["subscriptionId"])
    )
    assert message["NotificationMetadata"]["ApplicationId"] == APP["application_id"]
    sent = amazon.notifications_sent()
    assert [s["ok"] for s in sent] == [True]
    assert sent[0]["order_id"] == order["orderId"]


def test_duplicates_hold_and_release_in_reverse(amazon, sqs):
    _set_up(amazon, sqs)
    amazon.notification_delivery(duplicates=1, hold=True)
    first = _new_order(amazon)
    second = _new_order(amazon)
    assert _drain(sqs, rounds=1) == []
    assert amazon.release_notifications(order="reverse") == 4
    bodies = [loads_message(b) for b in _drain(sqs)]
    order_ids = [
        b["Payload"]["OrderChangeNotification"]["AmazonOrderId"] for b in bodies
    ]
    assert sorted(order_ids) == sorted([first["orderId"]] * 2 + [second["orderId"]] * 2)
    # Each duplicate keeps its notification id (SQS at-least-once).
    ids = {b["NotificationMetadata"]["NotificationId"] for b in bodies}
    assert len(ids) == 2
    sent = amazon.notifications_sent()
    assert [s["order_id"] for s in sent][:2] == [second["orderId"]] * 2


def test_no_subscription_no_message(amazon, sqs):
    _new_order(amazon)
    assert _drain(sqs, rounds=1) == []
    assert amazon.notifications_sent() == []


def test_raw_send_and_delivery_control_refusals(amazon, sqs):
    assert amazon.sqs_send_raw(sqs.arn, "not json") is True
    assert _drain(sqs) == ["not json"]
    for body in ({"duplicates": -1}, {"hold": "yes"}):
        with pytest.raises(Exception, match="400"):
            amazon.amazon("POST", "notifications/delivery", json=body)
    with pytest.raises(Exception, match="400"):
        amazon.amazon("POST", "sqs/send", json={"queue_arn": "x", "body": "y"})
    assert (
        json.loads(json.dumps(sqs.attributes()))["ApproximateNumberOfMessages"] == "0"
    )


def test_cli_sqs_endpoint_url_is_the_setting_after_every_reset(
    amazon_models_dir, moto_url
):
    process, _line, url = start_amazon_cli(
        "--models", amazon_models_dir, "--sqs-endpoint-url", moto_url
    )
    try:
        control = AmazonEmuClient(url)
        control.reset()
        assert control.config()["sqs_endpoint_url"] == moto_url
        assert control.config(sqs_endpoint_url=None)["sqs_endpoint_url"] is None
        with pytest.raises(ControlError, match="400"):
            control.config(sqs_endpoint_url=5)
        control.reset()
        assert control.config()["sqs_endpoint_url"] == moto_url
    finally:
        process.terminate()
        process.wait(timeout=10)
