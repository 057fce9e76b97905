"""Reconciliation benchmark: N live listings compared with what eBay shows.

By report (the connector above its feed threshold): one Active Inventory
Report (createInventoryTask, getInventoryTask until done, getResultFile)
for all N listings.  Today's way (below the threshold): bulkGetInventoryItem
per 25 listings and one getOffer per listing, run on --baseline-listings of
them (default 1,000) and scaled to N for the ratios.  Both run in this
process against the emulator with the same injected latency per call, and
both end in the same drift check (``_record_drift``).

The emulator moves a feed task one status on at each status read, so the
report's wall time here is Odoo's and the emulator's work, not the minutes
eBay may take to make a report (the connector checks again later then: a
job with an eta, never a waiting worker).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from benchlib import Emulator, connected_account, environment, open_registry

REPORT = "LMS_ACTIVE_INVENTORY_REPORT"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--listings", type=int, default=10000)
    parser.add_argument("--baseline-listings", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--drifted", type=int, default=20)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = Emulator(args.emulator)
    with registry.cursor() as cr:
        env = environment(cr)
        account = connected_account(env, emulator)
        env["ir.config_parameter"].set_param(
            "marketplace_connector.drift_auto_repair", "0"
        )
        started = time.perf_counter()
        listings = live_catalogue(env, emulator, account, args.listings)
        drift_on_ebay(emulator, listings[: args.drifted])
        cr.commit()
        print(
            f"set-up: {len(listings)} live listings (Odoo and the emulator) in "
            f"{time.perf_counter() - started:.0f} s; {args.drifted} changed on eBay"
        )
        emulator.control("POST", "config", json={"latency_ms": args.latency_ms})

        # -- by report -----------------------------------------------------------
        account.ebay_feed_threshold = 1
        calls_before = emulator.call_count()
        queries_before = cr.sql_log_count
        started = time.perf_counter()
        account._job_reconcile()
        task = env["ebay.feed.task"].search(
            [("account_id", "=", account.id), ("feed_type", "=", REPORT)],
            order="id desc",
            limit=1,
        )
        task._job_send()
        checks = 0
        while task.state in ("queued", "in_process") and checks < 50:
            task._job_check()
            checks += 1
        wall = time.perf_counter() - started
        calls = emulator.call_count() - calls_before
        queries = cr.sql_log_count - queries_before
        found = open_drift(env, account)
        cr.commit()

        # -- today's way, on a subset ---------------------------------------------
        baseline = listings[: args.baseline_listings]
        rest = listings - baseline
        # Only the subset is live for this run (restored after).
        rest._write_system({"is_live": False})
        account.ebay_feed_threshold = 0
        env["marketplace.drift"].search([("account_id", "=", account.id)]).unlink()
        calls_b = emulator.call_count()
        queries_b = cr.sql_log_count
        started = time.perf_counter()
        account._job_reconcile()
        wall_b = time.perf_counter() - started
        calls_b = emulator.call_count() - calls_b
        queries_b = cr.sql_log_count - queries_b
        found_b = open_drift(env, account)
        rest._write_system({"is_live": True})
        violations = emulator.control("GET", "violations")["count"]
        cr.commit()
    emulator.control("POST", "config", json={"latency_ms": 0})

    scale = len(listings) / max(len(baseline), 1)
    print(
        f"\nReconciliation benchmark: {len(listings)} live listings, "
        f"{args.latency_ms} ms injected latency per eBay call"
    )
    print(f"{'':32}{'by report':>14}{'today (per listing)':>22}")
    print(f"{'listings compared':32}{len(listings):>14}{len(baseline):>22}")
    print(f"{'eBay API calls':32}{calls:>14}{calls_b:>22}")
    print(f"{'status checks (getInventoryTask)':32}{checks:>14}{'-':>22}")
    print(f"{'SQL queries':32}{queries:>14}{queries_b:>22}")
    print(f"{'wall time (s)':32}{wall:>14.1f}{wall_b:>22.1f}")
    print(f"{'open drift lines found':32}{found:>14}{found_b:>22}")
    print(
        f"\ntoday's way scaled to {len(listings)} listings: "
        f"{calls_b * scale:.0f} calls, {wall_b * scale:.0f} s"
    )
    print(
        f"ratios: {calls_b * scale / max(calls, 1):.0f}x fewer calls, "
        f"{wall_b * scale / max(wall, 1e-9):.1f}x faster; "
        f"contract violations: {violations}"
    )


def live_catalogue(env, emulator, account, count):
    """``count`` live listings, in Odoo and on the emulator, at the values
    Odoo wants (made directly: publishing is publish_bench's subject)."""
    products = env["product.product"].create(
        [
            {"name": f"Reconcile bench {i}", "default_code": f"RB-{i:05d}"}
            for i in range(count)
        ]
    )
    Listing = env["ebay.listing"]
    values = []
    for start in range(0, count, 1000):
        chunk = products[start : start + 1000]
        draft = [
            Listing.new({"account_id": account.id, "product_id": p.id, "price": 0})
            for p in chunk
        ]
        targets = [d._targets() for d in draft]
        seeded = emulator.seed_live_listings(
            [
                {"sku": p.default_code, "price": price, "quantity": quantity}
                for p, (quantity, price) in zip(chunk, targets, strict=True)
            ]
        )
        values += [
            {
                "account_id": account.id,
                "product_id": p.id,
                "sku": p.default_code,
                "title": p.name,
                "category_id": "88433",
                "state": "published",
                "is_live": True,
                "offer_id": s["offerId"],
                "ebay_listing_id": s["listingId"],
            }
            for p, s in zip(chunk, seeded, strict=True)
        ]
    return Listing._create_system(values)


def drift_on_ebay(emulator, listings):
    """Someone changes the quantity of these listings on eBay's site."""
    from odoo.addons.marketplace_connector.ebay.inventory import InventoryApi

    if not listings:
        return
    api = InventoryApi(listings[0].account_id._ebay_client())
    for start in range(0, len(listings), 25):
        api.bulk_update_price_quantity(
            [
                {"sku": listing.sku, "shipToLocationAvailability": {"quantity": 99}}
                for listing in listings[start : start + 25]
            ]
        )


def open_drift(env, account):
    return env["marketplace.drift"].search_count(
        [("account_id", "=", account.id), ("state", "=", "open")]
    )


if __name__ == "__main__":
    main()
