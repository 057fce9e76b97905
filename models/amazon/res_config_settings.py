"""Settings > Marketplaces: when Amazon publishing and stock go by feed."""

from odoo import fields, models

from ..res_config_settings import PARAM_PREFIX

FEED_THRESHOLD_PARAM = PARAM_PREFIX + "amazon_feed_threshold"
# Up to this many listings of an account go one call each (putListingsItem,
# patchListingsItem: 5 per second, burst 5 to 10, so 20 take a few seconds);
# more go in one JSON_LISTINGS_FEED per marketplace (a handful of calls, but
# minutes or more in Amazon's queue).
FEED_THRESHOLD_DEFAULT = 20


def feed_threshold(env):
    """The setting's value; a missing, unreadable or non-positive one is the
    default (the settings form stores no parameter for 0)."""
    raw = env["ir.config_parameter"].sudo().get_param(FEED_THRESHOLD_PARAM)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return FEED_THRESHOLD_DEFAULT
    return value if value > 0 else FEED_THRESHOLD_DEFAULT


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
