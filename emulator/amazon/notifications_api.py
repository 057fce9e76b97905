"""Notifications API v1 (models/notifications-api-model/notifications.json).

Destinations belong to the application (grantless calls: a
client_credentials token with scope ``sellingpartnerapi::notifications``,
checked by the personality); subscriptions to (seller, application,
notification type), created and read with the seller's token, read and
deleted by id grantless, as the model's descriptions say.  Every operation
has the model's bucket (1 rps, burst 5), taken by the personality.

Only SQS destinations are accepted (EventBridge is not emulated: 400).
Where the emulator has an SQS endpoint (moto), createDestination checks
that the queue exists and that its policy lets Amazon's principal
437568002678 send to it (the guide's Step 1), else 400 [UNCONFIRMED:
Amazon's exact words; a refusal is what the guide implies].

Amazon's answers to repeats are [UNCONFIRMED]: a second destination for the
same queue, or a second subscription of a seller to a type, answer 409
Conflict here, so a client that sets up twice must look before it creates.
A seller's ORDER_CHANGE subscription is what ``sqs_delivery.py`` delivers.
"""

import json
import re
import uuid

from . import errors
from .routes import route

BASE = "/notifications/v1"
SQS_ARN = re.compile(
    r"^arn:aws:sqs:(?P<region>[^:\s]+):(?P<account>[^:\s]+):(?P<name>\S+)$"
)
AMAZON_PRINCIPAL = "437568002678"
# The types a subscription may name here, with the payload versions Amazon
# documents for them (the payload schemas under schemas/notifications).
NOTIFICATION_TYPES = {
    "ORDER_CHANGE": ("1.0",),
    "FEED_PROCESSING_FINISHED": ("2020-09-04",),
    "REPORT_PROCESSING_FINISHED": ("2020-09-04",),
    "ANY_OFFER_CHANGED": ("1.0",),
    "FBA_INVENTORY_AVAILABILITY_CHANGES": ("1.0",),
}


def store(state):
    """``{"destinations": {id: destination}, "subscriptions": {id: sub}}``
    of ``state`` (reset with it)."""
    with state.lock:
        return state.data.setdefault(
            "notifications", {"destinations": {}, "subscriptions": {}}
        )


def _application_id(req):
    with req.state.lock:
        app = req.state.apps.get(req.token["client_id"]) or {}
    return app.get("application_id")


def _error(status, code, message, details=None):
    return status, errors.errors(code, message, details), {}


def _public_destination(destination):
    return {
        "destinationId": destination["destinationId"],
        "name": destination["name"],
        "resource": {"sqs": {"arn": destination["arn"]}},
    }


def _public_subscription(subscription):
    found = {
        "subscriptionId": subscription["subscriptionId"],
        "payloadVersion": subscription["payloadVersion"],
        "destinationId": subscription["destinationId"],
    }
    if subscription.get("processingDirective"):
        found["processingDirective"] = subscription["processingDirective"]
    return found


# -- destinations (grantless) --------------------------------------------------------
@route("GET", f"{BASE}/destinations", auth="grantless")
def get_destinations(req):
    application_id = _application_id(req)
    data = store(req.state)
    with req.state.lock:
        found = [
            _public_destination(d)
            for d in data["destinations"].values()
            if d["application_id"] == application_id
        ]
    return 200, {"payload": found}, {}


@route("POST", f"{BASE}/destinations", auth="grantless")
def create_destination(req):
    body = req.json if isinstance(req.json, dict) else {}
    spec = body.get("resourceSpecification") or {}
    if "eventBridge" in spec:
        return _error(
            400,
            "InvalidInput",
            "EventBridge destinations are not emulated: use an SQS queue.",
        )
    arn = (spec.get("sqs") or {}).get("arn") or ""
    if not SQS_ARN.match(arn):
        return _error(400, "InvalidInput", "Invalid SQS queue ARN.")
    from . import sqs_delivery

    refusal = sqs_delivery.check_queue_access(req.state, arn)
    if refusal:
        return _error(400, "InvalidInput", refusal)
    application_id = _application_id(req)
    data = store(req.state)
    with req.state.lock:
        for destination in data["destinations"].values():
            if (
                destination["application_id"] == application_id
                and destination["arn"] == arn
            ):
                return _error(
                    409,
                    "Conflict",
                    "A destination for this resource already exists.",
                    destination["destinationId"],
                )
        destination = {
            "destinationId": str(uuid.uuid4()),
            "name": str(body.get("name") or "")[:256],
            "arn": arn,
            "application_id": application_id,
        }
        data["destinations"][destination["destinationId"]] = destination
    return 200, {"payload": _public_destination(destination)}, {}


def _own_destination(req, destination_id):
    data = store(req.state)
    with req.state.lock:
        destination = data["destinations"].get(destination_id)
        if destination and destination["application_id"] == _application_id(req):
            return destination
    return None


@route("GET", f"{BASE}/destinations/{{destinationId}}", auth="grantless")
def get_destination(req):
    destination = _own_destination(req, req.params["destinationId"])
    if destination is None:
        return 404, errors.not_found(req.path), {}
    return 200, {"payload": _public_destination(destination)}, {}


@route("DELETE", f"{BASE}/destinations/{{destinationId}}", auth="grantless")
def delete_destination(req):
    destination = _own_destination(req, req.params["destinationId"])
    if destination is None:
        return 404, errors.not_found(req.path), {}
    data = store(req.state)
    with req.state.lock:
        if any(
            s["destinationId"] == destination["destinationId"]
            for s in data["subscriptions"].values()
        ):
            # [UNCONFIRMED] Amazon's answer; a destination in use is kept.
            return _error(
                409,
                "Conflict",
                "The destination has subscriptions: delete them first.",
            )
        del data["destinations"][destination["destinationId"]]
    return 200, {}, {}


# -- subscriptions -------------------------------------------------------------------
def _check_type(notification_type):
    if notification_type not in NOTIFICATION_TYPES:
        return _error(
            400, "InvalidInput", f"Unsupported notification type {notification_type}."
        )
    return None


@route("POST", f"{BASE}/subscriptions/{{notificationType}}", auth="seller")
def create_subscription(req):
    notification_type = req.params["notificationType"]
    refused = _check_type(notification_type)
    if refused:
        return refused
    body = req.json if isinstance(req.json, dict) else {}
    version = body.get("payloadVersion")
    if version not in NOTIFICATION_TYPES[notification_type]:
        return _error(
            400,
            "InvalidInput",
            f"Unsupported payloadVersion {version} for {notification_type}.",
        )
    destination = _own_destination(req, body.get("destinationId") or "")
    if destination is None:
        return _error(400, "InvalidInput", "Unknown destinationId.")
    seller_id = req.token["seller_id"]
    application_id = _application_id(req)
    data = store(req.state)
    with req.state.lock:
        for subscription in data["subscriptions"].values():
            if (
                subscription["seller_id"] == seller_id
                and subscription["application_id"] == application_id
                and subscription["notificationType"] == notification_type
                and subscription["payloadVersion"] == version
            ):
                return _error(
                    409,
                    "Conflict",
                    "Subscription for this notification type already exists.",
                    subscription["subscriptionId"],
                )
        subscription = {
            "subscriptionId": str(uuid.uuid4()),
            "payloadVersion": version,
            "destinationId": destination["destinationId"],
            "notificationType": notification_type,
            "seller_id": seller_id,
            "application_id": application_id,
        }
        if isinstance(body.get("processingDirective"), dict):
            subscription["processingDirective"] = json.loads(
                json.dumps(body["processingDirective"])
            )
        data["subscriptions"][subscription["subscriptionId"]] = subscription
    return 200, {"payload": _public_subscription(subscription)}, {}


@route("GET", f"{BASE}/subscriptions/{{notificationType}}", auth="seller")
def get_subscription(req):
    notification_type = req.params["notificationType"]
    refused = _check_type(notification_type)
    if refused:
        return refused
    seller_id = req.token["seller_id"]
    application_id = _application_id(req)
    version = req.query.get("payloadVersion")
    data = store(req.state)
    with req.state.lock:
        for subscription in data["subscriptions"].values():
            if (
                subscription["seller_id"] == seller_id
                and subscription["application_id"] == application_id
                and subscription["notificationType"] == notification_type
                and (not version or subscription["payloadVersion"] == version)
            ):
                return 200, {"payload": _public_subscription(subscription)}, {}
    return 404, errors.not_found(req.path), {}


def _subscription_by_id(req):
    data = store(req.state)
    application_id = _application_id(req)
    with req.state.lock:
        subscription = data["subscriptions"].get(req.params["subscriptionId"])
        if (
            subscription
            and subscription["application_id"] == application_id
            and subscription["notificationType"] == req.params["notificationType"]
        ):
            return subscription
    return None


@route(
    "GET",
    f"{BASE}/subscriptions/{{notificationType}}/{{subscriptionId}}",
    auth="grantless",
)
def get_subscription_by_id(req):
    subscription = _subscription_by_id(req)
    if subscription is None:
        return 404, errors.not_found(req.path), {}
    return 200, {"payload": _public_subscription(subscription)}, {}


@route(
    "DELETE",
    f"{BASE}/subscriptions/{{notificationType}}/{{subscriptionId}}",
    auth="grantless",
)
def delete_subscription_by_id(req):
    subscription = _subscription_by_id(req)
    if subscription is None:
        return 404, errors.not_found(req.path), {}
    data = store(req.state)
    with req.state.lock:
        data["subscriptions"].pop(subscription["subscriptionId"], None)
    return 200, {}, {}


def subscriptions_of(state, seller_id, notification_type):
    """The subscriptions of ``seller_id`` to ``notification_type`` (any
    application), each with its destination's ARN: where a change goes."""
    data = store(state)
    with state.lock:
        found = []
        for subscription in data["subscriptions"].values():
            if (
                subscription["seller_id"] == seller_id
                and subscription["notificationType"] == notification_type
            ):
                destination = data["destinations"].get(subscription["destinationId"])
                if destination:
                    found.append(dict(subscription, arn=destination["arn"]))
        return found
