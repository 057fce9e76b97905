"""Stock push benchmark: a stock change on N live listings pushed to eBay.

The connector coalesces the changes into bulkUpdatePriceQuantity calls of
25; the naive baseline sends one updateOffer per listing, as per-item
connectors do.  Both run in this process against the emulator with the
same injected latency; the baseline runs on --baseline-listings of them
(default 1,000) and its figures are scaled to N for the ratios.
Targets (issue #5): <= 400 calls and <= 10 SQL queries per 25-listing batch
for 10,000 listings, <= 60 s wall, >= 20x fewer calls, >= 10x faster.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from benchlib import Emulator, connected_account, environment, open_registry


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--listings", type=int, default=10000)
    parser.add_argument("--baseline-listings", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--latency-moves", type=int, default=200)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = Emulator(args.emulator)
    with registry.cursor() as cr:
        env = environment(cr)
        account = connected_account(env, emulator)
        started = time.perf_counter()
        products = env["product.product"].create(
            [
                {
                    "name": f"Stock bench {i}",
                    "default_code": f"SB-{i:05d}",
                    "is_storable": True,
                    "list_price": 10,
                }
                for i in range(args.listings)
            ]
        )
        stock = env.ref("stock.stock_location_stock")
        Quant = env["stock.quant"]
        for product in products:
            Quant._update_available_quantity(product, stock, 5)
        listings = products._ebay_listings_for(account)
        listings.write(
            {"image_urls": "https://i.example.com/s.jpg", "category_id": "88433"}
        )
        for start in range(0, len(listings), 25):
            chunk = listings[start : start + 25]
            chunk._set_state("queued", pending_operation="publish")
            chunk._job_bulk_publish()
        cr.commit()
        print(
            f"set-up: {len(listings)} listings published in "
            f"{time.perf_counter() - started:.0f} s"
        )

        # The stock of every product changes (5 -> 8): Odoo marks them all.
        for product in products:
            Quant._update_available_quantity(product, stock, 3)
        listings._mark_push()
        env["queue.job"].search([("method_name", "=", "_job_push_stock")]).unlink()
        cr.commit()

        emulator.control("POST", "config", json={"latency_ms": args.latency_ms})
        calls_before = emulator.call_count()
        queries_before = cr.sql_log_count
        started = time.perf_counter()
        account._job_push_stock()
        wall = time.perf_counter() - started
        calls = emulator.call_count() - calls_before
        queries = cr.sql_log_count - queries_before
        pushed = len(listings.filtered(lambda l: not l.push_pending))

        # Naive baseline: one updateOffer per listing.
        from odoo.addons.marketplace_connector.ebay import payloads
        from odoo.addons.marketplace_connector.ebay.inventory import InventoryApi

        baseline = listings[: args.baseline_listings]
        api = InventoryApi(account._ebay_client())
        calls_b = emulator.call_count()
        queries_b = cr.sql_log_count
        started = time.perf_counter()
        for listing in baseline:
            data = listing._listing_data()
            api.update_offer(listing.offer_id, payloads.offer(data))
            listing.write({"pushed_quantity": data.quantity})
        wall_b = time.perf_counter() - started
        calls_b = emulator.call_count() - calls_b
        queries_b = cr.sql_log_count - queries_b
        violations = emulator.control("GET", "violations")["count"]
        cr.commit()
        account_id = account.id
        move_skus = listings[: args.latency_moves].mapped("sku")

    latencies = move_latency(args, registry, emulator, account_id, move_skus)
    emulator.control("POST", "config", json={"latency_ms": 0})
    batches = max(1, -(-args.listings // 25))
    scale = args.listings / max(len(baseline), 1)
    print(
        f"\nStock push benchmark: {args.listings} listings, "
        f"{args.latency_ms} ms injected latency per eBay call"
    )
    print(f"{'':30}{'connector':>14}{'naive baseline':>18}")
    print(f"{'listings pushed':30}{pushed:>14}{len(baseline):>18}")
    print(f"{'eBay API calls':30}{calls:>14}{calls_b:>18}")
    print(f"{'SQL queries':30}{queries:>14}{queries_b:>18}")
    print(
        f"{'SQL queries per 25 listings':30}{queries / batches:>14.1f}"
        f"{queries_b / max(len(baseline) / 25, 1):>18.1f}"
    )
    print(f"{'wall time (s)':30}{wall:>14.1f}{wall_b:>18.1f}")
    print(
        f"\nbaseline scaled to {args.listings} listings: {calls_b * scale:.0f} calls, "
        f"{wall_b * scale:.0f} s"
    )
    print(
        f"ratios: {calls_b * scale / max(calls, 1):.1f}x fewer calls, "
        f"{wall_b * scale / max(wall, 1e-9):.1f}x faster; "
        f"contract violations: {violations}"
    )
    if latencies:
        print(
            f"validated move -> quantity on eBay ({len(latencies)}/"
            f"{args.latency_moves} moves, job runner running): "
            f"p50 {statistics.median(latencies):.1f} s, "
            f"p95 {percentile(latencies, 95):.1f} s"
        )


def move_latency(args, registry, emulator, account_id, skus):
    """Validate one delivery per SKU, ~10 per second, with Odoo's HTTP server
    and job runner up; time until eBay (the emulator) shows each quantity."""
    if not skus:
        return []
    from order_bench import free_port, start_odoo

    port = free_port()
    server = start_odoo(args.config, args.database, port, "/tmp/stock-bench-odoo.log")
    expected, started = {}, {}
    try:
        for sku in skus:
            with registry.cursor() as cr:
                env = environment(cr)
                product = env["product.product"].search([("default_code", "=", sku)])
                stock = env.ref("stock.stock_location_stock")
                customers = env.ref("stock.stock_location_customers")
                move = env["stock.move"].create(
                    {
                        "name": "bench",
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "product_uom": product.uom_id.id,
                        "location_id": stock.id,
                        "location_dest_id": customers.id,
                    }
                )
                move._action_confirm()
                move._action_assign()
                move.quantity = 1
                move.picked = True
                move._action_done()
                listing = env["ebay.listing"].search([("sku", "=", sku)])
                expected[sku] = listing._targets()[0]
            started[sku] = time.time()  # committed: the change exists now
            time.sleep(0.1)
        # When did eBay receive each new quantity?  The emulator's call log
        # has every push with its arrival time (same clock, same machine).
        seen = {}
        deadline = time.monotonic() + 180
        while len(seen) < len(skus) and time.monotonic() < deadline:
            for call in emulator.control(
                "GET", "calls?path=bulk_update_price_quantity"
            )["calls"]:
                for entry in (call.get("body") or {}).get("requests", []):
                    sku = entry.get("sku")
                    quantity = (entry.get("shipToLocationAvailability") or {}).get(
                        "quantity"
                    )
                    if (
                        sku in expected
                        and sku not in seen
                        and quantity == expected[sku]
                        and call["at"] >= started.get(sku, float("inf"))
                    ):
                        seen[sku] = call["at"]
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return [seen[s] - started[s] for s in seen]


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


if __name__ == "__main__":
    main()
