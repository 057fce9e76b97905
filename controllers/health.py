"""GET /ebay/health: one URL a monitor can poll.

200 when every active account that was connected (connected, or needing
re-authorisation) is healthy, 503 otherwise.  Anyone may call it, so what it
tells an anonymous caller is minimal: account numbers (names only when the
``health_show_names`` setting is on) and one status word per area.  eBay
managers also get names and details: expiry dates, last poll, waiting
counts and error texts.  Never a token, a username or a buyer's data.
"""

from odoo import http
from odoo.http import request

from ..models.res_config_settings import get_setting

MANAGER_GROUP = "marketplace_connector.group_marketplace_manager"
# Accounts switched off on purpose (never connected, disconnected) are not
# watched; an account eBay stopped accepting is.
WATCHED_STATES = ("connected", "reauth", "error")
NO_STORE = [("Cache-Control", "no-store")]


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


class EbayHealthController(http.Controller):
    @http.route(
        "/ebay/health",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        readonly=True,
        save_session=False,
    )
    def ebay_health(self, **kwargs):
        user = request.env.user
        manager = not user._is_public() and user.has_group(MANAGER_GROUP)
        accounts = (
            request.env["ebay.account"]
            .sudo()
            .search([("state", "in", WATCHED_STATES)], order="id")
        )
        show_names = get_setting(request.env, "health_show_names")
        reports = accounts._health_report()
        entries = []
        for report in reports:
            account = report["account"]
            if manager and account.company_id in user.company_ids:
                entries.append(self._detailed(report))
            else:
                entries.append(
                    {
                        "account": account.name if show_names else account.id,
                        "tokens": report["tokens"]["status"],
                        "order_import": report["order_import"]["status"],
                        "stock_push": report["stock_push"]["status"],
                    }
                )
        healthy = all(report["healthy"] for report in reports)
        return request.make_json_response(
            {"status": "ok" if healthy else "degraded", "accounts": entries},
            headers=NO_STORE,
            status=200 if healthy else 503,
        )

    def _detailed(self, report):
        tokens, orders, stock = (
            report["tokens"],
            report["order_import"],
            report["stock_push"],
        )
        return {
            "account": report["account"].id,
            "name": report["account"].name,
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
