"""Alerts for the account's managers: one open alert per cause, never a storm.

An alert is raised with a chatter message (managers mentioned) and one
activity per manager on the account, where people already look.  Raising a
cause that is already open does nothing; clearing it marks its activities
done and says so in the chatter.  Conditions that have no event of their own
(consent about to expire, order import late) are checked by a cron; the
others (revoked authorisation, a listing that keeps failing, drift) are
raised and cleared where they happen.
"""

from markupsafe import Markup, escape
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models

from ..res_config_settings import get_setting

ALERT_CAUSES = [
    ("token_expiring", "Consent about to expire"),
    ("token_revoked", "Authorisation revoked"),
    ("listing_failing", "Listing keeps failing"),
    ("order_import_late", "Order import late"),
    ("drift_found", "Stock or price drift"),
]
ACTIVITY_TYPE = "marketplace_connector.mail_activity_type_marketplace_attention"


def text_to_html(text):
    """Plain text as HTML that shows it and never runs it.

    Notes carry eBay's error texts and buyers' data: every character is
    escaped (an ``<a href>`` or ``<img>`` shows as text), line breaks are
    kept, and nothing becomes a link (``plaintext2html`` would link URLs).
    """
    return Markup("<br/>").join(escape(line) for line in (text or "").splitlines())


class MarketplaceAlert(models.Model):
    _name = "marketplace.alert"
    _description = "eBay Alert"
    _order = "state, raised_at desc, id desc"
    _inherit = ["marketplace.protected.fields.mixin"]
    _check_company_auto = True

    # Raised and cleared by the connector (as the system), never by hand.
    name = fields.Char(required=True, readonly=True, system_field=True)
    account_id = fields.Many2one(
        "marketplace.account",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
        check_company=True,
        system_field=True,
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, system_field=True
    )
    cause = fields.Selection(
        ALERT_CAUSES, required=True, readonly=True, system_field=True
    )
    res_model = fields.Char(
        string="About model", required=True, readonly=True, system_field=True
    )
    res_id = fields.Many2oneReference(
        string="About",
        model_field="res_model",
        required=True,
        readonly=True,
        system_field=True,
    )
    note = fields.Text(readonly=True, system_field=True)
    state = fields.Selection(
        [("open", "Open"), ("cleared", "Cleared")],
        required=True,
        default="open",
        index=True,
        readonly=True,
        system_field=True,
    )
    raised_at = fields.Datetime(
        readonly=True, default=fields.Datetime.now, system_field=True
    )
    cleared_at = fields.Datetime(readonly=True, system_field=True)
    clear_reason = fields.Char(readonly=True, system_field=True)
    activity_ids = fields.Many2many("mail.activity", readonly=True, system_field=True)

    def init(self):
        # The database holds the "one open alert per cause" rule, so two
        # workers raising the same cause at once cannot both succeed.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS marketplace_alert_one_open_per_cause
            ON marketplace_alert (account_id, cause, res_model, res_id)
            WHERE state = 'open'
            """
        )

    @api.model
    def _open_for(self, account, cause, record):
        return self.search(
            [
                ("account_id", "=", account.id),
                ("cause", "=", cause),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("state", "=", "open"),
            ],
            limit=1,
        )

    @api.model
    def _raise(self, account, cause, summary, note, record=None):
        """Open the alert unless it is open already; returns it either way."""
        record = record or account
        Alert = self.sudo()
        alert = Alert._open_for(account, cause, record)
        if alert:
            return alert
        try:
            # Another worker may raise the same cause at the same moment: the
            # unique index lets one win, the other is not an error.
            with self.env.cr.savepoint():
                alert = Alert.create(
                    {
                        "name": summary,
                        "account_id": account.id,
                        "cause": cause,
                        "res_model": record._name,
                        "res_id": record.id,
                        "note": note,
                    }
                )
        except UniqueViolation:
            return Alert._open_for(account, cause, record)
        managers = account._alert_managers()
        account = account.sudo()
        account.message_post(
            body=text_to_html(
                self.env._("%(summary)s. %(note)s", summary=summary, note=note)
            ),
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        activities = self.env["mail.activity"]
        for user in managers:
            # The activity's note is HTML: escaped here, not merely sanitised.
            activities |= account.activity_schedule(
                ACTIVITY_TYPE, summary=summary, note=text_to_html(note), user_id=user.id
            )
        alert.activity_ids = activities
        return alert

    @api.model
    def _clear(self, account, cause, reason, record=None):
        """Close the open alert of this cause, if any."""
        record = record or account
        alert = self.sudo()._open_for(account, cause, record)
        if not alert:
            return alert
        alert.write(
            {
                "state": "cleared",
                "cleared_at": fields.Datetime.now(),
                "clear_reason": reason,
            }
        )
        alert.activity_ids.exists().action_feedback(feedback=reason)
        account.sudo().message_post(
            body=text_to_html(
                self.env._(
                    "Cleared: %(name)s (%(reason)s).", name=alert.name, reason=reason
                )
            ),
            subtype_xmlid="mail.mt_note",
        )
        return alert

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    alert_ids = fields.One2many("marketplace.alert", "account_id", string="Alerts")
    alert_count = fields.Integer(string="Open alerts", compute="_compute_alert_count")

    def _compute_alert_count(self):
        counts = self._open_counts("marketplace.alert")
        for account in self:
            account.alert_count = counts.get(account, 0)

    def action_open_alerts(self):
        return self._action_for_account(
            "marketplace_connector.marketplace_alert_action"
        )

    def _alert_managers(self):
        """The eBay managers of the account's company."""
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
                self.env._("Reconnect eBay account %(name)s", name=account.name),
                self.env._(
                    "eBay no longer accepts this account's authorisation. Open "
                    "the account and click Reconnect eBay to grant access again."
                ),
                reason=gone or self.env._("the account is connected again"),
            )
            expires = report["tokens"].get("refresh_expires_at")
            account._alert(
                "token_expiring",
                tokens == "expiring",
                self.env._("eBay consent of %(name)s expires soon", name=account.name),
                self.env._(
                    "The authorisation eBay gave this account expires on "
                    "%(date)s; after that nothing reaches eBay. Click Connect "
                    "on the account to renew it.",
                    date=expires and fields.Datetime.to_string(expires),
                ),
                reason=gone or self.env._("the consent was renewed"),
            )
            orders = report["order_import"]
            account._alert(
                "order_import_late",
                # The health report says "late", "failing" or "never" only
                # past the threshold: one failed poll is not enough.
                account.state == "connected" and orders["status"] != "ok",
                self.env._("eBay orders of %(name)s are late", name=account.name),
                self.env._(
                    "No order import succeeded for more than %(m)s minutes "
                    "(last: %(last)s). %(error)s",
                    m=get_setting(self.env, "order_late_minutes"),
                    last=orders.get("last_poll") or self.env._("never"),
                    error=orders.get("error") or "",
                ),
                reason=gone or self.env._("orders are imported again"),
            )
            account._check_drift_alert()

    def _check_drift_alert(self):
        self.ensure_one()
        drifts = self.env["marketplace.drift"].search_count(
            [("account_id", "=", self.id), ("state", "=", "open")]
        )
        self._alert(
            "drift_found",
            bool(drifts),
            self.env._("eBay differs from Odoo for %(name)s", name=self.name),
            self.env._(
                "%(n)s quantity or price value(s) on eBay differ from Odoo. Open "
                "Drift to repair them.",
                n=drifts,
            ),
            reason=self.env._("no drift is left"),
        )


class MarketplaceDeadLetter(models.Model):
    """A listing keeps failing: its letter counts the failures in a row."""

    _inherit = "marketplace.dead.letter"

    def _listing_letters(self):
        return self.filtered(lambda x: x.kind in ("listing", "listing_group"))

    def _after_failure(self):
        super()._after_failure()
        threshold = get_setting(self.env, "listing_failure_alert_count")
        for letter in self._listing_letters():
            if letter.failure_count < threshold:
                continue
            record = letter._source_ref()
            letter.account_id._alert(
                "listing_failing",
                True,
                self.env._("eBay listing %(name)s keeps failing", name=letter.name),
                self.env._(
                    "%(n)s failed tries in a row. Last error: %(error)s",
                    n=letter.failure_count,
                    error=letter.error or "",
                ),
                record=record,
            )

    def _after_recovery(self):
        super()._after_recovery()
        reason = (
            self.env._("the listing was deleted")
            if self.env.context.get("ebay_source_deleted")
            else self.env._("the listing works again")
        )
        for letter in self._listing_letters():
            letter.account_id._alert(
                "listing_failing",
                False,
                record=letter._source_ref(),
                reason=reason,
            )

    def _after_ignore(self):
        super()._after_ignore()
        for letter in self._listing_letters():
            letter.account_id._alert(
                "listing_failing",
                False,
                record=letter._source_ref(),
                reason=self.env._("ignored by %(user)s", user=self.env.user.name),
            )
