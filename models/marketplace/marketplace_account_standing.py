"""The account's standing with its marketplace: the daily cron, the readings
kept as history (marketplace_standing.py) and the alert when a level drops.

The cron enqueues each connected account's channel job
(``_marketplace_enqueue_standing``); the job reads the marketplace's
figures and calls :meth:`_record_standing` with them.  A reading that shows
a lower level than the figure's previous reading raises one alert about
that reading: reading again the same day finds it open and raises nothing;
a later reading at a better level clears it.
"""

from odoo import api, fields, models

STANDING_ALERT = "standing_dropped"


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    standing_ids = fields.One2many(
        "marketplace.standing", "account_id", string="Seller standing"
    )

    @api.model
    def _cron_read_standing(self):
        for account in self.search([("state", "=", "connected")]):
            account._marketplace_enqueue_standing()

    def _marketplace_enqueue_standing(self):
        """Hook: enqueue the channel's job that reads this account's
        standing and calls :meth:`_record_standing`.  A channel that does
        not override it reads nothing."""
        self.ensure_one()
        return False

    def _marketplace_standing_note(self):
        """Channel hook: why the account has no standing to show (e.g. it was
        connected without the right to read it), or None."""
        self.ensure_one()

    def _standing_labels(self):
        """Words for the figures whose reading brings none (channels may
        give their own ``label``)."""
        _ = self.env._
        return {
            "standards_level": _("Seller level"),
            "projected_level": _("Seller level at the next evaluation"),
            "defect_rate": _("Transaction defect rate"),
            "late_shipment_rate": _("Late shipment rate"),
            "cases_closed_rate": _("Cases closed without seller resolution"),
            "item_not_received_rate": _("Item not received requests"),
            "item_not_as_described_rate": _("Item not as described returns"),
            "transactions": _("Transactions"),
        }

    def _standing_advice(self, metric):
        """What a seller does about a drop of ``metric``."""
        _ = self.env._
        advice = {
            "standards_level": _(
                "Open the account's standing to see which rate moved, and bring "
                "it back under its limit before the next evaluation."
            ),
            "projected_level": _(
                "If nothing changes, the next evaluation gives this level: ship "
                "on time with tracking and avoid cancelling orders until then."
            ),
            "defect_rate": _(
                "Defects are orders you cancelled for lack of stock and cases "
                "closed without your help: keep stock counts right and answer "
                "buyers' requests quickly."
            ),
            "late_shipment_rate": _(
                "Ship orders by their ship-by date and validate the delivery in "
                "Odoo the same day so the tracking reaches the marketplace."
            ),
            "cases_closed_rate": _(
                "Answer every return or item-not-received request before it is "
                "escalated; offer a refund or replacement when in doubt."
            ),
            "item_not_received_rate": _(
                "Ship with tracking, choose a faster service for the regions "
                "concerned, and answer buyers who ask where their order is."
            ),
            "item_not_as_described_rate": _(
                "Check the titles, photos and item specifics of the listings "
                "buyers return: describe the condition and size precisely."
            ),
        }
        return advice.get(metric) or _(
            "Open the account's standing to see what changed."
        )

    def _record_standing(self, readings, day=None):
        """Store today's ``readings`` (see ebay/analytics.py for their shape),
        their trend against each figure's previous reading, and alert on a
        drop.  Returns the readings stored."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        Standing = self.env["marketplace.standing"].sudo()
        labels = self._standing_labels()
        stored = Standing
        for sequence, reading in enumerate(readings):
            metric = reading["metric"]
            domain = [("account_id", "=", self.id), ("metric", "=", metric)]
            previous = Standing.search(domain + [("date", "<", day)], limit=1)
            values = {
                "label": reading.get("label") or labels.get(metric) or metric,
                "sequence": sequence,
                "kind": reading.get("kind") or "level",
                "level": reading.get("level") or False,
                "level_label": reading.get("level_label") or False,
                "level_rank": reading.get("rank") or 0,
                "value": reading.get("value") or 0.0,
                "threshold": reading.get("threshold") or 0.0,
                "window_start": reading.get("window_start") or False,
                "previous_id": previous.id or False,
            }
            row = Standing.search(domain + [("date", "=", day)], limit=1)
            if row:
                row.write(values)
            else:
                row = Standing.create(
                    dict(values, account_id=self.id, date=day, metric=metric)
                )
            dropped = bool(
                previous
                and row.level_rank
                and previous.level_rank
                and row.level_rank < previous.level_rank
            )
            row.write({"trend": row._trend_of(previous), "dropped": dropped})
            if dropped:
                self._alert_standing_drop(row, previous)
            elif previous and row.level_rank > previous.level_rank:
                self._clear_standing_drops(metric, row)
            stored |= row
        return stored

    def _alert_standing_drop(self, row, previous):
        """One alert about ``row``, the reading that showed the drop."""
        _ = self.env._
        names = {"channel": self._channel_label(), "name": self.name}
        summary = _(
            "%(figure)s of %(name)s dropped to %(level)s",
            figure=row.label,
            level=row.level_label or row.level,
            **names,
        )
        lines = [
            _(
                "On %(channel)s, %(figure)s went from %(before)s to %(now)s.",
                figure=row.label,
                before=previous.level_label or previous.level,
                now=row.level_label or row.level,
                **names,
            )
        ]
        if row.kind == "rate":
            lines.append(
                _(
                    "It is %(value)s now (it was %(before)s).",
                    value=row.value_text,
                    before=row._format_value(previous.value),
                )
            )
            if previous.threshold:
                # The previous reading's limit is the better level's.
                lines.append(
                    _(
                        "%(level)s needs %(limit)s or less.",
                        level=previous.level_label or previous.level,
                        limit=row._format_value(previous.threshold),
                    )
                )
        lines.append(self._standing_advice(row.metric))
        self._alert(STANDING_ALERT, True, summary, " ".join(lines), record=row)

    def _clear_standing_drops(self, metric, row):
        """Clear the open drop alerts of ``metric``: its level is back up."""
        Alert = self.env["marketplace.alert"].sudo()
        open_drops = Alert.search(
            [
                ("account_id", "=", self.id),
                ("cause", "=", STANDING_ALERT),
                ("state", "=", "open"),
                ("res_model", "=", "marketplace.standing"),
            ]
        )
        readings = (
            self.env["marketplace.standing"].sudo().browse(open_drops.mapped("res_id"))
        )
        for reading in readings.exists().filtered(lambda r: r.metric == metric):
            self._alert(
                STANDING_ALERT,
                False,
                record=reading,
                reason=self.env._(
                    "%(figure)s is %(level)s again",
                    figure=row.label,
                    level=row.level_label or row.level,
                ),
            )
