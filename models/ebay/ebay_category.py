"""eBay categories and their item specifics, cached per marketplace.

The Taxonomy API (application token) says which aspects a leaf category
requires; Odoo checks them before any listing call.  A cached answer is
reused for a week: categories change rarely and the app token's daily call
budget is small.
"""

import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...ebay import EbayError, EbayValidationError
from ...ebay.errors import actionable
from ...ebay.taxonomy import TaxonomyApi

CACHE_TTL = timedelta(days=7)


class EbayCategory(models.Model):
    _name = "ebay.category"
    _description = "eBay Category (cached)"
    _rec_name = "category_id"
    _order = "path, category_id"

    marketplace_id = fields.Char(required=True, index=True)
    category_id = fields.Char(required=True, index=True)
    name = fields.Char(help="The category's own name, e.g. Headphones.")
    path = fields.Char(
        help="The category's place in eBay's tree, e.g. "
        "Consumer Electronics > Portable Audio & Headphones > Headphones."
    )
    leaf = fields.Boolean(help="Only leaf categories can hold listings.")
    parent_category_id = fields.Char(help="eBay's id of the parent category.")
    valid = fields.Boolean(help="False: eBay says it is unknown or not a leaf.")
    problem = fields.Char()
    aspects_json = fields.Text()
    fetched_at = fields.Datetime()

    _sql_constraints = [
        (
            "category_uniq",
            "unique(marketplace_id, category_id)",
            "Cached once per marketplace.",
        )
    ]

    @api.depends("path", "name", "category_id")
    def _compute_display_name(self):
        for category in self:
            label = category.path or category.name
            category.display_name = (
                f"{label} ({category.category_id})" if label else category.category_id
            )

    @api.model
    def _lookup(self, account, category_id):
        """(problem or None, aspects) for ``category_id`` on the account's site.

        Remembered for the transaction too: validating a thousand listings
        of one category reads the cache row once, not a thousand times.
        """
        memo = self.env.cr.cache.setdefault("ebay_category_lookup", {})
        key = (account.ebay_marketplace_id, category_id)
        if key not in memo:
            result, reliable = self._lookup_uncached(account, category_id)
            if not reliable:
                return result
            memo[key] = result
        problem, aspects = memo[key]
        return problem, list(aspects)

    @api.model
    def _lookup_uncached(self, account, category_id):
        """((problem, aspects), reliable): not reliable when eBay was unreachable."""
        cached = self.sudo().search(
            [
                ("marketplace_id", "=", account.ebay_marketplace_id),
                ("category_id", "=", category_id),
            ],
            limit=1,
        )
        if (
            cached
            and cached.fetched_at
            and cached.fetched_at > fields.Datetime.now() - CACHE_TTL
        ):
            return (
                cached.problem or None,
                json.loads(cached.aspects_json or "[]"),
            ), True
        values = {
            "fetched_at": fields.Datetime.now(),
            "problem": False,
            "aspects_json": "[]",
        }
        try:
            api_ = TaxonomyApi(account._ebay_app_client())
            tree = api_.default_tree_id(account.ebay_marketplace_id)
            aspects = api_.item_aspects(tree, category_id)
            values.update(valid=True, aspects_json=json.dumps(aspects))
        except EbayValidationError as err:
            values.update(
                valid=False,
                problem=self.env._(
                    "eBay category %(id)s is unknown or not a leaf category: choose "
                    "a leaf category (%(reason)s).",
                    id=category_id,
                    reason=err.user_message,
                ),
            )
        except EbayError:
            # eBay unreachable: do not block; eBay itself checks at publish.
            return (None, []), False
        if cached:
            cached.write(values)
        else:
            self.sudo().create(
                dict(
                    values,
                    marketplace_id=account.ebay_marketplace_id,
                    category_id=category_id,
                )
            )
        return (values["problem"] or None, json.loads(values["aspects_json"])), True

    @api.model
    def _suggest(self, account, text):
        api_ = TaxonomyApi(account._ebay_app_client())
        try:
            tree = api_.default_tree_id(account.ebay_marketplace_id)
            return api_.suggestions(tree, text)
        except EbayError as err:
            raise UserError(actionable(err)) from err
