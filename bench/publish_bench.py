"""Publish benchmark: N new SKUs through the bulk path vs a naive baseline.

Prints API calls, SQL queries and wall time for both ways, in one run, with
the ratios.  Target (issue #3): at most 120 calls for 1,000 SKUs.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from benchlib import Emulator, connected_account, environment, open_registry


def make_listings(env, account, prefix, count):
    Product = env["product.product"]
    stock = env.ref("stock.stock_location_stock")
    products = Product.create(
        [
            {
                "name": f"{prefix} product {i}",
                "default_code": f"{prefix}-{i:05d}",
                "is_storable": True,
                "list_price": 10 + i % 7,
            }
            for i in range(count)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, 5)
    listings = products._ebay_listings_for(account)
    listings.write(
        {"image_urls": "https://i.example.com/p.jpg", "category_id": "88433"}
    )
    return listings


def run_pending_jobs(env):
    """What the job runner does, minus HTTP: perform every pending job."""
    from odoo.addons.queue_job.job import Job

    jobs = env["queue.job"].search(
        [("state", "=", "pending"), ("model_name", "=", "ebay.listing")], order="id"
    )
    for record in jobs:
        Job.load(env, record.uuid).perform()
    return len(jobs)


def measure(cr, emulator, func):
    calls_before = emulator.call_count()
    queries_before = cr.sql_log_count
    start = time.perf_counter()
    extra = func()
    wall = time.perf_counter() - start
    return {
        "calls": emulator.call_count() - calls_before,
        "queries": cr.sql_log_count - queries_before,
        "wall": wall,
        "extra": extra,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--skus", type=int, default=1000)
    parser.add_argument("--baseline-skus", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = Emulator(args.emulator)
    with registry.cursor() as cr:
        env = environment(cr)
        account = connected_account(env, emulator)
        bulk = make_listings(env, account, "BULK", args.skus)
        naive = make_listings(env, account, "NAIVE", args.baseline_skus)
        cr.commit()
        emulator.control("POST", "config", json={"latency_ms": args.latency_ms})

        def bulk_way():
            bulk.action_publish()
            return run_pending_jobs(env)

        def naive_way():
            for listing in naive:
                listing._set_state("queued", pending_operation="publish")
                listing._job_run("publish")

        result_bulk = measure(cr, emulator, bulk_way)
        result_naive = measure(cr, emulator, naive_way)
        emulator.control("POST", "config", json={"latency_ms": 0})
        published = len(bulk.filtered(lambda l: l.state == "published"))
        published_naive = len(naive.filtered(lambda l: l.state == "published"))
        violations = emulator.control("GET", "violations")["count"]
        cr.commit()

    print(f"\nPublish benchmark: {args.latency_ms} ms injected latency per eBay call")
    print(f"{'':28}{'connector (bulk)':>18}{'naive baseline':>18}")
    print(f"{'SKUs published':28}{published:>18}{published_naive:>18}")
    print(f"{'eBay API calls':28}{result_bulk['calls']:>18}{result_naive['calls']:>18}")
    print(
        f"{'SQL queries':28}{result_bulk['queries']:>18}{result_naive['queries']:>18}"
    )
    print(
        f"{'wall time (s)':28}{result_bulk['wall']:>18.1f}{result_naive['wall']:>18.1f}"
    )
    per_sku = lambda r, n: r / max(n, 1)
    print(
        f"{'calls per SKU':28}{per_sku(result_bulk['calls'], args.skus):>18.3f}"
        f"{per_sku(result_naive['calls'], args.baseline_skus):>18.3f}"
    )
    print(
        f"{'SQL queries per SKU':28}{per_sku(result_bulk['queries'], args.skus):>18.1f}"
        f"{per_sku(result_naive['queries'], args.baseline_skus):>18.1f}"
    )
    print(
        f"{'seconds per SKU':28}{per_sku(result_bulk['wall'], args.skus):>18.4f}"
        f"{per_sku(result_naive['wall'], args.baseline_skus):>18.4f}"
    )
    scale = args.skus / max(args.baseline_skus, 1)
    fewer = result_naive["calls"] * scale / max(result_bulk["calls"], 1)
    faster = result_naive["wall"] * scale / max(result_bulk["wall"], 1e-9)
    print(
        f"\nratios (baseline scaled to {args.skus} SKUs): "
        f"{fewer:.1f}x fewer calls, {faster:.1f}x faster"
    )
    print(f"bulk jobs: {result_bulk['extra']}; contract violations: {violations}")
    target = (
        "met" if result_bulk["calls"] <= 120 * max(args.skus, 1) / 1000 else "MISSED"
    )
    print(f"target <= 120 calls per 1,000 SKUs: {target}")


if __name__ == "__main__":
    main()
