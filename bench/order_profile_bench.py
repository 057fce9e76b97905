"""Where the SQL queries of one imported order go (eBay, the poll).

``bash bench/run.sh order_profile [--orders 200]``: the order benchmark's
set-up (a connected account, listed products), ``--orders`` purchases on
the emulator, then the account's poll job imports them while
bench/sqlprofile.py counts every query by its caller.  Prints the queries
per order by the addon's step and by the Odoo code that ran them.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from benchlib import Emulator, open_registry
from order_bench import measure_poll, set_up


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()

    registry = open_registry(args.config, args.database)
    emulator = Emulator(args.emulator)
    account_id = set_up(registry, emulator)
    polled = measure_poll(registry, emulator, account_id, args.orders, False)
    print(
        f"\neBay poll of {args.orders} orders: {polled['made']} sale orders "
        f"({polled['confirmed']} confirmed, {polled['reserved']} reserved) in "
        f"{polled['wall']:.1f} s"
    )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 CPUs)")
    print("\n".join(polled["profile"].report(max(polled["made"], 1))))


if __name__ == "__main__":
    main()
