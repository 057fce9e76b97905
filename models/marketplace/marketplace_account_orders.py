"""What an account knows of its orders and notifications, on every channel."""

from odoo import fields, models

from .job_edge import marketplace_job

# Notifications one processing job takes: a burst is read in a few jobs
# (each re-reads its orders in the channel's batches), and no job holds
# its locks for long.
NOTIFICATION_BATCH = 200


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    order_ids = fields.One2many("marketplace.order", "account_id", string="Orders")
    notification_ids = fields.One2many("marketplace.notification", "account_id")
    # Kept by each channel's order poll; the health report and the
    # late-import alert read them for every channel.
    order_watermark = fields.Datetime(
        readonly=True,
        copy=False,
        system_field=True,
        help="Orders modified up to here are imported.",
    )
    # When the last *successful* poll started (a failed poll leaves it as it
    # was): the health report measures lateness from it.
    last_order_poll = fields.Datetime(
        string="Last successful order poll",
        readonly=True,
        copy=False,
        system_field=True,
        help="When the last poll that completed without error started.",
    )
    # Why the last poll failed; cleared by the next successful poll.
    order_poll_error = fields.Text(readonly=True, copy=False, system_field=True)

    # -- notifications ---------------------------------------------------------------
    def _enqueue_notification_processing(self):
        """Queue, at once, a job that processes every new notification of
        each account.  No identity key: a job of the account already
        waiting may start, and take the new rows, before the transaction
        that stores this notification commits, and would never see it.
        A spare job costs little: its notifications are taken (SKIP LOCKED)
        by the jobs before it, and it finds nothing new."""
        for account in self:
            account.with_delay(
                description=f"{account._channel_label()} notifications {account.name}",
            )._job_process_notifications()

    def _enqueue_waiting_notifications(self):
        """Queue the processing of the accounts' notifications still new
        (a batch job that gave up leaves them so): called by the order poll,
        so that they do not wait for the next notification."""
        waiting = self.env["marketplace.notification"].search(
            [("account_id", "in", self.ids), ("state", "=", "new")]
        )
        waiting.account_id._enqueue_notification_processing()

    @marketplace_job
    def _job_process_notifications(self):
        """Queue job: process the account's new notifications together (up to
        NOTIFICATION_BATCH; the rest in the next job, queued at once)."""
        self.ensure_one()
        taken = self.env["marketplace.notification"]._take_new(self, NOTIFICATION_BATCH)
        if not taken:
            return "nothing new"
        summary = taken._process_together()
        if len(taken) == NOTIFICATION_BATCH:
            self._enqueue_notification_processing()
        return f"{len(taken)} notification(s): {summary}"
