"""Amazon's notifications delivered into SQS (moto's server mode on loopback).

Every change of an order (``orders_store.OrdersStore`` listener: created,
status, cancelled, shipped) of a seller with an ORDER_CHANGE subscription
sends one ORDER_CHANGE message (the payload schema
``schemas/notifications/OrderChangeNotification.json``, checked with
jsonschema; a mismatch is recorded as a contract violation, as answers'
are) to the subscription's destination queue, through boto3 at the SQS
endpoint (``--sqs-endpoint-url``, default ``AMAZON_SQS_ENDPOINT_URL``;
control config key ``sqs_endpoint_url``).  Without an endpoint nothing is
sent (the attempt is still logged, as failed).

Delivery control, so tests can do what SQS and Amazon do to a consumer:

==================================================  ===================================
``POST /_emulator/amazon/notifications/delivery``   ``{"duplicates": n, "hold": bool}``:
                                                    every message sent 1 + n times;
                                                    held messages wait for a release
``POST /_emulator/amazon/notifications/release``    ``{"order": "sent" | "reverse"}``:
                                                    the held messages go, in the order
                                                    they were made or reversed
``POST /_emulator/amazon/sqs/send``                 ``{"queue_arn", "body"}``: a raw
                                                    message (malformed, foreign)
``GET /_emulator/amazon/notifications/sent``        what was sent (ids, no bodies)
``GET /_emulator/amazon/notifications/setup``       destinations and subscriptions
==================================================  ===================================

The emulator's boto3 credentials are dummies: moto takes any.
"""

import datetime
import json
import logging
import threading
import uuid
from pathlib import Path

from ..core.control import bad_request
from . import notifications_api
from .routes import route

_logger = logging.getLogger(__name__)

SQS_ENDPOINT_ENV = "AMAZON_SQS_ENDPOINT_URL"
SCHEMA = Path("schemas", "notifications", "OrderChangeNotification.json")
PREFIX = "/_emulator/amazon"
# The 2026-01-01 fulfillment statuses in ORDER_CHANGE's words.
ORDER_STATUS = {
    "PENDING": "Pending",
    "PENDING_AVAILABILITY": "PendingAvailability",
    "UNSHIPPED": "Unshipped",
    "PARTIALLY_SHIPPED": "PartiallyShipped",
    "SHIPPED": "Shipped",
    "CANCELLED": "Canceled",
    "UNFULFILLABLE": "Unfulfillable",
}
# The store's change types -> (OrderChangeType, ChangeReason) [UNCONFIRMED:
# Amazon's reasons are free text; a seller's or Amazon's cancellation is a
# status change, only a buyer's request is BuyerRequestedChange].
CHANGE_TYPES = {
    "created": ("OrderStatusChange", "Order created"),
    "status": ("OrderStatusChange", "Order status changed"),
    "cancelled": ("OrderStatusChange", "Order canceled"),
    "shipped": ("OrderStatusChange", "Order shipped"),
}

_clients = {}
_clients_lock = threading.Lock()
_validators = {}


def delivery(state):
    """The delivery settings and logs of ``state`` (reset with it)."""
    with state.lock:
        return state.data.setdefault(
            "sqs_delivery", {"duplicates": 0, "hold": False, "held": [], "sent": []}
        )


def endpoint(state):
    return state.config.get("sqs_endpoint_url") or None


def _iso(seconds):
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _sqs(url, region):
    """A boto3 SQS client for (endpoint, region), made once (boto3's default
    session is not thread-safe: each client gets a session of its own)."""
    import boto3

    key = (url, region)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = boto3.session.Session().client(
                "sqs",
                endpoint_url=url,
                region_name=region,
                aws_access_key_id="emulator",
                aws_secret_access_key="emulator",
            )
            _clients[key] = client
        return client


def _queue(state, arn):
    """``(boto3 client, queue URL)`` of ``arn`` at the endpoint; raises
    botocore's ClientError when the queue does not exist."""
    parts = notifications_api.SQS_ARN.match(arn or "")
    if not parts:
        raise ValueError(f"not an SQS queue ARN: {arn!r}")
    client = _sqs(endpoint(state), parts["region"])
    url = client.get_queue_url(
        QueueName=parts["name"], QueueOwnerAWSAccountId=parts["account"]
    )["QueueUrl"]
    return client, url


def _allows_amazon(policy_text):
    """Does the queue policy let Amazon's principal send and read attributes?"""
    try:
        policy = json.loads(policy_text or "{}")
    except ValueError:
        return False
    statements = policy.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    granted = set()
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal") or {}
        names = principal.get("AWS") if isinstance(principal, dict) else principal
        names = names if isinstance(names, list) else [names]
        if not any(
            isinstance(n, str) and notifications_api.AMAZON_PRINCIPAL in n
            for n in names
        ):
            continue
        actions = statement.get("Action") or []
        granted.update(actions if isinstance(actions, list) else [actions])
    if "sqs:*" in granted:
        return True
    return {"sqs:SendMessage", "sqs:GetQueueAttributes"} <= granted


def check_queue_access(state, arn):
    """None when Amazon could write to ``arn`` (or no endpoint is set: not
    checked), else the refusal's words."""
    if not endpoint(state):
        return None
    try:
        client, url = _queue(state, arn)
        attributes = client.get_queue_attributes(
            QueueUrl=url, AttributeNames=["Policy"]
        ).get("Attributes", {})
    except Exception as exc:  # noqa: BLE001 (botocore's errors: the answer says it)
        _logger.info("destination queue %s not reachable: %s", arn, exc)
        return "The SQS queue does not exist or cannot be reached."
    if not _allows_amazon(attributes.get("Policy")):
        return (
            "The SQS queue policy does not allow the Selling Partner API "
            f"(principal {notifications_api.AMAZON_PRINCIPAL}) to send messages "
            "and get the queue attributes."
        )
    return None


# -- the ORDER_CHANGE message ------------------------------------------------------
def _items(order):
    found = []
    for item in order.get("orderItems") or []:
        product = item.get("product") or {}
        quantity = item.get("quantityOrdered") or 0
        shipped = ((item.get("fulfillment") or {}).get("quantityFulfilled")) or 0
        found.append(
            {
                "OrderItemId": item.get("orderItemId") or "",
                "SellerSKU": product.get("sellerSku") or "",
                # MFN orders ship from the seller's default supply source.
                "SupplySourceId": "DEFAULT",
                "OrderItemStatus": "Shipped"
                if shipped >= quantity > 0
                else "Unshipped",
                "Quantity": quantity,
                "QuantityShipped": shipped,
            }
        )
    return found


def order_change_message(state, seller_id, order, change_type, subscription):
    """The ORDER_CHANGE notification of ``order`` for ``subscription``."""
    now = state.now()
    fulfillment = order.get("fulfillment") or {}
    status = fulfillment.get("fulfillmentStatus") or "UNSHIPPED"
    change, reason = CHANGE_TYPES.get(change_type, CHANGE_TYPES["status"])
    items = _items(order)
    address = ((order.get("recipient") or {}).get("deliveryAddress")) or {}
    return {
        "NotificationVersion": "1.0",
        "NotificationType": "ORDER_CHANGE",
        "PayloadVersion": subscription.get("payloadVersion") or "1.0",
        "EventTime": _iso(now),
        "Payload": {
            "OrderChangeNotification": {
                "NotificationLevel": "OrderLevel",
                "SellerId": seller_id,
                "AmazonOrderId": order.get("orderId"),
                "OrderChangeType": change,
                "OrderChangeTrigger": {
                    "TimeOfOrderChange": order.get("lastUpdatedTime") or _iso(now),
                    "ChangeReason": reason,
                },
                "Summary": {
                    "MarketplaceId": (order.get("salesChannel") or {}).get(
                        "marketplaceId"
                    )
                    or "",
                    "OrderStatus": ORDER_STATUS.get(status, "Unshipped"),
                    "PurchaseDate": order.get("createdTime") or _iso(now),
                    "DestinationPostalCode": address.get("postalCode") or "",
                    "FulfillmentType": (
                        "AFN" if fulfillment.get("fulfilledBy") == "AMAZON" else "MFN"
                    ),
                    "OrderType": "StandardOrder",
                    "NumberOfItemsShipped": sum(i["QuantityShipped"] for i in items),
                    "NumberOfItemsUnshipped": sum(
                        i["Quantity"] - i["QuantityShipped"] for i in items
                    ),
                    "OrderItems": items,
                },
            }
        },
        "NotificationMetadata": {
            "ApplicationId": subscription.get("application_id") or "",
            "SubscriptionId": subscription["subscriptionId"],
            "PublishTime": _iso(now),
            "NotificationId": str(uuid.uuid4()),
        },
    }


def _validator(state):
    models_dir = getattr(state, "models_dir", None)
    if not models_dir or not Path(models_dir, SCHEMA).is_file():
        return None
    key = str(Path(models_dir, SCHEMA))
    if key not in _validators:
        import jsonschema

        schema = json.loads(Path(key).read_text(encoding="utf-8"))
        _validators[key] = jsonschema.Draft7Validator(schema)
    return _validators[key]


def check_message(state, message, arn):
    """Record a violation for each way ``message`` breaks its schema."""
    validator = _validator(state)
    if validator is None:
        return
    reasons = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator.iter_errors(message)
    ]
    if reasons:
        state.record_violation(
            {
                "side": "answer",
                "method": "SQS",
                "path": arn,
                "operation": "ORDER_CHANGE",
                "reason": "; ".join(reasons)[:2000],
                "request_id": None,
                "at": state.now(),
            }
        )


# -- sending -----------------------------------------------------------------------
def send(state, arn, body, notification_id=None, order_id=None):
    """Send ``body`` (a string) to the queue ``arn``; log it; True if sent."""
    entry = {
        "queue_arn": arn,
        "notification_id": notification_id,
        "order_id": order_id,
        "at": state.now(),
        "ok": False,
    }
    if not endpoint(state):
        entry["error"] = "no SQS endpoint configured"
    else:
        try:
            client, url = _queue(state, arn)
            client.send_message(QueueUrl=url, MessageBody=body)
            entry["ok"] = True
        except Exception as exc:  # noqa: BLE001 (logged: a test reads why)
            entry["error"] = f"{type(exc).__name__}: {exc}"[:500]
    log = delivery(state)
    with state.lock:
        log["sent"].append(entry)
    return entry["ok"]


def _deliver(state, arn, message):
    body = json.dumps(message)
    notification_id = message["NotificationMetadata"]["NotificationId"]
    order_id = message["Payload"]["OrderChangeNotification"]["AmazonOrderId"]
    settings = delivery(state)
    with state.lock:
        copies = 1 + int(settings["duplicates"])
        if settings["hold"]:
            for _i in range(copies):
                settings["held"].append((arn, body, notification_id, order_id))
            return
    for _i in range(copies):
        send(state, arn, body, notification_id, order_id)


def on_order_change(state, seller_id, order, change_type):
    """The OrdersStore listener: one ORDER_CHANGE per subscription."""
    for subscription in notifications_api.subscriptions_of(
        state, seller_id, "ORDER_CHANGE"
    ):
        message = order_change_message(
            state, seller_id, order, change_type, subscription
        )
        check_message(state, message, subscription["arn"])
        _deliver(state, subscription["arn"], message)


def install(state):
    """Register the listener on the state's orders store (when the
    emulator has one)."""
    try:
        from .orders_store import OrdersStore
    except ImportError:  # the orders store is not part of this emulator yet
        return
    OrdersStore(state).add_listener(
        lambda seller_id, order, change_type: on_order_change(
            state, seller_id, order, change_type
        )
    )


def release(state, order="sent"):
    """Send the held messages (reversed with ``order="reverse"``)."""
    settings = delivery(state)
    with state.lock:
        held, settings["held"] = settings["held"], []
    if order == "reverse":
        held.reverse()
    for arn, body, notification_id, order_id in held:
        send(state, arn, body, notification_id, order_id)
    return len(held)


# -- control -----------------------------------------------------------------------
def _body(req):
    return req.json if isinstance(req.json, dict) else {}


@route("POST", f"{PREFIX}/notifications/delivery", auth=None)
def set_delivery(req):
    body = _body(req)
    settings = delivery(req.state)
    duplicates = body.get("duplicates", settings["duplicates"])
    hold = body.get("hold", settings["hold"])
    if (
        not isinstance(duplicates, int)
        or isinstance(duplicates, bool)
        or not 0 <= duplicates <= 10
    ):
        return bad_request("duplicates must be an integer from 0 to 10")
    if not isinstance(hold, bool):
        return bad_request("hold must be true or false")
    with req.state.lock:
        settings["duplicates"] = duplicates
        settings["hold"] = hold
        return (
            200,
            {"duplicates": duplicates, "hold": hold, "held": len(settings["held"])},
            {},
        )


@route("POST", f"{PREFIX}/notifications/release", auth=None)
def release_held(req):
    order = _body(req).get("order", "sent")
    if order not in ("sent", "reverse"):
        return bad_request('order must be "sent" or "reverse"')
    return 200, {"released": release(req.state, order)}, {}


@route("GET", f"{PREFIX}/notifications/sent", auth=None)
def sent(req):
    settings = delivery(req.state)
    with req.state.lock:
        found = [dict(entry) for entry in settings["sent"]]
        held = len(settings["held"])
    return 200, {"count": len(found), "sent": found, "held": held}, {}


@route("GET", f"{PREFIX}/notifications/setup", auth=None)
def setup(req):
    data = notifications_api.store(req.state)
    with req.state.lock:
        return (
            200,
            {
                "destinations": [dict(d) for d in data["destinations"].values()],
                "subscriptions": [dict(s) for s in data["subscriptions"].values()],
            },
            {},
        )


@route("POST", f"{PREFIX}/sqs/send", auth=None)
def send_raw(req):
    body = _body(req)
    arn, text = body.get("queue_arn"), body.get("body")
    if not isinstance(arn, str) or not notifications_api.SQS_ARN.match(arn):
        return bad_request("queue_arn must be an SQS queue ARN")
    if not isinstance(text, str) or not text:
        return bad_request("body must be a non-empty string")
    return 200, {"sent": send(req.state, arn, text)}, {}
