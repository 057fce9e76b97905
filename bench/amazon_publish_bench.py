"""Amazon publish benchmark: N new SKUs listed on Amazon.

The connector sends them as one JSON_LISTINGS_FEED per marketplace (split
at 25,000 messages): createFeedDocument, the upload, createFeed, then
getFeed until Amazon is done and the report (getFeedDocument, download).
The naive way is one putListingsItem per SKU, as per-item connectors do.

Calls are measured against the emulator (the naive way on
--baseline-skus of them, scaled to N).  Wall time is measured too (with
--latency-ms injected per call, rate limits off so that both ways show
their own cost), and the time each way needs at Amazon's rates is
computed from the models' tables: putListingsItem 5 per second, burst 10;
JSON_LISTINGS_FEED 5 feeds per 5 minutes.  Amazon's processing of the feed
(minutes to hours on Amazon, seconds on the emulator) is neither's cost and
is left out of the connector's wall time.  Goal (issue 12): a handful of
calls per thousand SKUs.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from amazon_benchlib import (
    FEED_RATE,
    US,
    AmazonBenchEmulator,
    amazon_account,
    amazon_listings,
    print_table,
    rate_bound_seconds,
    run_jobs,
)
from benchlib import environment, open_registry


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--skus", type=int, default=1000)
    parser.add_argument("--baseline-skus", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = AmazonBenchEmulator(args.emulator)
    with registry.cursor() as cr:
        env = environment(cr)
        from odoo.addons.marketplace_connector.amazon.ratelimit import DEFAULT_RATES

        account = amazon_account(env, emulator)
        started = time.perf_counter()
        listings = amazon_listings(env, account, args.skus, "AP")
        baseline = amazon_listings(env, account, args.baseline_skus, "AN")
        cr.commit()
        print(
            f"set-up: {len(listings) + len(baseline)} products and listings in "
            f"{time.perf_counter() - started:.0f} s"
        )
        emulator.config(latency_ms=args.latency_ms, rate_limits=0)

        # The connector: one feed per marketplace.
        emulator.clear_calls()
        started = time.perf_counter()
        listings.action_publish()
        run_jobs(env, "_job_submit")
        submitted = time.perf_counter() - started
        emulator.amazon("POST", "feeds/process")  # Amazon's side: not timed
        started = time.perf_counter()
        run_jobs(env, "_job_check")
        wall = submitted + time.perf_counter() - started
        calls = emulator.call_count()
        feeds = env["amazon.feed"].search([("account_id", "=", account.id)])
        published = len(listings.filtered(lambda l: l.state == "published"))
        cr.commit()

        # The naive way: one putListingsItem per SKU.
        emulator.clear_calls()
        client = account._amazon_client()
        started = time.perf_counter()
        for listing in baseline:
            listing._definition(client)
            client.listings.put(
                listing.sku,
                [US],
                listing.product_type_id.code,
                listing._amazon_attributes(),
                requirements=listing.product_type_id.requirements,
            )
        wall_b = time.perf_counter() - started
        calls_b = emulator.call_count()
        violations = len(emulator.violations())
        emulator.config(latency_ms=0, rate_limits=1)
        cr.commit()

    scale = args.skus / max(len(baseline), 1)
    put_rate, put_burst = DEFAULT_RATES.get("putListingsItem", (5, 10))
    naive_calls = round(calls_b * scale)
    naive_rate_time = rate_bound_seconds(naive_calls, put_rate, put_burst)
    feed_rate_time = rate_bound_seconds(len(feeds), *FEED_RATE)
    print_table(
        f"Amazon publish benchmark: {args.skus} new SKUs, {args.latency_ms} ms "
        f"injected latency per call (naive way measured on {len(baseline)}, scaled)",
        [
            ("listings published", published, args.skus),
            ("SP-API calls + document transfers", calls, naive_calls),
            (
                "calls per 1,000 SKUs",
                calls * 1000 / args.skus,
                naive_calls * 1000 / args.skus,
            ),
            ("wall time measured (s)", wall, wall_b * scale),
            ("time at Amazon's rates (s)", feed_rate_time, naive_rate_time),
        ],
    )
    print(
        f"\n{len(feeds)} feed(s).  Amazon's rates: putListingsItem {put_rate}/s "
        f"burst {put_burst}; "
        f"JSON_LISTINGS_FEED {FEED_RATE[1]} per 5 minutes.  Amazon's own "
        "processing of the feed is not counted.  Contract violations: "
        f"{violations}"
    )


if __name__ == "__main__":
    main()
