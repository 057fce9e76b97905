"""Amazon in the cockpit: what only an Amazon account has to watch, beside
what every account shows (tokens, order import, stock push).

- notifications: Amazon delivers ORDER_CHANGE only to the seller's SQS queue,
  which the SQS poll job empties.  A queue that was not received from
  successfully for ``amazon_sqs_late_minutes``, or whose last receive still
  saw more than ``amazon_sqs_backlog_alert`` messages waiting, is not
  draining: orders then reach Odoo by the (slow) order poll only.
- client secret: Amazon makes the LWA client secret expire 180 days after it
  was issued (facts §1); the daily secret cron alerts about it
  (marketplace_account_client_secret.py), the report and the card show it.

Both become areas of the health report (``_marketplace_health_areas``), the
SQS one raises the ``amazon_sqs_not_draining`` alert from the alert cron,
and the dashboard card shows both.
"""

from datetime import timedelta

from odoo import fields, models

from .amazon_environment import CLIENT_SECRET_WARNING_DAYS
from .res_config_settings import (
    SQS_BACKLOG_DEFAULT,
    SQS_BACKLOG_PARAM,
    SQS_LATE_DEFAULT,
    SQS_LATE_PARAM,
    positive_setting,
)

# A notifications status word -> healthy or not.
SQS_STATUSES = {
    "ok": True,
    "late": False,
    "never": False,
    "backlog": False,
}


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    amazon_dashboard_sqs_status = fields.Selection(
        [
            ("off", "Not set up"),
            ("ok", "Draining"),
            ("late", "Not received from"),
            ("never", "Never received from"),
            ("backlog", "Backlog"),
        ],
        string="Amazon notifications",
        compute="_compute_amazon_dashboard",
        help="Whether Odoo empties the account's SQS queue, where Amazon "
        "delivers its order notifications.",
    )
    amazon_dashboard_secret_warning = fields.Boolean(
        string="Client secret to rotate",
        compute="_compute_amazon_dashboard",
        help="The LWA client secret expires within 30 days, or has expired.",
    )

    def _compute_amazon_dashboard(self):
        now = fields.Datetime.now()
        for account in self:
            sqs = (
                account._amazon_sqs_health(now) if account.channel == "amazon" else None
            )
            account.amazon_dashboard_sqs_status = sqs["status"] if sqs else "off"
            secret = (
                account._amazon_client_secret_health()
                if account.channel == "amazon"
                else None
            )
            account.amazon_dashboard_secret_warning = bool(
                secret and secret["status"] != "ok"
            )

    # -- the report's areas --------------------------------------------------------
    def _marketplace_health_areas(self, now):
        areas = super()._marketplace_health_areas(now)
        if self.channel != "amazon":
            return areas
        sqs = self._amazon_sqs_health(now)
        if sqs:
            areas["notifications"] = sqs
        secret = self._amazon_client_secret_health()
        if secret:
            areas["client_secret"] = secret
        return areas

    def _amazon_sqs_health(self, now):
        """The SQS queue's area of the report; None without notifications
        set up (no ORDER_CHANGE subscription: nothing is delivered there).

        ``never``: set up, yet no receive ever succeeded past the threshold
        after connecting (a queue Odoo cannot read: wrong credentials or
        policy).
        """
        self.ensure_one()
        account = self.sudo()
        if not account.amazon_order_subscription_id:
            return None
        late_after = timedelta(
            minutes=positive_setting(self.env, SQS_LATE_PARAM, SQS_LATE_DEFAULT)
        )
        backlog_max = positive_setting(self.env, SQS_BACKLOG_PARAM, SQS_BACKLOG_DEFAULT)
        last = account.amazon_sqs_last_poll or False
        backlog = account.amazon_sqs_backlog or 0
        if not last:
            since = account.connected_since
            status = "ok" if since and since >= now - late_after else "never"
        elif last < now - late_after:
            status = "late"
        elif backlog > backlog_max:
            status = "backlog"
        else:
            status = "ok"
        return {
            "status": status,
            "healthy": SQS_STATUSES[status],
            "last_receive": last,
            "backlog": backlog,
        }

    def _amazon_client_secret_health(self):
        """The LWA client secret's area: ``expiring`` in its last 30 days (a
        warning: it still works), ``expired`` after; None when the day it was
        set is unknown."""
        self.ensure_one()
        expires = self.sudo().amazon_client_secret_expires_on
        if not expires:
            return None
        days_left = (expires - fields.Date.context_today(self)).days
        if days_left < 0:
            status = "expired"
        elif days_left <= CLIENT_SECRET_WARNING_DAYS:
            status = "expiring"
        else:
            status = "ok"
        return {
            "status": status,
            "healthy": status != "expired",
            "expires_on": expires,
        }

    # -- the alert cron ------------------------------------------------------------
    def _marketplace_check_alerts(self, report, gone):
        super()._marketplace_check_alerts(report, gone)
        if self.channel != "amazon":
            return
        sqs = report["areas"].get("notifications")
        names = {"name": self.name}
        late = positive_setting(self.env, SQS_LATE_PARAM, SQS_LATE_DEFAULT)
        if sqs and sqs["status"] == "backlog":
            note = self.env._(
                "%(n)s Amazon notifications were still waiting in the account's "
                "SQS queue at the last receive (%(last)s): Odoo reads them "
                "more slowly than Amazon sends them, so orders arrive late. "
                "Check that the job queue runs and is not held up by other "
                "work; this alert clears once the queue is back under "
                "%(max)s messages.",
                n=sqs["backlog"],
                last=sqs["last_receive"],
                max=positive_setting(self.env, SQS_BACKLOG_PARAM, SQS_BACKLOG_DEFAULT),
            )
        else:
            note = self.env._(
                "Odoo has not received Amazon's notifications from the "
                "account's SQS queue for more than %(m)s minutes (last: "
                "%(last)s): new and changed orders reach Odoo only by the "
                "slower order import meanwhile. Check that the job queue runs, "
                "and in AWS that the queue still exists and that the access "
                "key given in the notification set-up may still read it; then "
                "run the set-up again if needed. This alert clears at the next "
                "successful receive.",
                m=late,
                last=(sqs and sqs["last_receive"]) or self.env._("never"),
            )
        self._alert(
            "amazon_sqs_not_draining",
            self.state == "connected" and bool(sqs) and not sqs["healthy"],
            self.env._(
                "Amazon notifications of %(name)s are not getting through", **names
            ),
            note,
            reason=gone
            or (
                self.env._("the queue drains again")
                if sqs
                else self.env._("notifications are no longer set up")
            ),
        )
