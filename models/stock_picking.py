"""Shipments of marketplace orders send their tracking to the marketplace, once.

A delivery of a marketplace order that is done and has a tracking number is
queued (``_queue_tracking``); the job (``_job_send_tracking``) hands it to
the order's channel (``_marketplace_send_tracking``), which must never send
the same shipment twice: a try whose answer was lost (a timeout, a dropped
connection, a transaction rolled back after the call) is tried again.
"""

import logging

from odoo import fields, models
from odoo.exceptions import UserError

from .marketplace.job_edge import marketplace_job

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "marketplace.protected.fields.mixin"]

    # Where the tracking is with the marketplace: the connector's, never set
    # by hand (a delivery marked "sent" would never reach the marketplace).
    marketplace_tracking_state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("error", "Error")],
        string="Marketplace tracking",
        readonly=True,
        copy=False,
        system_field=True,
    )
    marketplace_tracking_error = fields.Text(
        string="Tracking error", readonly=True, copy=False, system_field=True
    )

    def _marketplace_order(self):
        return self.sale_id.marketplace_order_id

    def _marketplace_account(self):
        """The account of the order shipped, read as the system: the person
        validating the delivery may not read marketplace orders at all."""
        return self.sudo()._marketplace_order().account_id

    # -- channel hooks -----------------------------------------------------------------
    def _marketplace_tracking_problem(self):
        """Hook: why the order's channel cannot take this shipment's tracking
        (a message for the person who must act), or None."""
        return

    def _marketplace_send_tracking(self):
        """Hook: send this shipment's tracking through its order's channel,
        inside the account's job edge; return ``(edge, reference)`` (the
        marketplace's reference of the shipment), or ``(None, None)`` when
        nothing in the shipment is the marketplace's to hear of."""
        raise NotImplementedError(
            f"channel {self._marketplace_account().channel!r} does not take tracking"
        )

    # -- queueing ---------------------------------------------------------------------
    def _action_done(self):
        result = super()._action_done()
        self._queue_tracking()
        return result

    def write(self, vals):
        result = super().write(vals)
        if vals.get("carrier_tracking_ref"):
            self.filtered(lambda p: p.state == "done")._queue_tracking()
        return result

    def _queue_tracking(self):
        for picking in self:
            order = picking._marketplace_order()
            if (
                picking.picking_type_code != "outgoing"
                or not order
                or not picking.carrier_tracking_ref
                or picking.marketplace_tracking_state in ("queued", "sent")
            ):
                continue
            problem = picking._marketplace_tracking_problem()
            if problem:
                picking._write_system(
                    {
                        "marketplace_tracking_state": "error",
                        "marketplace_tracking_error": problem,
                    }
                )
                picking.message_post(body=problem)
                continue
            picking._write_system(
                {
                    "marketplace_tracking_state": "queued",
                    "marketplace_tracking_error": False,
                }
            )
            label = picking._marketplace_account()._channel_label()
            # As the system: the person who validated the delivery may have no
            # marketplace rights at all, and the job writes the tracking state.
            picking.sudo().with_delay(
                identity_key=f"marketplace.tracking:{picking.id}",
                description=f"{label} tracking {picking.name}",
            )._job_send_tracking()

    @marketplace_job
    def _job_send_tracking(self):
        """Queue job: send this picking's tracking to its order's marketplace."""
        self.ensure_one()
        if self.marketplace_tracking_state != "queued":
            return f"skipped: tracking is {self.marketplace_tracking_state}"
        edge, reference = self._marketplace_send_tracking()
        if edge is None:
            self.marketplace_tracking_state = False
            return "no marketplace line in this shipment"
        if edge.refused or edge.gave_up:
            return self._tracking_failed(edge.message)
        if edge.retrying:
            self.marketplace_tracking_error = edge.message
            return f"tracking not sent yet: {edge.message}"
        self.write(
            {"marketplace_tracking_state": "sent", "marketplace_tracking_error": False}
        )
        self.message_post(
            body=self.env._(
                "Tracking %(ref)s sent to %(channel)s.",
                ref=self.carrier_tracking_ref,
                channel=self._marketplace_account()._channel_label(),
            )
        )
        self._marketplace_order_follows()
        return f"tracking sent: {reference}"

    def _marketplace_order_follows(self):
        """Read the order back from its marketplace, which now counts the
        shipment (shipped, partly shipped): its statuses follow at once, not
        at the next import.  The tracking is sent either way: a marketplace
        that cannot answer now leaves the order's statuses to that import."""
        order = self.sudo()._marketplace_order()
        try:
            with self.env.cr.savepoint():
                order.action_refresh_from_marketplace()
        except UserError as err:
            _logger.info("order %s not read back after its tracking: %s", order.id, err)

    def _marketplace_job_gave_up(self, edge):
        """Out of tries: the delivery's tracking error is its dead letter
        (written by the job, with the marketplace's reason)."""
        return True

    def _tracking_failed(self, message):
        self.write(
            {
                "marketplace_tracking_state": "error",
                "marketplace_tracking_error": message,
            }
        )
        self.message_post(
            body=self.env._(
                "The tracking did not reach %(channel)s: %(m)s",
                channel=self._marketplace_account()._channel_label(),
                m=message,
            )
        )
        return f"tracking not sent: {message}"

    def action_resend_tracking(self):
        self.check_access("write")
        self.filtered(lambda p: p.marketplace_tracking_state == "error")._write_system(
            {"marketplace_tracking_state": False}
        )
        self._queue_tracking()
        return True
