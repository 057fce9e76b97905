"""Notifications API v1: where Amazon delivers a seller's notifications.

Destinations belong to the application and are managed grantless (an LWA
client_credentials token with scope :data:`SCOPE`); a seller's subscriptions
are created and read with the seller's token, read and deleted by id
grantless (the model's descriptions, AMAZON_FACTS §10).  Only SQS
destinations are used here (Amazon has no HTTPS webhook destination).
Methods return Amazon's ``payload`` as dicts.
"""

from .errors import AmazonNotFound
from .paths import path_segment

BASE = "/notifications/v1"
SCOPE = "sellingpartnerapi::notifications"
ORDER_CHANGE = "ORDER_CHANGE"
# The payload version of each type this connector subscribes to.
PAYLOAD_VERSIONS = {ORDER_CHANGE: "1.0"}


def _payload(response):
    return ((response.data or {}).get("payload")) or {}


class NotificationsApi:
    def __init__(self, client):
        self.client = client

    # -- destinations (grantless) ------------------------------------------------
    def destinations(self):
        """getDestinations: ``[{destinationId, name, resource: {sqs: {arn}}}]``."""
        response = self.client.request(
            "getDestinations", "GET", f"{BASE}/destinations", grantless=True
        )
        return _payload(response) or []

    def destination_for_queue(self, queue_arn):
        """The application's destination of ``queue_arn``, or None."""
        for destination in self.destinations():
            sqs = (destination.get("resource") or {}).get("sqs") or {}
            if sqs.get("arn") == queue_arn:
                return destination
        return None

    def create_sqs_destination(self, name, queue_arn):
        """createDestination for an SQS queue: the new destination."""
        body = {"name": name, "resourceSpecification": {"sqs": {"arn": queue_arn}}}
        response = self.client.request(
            "createDestination",
            "POST",
            f"{BASE}/destinations",
            json=body,
            grantless=True,
        )
        return _payload(response)

    def delete_destination(self, destination_id):
        self.client.request(
            "deleteDestination",
            "DELETE",
            f"{BASE}/destinations/{path_segment(destination_id, 'destination id')}",
            grantless=True,
        )

    # -- subscriptions -------------------------------------------------------------
    def subscription(self, notification_type):
        """getSubscription (the seller's token): the seller's subscription
        to ``notification_type``, or None when there is none (404)."""
        try:
            response = self.client.request(
                "getSubscription",
                "GET",
                f"{BASE}/subscriptions/{path_segment(notification_type, 'type')}",
            )
        except AmazonNotFound:
            return None
        return _payload(response) or None

    def create_subscription(
        self, notification_type, destination_id, payload_version=None
    ):
        """createSubscription (the seller's token): the new subscription."""
        body = {
            "payloadVersion": payload_version
            or PAYLOAD_VERSIONS.get(notification_type, "1.0"),
            "destinationId": destination_id,
        }
        response = self.client.request(
            "createSubscription",
            "POST",
            f"{BASE}/subscriptions/{path_segment(notification_type, 'type')}",
            json=body,
        )
        return _payload(response)

    def _by_id_path(self, notification_type, subscription_id):
        return (
            f"{BASE}/subscriptions/{path_segment(notification_type, 'type')}"
            f"/{path_segment(subscription_id, 'subscription id')}"
        )

    def subscription_by_id(self, notification_type, subscription_id):
        """getSubscriptionById (grantless), or None (404)."""
        try:
            response = self.client.request(
                "getSubscriptionById",
                "GET",
                self._by_id_path(notification_type, subscription_id),
                grantless=True,
            )
        except AmazonNotFound:
            return None
        return _payload(response) or None

    def delete_subscription(self, notification_type, subscription_id):
        """deleteSubscriptionById (grantless)."""
        self.client.request(
            "deleteSubscriptionById",
            "DELETE",
            self._by_id_path(notification_type, subscription_id),
            grantless=True,
        )
