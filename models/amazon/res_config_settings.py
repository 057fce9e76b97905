"""Settings > Marketplaces: when Amazon publishing and stock go by feed, and
when an account's SQS queue counts as not draining."""

from odoo import fields, models

from ..res_config_settings import PARAM_PREFIX

FEED_THRESHOLD_PARAM = PARAM_PREFIX + "amazon_feed_threshold"
# Up to this many listings of an account go one call each (putListingsItem,
# patchListingsItem: 5 per second, burst 5 to 10, so 20 take a few seconds);
# more go in one JSON_LISTINGS_FEED per marketplace (a handful of calls, but
# minutes or more in Amazon's queue).
FEED_THRESHOLD_DEFAULT = 20


# The account's SQS queue is not draining when no receive succeeded for this
# many minutes, or when the last receive still saw more messages waiting
# than this (models/amazon/marketplace_account_cockpit.py).
SQS_LATE_PARAM = PARAM_PREFIX + "amazon_sqs_late_minutes"
SQS_LATE_DEFAULT = 30
SQS_BACKLOG_PARAM = PARAM_PREFIX + "amazon_sqs_backlog_alert"
SQS_BACKLOG_DEFAULT = 100


def positive_setting(env, param, default):
    """An integer setting; a missing, unreadable or non-positive one is the
    default (the settings form stores no parameter for 0)."""
    raw = env["ir.config_parameter"].sudo().get_param(param)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def feed_threshold(env):
    """The feed threshold setting's value."""
    return positive_setting(env, FEED_THRESHOLD_PARAM, FEED_THRESHOLD_DEFAULT)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    marketplace_amazon_feed_threshold = fields.Integer(
        string="Amazon: feed above (listings)",
        config_parameter=FEED_THRESHOLD_PARAM,
        default=FEED_THRESHOLD_DEFAULT,
        help="Publishing or stock and price changes of more listings than this "
        "at once go in one JSON_LISTINGS_FEED per marketplace; fewer go one "
        "Listings Items call each. Drops to zero always go at once.",
    )
    marketplace_amazon_sqs_late_minutes = fields.Integer(
        string="Amazon: SQS queue late after (minutes)",
        config_parameter=SQS_LATE_PARAM,
        default=SQS_LATE_DEFAULT,
        help="Minutes without a successful receive from an account's SQS "
        "queue before its managers are told that Amazon's notifications no "
        "longer reach Odoo.",
    )
    marketplace_amazon_sqs_backlog_alert = fields.Integer(
        string="Amazon: SQS backlog alert above (messages)",
        config_parameter=SQS_BACKLOG_PARAM,
        default=SQS_BACKLOG_DEFAULT,
        help="Messages still waiting in an account's SQS queue, as seen by the "
        "last receive, above which its managers are told the queue is not "
        "draining.",
    )
