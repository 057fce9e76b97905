"""Inbox of marketplace notifications: stored once, processed by a job.

The channel's controller only verifies, stores (``_store_once``) and
enqueues (``_enqueue``): one processing job per account, which takes every
new notification of the account (``marketplace.account.
_job_process_notifications``), so notifications that arrive together are
processed together.  The job hands them to their channel
(``_marketplace_process_batch``, by default each on its own through
``_marketplace_process``); processing never trusts the body for order data:
the channel reads the orders again from its marketplace, in batches where
its API allows.

``_job_process`` processes one notification on its own (the way every
notification was processed before batches): jobs queued that way still run,
and the order benchmark runs it as its baseline.
"""

import json
import logging

import psycopg2

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

from odoo.addons.queue_job.exception import RetryableJobError

from .job_edge import marketplace_job

_logger = logging.getLogger(__name__)


def _state_after(edge):
    """What a notification becomes after its processing's job ``edge``
    (None: no call was made)."""
    if edge and edge.failed:
        return "new" if edge.retrying else "error"
    return "done"


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
        """Queue the processing of these notifications: a job per account,
        at once (no eta), that takes every new notification of the account
        (one already waiting is not reused: it may start before this
        notification's transaction commits)."""
        self.account_id._enqueue_notification_processing()

    def _enqueue_per_notification(self):
        """One job per notification (``_job_process``), each re-reading its
        order in a transaction of its own."""
        for notification in self:
            label = notification.account_id._channel_label()
            notification.with_delay(
                identity_key=f"marketplace.notification:{notification.id}",
                description=f"{label} {notification.topic}",
            )._job_process()

    @api.model
    def _take_new(self, account, limit):
        """Up to ``limit`` new notifications of ``account``, oldest first,
        locked for this transaction; those another job has locked are
        skipped (they are its to process), so two jobs never process the
        same notification."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM marketplace_notification
             WHERE account_id = %s AND state = 'new'
             ORDER BY id
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            (account.id, limit),
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _data(self):
        return json.loads(self.data or "{}")

    # -- channel hooks -----------------------------------------------------------------
    def _marketplace_process(self, data):
        """Hook: ``(result, job edge or None)`` of acting on this
        notification's ``data``; the channel overrides it for its topics.
        A failed edge leaves the notification to be tried again (or in
        error), anything else marks it processed."""
        return f"topic {self.topic} ignored", None

    def _marketplace_process_batch(self):
        """Hook: ``{notification id: (result, state)}`` of processing these
        notifications (all of one account) together; ``state`` is what the
        notification becomes: ``"done"``, ``"error"`` or ``"new"`` (tried
        again later).  A channel overrides it for the topics it can batch
        (orders re-read together) and leaves the others to this default:
        each notification on its own (``_marketplace_process``), in a
        savepoint, so that one that fails holds back no other."""
        outcomes = {}
        for notification in self:
            try:
                with self.env.cr.savepoint():
                    result, edge = notification._marketplace_process(
                        notification._data()
                    )
            except RetryableJobError:
                raise
            except Exception as exc:
                if isinstance(exc, psycopg2.OperationalError) and (
                    exc.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY
                ):
                    raise  # a database race: queue_job tries the whole job again
                # Ids and the class only: the text may carry buyer data.
                _logger.warning(
                    "Notification %s of account %s not processed: %s",
                    notification.id,
                    notification.account_id.id,
                    type(exc).__name__,
                )
                outcomes[notification.id] = (
                    self.env._(
                        "Odoo could not process this notification (%(error)s). "
                        "The order poll imports its order anyway; if this "
                        "stays, report it to whoever maintains the connector.",
                        error=type(exc).__name__,
                    ),
                    "error",
                )
                continue
            outcomes[notification.id] = (result, _state_after(edge))
        return outcomes

    def _marketplace_kept_data(self, data):
        """Hook: what a processed notification keeps of its data (a dict, or
        None for nothing): never buyer data."""
        return

    # -- processing ----------------------------------------------------------------
    def _process_together(self):
        """Process these notifications (all of one account) as their channel
        batches them, and record each one's outcome; a summary."""
        outcomes = self._marketplace_process_batch()
        counts = {}
        for notification in self:
            result, state = outcomes[notification.id]
            notification._record_outcome(result, state)
            counts[state] = counts.get(state, 0) + 1
        return ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))

    def _record_outcome(self, result, state):
        self.ensure_one()
        if state != "done":
            # As the caller decided, with the reason: "new" to be taken again
            # (the job's next try; a batch out of tries: its Requeue in the
            # dead-letter inbox, the account's next job or the one the order
            # poll queues), "error" when refused or when a notification's own
            # job is out of tries.  The order poll imports the order anyway.
            self.write({"state": state, "result": result})
            return
        kept = self._marketplace_kept_data(self._data())
        self.write(
            {
                "state": "done",
                "result": result,
                "data": json.dumps(kept) if kept else False,
            }
        )

    @marketplace_job
    def _job_process(self):
        """Queue job: process this one notification on its own."""
        self.ensure_one()
        if self.state == "done":
            return "already processed"
        result, edge = self._marketplace_process(self._data())
        self._record_outcome(result, _state_after(edge))
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
