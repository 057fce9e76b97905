"""Several marketplaces from one eBay account (issue 16).

A seller on EBAY_US and EBAY_GB has one account and one inventory item per
SKU, with one offer per marketplace: its own price, currency and policies.
The stock is shared by the SKU's offers (each marketplace offered its
share of it), and an order keeps the marketplace it was bought on.  An
account without marketplace rows sells on its home marketplace as before
(the listing, stock push and order tests).
"""

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import MANAGER_GROUPS, USER_GROUPS, TwoCompaniesMixin
from .ebay_common import IMAGE, PUSH, StockPushCase

# 1 USD buys 0.8 GBP: the company's currency is USD.
GBP_PER_USD = 0.8


class MarketplacesMixin:
    """The seller also sells on eBay UK, with its own policies there."""

    def _sell_in_the_uk(self, **values):
        gbp = self.env.ref("base.GBP")
        gbp.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": gbp.id, "rate": GBP_PER_USD, "name": "2020-01-01"}
        )
        row = self.env["ebay.account.marketplace"].create(
            dict({"account_id": self.account.id, "marketplace_id": "EBAY_GB"}, **values)
        )
        # The UK's own policies, made on eBay: they become the row's.
        for kind in ("fulfillment", "payment", "return"):
            self.env["ebay.policy"].create(
                {
                    "account_id": self.account.id,
                    "kind": kind,
                    "name": f"UK {kind}",
                    "marketplace_id": "EBAY_GB",
                }
            ).action_create_on_ebay()
        return row

    def _offers(self, listings):
        """The listings of a product on both marketplaces, published."""
        for listing in listings:
            listing.write({"image_urls": IMAGE, "category_id": "88433"})
        listings.action_publish()
        for listing in listings:
            self._run(listing)
            self.assertEqual(listing.state, "published", listing.last_error)
        return listings

    def _us_and_uk(self, product=None):
        product = product or self.product
        us = product._ebay_listings_for(self.account)
        uk = product._ebay_listings_for(self.account, "EBAY_GB")
        return self._offers(us | uk) and (us, uk)

    def _ebay_offers(self, sku):
        return {
            offer["marketplaceId"]: offer
            for offer in self._api().get_offers(sku)["offers"]
        }


@tagged("post_install", "-at_install")
class TestEbayMarketplaces(MarketplacesMixin, StockPushCase):
    def setUp(self):
        super().setUp()
        self.uk = self._sell_in_the_uk()

    def test_the_marketplace_row_takes_its_currency_tree_and_policies(self):
        self.assertEqual(self.uk.currency_id.name, "GBP")
        self.assertEqual(self.uk.category_tree_id, "3")
        policies = self.uk.fulfillment_policy_id | self.uk.payment_policy_id
        policies |= self.uk.return_policy_id
        self.assertEqual(set(policies.mapped("marketplace_id")), {"EBAY_GB"})
        self.assertEqual(len(policies), 3)
        # The home marketplace keeps its own policies.
        self.assertEqual(self.account.ebay_payment_policy_id.marketplace_id, "EBAY_US")
        self.assertEqual(self.account._ebay_marketplaces(), ["EBAY_US", "EBAY_GB"])

    def test_one_sku_on_two_marketplaces_with_their_prices_and_currencies(self):
        us, uk = self._us_and_uk()
        self.assertEqual((us.marketplace_id, uk.marketplace_id), ("EBAY_US", "EBAY_GB"))
        self.assertNotEqual(us.ebay_listing_id, uk.ebay_listing_id)
        offers = self._ebay_offers("TSHIRT-1")
        self.assertEqual(set(offers), {"EBAY_US", "EBAY_GB"})
        self.assertEqual(
            offers["EBAY_US"]["pricingSummary"]["price"],
            {"value": "19.90", "currency": "USD"},
        )
        # No pricelist on the UK row: the sales price at Odoo's rate.
        self.assertEqual(
            offers["EBAY_GB"]["pricingSummary"]["price"],
            {"value": "15.92", "currency": "GBP"},
        )
        self.assertEqual(
            offers["EBAY_GB"]["listingPolicies"]["paymentPolicyId"],
            self.uk.payment_policy_id.policy_id,
        )
        self.assertEqual(
            offers["EBAY_US"]["listingPolicies"]["paymentPolicyId"],
            self.account.ebay_payment_policy_id.policy_id,
        )
        self.assertEqual((uk.currency_id.name, uk.pushed_price), ("GBP", 15.92))
        self.assertEqual((us.currency_id.name, us.pushed_price), ("USD", 19.9))
        # Both offers are of the one inventory item of the SKU.
        self.assertEqual({o["sku"] for o in offers.values()}, {"TSHIRT-1"})
        self.assertEqual(self._api().get_inventory_item("TSHIRT-1")["sku"], "TSHIRT-1")

    def test_a_pricelist_of_the_marketplace_gives_its_price(self):
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "eBay UK",
                "currency_id": self.env.ref("base.GBP").id,
                "item_ids": [
                    (
                        0,
                        0,
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.product.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 14.5,
                        },
                    )
                ],
            }
        )
        self.uk.pricelist_id = pricelist
        _us, uk = self._us_and_uk()
        self.assertEqual(
            self._ebay_offers("TSHIRT-1")["EBAY_GB"]["pricingSummary"]["price"],
            {"value": "14.50", "currency": "GBP"},
        )
        # A pricelist in euros on the UK: converted to pounds at Odoo's rates.
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "rate": 0.5, "name": "2020-01-01"}
        )
        pricelist.currency_id = eur
        self.assertEqual(uk._targets()[1], 23.2)  # 14.50 EUR = 29 USD = 23.20 GBP

    def test_stock_is_shared_and_sold_out_on_both_at_zero(self):
        self.uk.stock_percent = 50
        us, uk = self._us_and_uk()
        offers = self._ebay_offers("TSHIRT-1")
        self.assertEqual(offers["EBAY_US"]["availableQuantity"], 12)
        self.assertEqual(offers["EBAY_GB"]["availableQuantity"], 6)
        item = self._api().get_inventory_item("TSHIRT-1")
        self.assertEqual(
            item["availability"]["shipToLocationAvailability"]["quantity"], 12
        )

        # A buyer on the UK site takes from the stock both share.
        bought = self.emulator._call(
            "POST",
            "purchase",
            json={
                "lines": [
                    {"sku": "TSHIRT-1", "quantity": 5, "marketplaceId": "EBAY_GB"}
                ],
                "notify": False,
            },
        )
        self.assertEqual(bought["lineItems"][0]["lineItemCost"]["currency"], "GBP")
        item = self._api().get_inventory_item("TSHIRT-1")
        self.assertEqual(
            item["availability"]["shipToLocationAvailability"]["quantity"], 7
        )

        # Odoo's stock at zero: one call sends the item's quantity and both
        # offers', and neither marketplace can sell it.
        self.emulator._call("DELETE", "calls")
        self._set_stock(self.product, 0)
        self.assertTrue(us.push_urgent and uk.push_urgent)
        self._perform_pushes()
        [push] = self.emulator.calls(path=PUSH)
        [entry] = push["body"]["requests"]
        self.assertEqual(entry["shipToLocationAvailability"], {"quantity": 0})
        self.assertEqual(
            sorted((o["offerId"], o["availableQuantity"]) for o in entry["offers"]),
            sorted([(us.offer_id, 0), (uk.offer_id, 0)]),
        )
        self.assertEqual((us.pushed_quantity, uk.pushed_quantity), (0, 0))
        self.assertFalse(us.push_pending or uk.push_pending)
        for marketplace in ("EBAY_US", "EBAY_GB"):
            answer = self.emulator.session.post(
                f"{self.emulator.url}/_emulator/purchase",
                json={
                    "lines": [{"sku": "TSHIRT-1", "marketplaceId": marketplace}],
                    "notify": False,
                },
                timeout=10,
            )
            self.assertEqual(answer.status_code, 409, marketplace)
            self.assertIn("only 0 left", answer.json()["error"])

    def test_each_offer_is_reconciled_with_its_own_price_and_share(self):
        """One SKU on two marketplaces: each listing is compared with its own
        offer (price in its currency, share of the stock), not with the
        SKU's other offer."""
        self.uk.stock_percent = 50
        us, uk = self._us_and_uk()
        Drift = self.env["marketplace.drift"]
        listings = [("res_model", "=", "ebay.listing"), ("res_id", "in", (us | uk).ids)]
        found = listings + [("state", "in", ("open", "repairing"))]
        self.account._job_reconcile()
        self.assertFalse(Drift.search(found))

        # The UK price changed on eBay's site: drift of the UK listing only.
        offer = self._api().get_offer(uk.offer_id)
        offer["pricingSummary"]["price"]["value"] = "99.00"
        for key in ("offerId", "status", "listing", "marketplaceId", "sku", "format"):
            offer.pop(key, None)
        self._api().update_offer(uk.offer_id, offer)
        self.account._job_reconcile()
        # Found (and, with automatic repair on, being repaired).
        [drift] = Drift.search(found)
        self.assertEqual((drift.res_id, drift.field), (uk.id, "price"))
        self.assertEqual(drift.marketplace_value, 99.0)

    def test_an_order_keeps_the_marketplace_it_was_bought_on(self):
        self.env["res.config.settings"].create(
            {"group_product_pricelist": True}
        ).execute()
        self._us_and_uk()
        for marketplace in ("EBAY_GB", "EBAY_US"):
            self.emulator._call(
                "POST",
                "purchase",
                json={
                    "lines": [{"sku": "TSHIRT-1", "marketplaceId": marketplace}],
                    "buyer": {"username": f"buyer_{marketplace}"},
                    "notify": False,
                },
            )
        self.account._job_poll_orders()
        orders = self.env["marketplace.order"].search(
            [("account_id", "=", self.account.id)]
        )
        sold = {o.buyer_username: (o.sold_on, o.sold_on_name) for o in orders}
        self.assertEqual(
            sold,
            {
                "buyer_EBAY_GB": ("EBAY_GB", "eBay UK"),
                "buyer_EBAY_US": ("EBAY_US", "eBay US"),
            },
        )
        uk_order = orders.filtered(lambda o: o.sold_on == "EBAY_GB")
        self.assertEqual(uk_order.state, "imported", uk_order.flag_reason)
        self.assertEqual(uk_order.sale_order_id.currency_id.name, "GBP")

    def test_a_second_listing_of_a_sku_on_one_marketplace_is_refused(self):
        self.product._ebay_listings_for(self.account, "EBAY_GB")
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env["ebay.listing"].create(
                    {
                        "account_id": self.account.id,
                        "product_id": self.product.id,
                        "marketplace_id": "EBAY_GB",
                    }
                )
        # The same SKU on the other marketplace is its other offer.
        self.assertEqual(len(self.product._ebay_offers_for(self.account)), 2)

    def test_a_marketplace_the_account_does_not_sell_on_is_refused_first(self):
        listing = self.product._ebay_listings_for(self.account, "EBAY_DE")
        listing.write({"image_urls": IMAGE, "category_id": "88433"})
        listing.action_publish()
        self.assertEqual(listing.state, "error")
        self.assertIn("does not sell on eBay Germany", listing.last_error)
        self.assertIn("Choose a payment policy for the account", listing.last_error)
        self.assertFalse(self.emulator.calls(path="/offer"), "eBay saw nothing")

    def test_the_uk_row_without_policies_says_where_to_choose_them(self):
        self.uk.payment_policy_id = False
        listing = self.product._ebay_listings_for(self.account, "EBAY_GB")
        listing.write({"image_urls": IMAGE, "category_id": "88433"})
        listing.action_publish()
        self.assertEqual(listing.state, "error")
        self.assertIn(
            "Choose a payment policy for eBay UK on the account's Marketplaces page",
            listing.last_error,
        )

    def test_users_read_marketplaces_and_managers_change_them(self):
        user = new_test_user(self.env, login="clerk-marketplaces", groups=USER_GROUPS)
        row = self.uk.with_user(user)
        self.assertEqual(row.marketplace_id, "EBAY_GB")
        with self.assertRaises(AccessError):
            row.stock_percent = 10
        with self.assertRaises(AccessError):
            self.env["ebay.account.marketplace"].with_user(user).create(
                {"account_id": self.account.id, "marketplace_id": "EBAY_DE"}
            )
        manager = new_test_user(
            self.env, login="manager-marketplaces", groups=MANAGER_GROUPS
        )
        self.uk.with_user(manager).stock_percent = 40
        self.assertEqual(self.uk.stock_percent, 40)


@tagged("post_install", "-at_install")
class TestEbayMarketplacesTwoCompanies(
    MarketplacesMixin, TwoCompaniesMixin, StockPushCase
):
    def test_another_companys_rows_and_pricelists_stay_out(self):
        self._setup_company_b()
        self.uk = self._sell_in_the_uk()
        other = self.env["product.pricelist"].create(
            {"name": "B's prices", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError) as caught:
            with self.env.cr.savepoint():
                self.uk.pricelist_id = other
        self.assertIn("compan", str(caught.exception).lower())
        for person in (self.user_b, self.manager_b):
            Rows = self.env["ebay.account.marketplace"].with_user(person)
            self.assertFalse(Rows.search([]), "A's rows are not B's to see")
            with self.assertRaises(AccessError):
                self.uk.with_user(person).read(["marketplace_id"])
