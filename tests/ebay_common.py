"""The eBay test common, on the neutral one (tests/common.py).

An eBay account bound to the emulator and connected through the real OAuth
round-trip, the eBay application the emulator knows for this run, and the
eBay fixtures the test modules share: a seller set up to list, listings,
stock pushes, orders bought on the emulator, signed notifications, and
company B's own eBay account.
"""

import base64
import json
import uuid
from datetime import datetime, timezone

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from ..const import OAUTH_CALLBACK_PATH
from ..ebay import payloads
from ..ebay.inventory import InventoryApi
from ..models.marketplace.job_edge import job_limits
from .common import (
    EmulatorMixin,
    InboxMixin,
    MarketplaceCase,
    MarketplaceHttpCase,
    OrderMixin,
    RunnerMixin,
    StockMixin,
    TwoCompaniesMixin,
    query_of,
)

# Expected warnings: failed calls, refused refreshes, refused notifications.
CLIENT_LOGGER = "odoo.addons.marketplace_connector.ebay.client"
AUTH_LOGGER = "odoo.addons.marketplace_connector.ebay.auth"
CONTROLLER_LOGGER = "odoo.addons.marketplace_connector.controllers.ebay_notification"
# Emulator paths (regular expressions) of eBay's calls.
GET_ORDERS = "^/sell/fulfillment/v1/order$"
INVENTORY = "^/sell/inventory/v1/"
PUSH = "bulk_update_price_quantity"
IMAGE = "https://i.example.com/shirt.jpg"


def now_iso():
    """Now, written as eBay writes its notifications' dates."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def revoke_and_poll(case, account):
    """The seller withdraws Odoo's access on eBay; the next order poll meets
    eBay's refusal of the refresh token.  The state comes from the code."""
    case.emulator.revoke()
    account._job_poll_orders()
    refreshes = case.emulator.token_calls("refresh_token")
    case.assertEqual(
        [c["status"] for c in refreshes][-1:], [400], "eBay refused the refresh"
    )
    case.assertEqual(account.state, "reauth")
    case.assertIn("invalid_grant", account.order_poll_error)


class EbayEmulatorMixin(EmulatorMixin):
    """The neutral emulator mixin, with this run's eBay application registered."""

    CLIENT_ID = "odoo-test-app"
    RU_NAME = "odoo-test-runame"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A secret for this run only: never a fixture.
        cls.client_secret = Fernet.generate_key().decode()

    def setUp(self):
        super().setUp()
        self.emulator.register_app(
            self.CLIENT_ID, self.client_secret, self.RU_NAME, self._callback_url()
        )

    def _callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return base.rstrip("/") + OAUTH_CALLBACK_PATH


class EbayAccountMixin:
    """eBay accounts bound to the emulator, connected through real OAuth."""

    def _new_account(self, **values):
        account = self.env["marketplace.account"].create(
            dict(
                {
                    "channel": "ebay",
                    "name": "Test seller",
                    "environment": "emulator",
                    "client_id": self.CLIENT_ID,
                    "ebay_ru_name": self.RU_NAME,
                },
                **values,
            )
        )
        self.env["marketplace.secret"]._store(
            account, "client_secret", self.client_secret
        )
        return account

    def _connect(self, account):
        """Run the consent round-trip and complete it as the callback does."""
        state = account._oauth_make_state()
        consent_url = account._oauth_client().consent_url(account._scope_list(), state)
        redirect = self.emulator.consent(consent_url)
        params = query_of(redirect)
        self.assertEqual(params["state"], state)
        checked = self.env["marketplace.account"]._oauth_check_state(params["state"])
        checked._oauth_complete(params["code"])
        return account


class EbayCase(EbayAccountMixin, EbayEmulatorMixin, MarketplaceCase):
    """A transaction test with eBay's application on the emulator."""


class EbayHttpCase(EbayAccountMixin, EbayEmulatorMixin, MarketplaceHttpCase):
    """Real HTTP to this Odoo (controllers, Chromium tours) and the emulator."""


class SellerMixin(StockMixin):
    """A connected account set up to list: policies, location, a product."""

    def _seller_warehouse(self):
        """The main warehouse, with the address eBay needs for a location."""
        warehouse = self.env.ref("stock.warehouse0")
        warehouse.partner_id.write(
            {
                "zip": "95125",
                "country_id": self.env.ref("base.us").id,
                "city": "San Jose",
            }
        )
        return warehouse

    def _seller_account(self, **values):
        """A connected account with its policies and location on eBay."""
        warehouse = self._seller_warehouse()
        account = self._connect(self._new_account(warehouse_id=warehouse.id, **values))
        return self._set_up_seller(account)

    def _set_up_seller(self, account):
        """Business policies, the policies themselves and the location."""
        account.action_opt_in_business_policies()
        for kind in ("fulfillment", "payment", "return"):
            self.env["ebay.policy"].create(
                {"account_id": account.id, "kind": kind, "name": f"Odoo {kind}"}
            ).action_create_on_ebay()
        account.action_sync_policies()
        account.action_create_location()
        return account

    def _setup_seller(self):
        self.account = self._seller_account()
        self.product = self._product("TSHIRT-1", "Organic cotton T-shirt", 12)
        self.emulator._call("DELETE", "calls")

    def _listing(self, product=None, **values):
        listing = (product or self.product)._ebay_listings_for(self.account)
        listing.write(dict({"image_urls": IMAGE, "category_id": "88433"}, **values))
        return listing

    def _run(self, listing, operation="publish"):
        """Run the listing's job as the job runner would: the next try the
        last run queued, if it queued one, else a first try."""
        next_tries = self.__dict__.setdefault("_next_tries", {})
        job = next_tries.pop((listing.id, operation), None)
        with trap_jobs() as trap:
            if job:
                job.perform()
            else:
                listing._job_run(operation)
        for queued in trap.enqueued_jobs:
            if (
                queued.method_name == "_job_run"
                and queued.recordset == listing
                and queued.args == (operation,)
                and queued.kwargs.get("marketplace_try")
            ):
                next_tries[(listing.id, operation)] = queued
        return trap

    def _listing_tries(self):
        """How many times a listing job is tried (declared in data/)."""
        return job_limits(self.env, "ebay.listing", "_job_run")[1]

    def _api(self):
        return InventoryApi(self.account._ebay_client())


@tagged("post_install", "-at_install")
class ListingCase(SellerMixin, EbayCase):
    def setUp(self):
        super().setUp()
        self._setup_seller()


@tagged("post_install", "-at_install")
class StockPushCase(ListingCase):
    def _published(self, product=None, **values):
        listing = self._listing(product, **values)
        listing.action_publish()
        self._run(listing)
        self.assertEqual(listing.state, "published", listing.last_error)
        return listing

    def _push_jobs(self):
        return self.env["queue.job"].search(
            [("state", "=", "pending"), ("method_name", "=", "_job_push_stock")]
        )

    def _perform_pushes(self):
        jobs = self._push_jobs()
        for record in jobs:
            record.state = "started"  # as the runner does, before performing
            Job.load(self.env, record.uuid).perform()
            record.state = "done"
        return jobs

    def _offer(self, listing):
        return self._api().get_offer(listing.offer_id)


@tagged("post_install", "-at_install")
class OrderCase(OrderMixin, ListingCase):
    """Two published listings, and orders bought on the emulator."""

    def setUp(self):
        super().setUp()
        self.mug = self._product("MUG-1", "Mug", 10)
        for product in (self.product, self.mug):
            listing = self._listing(product)
            listing.action_publish()
            self._run(listing)
            self.assertEqual(listing.state, "published", listing.last_error)

    def _buy(self, lines, **extra):
        return self.emulator._call(
            "POST",
            "purchase",
            json=dict({"lines": lines, "buyer": {"username": "jo_buyer"}}, **extra),
        )

    def _poll(self):
        result = self.account._job_poll_orders()

        return result

    def _list_outside_odoo(self, sku):
        """A listing of ``sku`` made on eBay outside Odoo (a product Odoo
        does not know), from the T-shirt's listing data."""
        api = self._api()
        data = self.product._ebay_listings_for(self.account)._listing_data()
        data.sku = sku
        api.create_or_replace_inventory_item(sku, payloads.inventory_item(data))
        api.publish_offer(api.create_offer(payloads.offer(data))["offerId"])

    def _usps_carrier(self):
        """A delivery method mapped to eBay's carrier code USPS."""
        return self.env["delivery.carrier"].create(
            {
                "name": "USPS Priority",
                "delivery_type": "fixed",
                "product_id": self.env.ref(
                    "marketplace_connector.product_ebay_shipping"
                ).id,
                "ebay_carrier_code": "USPS",
            }
        )


class NotificationMixin(RunnerMixin, InboxMixin):
    """Posts to an account's notification endpoint, signed as eBay signs.

    ``self.url`` is the endpoint posts go to unless another is given.
    """

    def _set_up_notifications(self, account):
        """A manager's click on "Set up notifications", then the set-up job
        it queued, run as queue_job's runner runs it; the click's answer."""
        answer = account.action_ebay_setup_notifications()
        self._run_chain("_job_ebay_setup_notifications")
        account.invalidate_recordset()
        return answer

    def _signing_key(self):
        """The emulator's own key id and private key: eBay's, for the tests."""
        data = self.emulator._call("GET", "signing")
        key = serialization.load_pem_private_key(data["private_key_pem"].encode(), None)
        return data["kid"], key

    def _signed(self, raw, kid=None, key=None, header=None):
        """X-EBAY-SIGNATURE for ``raw``; ``header`` overrides its fields."""
        if key is None:
            kid, key = self._signing_key()
        header = {
            "alg": "ECDSA",
            "kid": kid,
            "signature": base64.b64encode(
                key.sign(raw, ec.ECDSA(hashes.SHA1()))
            ).decode(),
            "digest": "SHA1",
            **(header or {}),
        }
        return base64.b64encode(json.dumps(header).encode()).decode()

    def _post(self, raw, signature=None, url=None):
        """An anonymous POST, as eBay's (or anyone's) would arrive."""
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-EBAY-SIGNATURE"] = signature
        return self.url_open(url or self.url, data=raw, headers=headers, timeout=30)

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
                    "publishDate": published or now_iso(),
                    "publishAttemptCount": 1,
                    "data": data or {"orderId": "nope"},
                },
            }
        ).encode()


@tagged("post_install", "-at_install")
class TwoCompaniesCase(TwoCompaniesMixin, StockPushCase):
    """Company A's seller and company B's own connected eBay account, with a
    listing made by B's user."""

    def setUp(self):
        super().setUp()
        self._setup_company_b()

    def _setup_company_b(self):
        super()._setup_company_b()
        self.account_b = self._connect(
            self._new_account(
                name="Shop B seller",
                company_id=self.company_b.id,
                warehouse_id=self.warehouse_b.id,
            )
        )
        self.product_b = self._product("B-MUG-1", "Shop B mug", 5)
        # Made by B's user, as the listing form does.
        self.listing_b = (
            self.env["ebay.listing"]
            .with_user(self.user_b)
            .create(
                {
                    "account_id": self.account_b.id,
                    "product_id": self.product_b.id,
                    "image_urls": "https://i.example.com/mug.jpg",
                    "category_id": "88433",
                }
            )
            .with_env(self.env)
        )
