"""Settings > eBay: retention, alert thresholds, health check disclosure,
call timeout and automatic drift repair."""

from odoo import fields, models

from .. import const

PARAM_PREFIX = "marketplace_connector."


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
    return value if value > 0 else default


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ebay_retention_days = fields.Integer(
        string="Keep eBay call logs (days)",
        config_parameter=PARAM_PREFIX + "retention_days",
        default=const.SETTING_DEFAULTS["retention_days"],
    )
    ebay_vacuum_batch_size = fields.Integer(
        string="Vacuum batch size",
        config_parameter=PARAM_PREFIX + "vacuum_batch_size",
        default=const.SETTING_DEFAULTS["vacuum_batch_size"],
    )
    ebay_token_warning_days = fields.Integer(
        string="Warn before consent expiry (days)",
        config_parameter=PARAM_PREFIX + "token_warning_days",
        default=const.SETTING_DEFAULTS["token_warning_days"],
    )
    ebay_order_late_minutes = fields.Integer(
        string="Order import late after (minutes)",
        config_parameter=PARAM_PREFIX + "order_late_minutes",
        default=const.SETTING_DEFAULTS["order_late_minutes"],
    )
    ebay_stock_late_minutes = fields.Integer(
        string="Stock push late after (minutes)",
        config_parameter=PARAM_PREFIX + "stock_late_minutes",
        default=const.SETTING_DEFAULTS["stock_late_minutes"],
    )
    ebay_listing_failure_alert_count = fields.Integer(
        string="Alert after failed runs in a row",
        config_parameter=PARAM_PREFIX + "listing_failure_alert_count",
        default=const.SETTING_DEFAULTS["listing_failure_alert_count"],
    )
    ebay_health_show_names = fields.Boolean(
        string="Health check names accounts",
        config_parameter=PARAM_PREFIX + "health_show_names",
        help="Let the anonymous health check URL show account names. Off: it "
        "shows account numbers only.",
    )
    ebay_call_timeout_seconds = fields.Integer(
        string="eBay call timeout (seconds)",
        config_parameter=PARAM_PREFIX + "call_timeout_seconds",
        default=const.SETTING_DEFAULTS["call_timeout_seconds"],
    )
    # Not a config_parameter field: Odoo deletes the parameter of an unticked
    # Boolean, which would bring this default-on setting back on.
    ebay_drift_auto_repair = fields.Boolean(
        string="Repair drift automatically",
        help="When the reconciliation finds that eBay shows another quantity or "
        "price than Odoo for a listing with no change pending, Odoo's values are "
        "pushed at once and the repair is noted on the listing. Off: the drift "
        "waits in Drift for staff to repair it.",
    )

    def get_values(self):
        values = super().get_values()
        values["ebay_drift_auto_repair"] = get_setting(self.env, "drift_auto_repair")
        return values

    def set_values(self):
        super().set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_PREFIX + "drift_auto_repair",
            "1" if self.ebay_drift_auto_repair else "0",
        )
