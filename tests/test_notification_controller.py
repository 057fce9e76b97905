import base64
import json
import random
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from .common import EbayHttpCase
from .test_listing import SellerMixin

CONTROLLER_LOGGER = "odoo.addons.marketplace_connector.controllers.notification"
NOTIFICATION_API = "/commerce/notification/v1"


@tagged("post_install", "-at_install")
class TestNotifications(SellerMixin, EbayHttpCase):
    def setUp(self):
        super().setUp()
        self._setup_seller()
        self.mug = self._product("MUG-1", "Mug", 10)
        listing = self._listing(self.mug)
        listing.action_publish()
        self._run(listing)
        self.account.action_setup_notifications()
        self.url = f"/ebay/notification/{self.account.id}"

    # -- helpers ------------------------------------------------------------------
    def _run_jobs(self):
        jobs = self.env["queue.job"].search(
            [("state", "=", "pending"), ("model_name", "=", "ebay.notification")]
        )
        for record in jobs:
            Job.load(self.env, record.uuid).perform()
        return jobs

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

    def _inbox(self):
        return self.env["ebay.notification"].search(
            [("account_id", "=", self.account.id)]
        )

    def _signing_key(self):
        data = self.emulator._call("GET", "signing")
        key = serialization.load_pem_private_key(data["private_key_pem"].encode(), None)
        return data["kid"], key

    def _signed(self, raw, kid=None, key=None):
        if key is None:
            kid, key = self._signing_key()
        header = {
            "alg": "ECDSA",
            "kid": kid,
            "signature": base64.b64encode(
                key.sign(raw, ec.ECDSA(hashes.SHA1()))
            ).decode(),
            "digest": "SHA1",
        }
        return base64.b64encode(json.dumps(header).encode()).decode()

    def _post(self, raw, signature=None):
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-EBAY-SIGNATURE"] = signature
        return self.opener.post(
            self.base_url() + self.url, data=raw, headers=headers, timeout=30
        )

    def _message(self, topic="ORDER_CONFIRMATION", data=None, published=None):
        return json.dumps(
            {
                "metadata": {
                    "topic": topic,
                    "schemaVersion": "1.0",
                    "deprecated": False,
                },
                "notification": {
                    "notificationId": str(uuid.uuid4()),
                    "eventDate": "2026-11-22T10:00:00.000Z",
                    "publishDate": published or _now_iso(),
                    "publishAttemptCount": 1,
                    "data": data or {"orderId": "nope"},
                },
            }
        ).encode()

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
        destination = self.account.notification_destination_id
        self.assertTrue(destination)
        topics = ["MARKETPLACE_ACCOUNT_DELETION", "ORDER_CONFIRMATION"]
        self.assertEqual(self.account.notification_subscriptions, ",".join(topics))
        self.assertEqual(self._created_on_ebay(), (1, topics))
        # Setting up again creates nothing new, on eBay or in Odoo.
        self.account.action_setup_notifications()
        self.assertEqual(self._created_on_ebay(), (1, topics))
        self.assertEqual(self.account.notification_destination_id, destination)
        self.assertEqual(self.account.notification_subscriptions, ",".join(topics))
        # And what was set up works: eBay's push reaches this Odoo once.
        order = self._buy()
        inbox = self._inbox()
        self.assertEqual(len(inbox), 1)
        self.assertEqual(json.loads(inbox.data), {"orderId": order["orderId"]})

    @mute_logger(CONTROLLER_LOGGER)
    def test_duplicate_notifications_and_a_poll_give_one_sale_order(self):
        order = self._buy(duplicate=True)
        inbox = self._inbox()
        self.assertEqual(len(inbox), 1, "the duplicate delivery was refused")
        self._run_jobs()
        self.assertEqual(inbox.state, "done")
        staged = self.env["ebay.order"].search(
            [("ebay_order_id", "=", order["orderId"])]
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

    def test_out_of_order_notification_reads_the_current_order(self):
        order = self._buy(notify=False)
        self.emulator._call("POST", f"orders/{order['orderId']}/cancel")
        self.emulator._call("POST", "notify", json={"orderId": order["orderId"]})
        self._run_jobs()
        staged = self.env["ebay.order"].search(
            [("ebay_order_id", "=", order["orderId"])]
        )
        self.assertEqual(staged.state, "cancelled")
        self.assertFalse(staged.sale_order_id, "nothing to ship for a cancelled order")

    @mute_logger(CONTROLLER_LOGGER)
    def test_unsigned_badly_signed_malformed_stale_and_replayed_are_refused(self):
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
        replay = self._post(raw, self._signed(raw, kid, key))
        self.assertEqual(replay.status_code, 409)
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
            [("ebay_buyer_username", "=", "jo_buyer")]
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
        staged = self.env["ebay.order"].search(
            [("ebay_order_id", "=", order["orderId"])]
        )
        self.assertFalse(staged.buyer_username)
        self.assertTrue(staged.sale_order_id, "the sale itself is kept")
        # The processed notifications themselves forget the buyer too.
        stored = " ".join(self._inbox().mapped(lambda n: n.sudo().data or ""))
        self.assertNotIn("jo_buyer", stored)
        self.assertNotIn("u1", stored)
        self.assertIn(order["orderId"], stored, "an order notification keeps its id")


def _now_iso():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


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
                    "publishDate": _now_iso(),
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
