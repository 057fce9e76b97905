"""GET /marketplace/health: one URL a monitor can poll, for every channel.

200 when every active account that was connected (connected, or needing
re-authorisation) is healthy, 503 otherwise.  Anyone may call it, so an
anonymous caller learns that aggregate status and nothing else: no account
numbers, names or per-area statuses.

Details (per account: name, channel, one status word per area, the
channel's own areas among them, expiry dates, last poll, waiting counts and
error texts) go to:

- marketplace managers, for the accounts of their companies;
- the bearer of the monitoring token set in Settings > Marketplaces
  (``Authorization: Bearer <token>``), for every account.  A wrong token is
  refused (401), never treated as anonymous, so a monitor set up wrongly
  says so.

Never a token, a username or a buyer's data.
"""

from datetime import date, datetime

from odoo import http
from odoo.http import request

MANAGER_GROUP = "marketplace_connector.group_marketplace_manager"
# Accounts switched off on purpose (never connected, disconnected) are not
# watched; an account the marketplace stopped accepting is.
WATCHED_STATES = ("connected", "reauth", "error")
NO_STORE = [("Cache-Control", "no-store")]


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


def _plain(value):
    """A report value as JSON: datetimes and dates in ISO 8601 (UTC), an
    unset one (Odoo's False) as null."""
    if value is False:
        return None
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _bearer_token():
    """The token of an ``Authorization: Bearer`` header; None without one."""
    header = request.httprequest.headers.get("Authorization") or ""
    scheme, _sep, token = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


class MarketplaceHealthController(http.Controller):
    @http.route(
        "/marketplace/health",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        readonly=True,
        save_session=False,
    )
    def marketplace_health(self, **kwargs):
        Account = request.env["marketplace.account"].sudo()
        token = _bearer_token()
        if token is not None and not Account._health_token_matches(token):
            return request.make_json_response(
                {"error": "invalid monitoring token"},
                headers=NO_STORE + [("WWW-Authenticate", 'Bearer realm="marketplace"')],
                status=401,
            )
        user = request.env.user
        manager = not user._is_public() and user.has_group(MANAGER_GROUP)
        accounts = Account.search([("state", "in", WATCHED_STATES)], order="id")
        reports = accounts._health_report()
        healthy = all(report["healthy"] for report in reports)
        body = {"status": "ok" if healthy else "degraded"}
        if token is not None:
            body["accounts"] = [self._detailed(report) for report in reports]
        elif manager:
            body["accounts"] = [
                self._detailed(report)
                for report in reports
                if report["account"].company_id in user.company_ids
            ]
        return request.make_json_response(
            body, headers=NO_STORE, status=200 if healthy else 503
        )

    def _detailed(self, report):
        tokens, orders, stock = (
            report["tokens"],
            report["order_import"],
            report["stock_push"],
        )
        entry = {
            "account": report["account"].id,
            "name": report["account"].name,
            "channel": report["channel"],
            "healthy": report["healthy"],
            "tokens": tokens["status"],
            "order_import": orders["status"],
            "stock_push": stock["status"],
            "details": {
                "refresh_expires_at": _iso(tokens["refresh_expires_at"]),
                "last_poll": _iso(orders["last_poll"]),
                "order_error": orders["error"] or None,
                "waiting": stock["waiting"],
                "oldest_wait": _iso(stock["oldest_wait"]),
            },
        }
        # The channel's own areas: one status word beside the others, their
        # figures with the details.
        for area, values in report["areas"].items():
            entry[area] = values["status"]
            entry["details"][area] = {
                key: _plain(value)
                for key, value in values.items()
                if key not in ("status", "healthy")
            }
        return entry
