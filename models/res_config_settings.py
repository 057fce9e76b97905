"""Settings > Marketplaces: retention, alert thresholds, health check token, call
timeout and automatic drift repair."""

import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import const
from .product_pricelist import KEEP_CONNECTOR_PRICELISTS

PARAM_PREFIX = "marketplace_connector."
# Processed notifications are deleted after retention_days, yet a replayed
# notification is refused as stale only once older than the replay window
# (plus the clock skew allowed): the retention must outlast both, or a replay
# would find its id forgotten and be processed again.
SETTING_MINIMUMS = {
    "retention_days": math.ceil(
        (
            const.NOTIFICATION_REPLAY_WINDOW_SECONDS
            + const.NOTIFICATION_CLOCK_SKEW_SECONDS
        )
        / 86400
    ),
}


def get_setting(env, name):
    """The value of an operations setting, typed like its default."""
    default = const.SETTING_DEFAULTS[name]
    raw = env["ir.config_parameter"].sudo().get_param(PARAM_PREFIX + name)
    if raw in (None, False, ""):
        return default
    if isinstance(default, bool):
        return raw.strip().lower() not in ("0", "false", "no", "")
    try:
        value = type(default)(raw)
    except ValueError:
        return default
    # A zero or negative age or threshold would vacuum or alert on everything.
    value = value if value > 0 else default
    return max(value, SETTING_MINIMUMS.get(name, value))


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    marketplace_retention_days = fields.Integer(
        string="Keep call logs (days)",
        config_parameter=PARAM_PREFIX + "retention_days",
        default=const.SETTING_DEFAULTS["retention_days"],
        help="Calls and processed notifications older than this are "
        "deleted; notifications never processed keep their line but lose their "
        "data (which may name a buyer).",
    )
    marketplace_vacuum_batch_size = fields.Integer(
        string="Vacuum batch size",
        config_parameter=PARAM_PREFIX + "vacuum_batch_size",
        default=const.SETTING_DEFAULTS["vacuum_batch_size"],
    )
    marketplace_token_warning_days = fields.Integer(
        string="Warn before consent expiry (days)",
        config_parameter=PARAM_PREFIX + "token_warning_days",
        default=const.SETTING_DEFAULTS["token_warning_days"],
    )
    marketplace_order_late_minutes = fields.Integer(
        string="Order import late after (minutes)",
        config_parameter=PARAM_PREFIX + "order_late_minutes",
        default=const.SETTING_DEFAULTS["order_late_minutes"],
    )
    marketplace_stock_late_minutes = fields.Integer(
        string="Stock push late after (minutes)",
        config_parameter=PARAM_PREFIX + "stock_late_minutes",
        default=const.SETTING_DEFAULTS["stock_late_minutes"],
    )
    marketplace_job_runner_late_minutes = fields.Integer(
        string="Job runner stopped after (minutes)",
        config_parameter=PARAM_PREFIX + "job_runner_late_minutes",
        default=const.SETTING_DEFAULTS["job_runner_late_minutes"],
    )
    marketplace_listing_failure_alert_count = fields.Integer(
        string="Alert after failed runs in a row",
        config_parameter=PARAM_PREFIX + "listing_failure_alert_count",
        default=const.SETTING_DEFAULTS["listing_failure_alert_count"],
    )
    # Never stored in clear, never read back: the inverse keeps its digest
    # only, and the field always reads empty (not even the settings table,
    # which keeps its rows for a while, holds the value).
    marketplace_health_token = fields.Char(
        string="Monitoring token",
        compute="_compute_marketplace_health_token",
        inverse="_inverse_marketplace_health_token",
        help="A monitor that sends 'Authorization: Bearer <token>' to "
        "/marketplace/health gets each account's details. Leave empty to keep the "
        "current token.",
    )

    @api.constrains("marketplace_retention_days")
    def _check_marketplace_retention_days(self):
        minimum = SETTING_MINIMUMS["retention_days"]
        for settings in self:
            if settings.marketplace_retention_days < minimum:
                raise ValidationError(
                    self.env._(
                        "Keep call logs and notifications at least %(days)s "
                        "days: a notification the marketplace sends again within "
                        "that time must still be recognised.",
                        days=minimum,
                    )
                )

    marketplace_health_token_configured = fields.Boolean(
        string="Monitoring token set", compute="_compute_marketplace_health_token"
    )

    def _compute_marketplace_health_token(self):
        configured = self.env["marketplace.account"]._health_token_configured()
        for settings in self:
            settings.marketplace_health_token = False
            settings.marketplace_health_token_configured = configured

    def _inverse_marketplace_health_token(self):
        for settings in self:
            if settings.marketplace_health_token:
                settings.env["marketplace.account"]._health_token_set(
                    settings.marketplace_health_token
                )

    def action_marketplace_clear_health_token(self):
        self.env["marketplace.account"]._health_token_set(False)
        return True

    marketplace_call_timeout_seconds = fields.Integer(
        string="Call timeout (seconds)",
        config_parameter=PARAM_PREFIX + "call_timeout_seconds",
        default=const.SETTING_DEFAULTS["call_timeout_seconds"],
    )
    # Not a config_parameter field: Odoo deletes the parameter of an unticked
    # Boolean, which would bring this default-on setting back on.
    marketplace_drift_auto_repair = fields.Boolean(
        string="Repair drift automatically",
        help="When the reconciliation finds that the marketplace shows another "
        "quantity or price than Odoo for a listing with no change pending, "
        "Odoo's values are pushed at once and the repair is noted on the "
        "listing. Off: the drift "
        "waits in Drift for staff to repair it.",
    )

    def get_values(self):
        values = super().get_values()
        values["marketplace_drift_auto_repair"] = get_setting(
            self.env, "drift_auto_repair"
        )
        return values

    def set_values(self):
        # Turning pricelists off archives every pricelist (product's
        # set_values): the connector's are kept (product_pricelist.py).
        super(
            ResConfigSettings, self.with_context(**{KEEP_CONNECTOR_PRICELISTS: True})
        ).set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_PREFIX + "drift_auto_repair",
            "1" if self.marketplace_drift_auto_repair else "0",
        )
