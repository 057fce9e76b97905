"""The account's alerts: raise, clear, and the cron that checks the causes
that are a condition over time (marketplace_alert.py says how an alert is
raised)."""

from odoo import api, fields, models

from ..res_config_settings import get_setting


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    alert_ids = fields.One2many("marketplace.alert", "account_id", string="Alerts")

    def _alert_managers(self):
        """The marketplace managers of the account's company."""
        self.ensure_one()
        return (
            self.env.ref("marketplace_connector.group_marketplace_manager")
            .sudo()
            .users.filtered(
                lambda u: u.active and not u.share and self.company_id in u.company_ids
            )
        )

    def _alert(self, cause, active, summary=None, note=None, record=None, reason=None):
        """Raise the alert when ``active``, clear it otherwise."""
        Alert = self.env["marketplace.alert"]
        if active:
            return Alert._raise(self, cause, summary, note, record=record)
        return Alert._clear(self, cause, reason, record=record)

    @api.model
    def _cron_check_alerts(self):
        self.search([])._check_alerts()

    def _check_alerts(self):
        """Alerts whose cause is a condition over time, not an event."""
        states = dict(self._fields["state"].selection)
        for account, report in zip(self, self._health_report(), strict=True):
            names = {"channel": account._channel_label(), "name": account.name}
            tokens = report["tokens"]["status"]
            # A cause that ends because the account is switched off did not
            # get fixed: the chatter must not say it did.
            gone = (
                None
                if account.state == "connected"
                else self.env._(
                    "the account is now %(state)s", state=states[account.state]
                )
            )
            account._alert(
                "token_revoked",
                tokens == "revoked",
                self.env._("Reconnect %(channel)s account %(name)s", **names),
                self.env._(
                    "%(channel)s no longer accepts this account's authorisation. "
                    "Open the account and click Reconnect %(channel)s to grant "
                    "access again.",
                    **names,
                ),
                reason=gone or self.env._("the account is connected again"),
            )
            expires = report["tokens"].get("refresh_expires_at")
            account._alert(
                "token_expiring",
                tokens == "expiring",
                self.env._("%(channel)s consent of %(name)s expires soon", **names),
                self.env._(
                    "The authorisation %(channel)s gave this account expires on "
                    "%(date)s; after that nothing reaches %(channel)s. Click "
                    "Connect on the account to renew it.",
                    date=expires and fields.Datetime.to_string(expires),
                    **names,
                ),
                reason=gone or self.env._("the consent was renewed"),
            )
            orders = report["order_import"]
            account._alert(
                "order_import_late",
                # The health report says "late", "failing" or "never" only
                # past the threshold: one failed poll is not enough.
                account.state == "connected" and orders["status"] != "ok",
                self.env._("%(channel)s orders of %(name)s are late", **names),
                self.env._(
                    "No order import succeeded for more than %(m)s minutes "
                    "(last: %(last)s): orders sold on %(channel)s meanwhile "
                    "may be missing from Odoo. %(error)s Check that the account "
                    "is connected and that the job queue runs; the next "
                    "successful import brings the orders in and clears this "
                    "alert.",
                    m=get_setting(self.env, "order_late_minutes"),
                    last=orders.get("last_poll") or self.env._("never"),
                    error=orders.get("error") or "",
                    **names,
                ),
                reason=gone or self.env._("orders are imported again"),
            )
            account._check_drift_alert()
            account._marketplace_check_alerts(report, gone)

    def _marketplace_check_alerts(self, report, gone):
        """Channel hook: raise or clear the channel's own alerts of one
        account from its health report (``report``, with the channel's
        areas).  ``gone`` is the reason to give when a cause ends because the
        account was switched off (None while it is connected)."""

    def _check_drift_alert(self):
        self.ensure_one()
        drifts = self.env["marketplace.drift"].search_count(
            [("account_id", "=", self.id), ("state", "=", "open")]
        )
        self._alert(
            "drift_found",
            bool(drifts),
            self.env._(
                "%(channel)s differs from Odoo for %(name)s",
                channel=self._channel_label(),
                name=self.name,
            ),
            self.env._(
                "%(n)s value(s) on %(channel)s (quantity, price or the listing "
                "itself) differ from Odoo. Open Drift to repair them.",
                n=drifts,
                channel=self._channel_label(),
            ),
            reason=self.env._("no drift is left"),
        )
