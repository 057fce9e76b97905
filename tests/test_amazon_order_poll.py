from datetime import timedelta

from odoo import fields
from odoo.tools import mute_logger

from ..amazon.ratelimit import DEFAULT_RATES, shared_limiter
from ..models.amazon.marketplace_account_orders import OVERLAP, PAGE_SIZE_PARAM
from ..models.amazon.marketplace_order import parse_amazon_datetime
from .amazon_order_common import POLL, SEARCH_ORDERS, AmazonOrderCase

SEARCH_RATE, SEARCH_BURST = DEFAULT_RATES["searchOrders"]


def _param(call, name):
    value = (call.get("query") or {}).get(name)
    return value[0] if isinstance(value, list) else value


class TestAmazonOrderPoll(AmazonOrderCase):
    def _page_size(self, size):
        self.env["ir.config_parameter"].sudo().set_param(PAGE_SIZE_PARAM, str(size))

    def _searches(self):
        return self._calls(SEARCH_ORDERS)

    def _time_passes(self, seconds):
        """``seconds`` go by for Amazon (the emulator's clock) and for the
        client's limiter, whose clock is the process's monotonic one: its
        searchOrders bucket of this account is moved back as far."""
        self.emulator.advance(seconds)
        limiter = shared_limiter()
        key = f"account-{self.account.id}"
        limiter.limits(key, "searchOrders")  # the bucket exists from here on
        with limiter._lock:
            limiter._buckets[(key, "searchOrders")].stamp -= seconds

    def test_pages_are_read_through_and_the_watermark_moves(self):
        self._page_size(2)
        bought = [self._buy([{"sku": "TEE-1"}]) for _ in range(5)]
        trap = self._poll()
        self.assertEqual(self.result, "5 order(s) seen")
        trap.assert_jobs_count(0)
        self.assertEqual(
            sorted(self._orders().mapped("remote_order_id")),
            sorted(o["orderId"] for o in bought),
        )
        self.assertEqual(set(self._orders().mapped("state")), {"imported"})
        searches = self._searches()
        self.assertEqual(len(searches), 3)
        self.assertFalse(_param(searches[0], "paginationToken"))
        self.assertTrue(all(_param(c, "paginationToken") for c in searches[1:]))
        # One search: every page asks the same window.
        self.assertEqual(len({_param(c, "lastUpdatedAfter") for c in searches}), 1)
        account = self.account
        self.assertFalse(account.amazon_order_poll_since, "the search is done")
        self.assertFalse(account.amazon_order_poll_token)
        self.assertFalse(account.order_poll_error)
        newest = max(parse_amazon_datetime(o["lastUpdatedTime"]) for o in bought)
        self.assertGreaterEqual(account.order_watermark, newest)
        self.assertEqual(account.last_order_poll, account.order_watermark)

        # The next poll looks back from the watermark by the overlap.
        watermark = account.order_watermark
        self._poll()
        since = _param(self._searches()[-1], "lastUpdatedAfter")
        self.assertEqual(parse_amazon_datetime(since), watermark - OVERLAP)
        self.assertGreaterEqual(account.order_watermark, watermark)
        self.assertEqual(len(self._orders()), 5)

    def test_backlog_beyond_the_burst_never_draws_a_429(self):
        self._page_size(1)
        pages = SEARCH_BURST + 3
        for _ in range(pages):
            self._buy([{"sku": "TEE-1"}], status="PENDING")
        trap = self._poll()
        account = self.account
        self.assertEqual(len(self._searches()), SEARCH_BURST)
        self.assertFalse(self._calls(SEARCH_ORDERS, status=429))
        # The place is kept, and the poll comes back when the next page may go.
        self.assertEqual(account.amazon_order_poll_pages, SEARCH_BURST)
        self.assertTrue(account.amazon_order_poll_token)
        self.assertTrue(account.amazon_order_poll_since)
        self.assertFalse(account.order_watermark, "not read through yet")
        self.assertEqual(len(self._orders()), SEARCH_BURST)
        self.assertEqual(len(trap.calls), 1)
        properties = trap.calls[0].properties
        self.assertEqual(trap.calls[0].method.__name__, POLL)
        self.assertEqual(properties["identity_key"], f"amazon.orders.poll:{account.id}")
        self.assertGreater(properties["eta"], 0.5 / SEARCH_RATE)
        self.assertLessEqual(properties["eta"], 1 / SEARCH_RATE + 1)

        # Run too early (the runner, a cron): no call, the place unchanged.
        token = account.amazon_order_poll_token
        trap = self._poll()
        self.assertEqual(len(self._searches()), SEARCH_BURST)
        self.assertEqual(account.amazon_order_poll_token, token)
        self.assertEqual(len(trap.calls), 1)

        # Later: the search resumes on its next page, in the same window.
        self._time_passes(int(4 / SEARCH_RATE))
        trap = self._poll()
        trap.assert_jobs_count(0)
        searches = self._searches()
        self.assertEqual(len(searches), pages)
        self.assertEqual(_param(searches[SEARCH_BURST], "paginationToken"), token)
        self.assertEqual(len({_param(c, "lastUpdatedAfter") for c in searches}), 1)
        self.assertFalse(self._calls(SEARCH_ORDERS, status=429))
        self.assertEqual(len(self._orders()), pages)
        self.assertEqual(set(self._orders().mapped("state")), {"waiting"})
        self.assertFalse(account.amazon_order_poll_since)
        self.assertTrue(account.order_watermark)

    def test_a_cron_next_to_a_paused_poll_adds_no_second_job(self):
        self._page_size(1)
        for _ in range(SEARCH_BURST + 1):
            self._buy([{"sku": "TEE-1"}], status="PENDING")
        self.account._job_amazon_poll_orders()  # its next run is stored
        self.env["marketplace.account"]._cron_poll_orders()
        jobs = self._jobs(POLL).filtered(lambda j: j.records == self.account)
        self.assertEqual(len(jobs), 1)
        self.assertGreater(self._eta_seconds(jobs), 60)

    @mute_logger("odoo.addons.marketplace_connector.amazon.client")
    def test_a_failed_page_keeps_the_place_and_the_watermark(self):
        self._page_size(2)
        for _ in range(5):
            self._buy([{"sku": "TEE-1"}])
        self.emulator.fault(SEARCH_ORDERS, "500", times=1, skip=1)
        trap = self._poll()
        account = self.account
        self.assertIn("poll failed", self.result)
        self.assertTrue(account.order_poll_error)
        self.assertFalse(account.order_watermark)
        self.assertFalse(account.last_order_poll)
        self.assertEqual(account.amazon_order_poll_pages, 1)
        token = account.amazon_order_poll_token
        self.assertTrue(token)
        self.assertEqual(len(self._orders()), 2, "the page read stays imported")
        # The job edge's next try resumes on the page that failed.
        self.assertEqual(len(trap.enqueued_jobs), 1)
        trap.perform_enqueued_jobs()
        self.assertEqual(len(self._orders()), 5)
        self.assertFalse(account.order_poll_error)
        self.assertTrue(account.order_watermark)
        retried = [c for c in self._searches() if c["status"] == 200]
        self.assertEqual(_param(retried[1], "paginationToken"), token)

    def test_an_order_amazon_refuses_is_flagged_and_the_poll_goes_on(self):
        refused = self._buy([{"sku": "TEE-1"}])
        good = self._buy([{"sku": "MUG-1"}])
        path = f"^/orders/2026-01-01/orders/{refused['orderId']}$"
        self.emulator.fault(path, "400", times=-1)
        with mute_logger("odoo.addons.marketplace_connector.amazon.client"):
            self._poll()
        self.assertEqual(self._order(good["orderId"]).state, "imported")
        flagged = self._order(refused["orderId"])
        self.assertEqual(flagged.state, "flagged")
        self.assertIn("Amazon would not give this order", flagged.flag_reason)
        self.assertFalse(flagged.sale_order_id)
        # The search is read through: the watermark moves past it.
        self.assertFalse(self.account.order_poll_error)
        self.assertTrue(self.account.order_watermark)
        self.assertFalse(self.account.amazon_order_poll_pending)
        # Once Amazon gives it, Refresh imports it.
        self.emulator.clear_faults()
        flagged.action_refresh_from_marketplace()
        self.assertEqual(flagged.state, "imported")
        self.assertEqual(len(flagged.sale_order_id), 1)

    def test_first_poll_looks_back_thirty_days(self):
        self._poll()
        since = parse_amazon_datetime(_param(self._searches()[0], "lastUpdatedAfter"))
        expected = fields.Datetime.now() - timedelta(days=30) - OVERLAP
        self.assertLess(abs((since - expected).total_seconds()), 120)
        self.assertTrue(self.account.order_watermark)

    def test_cron_enqueues_one_poll_per_connected_amazon_account(self):
        other = self._new_account(name="Not connected")
        self.env["marketplace.account"]._cron_poll_orders()
        mine = self._jobs(POLL)
        self.assertIn(self.account, mine.mapped("records"))
        self.assertNotIn(other, mine.mapped("records"))
        self.env["marketplace.account"]._cron_poll_orders()
        self.assertEqual(self._jobs(POLL), mine, "one job per account")
        self.assertEqual(mine.channel, "root.amazon.order")
