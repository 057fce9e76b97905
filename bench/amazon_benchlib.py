"""Shared set-up of the Amazon benchmarks: a connected account, products
that pass the PRODUCT schema, and the arithmetic of Amazon's rates.

Amazon throttles with token buckets (``rate`` per second, ``burst`` at
once, the models' tables; AMAZON_FACTS §6).  The time a run of calls needs
at those rates, whatever the network, is what the benchmarks compare: the
naive way (one Listings Items call per SKU) is bound by it, the connector's
feeds are not (a handful of calls, inside the bursts).
"""

import base64
import json
import sys
from pathlib import Path

from odoo import fields

sys.path.append(str(Path(__file__).resolve().parents[1]))
from emulator.client import AmazonEmulatorClient

CLIENT_ID = "amzn1.application-oa2-client.bench"
SECRET = "bench-secret-for-this-run"
APPLICATION_ID = "amzn1.sp.solution.bench"
SELLER = "A1EMULATORSELLER"
US = "ATVPDKIKX0DER"
# A 1x1 PNG: each product's image, which Amazon gets by its public URL.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db0"
        "0000000049454e44ae426082"
    )
)
# What the benchmarks count: SP-API calls and document transfers, not LWA.
API_CALLS = "^/(listings|feeds|reports|definitions|sellers)/|^/_documents/"
# JSON_LISTINGS_FEED createFeed: 5 per 5 minutes per region (changelog
# 2025-05-06): a burst of 5, one more each 60 seconds.
FEED_RATE = (5 / 300, 5)


class AmazonBenchEmulator(AmazonEmulatorClient):
    """The one control client, with a benchmark's patience (the emulator
    processes a feed of 10,000 messages within one control call)."""

    def __init__(self, url):
        super().__init__(url, timeout=900)

    def call_count(self, path=API_CALLS):
        return super().call_count(path)


def rate_bound_seconds(calls, rate, burst):
    """Seconds ``calls`` calls of one operation need at least at ``rate``
    per second with ``burst`` tokens at the start."""
    return max(0, calls - burst) / rate


def ean13(number):
    digits = f"{number:012d}"[-12:]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def _prefix_base(prefix):
    """A range of a million numbers per SKU prefix ("AP", "AN", ...)."""
    return int.from_bytes(prefix.encode(), "big") % 1000 * 1_000_000


def amazon_account(env, emulator):
    """An Amazon account on the emulator, self-authorised (the refresh
    token pasted, as a self-authorised seller does)."""
    emulator.reset()
    emulator.add_app(
        CLIENT_ID,
        SECRET,
        APPLICATION_ID,
        "http://127.0.0.1/amazon/oauth/callback",
    )
    refresh_token = emulator.self_authorize(CLIENT_ID, SELLER)
    account = env["marketplace.account"].create(
        {
            "channel": "amazon",
            "name": "Bench Amazon seller",
            "environment": "emulator",
            "amazon_region": "NA",
            "client_id": CLIENT_ID,
            "amazon_application_id": APPLICATION_ID,
            "warehouse_id": env.ref("stock.warehouse0").id,
        }
    )
    account._amazon_store_client_secret(SECRET)
    account._amazon_connect_self_authorised(refresh_token, SELLER)
    account.amazon_participation_ids.filtered(lambda p: p.marketplace_id != US).write(
        {"selected": False}
    )
    return account


def product_type(account):
    """PRODUCT's definition for the US, fetched and cached."""
    return account.env["amazon.product.type"]._fetch(
        account._amazon_client(),
        "PRODUCT",
        US,
        seller_id=account.amazon_selling_partner_id,
    )


def amazon_listings(env, account, count, prefix, qty=5):
    """``count`` draft US listings of new storable products with stock."""
    kind = product_type(account)
    us = account.amazon_participation_ids.filtered(lambda p: p.marketplace_id == US)
    templates = env["product.template"].create(
        [
            {
                "name": f"Bench figure {prefix}-{i:05d}",
                "default_code": f"{prefix}-{i:05d}",
                # Barcodes are unique per company: each prefix its own range.
                "barcode": ean13(500000000000 + _prefix_base(prefix) + i),
                "is_storable": True,
                "list_price": 10,
                "image_1920": PNG,
                "amazon_brand": "Bench Figures",
                "amazon_bullet_points": "Hand painted\nSix inches tall",
                "description_sale": "A benchmark figure.",
                "amazon_product_type_id": kind.id,
            }
            for i in range(count)
        ]
    )
    stock = env.ref("stock.stock_location_stock")
    Quant = env["stock.quant"]
    for product in templates.product_variant_ids:
        Quant._update_available_quantity(product, stock, qty)
    return templates.product_variant_ids._amazon_listings_for(account, us)


def clone_records(record, rows):
    """Copies of ``record`` (one row of its model's table), one per dict of
    ``rows`` (column: value, the same columns in each), made by one INSERT
    ... SELECT, with the record's many2many rows: a benchmark's set-up of
    thousands of records Odoo made alike (the ORM makes one, SQL the rest)."""
    cr, table = record.env.cr, record._table
    cr.execute(
        "SELECT column_name, udt_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id'",
        [table],
    )
    types = dict(cr.fetchall())
    given = list(rows[0])
    picked = []
    for column, kind in types.items():
        if column not in given:
            picked.append(f"r.{column}")
        elif kind == "jsonb":
            picked.append(f"v.val->'{column}'")
        else:
            picked.append(f"(v.val->>'{column}')::{kind}")
    cr.execute(
        f"""INSERT INTO {table} ({", ".join(types)})
            SELECT {", ".join(picked)}
              FROM {table} r, jsonb_array_elements(%s::jsonb) WITH ORDINALITY v(val, n)
             WHERE r.id = %s ORDER BY v.n RETURNING id""",
        [json.dumps(rows), record.id],
    )
    copies = record.browse([row[0] for row in cr.fetchall()])
    for field in record._fields.values():
        if field.type == "many2many" and field.store:
            cr.execute(
                f"""INSERT INTO {field.relation} ({field.column1}, {field.column2})
                    SELECT c, {field.column2} FROM {field.relation}, unnest(%s) c
                     WHERE {field.column1} = %s""",
                [copies.ids, record.id],
            )
    record.env.invalidate_all()
    return copies


def live_amazon_listings(env, account, emulator, count, prefix, qty=5):
    """``count`` US listings already live on Amazon, made in bulk: the
    starting state a publish by feed leaves, without the publish (which
    ``amazon_publish`` measures) and without measuring anything.

    * Odoo: one product and its listing are made by the ORM, the listing
      put in the state a feed publish leaves (published, live, the
      quantity and price pushed; the read-back is not simulated); the
      others are SQL copies of them (:func:`clone_records`), each with its
      own name, SKU and barcode.  The products are storable, without an
      image (a stock push sends none); each has one quant of ``qty``.
    * Amazon (the emulator) gets the listings through its control API, as
      the puts a publish sends (the attributes of amazon/attributes.py,
      with the product's image URL), applied and checked at once: each is
      BUYABLE.
    """
    kind = product_type(account)
    us = account.amazon_participation_ids.filtered(lambda p: p.marketplace_id == US)
    codes = [f"{prefix}-{i:05d}" for i in range(count)]
    first = env["product.product"].create(
        {
            "name": f"Bench figure {codes[0]}",
            "default_code": codes[0],
            "barcode": ean13(500000000000 + _prefix_base(prefix)),
            "is_storable": True,
            "list_price": 10,
            "amazon_brand": "Bench Figures",
            "amazon_bullet_points": "Hand painted\nSix inches tall",
            "description_sale": "A benchmark figure.",
            "amazon_product_type_id": kind.id,
        }
    )
    templates = clone_records(
        first.product_tmpl_id,
        [
            {"name": {"en_US": f"Bench figure {c}"}, "default_code": c}
            for c in codes[1:]
        ],
    )
    products = first | clone_records(
        first,
        [
            {
                "product_tmpl_id": template.id,
                "default_code": code,
                # Barcodes are unique per company: each prefix its range.
                "barcode": ean13(500000000000 + _prefix_base(prefix) + i),
            }
            for i, (template, code) in enumerate(
                zip(templates, codes[1:], strict=True), start=1
            )
        ],
    )
    stock = env.ref("stock.stock_location_stock")
    env.cr.execute(
        """INSERT INTO stock_quant (product_id, location_id, company_id, quantity,
                                    reserved_quantity, in_date, create_uid,
                                    write_uid, create_date, write_date)
           SELECT id, %s, %s, %s, 0, now() at time zone 'utc', 1, 1,
                  now() at time zone 'utc', now() at time zone 'utc'
             FROM product_product WHERE id = ANY(%s)""",
        [stock.id, stock.company_id.id, qty, products.ids],
    )
    env.invalidate_all()
    listing = first._amazon_listings_for(account, us)
    quantity, price = listing._targets()
    listing._set_state(
        "published",
        is_live=True,
        pending_operation=False,
        last_submitted_at=fields.Datetime.now(),
        readback_count=0,
        pushed_quantity=quantity,
        pushed_price=price,
        pushed_at=fields.Datetime.now(),
        push_pending=False,
        push_urgent=False,
        push_error=False,
    )
    env.flush_all()
    listings = listing | clone_records(
        listing,
        [
            {
                "product_id": product.id,
                "product_tmpl_id": product.product_tmpl_id.id,
                "sku": product.default_code,
            }
            for product in products[1:]
        ],
    )
    _seed_emulator(emulator, account, listings, kind, quantity, price)
    return listings


# Listings per request of the emulator's seeding (a few MB of JSON).
SEED_BATCH = 1000


def _seed_emulator(emulator, account, listings, kind, quantity, price):
    from odoo.addons.marketplace_connector.amazon import attributes

    base = env_base_url(account.env)
    for start in range(0, len(listings), SEED_BATCH):
        batch = []
        for listing in listings[start : start + SEED_BATCH]:
            product = listing.product_id
            values = {
                "title": product.name,
                "brand": product.amazon_brand,
                "bullet_points": product.amazon_bullet_points.splitlines(),
                "description": product.description_sale,
                "barcode": product.barcode,
                "condition": "new_new",
                "main_image_url": f"{base}/web/image/product.product/{product.id}"
                "/image_1920",
                "price": price,
                "quantity": quantity,
            }
            batch.append(
                {
                    "sku": listing.sku,
                    "productType": kind.code,
                    "requirements": kind.requirements,
                    "marketplaceIds": [US],
                    "attributes": attributes.listing_attributes(
                        values, US, "en_US", "USD"
                    ),
                }
            )
        emulator.seed_listings(batch, account.amazon_selling_partner_id)


def env_base_url(env):
    return (
        env["ir.config_parameter"].sudo().get_param("web.base.url", "") or ""
    ).rstrip("/")


def run_jobs(env, method, limit=100000):
    """Run the stored jobs of ``method`` (their eta ignored) until none is
    left, as queue_job's runner would; how many ran."""
    from odoo.addons.queue_job.controllers.main import RunJobController
    from odoo.addons.queue_job.job import Job

    runs = 0
    while runs < limit:
        job = env["queue.job"].search(
            [("method_name", "=", method), ("state", "=", "pending")],
            order="id",
            limit=1,
        )
        if not job:
            return runs
        RunJobController._runjob(env, Job.load(env, job.uuid))
        env.invalidate_all()
        runs += 1
    return runs


def print_table(title, rows):
    """``rows``: (label, connector, naive) triples, printed side by side."""
    print(f"\n{title}")
    print(f"{'':38}{'connector':>14}{'naive':>16}{'ratio':>10}")
    for label, ours, naive in rows:
        ratio = f"{naive / ours:.1f}x" if ours else "(inside bursts)" if naive else "-"
        print(f"{label:38}{_shown(ours):>14}{_shown(naive):>16}{ratio:>10}")


def _shown(value):
    return f"{value:.1f}" if isinstance(value, float) else str(value)
