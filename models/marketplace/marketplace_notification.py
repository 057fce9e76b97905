"""Inbox of marketplace notifications: stored once, processed by a job.

The channel's controller only verifies, stores (``_store_once``) and
enqueues (``_enqueue``).  The job hands each notification to its channel
(``_marketplace_process``); processing never trusts the body for order data:
the channel reads the order again from its marketplace.
"""

import json

from odoo import api, fields, models

from .job_edge import marketplace_job


class MarketplaceNotification(models.Model):
    _name = "marketplace.notification"
    _description = "Marketplace Notification"
    _order = "id desc"
    _rec_name = "notification_id"
    # Account and company: the connector's, as every field here is.
    _inherit = ["marketplace.account.record.mixin"]

    # Stored: a notification id is unique per channel (two marketplaces may
    # use the same ids), and the store-once insert names it.
    channel = fields.Selection(
        related="account_id.channel", store=True, index=True, system_field=True
    )
    notification_id = fields.Char(
        string="Remote id", required=True, readonly=True, system_field=True
    )
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
            "channel_notification_uniq",
            "unique(channel, notification_id)",
            "This notification was already received.",
        )
    ]

    @api.model
    def _store_once(self, account, notification_id, topic, published_at, data):
        """Insert the notification unless its channel already delivered this
        id; return it or None.  ``data`` is a dict (stored as JSON)."""
        self.env.cr.execute(
            """
            INSERT INTO marketplace_notification (
                account_id, company_id, channel, notification_id, topic,
                published_at, state, data, create_uid, write_uid, create_date,
                write_date)
            VALUES (%s, %s, %s, %s, %s, %s, 'new', %s, %s, %s,
                    now() at time zone 'UTC', now() at time zone 'UTC')
            ON CONFLICT (channel, notification_id) DO NOTHING
            RETURNING id
            """,
            (
                account.id,
                account.company_id.id,
                account.channel,
                notification_id,
                topic,
                published_at,
                json.dumps(data or {}),
                self.env.uid,
                self.env.uid,
            ),
        )
        row = self.env.cr.fetchone()
        return self.browse(row[0]) if row else None

    def _enqueue(self):
        for notification in self:
            label = notification.account_id._channel_label()
            notification.with_delay(
                identity_key=f"marketplace.notification:{notification.id}",
                description=f"{label} {notification.topic}",
            )._job_process()

    # -- channel hooks -----------------------------------------------------------------
    def _marketplace_process(self, data):
        """Hook: ``(result, job edge or None)`` of acting on this
        notification's ``data``; the channel overrides it for its topics.
        A failed edge leaves the notification to be tried again (or in
        error), anything else marks it processed."""
        return f"topic {self.topic} ignored", None

    def _marketplace_kept_data(self, data):
        """Hook: what a processed notification keeps of its data (a dict, or
        None for nothing): never buyer data."""
        return

    @marketplace_job
    def _job_process(self):
        self.ensure_one()
        if self.state == "done":
            return "already processed"
        data = json.loads(self.data or "{}")
        result, edge = self._marketplace_process(data)
        if edge and edge.failed:
            # Retrying: still new, with the reason; out of tries or refused:
            # an error (a job that gave up is also in the dead-letter inbox).
            # The order poll catches up anyway.
            self.write({"state": "new" if edge.retrying else "error", "result": result})
            return result
        kept = self._marketplace_kept_data(data)
        self.write(
            {
                "state": "done",
                "result": result,
                "data": json.dumps(kept) if kept else False,
            }
        )
        return result

    # -- what every channel may ask for ----------------------------------------------
    def _forget_buyer(self, username):
        """A marketplace asks to forget a buyer: anonymise that buyer's
        partners and orders; return what was done."""
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("marketplace_buyer_username", "=", username)])
        )
        partners |= partners.child_ids
        partners.write(
            {
                "name": self.env._(
                    "Deleted %(channel)s buyer",
                    channel=self.account_id._channel_label(),
                ),
                "email": False,
                "phone": False,
                "mobile": False,
                "street": False,
                "street2": False,
                "city": False,
                "zip": False,
                "marketplace_buyer_username": False,
            }
        )
        orders = self.env["marketplace.order"].search(
            [("buyer_username", "=", username)]
        )
        orders.sudo().write({"buyer_username": False, "payload": False})
        return f"{len(partners)} partner(s) anonymised"
