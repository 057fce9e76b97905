"""Per-account health: tokens, order import and stock push at a glance.

Read-only: the report is built from what the jobs recorded (token expiries,
last successful poll, pending listings), so it can run on a read-only
cursor (the health check URL) and never calls the marketplace.  Each
channel adds its own stock-push figures through
``_marketplace_health_stock_summary``.

The monitoring token (Settings > Marketplaces) opens the report's details to a
monitor that is not an Odoo user.  Only its SHA-256 digest is stored: a
database dump, the settings form and the logs never show it.
"""

import hashlib
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import consteq

from ..res_config_settings import PARAM_PREFIX, get_setting

# An expiring consent still works: the account is healthy, the status warns.
HEALTHY_TOKEN_STATUSES = ("ok", "expiring")
HEALTH_TOKEN_PARAM = PARAM_PREFIX + "health_token_sha256"
# A token people choose must still be too long to guess.
HEALTH_TOKEN_MIN_LENGTH = 32
TOKEN_CHARACTERS = re.compile(r"[\x21-\x7e]+")


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class MarketplaceAccount(models.Model):
    _inherit = "marketplace.account"

    # -- monitoring token ---------------------------------------------------------
    @api.model
    def _health_token_configured(self):
        return bool(
            self.env["ir.config_parameter"].sudo().get_param(HEALTH_TOKEN_PARAM)
        )

    @api.model
    def _health_token_set(self, token):
        """Keep the digest of ``token`` (False: remove the token)."""
        token = (token or "").strip()
        if token and (
            len(token) < HEALTH_TOKEN_MIN_LENGTH
            or not TOKEN_CHARACTERS.fullmatch(token)
        ):
            raise ValidationError(
                self.env._(
                    "The monitoring token must be at least %(n)s characters long, "
                    "printable ASCII without spaces (it travels in an HTTP "
                    "header); generate one, for example with "
                    "'python3 -c \"import secrets; "
                    "print(secrets.token_urlsafe(32))\"'.",
                    n=HEALTH_TOKEN_MIN_LENGTH,
                )
            )
        self.env["ir.config_parameter"].sudo().set_param(
            HEALTH_TOKEN_PARAM, _digest(token) if token else False
        )

    @api.model
    def _health_token_matches(self, presented):
        """Whether ``presented`` is the monitoring token (constant time)."""
        expected = self.env["ir.config_parameter"].sudo().get_param(HEALTH_TOKEN_PARAM)
        if not expected or not presented or not presented.isascii():
            return False
        return consteq(_digest(presented), expected)

    def _health_report(self):
        """The health of each account in ``self``, as a list of dicts.

        One dict per account, in the order of ``self``::

            {
                "account": <marketplace.account record>,
                "healthy": bool,
                "tokens": {
                    "status": "ok" | "expiring" | "revoked" | "disconnected",
                    "refresh_expires_at": datetime or False,
                },
                "order_import": {
                    "status": "ok" | "late" | "failing" | "never",
                    "last_poll": datetime or False,
                    "error": str or False,
                },
                "stock_push": {
                    "status": "ok" | "late" | "failing",
                    "waiting": int,
                    "oldest_wait": datetime or False,
                },
                "channel": the account's channel,
                "areas": {area: {"status": str, "healthy": bool, ...}},
            }

        Datetimes are naive UTC, like Odoo's.  Rules (thresholds from
        Settings > Marketplaces, see ``get_setting``):

        - tokens: ``revoked`` when the marketplace refused the refresh token (state
          ``reauth``), ``disconnected`` when not connected (``draft`` or
          ``error``), ``expiring`` when the refresh token (the seller's
          consent) expires within ``token_warning_days``, else ``ok``.
        - order_import: ``failing`` when the last poll ended in an error,
          ``never`` when no poll ever succeeded (``ok`` during the first
          ``order_late_minutes`` after connecting), ``late`` when the last
          successful poll is older than ``order_late_minutes``, else ``ok``.
        - stock_push (live listings marked for a push): ``failing`` when one
          of them carries a push error, ``late`` when one waits longer than
          ``stock_late_minutes``, else ``ok``; ``waiting`` counts them and
          ``oldest_wait`` is when the longest-waiting one was marked.
        - areas: what only the account's channel has to watch
          (``_marketplace_health_areas``), each healthy or not by its own rule,
          and ``jobs`` for every account: ``not_running`` when the connector's
          jobs wait with no job runner to take them
          (marketplace_account_job_runner.py), else ``ok``.
        - healthy: tokens ``ok`` or ``expiring`` (a warning: the consent
          still works), order import and stock push ``ok``, every area healthy.
        """
        env = self.env
        now = fields.Datetime.now()
        warn_before = timedelta(days=get_setting(env, "token_warning_days"))
        order_late = timedelta(minutes=get_setting(env, "order_late_minutes"))
        stock_late = timedelta(minutes=get_setting(env, "stock_late_minutes"))
        stock = self._health_stock_summary()
        reports = []
        for account in self:
            tokens = account._health_tokens(now, warn_before)
            orders = account._health_orders(now, order_late)
            waiting, oldest, failing = stock.get(account.id, (0, False, False))
            if failing:
                push_status = "failing"
            elif oldest and oldest < now - stock_late:
                push_status = "late"
            else:
                push_status = "ok"
            areas = account._marketplace_health_areas(now)
            reports.append(
                {
                    "account": account,
                    "channel": account.channel,
                    "healthy": tokens["status"] in HEALTHY_TOKEN_STATUSES
                    and orders["status"] == "ok"
                    and push_status == "ok"
                    and all(area["healthy"] for area in areas.values()),
                    "tokens": tokens,
                    "order_import": orders,
                    "stock_push": {
                        "status": push_status,
                        "waiting": waiting,
                        "oldest_wait": oldest,
                    },
                    "areas": areas,
                }
            )
        return reports

    def _marketplace_health_areas(self, now):
        """Channel hook: the account's own areas of the report, as
        ``{area: {"status": word, "healthy": bool, **details}}``; the details
        are counts and datetimes a manager may read (never a secret, an
        address of the channel's or a buyer's data).  ``self`` is one account.
        """
        self.ensure_one()
        return {}

    def _health_tokens(self, now, warn_before):
        self.ensure_one()
        expires_at = self.refresh_token_expires_at or False
        if self.state == "reauth":
            status = "revoked"
        elif self.state != "connected":
            status = "disconnected"
        elif expires_at and expires_at <= now + warn_before:
            status = "expiring"
        else:
            status = "ok"
        return {"status": status, "refresh_expires_at": expires_at}

    def _health_orders(self, now, late_after):
        self.ensure_one()
        last_poll = self.last_order_poll or False
        since = last_poll or self.connected_since
        if self.order_poll_error and (not since or since < now - late_after):
            # Failing for longer than the threshold.  One throttled poll,
            # already retried, is no outage: a monitor must not flap on it
            # (the error still shows in the details).
            status = "failing"
        elif not last_poll:
            # A freshly connected account has not had its first poll yet.
            since = self.connected_since
            status = "ok" if since and since >= now - late_after else "never"
        elif last_poll < now - late_after:
            status = "late"
        else:
            status = "ok"
        return {
            "status": status,
            "last_poll": last_poll,
            "error": self.order_poll_error or False,
        }

    def _health_stock_summary(self):
        """{account id: (waiting, oldest mark, any push error)}, one query per
        channel (each channel's listings live in its own model)."""
        summary = {}
        for accounts in self.grouped("channel").values():
            summary.update(accounts._marketplace_health_stock_summary())
        return summary

    def _marketplace_health_stock_summary(self):
        """The stock-push figures of these accounts (all of one channel) as
        ``{account id: (waiting, oldest mark, any push error)}``.

        Only live listings marked for a push count; a listing the channel
        defers on purpose (a daily budget) waits by design and is left out.
        A channel names its listing model (:meth:`_marketplace_stock_listing_model`);
        without one it has no stock push to watch.
        """
        model = self[:1]._marketplace_stock_listing_model()
        if not model or not self.ids:
            return {}
        groups = (
            self.env[model]
            .sudo()
            ._read_group(
                [
                    ("account_id", "in", self.ids),
                    ("push_pending", "=", True),
                    ("is_live", "=", True),
                    ("push_deferred", "=", False),
                ],
                ["account_id"],
                ["__count", "push_marked_at:min", "push_error:count"],
            )
        )
        return {
            account.id: (count, oldest or False, bool(errors))
            for account, count, oldest, errors in groups
        }

    def _marketplace_stock_listing_model(self):
        """Channel hook: the model of the channel's listings whose stock the
        health report watches (on the listing mixin), or None."""
        return
