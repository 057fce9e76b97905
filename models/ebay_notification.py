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

from ..ebay import EbayClient, EbayError
from ..ebay.errors import actionable
from ..ebay.fulfillment import FulfillmentApi
from ..ebay.notification import NotificationApi
from .ebay_account import _http_session
from .ebay_order import _parse
from .job_edge import ebay_job

TOPICS = ("ORDER_CONFIRMATION", "MARKETPLACE_ACCOUNT_DELETION")
KEY_CACHE_SECONDS = 3600  # eBay recommends caching public keys for an hour
STALE_AFTER = timedelta(days=2)  # an older publish date is a replay
_public_keys = {}  # (db, kid) -> (expires, key text, digest)


class EbayNotification(models.Model):
    _name = "ebay.notification"
    _description = "eBay Notification"
    _order = "id desc"
    _rec_name = "notification_id"

    account_id = fields.Many2one(
        "ebay.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    notification_id = fields.Char(required=True, readonly=True)
    topic = fields.Char(required=True, readonly=True, index=True)
    published_at = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("new", "New"), ("done", "Processed"), ("error", "Error")],
        default="new",
        required=True,
        index=True,
    )
    result = fields.Text(readonly=True)
    data = fields.Text(
        readonly=True, help="The notification's data (order id, username)."
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
            INSERT INTO ebay_notification (
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
                _parse(body.get("publishDate")),
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
                identity_key=f"ebay.notification:{notification.id}",
                description=f"eBay {notification.topic}",
            )._job_process()

    @ebay_job
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
        staged = self.env["ebay.order"]._import_payload(account, order)
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
        orders = self.env["ebay.order"].search([("buyer_username", "=", username)])
        orders.sudo().write({"buyer_username": False, "payload": False})
        return f"{len(partners)} partner(s) anonymised"

    # -- signature keys --------------------------------------------------------
    @api.model
    def _public_key(self, account, kid):
        """eBay's public key for ``kid`` (app token), cached for an hour."""
        cache_key = (self.env.cr.dbname, kid)
        cached = _public_keys.get(cache_key)
        if cached and cached[0] > time.time():
            return cached[1], cached[2]
        client = account._ebay_app_client()
        data = NotificationApi(client).get_public_key(kid)
        _public_keys[cache_key] = (
            time.time() + KEY_CACHE_SECONDS,
            data["key"],
            data.get("digest"),
        )
        return data["key"], data.get("digest")


class EbayAccount(models.Model):
    _inherit = "ebay.account"

    notification_destination_id = fields.Char(readonly=True, copy=False)
    notification_subscriptions = fields.Char(readonly=True, copy=False)
    notification_url = fields.Char(compute="_compute_notification_url")
    notification_ids = fields.One2many("ebay.notification", "account_id")

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
        token, _exp = self.env["ebay.token"]._read_secret(self, "verification_token")
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
            account.env["ebay.token"]._store(account, "verification_token", token)
        self.env.invalidate_all()
        return token

    def action_setup_notifications(self):
        """Register this Odoo as the account's destination and subscribe."""
        self.ensure_one()
        token = self._ensure_verification_token()

        app_api = NotificationApi(self._ebay_app_client())
        user_api = NotificationApi(self._ebay_client())
        try:
            app_api.update_config(self.company_id.email or "seller@example.com")
            if not self.notification_destination_id:
                self.notification_destination_id = app_api.create_destination(
                    f"Odoo {self.env.cr.dbname} {self.id}", self.notification_url, token
                )
            subscribed = set(
                filter(None, (self.notification_subscriptions or "").split(","))
            )
            for topic in TOPICS:
                if topic not in subscribed:
                    user_api.create_subscription(
                        topic, self.notification_destination_id
                    )
                    subscribed.add(topic)
            self.notification_subscriptions = ",".join(sorted(subscribed))
        except EbayError as err:
            raise UserError(
                self.env._(
                    "eBay notifications could not be set up: %(r)s", r=actionable(err)
                )
            ) from err
        return True
