"""Amazon stock push benchmark: a change of N quantities pushed to Amazon.

N live listings (set-up, not measured: made in bulk as a feed publish
leaves them, amazon_benchlib.live_amazon_listings) get new stock;
Odoo marks them all and one push job sends them as PATCH messages of one
JSON_LISTINGS_FEED per marketplace (25,000 messages at most each).  The
naive way is one patchListingsItem per SKU (5 per second, burst 5 at
Amazon's rates), measured on --baseline-listings of them and scaled to N.
Calls are measured; wall time is measured (latency injected, rate limits
off) and computed at Amazon's rates as in amazon_publish_bench.py.
Amazon's processing of the feed is left out.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from amazon_benchlib import (
    FEED_RATE,
    AmazonBenchEmulator,
    amazon_account,
    live_amazon_listings,
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
    parser.add_argument("--listings", type=int, default=10000)
    parser.add_argument("--baseline-listings", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = AmazonBenchEmulator(args.emulator)
    with registry.cursor() as cr:
        env = environment(cr)
        from odoo.addons.marketplace_connector.amazon.ratelimit import DEFAULT_RATES

        account = amazon_account(env, emulator)
        emulator.config(rate_limits=0)
        started = time.perf_counter()
        live = live_amazon_listings(env, account, emulator, args.listings, "AS")
        cr.commit()
        print(
            f"set-up: {len(live)} listings live on Amazon and in Odoo in "
            f"{time.perf_counter() - started:.0f} s (made in bulk, not measured)",
            flush=True,
        )

        # The stock of every product changes (5 -> 8), in one statement (set-up,
        # not measured); Odoo's own code then marks the listings to push.
        env.cr.execute(
            "UPDATE stock_quant SET quantity = quantity + 3 WHERE product_id = ANY(%s)",
            [live.product_id.ids],
        )
        env.invalidate_all()
        live._mark_push()
        cr.commit()

        load_before = os.getloadavg()
        emulator.config(latency_ms=args.latency_ms)
        emulator.clear_calls()
        started = time.perf_counter()
        run_jobs(env, "_job_amazon_push_stock")
        run_jobs(env, "_job_submit")
        submitted = time.perf_counter() - started
        started = time.perf_counter()
        emulator.amazon("POST", "feeds/process")  # Amazon's side: not counted
        amazon_side = time.perf_counter() - started
        started = time.perf_counter()
        run_jobs(env, "_job_check")
        wall = submitted + time.perf_counter() - started
        calls = emulator.call_count()
        feeds = env["amazon.feed"].search(
            [("account_id", "=", account.id), ("purpose", "=", "offer")]
        )
        pushed = len(live.filtered(lambda l: not l.push_pending))
        cr.commit()

        # The naive way: one patchListingsItem per SKU.
        baseline = live[: args.baseline_listings]
        client = account._amazon_client()
        emulator.clear_calls()
        started = time.perf_counter()
        for listing in baseline:
            quantity, price = listing._targets()
            client.listings.patch(
                listing.sku,
                [listing.marketplace_code],
                listing._amazon_offer_product_type(),
                listing._amazon_offer_patches_for(quantity, price),
            )
        wall_b = time.perf_counter() - started
        calls_b = emulator.call_count()
        violations = len(emulator.violations())
        emulator.config(latency_ms=0, rate_limits=1)
        cr.commit()
        load_after = os.getloadavg()

    scale = len(live) / max(len(baseline), 1)
    patch_rate, patch_burst = DEFAULT_RATES.get("patchListingsItem", (5, 5))
    naive_calls = round(calls_b * scale)
    print_table(
        f"Amazon stock push benchmark: {len(live)} quantities changed, "
        f"{args.latency_ms} ms injected latency per call (naive way measured on "
        f"{len(baseline)} SKUs, scaled x{scale:g})",
        [
            ("listings pushed", pushed, len(live)),
            ("SP-API calls + document transfers", calls, naive_calls),
            (
                "calls per 1,000 SKUs",
                calls * 1000 / max(len(live), 1),
                naive_calls * 1000 / max(len(live), 1),
            ),
            ("wall time measured (s)", wall, wall_b * scale),
            (
                "time at Amazon's rates (s)",
                rate_bound_seconds(len(feeds), *FEED_RATE),
                rate_bound_seconds(naive_calls, patch_rate, patch_burst),
            ),
        ],
    )
    print(
        f"\n{len(feeds)} feed(s).  Amazon's rates: patchListingsItem "
        f"{patch_rate}/s burst {patch_burst}; JSON_LISTINGS_FEED {FEED_RATE[1]} per "
        "5 minutes.  Contract violations: "
        f"{violations}.\n"
        f"Method: the connector's push of all {len(live)} is measured whole "
        "(Odoo's push job, the feed's submission, its status and report). The "
        f"naive way (one patchListingsItem per SKU) is measured on {len(baseline)} "
        f"of the same listings and its calls and wall time are scaled by "
        f"{scale:g}.  The emulator's rate limits are off for both while measuring "
        "(wall time is latency and work); the time at Amazon's rates is computed "
        "from the models' tables.  Amazon's processing of the feed is not counted "
        f"(the emulator took {amazon_side:.1f} s).\n"
        "Load average (1, 5, 15 min) before the push "
        f"{' '.join(f'{x:.2f}' for x in load_before)}, after the naive way "
        f"{' '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} CPUs, shared)."
    )


if __name__ == "__main__":
    main()
