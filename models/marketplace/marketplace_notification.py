"""Inbox of eBay notifications: stored once, processed by a job.

The controller only verifies, stores and enqueues.  Processing never trusts
the body for order data: it re-reads the order from the Fulfillment API.
"""

import json
import secrets
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ... import const
from ...ebay import EbayClient, EbayError, EbayNotFound
from ...ebay.errors import actionable
from ...ebay.fulfillment import FulfillmentApi
from ...ebay.notification import NotificationApi, SignatureError, parse_timestamp
from ..ebay.ebay_environment import fixed_endpoints
from .job_edge import marketplace_job
from .marketplace_account import _http_session

TOPICS = ("ORDER_CONFIRMATION", "MARKETPLACE_ACCOUNT_DELETION")
KEY_CACHE_SECONDS = 3600  # eBay recommends caching public keys for an hour
# A key id eBay does not know is remembered as unknown this long: a flood of
# posts naming it makes one getPublicKey call, not one each.
UNKNOWN_KEY_CACHE_SECONDS = 300
STALE_AFTER = timedelta(seconds=const.NOTIFICATION_REPLAY_WINDOW_SECONDS)
CLOCK_SKEW = timedelta(seconds=const.NOTIFICATION_CLOCK_SKEW_SECONDS)
# (eBay's API host, kid) -> (expires, key text or None if unknown, digest).
# Keyed by host: a key is eBay's for that environment, whichever account or
# company asked for it, and nothing but eBay's fixed hosts fills this cache.
_public_keys = {}


class KeyUnavailable(Exception):
    """eBay's key could not be had now: nothing was, or could be, asked.

    ``transient``: eBay or the network failed, so eBay's redelivery may
    succeed; otherwise the account may not call eBay at all.
    """

    def __init__(self, reason, transient=False):
        super().__init__(reason)
        self.transient = transient


class MarketplaceNotification(models.Model):
    _name = "marketplace.notification"
    _description = "eBay Notification"
    _order = "id desc"
    _rec_name = "notification_id"
    _inherit = ["marketplace.protected.fields.mixin"]
    _check_company_auto = True

    # What eBay sent and what became of it: the connector's only.
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, system_field=True
    )
    notification_id = fields.Char(required=True, readonly=True, system_field=True)
    topic = fields.Char(required=True, readonly=True, index=True, system_field=True)
    published_at = fields.Datetime(readonly=True, system_field=True)
    state = fields.Selection(
        [("new", "New"), ("done", "Processed"), ("error", "Error")],
        default="new",
        required=True,
        index=True,
        readonly=True,
        system_field=True,
    )
    result = fields.Text(readonly=True, system_field=True)
    data = fields.Text(
        readonly=True,
        system_field=True,
        help="The notification's data (order id, username).",
    )

    _sql_constraints = [
        (
            "notification_uniq",
            "unique(notification_id)",
            "This notification was already received.",
        )
    ]

    @api.model
    def _store_once(self, account, message):
        """Insert the notification unless its id is known; return it or None."""
        body = message["notification"]
        self.env.cr.execute(
            """
            INSERT INTO marketplace_notification (
                account_id, company_id, notification_id, topic, published_at,
                state, data, create_uid, write_uid, create_date, write_date)
            VALUES (%s, %s, %s, %s, %s, 'new', %s, %s, %s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (notification_id) DO NOTHING
            RETURNING id
            """,
            (
                account.id,
                account.company_id.id,
                body["notificationId"],
                message["metadata"]["topic"],
                parse_timestamp(body["publishDate"]),
                json.dumps(body.get("data") or {}),
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else None

    def _enqueue(self):
        for notification in self:
            notification.with_delay(
                identity_key=f"marketplace.notification:{notification.id}",
                description=f"eBay {notification.topic}",
            )._job_process()

    @marketplace_job
    def _job_process(self):
        self.ensure_one()
        if self.state == "done":
            return "already processed"
        data = json.loads(self.data or "{}")
        if self.topic == "ORDER_CONFIRMATION":
            result, edge = self._process_order(data)
            if edge and edge.failed:
                # Retrying: still new, with the reason; out of tries or
                # refused: an error (a job that gave up is also in the
                # dead-letter inbox).  The order poll catches up anyway.
                self.write(
                    {"state": "new" if edge.retrying else "error", "result": result}
                )
                return result
        elif self.topic == "MARKETPLACE_ACCOUNT_DELETION":
            result = self._process_account_deletion(data)
        else:
            result = f"topic {self.topic} ignored"
        # Once processed, a notification keeps no buyer data: an order's
        # stays only as its id (the order itself holds what the sale needs),
        # and an account deletion forgets the very username it names.
        kept = {"orderId": data["orderId"]} if data.get("orderId") else None
        self.write(
            {
                "state": "done",
                "result": result,
                "data": json.dumps(kept) if kept else False,
            }
        )
        return result

    def _process_order(self, data):
        """(result, job edge) of importing the order the notification names."""
        order_id = data.get("orderId")
        if not order_id:
            return "no order id", None
        account = self.account_id.with_company(self.account_id.company_id)
        with account._job_edge(record=self, operation="getOrder") as edge:
            order = FulfillmentApi(edge.client).get_order(order_id)
        if edge.failed:
            return edge.message, edge
        staged = self.env["marketplace.order"]._import_payload(account, order)
        return f"order {order_id}: {staged.state}", edge

    def _process_account_deletion(self, data):
        """eBay asks to forget a buyer: anonymise that buyer's partners."""
        username = data.get("username")
        if not username:
            return "no username"
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("ebay_buyer_username", "=", username)])
        )
        partners |= partners.child_ids
        partners.write(
            {
                "name": self.env._("Deleted eBay buyer"),
                "email": False,
                "phone": False,
                "mobile": False,
                "street": False,
                "street2": False,
                "city": False,
                "zip": False,
                "ebay_buyer_username": False,
            }
        )
        orders = self.env["marketplace.order"].search(
            [("buyer_username", "=", username)]
        )
        orders.sudo().write({"buyer_username": False, "payload": False})
        return f"{len(partners)} partner(s) anonymised"

    # -- signature keys --------------------------------------------------------
    @api.model
    def _public_key(self, account, kid):
        """eBay's public key for ``kid``: ``(key text, digest)``.

        Asked only of eBay's fixed host for the account's environment (see
        ebay_environment), with the account's application token, and cached
        by (host, kid): an hour when eBay knows the key, a few minutes when
        it does not.  Raises SignatureError for a key eBay does not know and
        KeyUnavailable when it cannot be asked: an account that may not call
        eBay (not connected, or not bound to eBay's host) makes no call and
        mints no token; a key already cached still verifies for it.

        The lookup answers an anonymous request, so it writes no call-log
        row (the structured log line stays): posts cannot fill the table.
        """
        endpoints = fixed_endpoints(account.environment)
        if endpoints is None:
            raise KeyUnavailable("the account's eBay environment is not enabled")
        cache_key = (endpoints.api, kid)
        cached = _public_keys.get(cache_key)
        if cached and cached[0] > time.time():
            if cached[1] is None:
                raise SignatureError("unknown key id")
            return cached[1], cached[2]
        self._check_may_fetch_key(account, endpoints)
        client = EbayClient(
            endpoints,
            token_provider=account._get_app_access_token,
            session=_http_session(),
            marketplace_id=account.marketplace_id,
            log_fields={"account": account.id},
        )
        try:
            data = NotificationApi(client).get_public_key(kid)
        except EbayNotFound as err:
            expires = time.time() + UNKNOWN_KEY_CACHE_SECONDS
            _public_keys[cache_key] = (expires, None, None)
            raise SignatureError("unknown key id") from err
        except EbayError as err:
            reason = f"eBay could not be asked (HTTP {err.status})"
            raise KeyUnavailable(reason, transient=err.retryable) from err
        except UserError as err:  # e.g. no app credentials in the vault
            raise KeyUnavailable("the account cannot ask eBay") from err
        key, digest = _key_fields(data)
        _public_keys[cache_key] = (time.time() + KEY_CACHE_SECONDS, key, digest)
        return key, digest

    @api.model
    def _check_may_fetch_key(self, account, endpoints):
        """KeyUnavailable unless ``account`` may ask ``endpoints`` for a key."""
        try:
            account._check_can_call()
        except EbayError as err:
            raise KeyUnavailable("the account may not call eBay") from err
        # The app token is minted at the account's own endpoints: they must
        # be eBay's, or its client secret and token would go elsewhere.
        try:
            bound = account._ebay_endpoints() == endpoints
        except ValueError:
            bound = False
        if not bound:
            raise KeyUnavailable("the account is not bound to eBay's host")


def _key_fields(data):
    """``(key, digest)`` of a getPublicKey answer; SignatureError if odd."""
    key = data.get("key") if isinstance(data, dict) else None
    digest = data.get("digest") if isinstance(data, dict) else None
    if not isinstance(key, str) or not key or not isinstance(digest, str | None):
        raise SignatureError("eBay's public key answer is not usable")
    return key, digest


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    notification_destination_id = fields.Char(
        readonly=True, copy=False, system_field=True
    )
    notification_subscriptions = fields.Char(
        readonly=True, copy=False, system_field=True
    )
    notification_url = fields.Char(compute="_compute_notification_url")
    notification_ids = fields.One2many("marketplace.notification", "account_id")

    def _compute_notification_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for account in self:
            account.notification_url = (
                f"{base.rstrip('/')}/ebay/notification/{account.id or 0}"
            )

    def _ebay_app_client(self):
        """A client with the application token (app-level APIs)."""
        self.ensure_one()
        return EbayClient(
            self._ebay_endpoints(),
            token_provider=self._get_app_access_token,
            session=_http_session(),
            marketplace_id=self.marketplace_id,
            **self._ebay_call_hooks(),
        )

    def _verification_token(self):
        token, _exp = self.env["marketplace.secret"]._read_secret(
            self, "verification_token"
        )
        return token

    def _ensure_verification_token(self):
        """The destination's verification token, committed before use.

        eBay calls the endpoint back (challenge) while createDestination is
        in flight; another Odoo worker answers it, so the token must already
        be committed: it is written in a transaction of its own.
        """
        token = self._verification_token()
        if token:
            return token
        token = secrets.token_urlsafe(48)[:64]
        self.env.flush_all()
        with self.env.registry.cursor() as cr:
            account = self.with_env(self.env(cr=cr, su=True))
            account.env["marketplace.secret"]._store(
                account, "verification_token", token
            )
        self.env.invalidate_all()
        return token

    def action_setup_notifications(self):
        """Register this Odoo as the account's destination and subscribe."""
        self.ensure_one()
        # Managers only: checked before the vault row is committed and before
        # eBay is called.
        self.check_access("write")
        token = self._ensure_verification_token()

        app_api = NotificationApi(self._ebay_app_client())
        user_api = NotificationApi(self._ebay_client())
        try:
            app_api.update_config(self.company_id.email or "seller@example.com")
            if not self.notification_destination_id:
                destination = app_api.create_destination(
                    f"Odoo {self.env.cr.dbname} {self.id}", self.notification_url, token
                )
                self._write_system({"notification_destination_id": destination})
            subscribed = set(
                filter(None, (self.notification_subscriptions or "").split(","))
            )
            for topic in TOPICS:
                if topic not in subscribed:
                    user_api.create_subscription(
                        topic, self.notification_destination_id
                    )
                    subscribed.add(topic)
            self._write_system(
                {"notification_subscriptions": ",".join(sorted(subscribed))}
            )
        except EbayError as err:
            raise UserError(
                self.env._(
                    "eBay notifications could not be set up: %(r)s", r=actionable(err)
                )
            ) from err
        return True
