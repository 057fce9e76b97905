import base64
import json
import random
import uuid
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.asymmetric import ec

from odoo.tests import tagged
from odoo.tools import mute_logger

from .ebay_common import (
    CONTROLLER_LOGGER,
    EbayHttpCase,
    NotificationMixin,
    SellerMixin,
    now_iso,
)

NOTIFICATION_API = "/commerce/notification/v1"


@tagged("post_install", "-at_install")
class TestNotifications(NotificationMixin, SellerMixin, EbayHttpCase):
    def setUp(self):
        super().setUp()
        self._setup_seller()
        self.mug = self._product("MUG-1", "Mug", 10)
        listing = self._listing(self.mug)
        listing.action_publish()
        self._run(listing)
        self._set_up_notifications(self.account)
        # eBay's pushes arrive over HTTP: the registered destination must be
        # in the database for the endpoint to see it.
        self.env.flush_all()
        self.url = f"/ebay/notification/{self.account.id}"

    def _buy(self, **extra):
        return self.emulator._call(
            "POST",
            "purchase",
            json=dict(
                {
                    "lines": [{"sku": "MUG-1", "quantity": 1}],
                    "buyer": {"username": "jo_buyer"},
                },
                **extra,
            ),
        )

    def _deliveries(self):
        return self.emulator._call("GET", "notifications")

    # -- tests ----------------------------------------------------------------------
    def _created_on_ebay(self):
        """(destinations, subscribed topics) that eBay created, from its log."""
        destinations = [
            c
            for c in self.emulator.calls(path=f"^{NOTIFICATION_API}/destination$")
            if c["method"] == "POST" and c["status"] == 201
        ]
        topics = sorted(
            c["body"]["topicId"]
            for c in self.emulator.calls(path=f"^{NOTIFICATION_API}/subscription$")
            if c["method"] == "POST" and c["status"] == 201
        )
        return len(destinations), topics

    def test_setup_answered_ebays_challenge(self):
        destination = self.account.ebay_notification_destination_id
        self.assertTrue(destination)
        topics = ["MARKETPLACE_ACCOUNT_DELETION", "ORDER_CONFIRMATION"]
        self.assertEqual(self.account.ebay_notification_subscriptions, ",".join(topics))
        self.assertEqual(self._created_on_ebay(), (1, topics))
        # Setting up again creates nothing new, on eBay or in Odoo.
        self._set_up_notifications(self.account)
        self.assertEqual(self._created_on_ebay(), (1, topics))
        self.assertEqual(self.account.ebay_notification_destination_id, destination)
        self.assertEqual(self.account.ebay_notification_subscriptions, ",".join(topics))
        # And what was set up works: eBay's push reaches this Odoo once.
        order = self._buy()
        inbox = self._inbox()
        self.assertEqual(len(inbox), 1)
        self.assertEqual(json.loads(inbox.data), {"orderId": order["orderId"]})

    @mute_logger(CONTROLLER_LOGGER)
    def test_duplicate_notifications_and_a_poll_give_one_sale_order(self):
        order = self._buy(duplicate=True)
        inbox = self._inbox()
        self.assertEqual(len(inbox), 1, "the duplicate delivery was not stored")
        # Both deliveries were acknowledged: eBay has nothing to send again.
        deliveries = self._deliveries()
        self.assertEqual([d["status"] for d in deliveries["deliveries"]], [204, 204])
        self.assertEqual(deliveries["pending"], [])
        self._run_jobs()
        self.assertEqual(inbox.state, "done")
        staged = self.env["marketplace.order"].search(
            [("remote_order_id", "=", order["orderId"])]
        )
        self.assertEqual(staged.state, "imported")
        self.account._job_poll_orders()
        # eBay confirms the same order again later, in a new notification.
        self.emulator._call("POST", "notify", json={"orderId": order["orderId"]})
        self.assertEqual(len(self._inbox()), 2)
        self._run_jobs()
        self.assertEqual(set(self._inbox().mapped("state")), {"done"})
        sales = self.env["sale.order"].search(
            [("client_order_ref", "=", order["orderId"])]
        )
        self.assertEqual(len(sales), 1)
        self.assertEqual(sales.state, "sale")

    @mute_logger(CONTROLLER_LOGGER, "odoo.addons.marketplace_connector.ebay.client")
    def test_a_push_odoo_could_not_verify_is_delivered_again_then_processed(self):
        # eBay's key server fails once: Odoo cannot verify, answers 503.
        self.emulator.fault("^/commerce/notification/v1/public_key/", "500")
        order = self._buy()
        self.assertFalse(self._inbox(), "nothing stored without a verified key")
        first = self._deliveries()
        self.assertEqual([d["status"] for d in first["deliveries"]], [503])
        self.assertEqual([p["attempt"] for p in first["pending"]], [2])
        # Not due yet: nothing is sent again.
        again = self.emulator._call("POST", "notifications/redeliver")
        self.assertEqual(again["results"], [])
        self.emulator.advance(60)
        again = self.emulator._call("POST", "notifications/redeliver")
        self.assertEqual(
            [(r["attempt"], r["status"]) for r in again["results"]], [(2, 204)]
        )
        self.assertEqual(again["pending"], 0)
        inbox = self._inbox()
        self.assertEqual(len(inbox), 1)
        self.assertEqual(
            inbox.notification_id, first["deliveries"][0]["notificationId"]
        )
        self._run_jobs()
        self.assertEqual(inbox.state, "done")
        sales = self.env["sale.order"].search(
            [("client_order_ref", "=", order["orderId"])]
        )
        self.assertEqual(len(sales), 1)

    @mute_logger(CONTROLLER_LOGGER)
    def test_a_known_notification_is_acknowledged_not_stored_again(self):
        raw = self._message()
        signature = self._signed(raw)
        self.assertEqual(self._post(raw, signature).status_code, 204)
        jobs = self.env["queue.job"].search_count([])
        replay = self._post(raw, signature)
        self.assertEqual(replay.status_code, 204, "eBay must stop sending it")
        self.assertEqual(len(self._inbox()), 1)
        self.assertEqual(self.env["queue.job"].search_count([]), jobs, "no new job")

    @mute_logger(CONTROLLER_LOGGER, "odoo.http")
    def test_odd_headers_and_envelopes_are_refused_with_4xx_never_500(self):
        kid, key = self._signing_key()
        raw = self._message()
        deep_header = base64.b64encode(b"[" * 3000).decode()
        headers = {
            "alg is a number": self._signed(raw, kid, key, {"alg": 1}),
            "kid is a list": self._signed(raw, kid, key, {"kid": ["x"]}),
            "kid is a dot segment": self._signed(raw, kid, key, {"kid": ".."}),
            "digest is a number": self._signed(raw, kid, key, {"digest": 5}),
            "signature is a number": self._signed(raw, kid, key, {"signature": 7}),
            "header is a list": base64.b64encode(b"[1, 2]").decode(),
            "header nested 3,000 deep": deep_header,
            "header not ascii": "\u00e9t\u00e9",
        }
        statuses = {
            name: self._post(raw, signature).status_code
            for name, signature in headers.items()
        }
        future = (datetime.now(timezone.utc) + timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
        bodies = {
            "publishDate is a number": _envelope(publishDate=1764000000),
            "publishDate is a list": _envelope(publishDate=[now_iso()]),
            "publishDate is no date": _envelope(publishDate="2026-13-45T99:00:00Z"),
            "publishDate in the future": _envelope(publishDate=future),
            "publishAttemptCount is text": _envelope(publishAttemptCount="1"),
            "eventDate is a number": _envelope(eventDate=5),
            "data is a list": _envelope(data=["orderId"]),
            "orderId is a number": _envelope(data={"orderId": 12}),
            "username is an object": _envelope(
                topic="MARKETPLACE_ACCOUNT_DELETION", data={"username": {"a": 1}}
            ),
            "topic is a number": _envelope(topic=5),
            "deprecated is text": _envelope(deprecated="no"),
            "schemaVersion is a number": _envelope(schemaVersion=1),
            "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
            "data nested 50 deep": _envelope(data=_nested(50)),
        }
        for name, body in bodies.items():
            statuses[name] = self._post(body, self._signed(body, kid, key)).status_code
        wrong = {name: s for name, s in statuses.items() if not 400 <= s < 500}
        self.assertEqual(wrong, {}, "each must be refused with a 4xx")
        self.assertFalse(self._inbox())
        # The same envelope, well typed and signed, is accepted.
        good = _envelope()
        self.assertEqual(
            self._post(good, self._signed(good, kid, key)).status_code, 204
        )

    def test_out_of_order_notification_reads_the_current_order(self):
        order = self._buy(notify=False)
        self.emulator._call("POST", f"orders/{order['orderId']}/cancel")
        self.emulator._call("POST", "notify", json={"orderId": order["orderId"]})
        self._run_jobs()
        staged = self.env["marketplace.order"].search(
            [("remote_order_id", "=", order["orderId"])]
        )
        self.assertEqual(staged.state, "cancelled")
        self.assertFalse(staged.sale_order_id, "nothing to ship for a cancelled order")

    @mute_logger(CONTROLLER_LOGGER)
    def test_unsigned_badly_signed_malformed_and_stale_are_refused(self):
        raw = self._message()
        kid, key = self._signing_key()
        other_key = ec.generate_private_key(ec.SECP256R1())
        cases = {
            "unsigned": (raw, None),
            "garbage header": (raw, "not base64!"),
            "other key": (raw, self._signed(raw, kid, other_key)),
            "unknown key id": (raw, self._signed(raw, "no-such-kid", key)),
            "tampered body": (
                raw.replace(b"nope", b"evil"),
                self._signed(raw, kid, key),
            ),
            "signed garbage": (b"{not json", self._signed(b"{not json", kid, key)),
            "signed wrong shape": (
                b'{"metadata": 1}',
                self._signed(b'{"metadata": 1}', kid, key),
            ),
        }
        stale = self._message(published="2020-01-01T00:00:00.000Z")
        cases["stale"] = (stale, self._signed(stale, kid, key))
        for name, (body, signature) in cases.items():
            response = self._post(body, signature)
            self.assertTrue(
                400 <= response.status_code < 500, f"{name}: {response.status_code}"
            )
        self.assertFalse(self._inbox())
        good = self._post(raw, self._signed(raw, kid, key))
        self.assertEqual(good.status_code, 204)
        self.assertEqual(len(self._inbox()), 1)

    @mute_logger(CONTROLLER_LOGGER, "odoo.http")
    def test_fuzzed_bodies_never_store_and_never_500(self):
        kid, key = self._signing_key()
        rng = random.Random(20261122)
        statuses = []
        for i in range(200):
            body = _fuzz_body(rng, i)
            mode = i % 4
            if mode == 0:
                signature = None
            elif mode == 1:
                signature = self._signed(body, kid, key)  # valid signature, bad body
            elif mode == 2:
                signature = base64.b64encode(
                    bytes(rng.randrange(256) for _ in range(40))
                ).decode()
            else:
                signature = self._signed(body + b" ", kid, key)
            statuses.append(self._post(body, signature).status_code)
        self.assertTrue(all(400 <= s < 500 for s in statuses), sorted(set(statuses)))
        self.assertFalse(self._inbox())

    def test_account_deletion_anonymises_the_buyer(self):
        order = self._buy()
        self._run_jobs()
        partner = self.env["res.partner"].search(
            [("marketplace_buyer_username", "=", "jo_buyer")]
        )
        self.assertTrue(partner)
        shipping = partner.child_ids
        self.emulator._call(
            "POST",
            "notify",
            json={
                "topic": "MARKETPLACE_ACCOUNT_DELETION",
                "data": {"username": "jo_buyer", "userId": "u1", "eiasToken": "t"},
            },
        )
        self._run_jobs()
        for record in partner | shipping:
            self.assertEqual(record.name, "Deleted eBay buyer")
            self.assertFalse(record.email or record.street or record.zip)
        staged = self.env["marketplace.order"].search(
            [("remote_order_id", "=", order["orderId"])]
        )
        self.assertFalse(staged.buyer_username)
        self.assertTrue(staged.sale_order_id, "the sale itself is kept")
        # The processed notifications themselves forget the buyer too.
        stored = " ".join(self._inbox().mapped(lambda n: n.sudo().data or ""))
        self.assertNotIn("jo_buyer", stored)
        self.assertNotIn("u1", stored)
        self.assertIn(order["orderId"], stored, "an order notification keeps its id")


def _envelope(topic="ORDER_CONFIRMATION", data=None, **notification):
    """A notification body; ``notification`` overrides its fields."""
    metadata = {"topic": topic, "schemaVersion": "1.0", "deprecated": False}
    for name in ("schemaVersion", "deprecated"):
        if name in notification:
            metadata[name] = notification.pop(name)
    body = {
        "notificationId": str(uuid.uuid4()),
        "eventDate": now_iso(),
        "publishDate": now_iso(),
        "publishAttemptCount": 1,
        "data": {"orderId": "nope"} if data is None else data,
        **notification,
    }
    return json.dumps({"metadata": metadata, "notification": body}).encode()


def _nested(depth):
    value = {"leaf": 1}
    for _i in range(depth):
        value = {"inner": value}
    return value


def _fuzz_body(rng, i):
    """Bodies that are not a valid eBay notification, in many shapes."""
    kind = i % 8
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    if kind == 1:
        return json.dumps(rng.choice([None, 1, "x", [], [1, 2], True])).encode()
    if kind == 2:
        return json.dumps(
            {
                "metadata": {"topic": rng.choice([None, 5, ""])},
                "notification": {"notificationId": "x"},
            }
        ).encode()
    if kind == 3:
        return json.dumps(
            {
                "metadata": {"topic": "ORDER_CONFIRMATION"},
                "notification": {
                    "notificationId": rng.choice([None, 7, "", "y" * 300])
                },
            }
        ).encode()
    if kind == 4:
        return json.dumps(
            {
                "metadata": {"topic": "ORDER_CONFIRMATION"},
                "notification": {
                    "notificationId": str(uuid.uuid4()),
                    "publishDate": rng.choice(["", "yesterday", None, 12]),
                    "data": {},
                },
            }
        ).encode()
    if kind == 5:
        return json.dumps(
            {
                "metadata": {"topic": "ORDER_CONFIRMATION"},
                "notification": {
                    "notificationId": str(uuid.uuid4()),
                    "publishDate": now_iso(),
                    "data": "oops",
                },
            }
        ).encode()
    if kind == 6:
        return (
            b'{"metadata": {"topic": "ORDER_CONFIRMATION"}, "notification": '
            + b"[" * rng.randrange(1, 50)
        )
    return ("\u00ff" * rng.randrange(1, 30)).encode("latin-1")
