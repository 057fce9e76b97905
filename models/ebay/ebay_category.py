"""eBay categories and their item specifics, cached per marketplace.

The Taxonomy API (application token) says which aspects a leaf category
requires; Odoo checks them before any listing call.  A cached answer is
reused for a week: categories change rarely and the app token's daily call
budget is small.
"""

import json
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...ebay import EbayError, EbayValidationError
from ...ebay.errors import actionable
from ...ebay.taxonomy import TaxonomyApi

CACHE_TTL = timedelta(days=7)
# eBay is asked only for words long enough to mean something: the picker
# searches as the person types, and the app token's daily budget is small.
MIN_QUERY_LENGTH = 3


class EbayCategory(models.Model):
    _name = "ebay.category"
    _description = "eBay Category (cached)"
    _rec_name = "category_id"
    _rec_names_search = ["path", "name", "category_id"]
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
    level = fields.Integer(help="Depth in eBay's tree: 1 for a top level.")
    is_root = fields.Boolean(help="The tree's root: its children are the top levels.")
    children_fetched_at = fields.Datetime(
        help="When eBay last said which categories this one holds: browsing "
        "down reads them from the cache for a week."
    )
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

    # -- the picker ---------------------------------------------------------
    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """The cached categories matching ``name``; when none does, eBay's.

        Typed words ask eBay's category suggestions (getCategorySuggestions),
        a typed category number its place in the tree (getCategorySubtree):
        a leaf is offered as is, a category with subcategories offers them.
        What eBay answers is cached with its path, so the next search finds
        it without a call.
        """
        found = super().name_search(name, args, operator, limit)
        text = (name or "").strip()
        if (
            found
            or operator not in ("ilike", "=ilike", "=")
            or (len(text) < MIN_QUERY_LENGTH and not text.isdigit())
        ):
            return found
        categories = self._ebay_search(text)
        if not categories:
            return found
        domain = [("id", "in", categories.ids)] + list(args or [])
        allowed = set(self.search(domain).ids)
        return [(c.id, c.display_name) for c in categories if c.id in allowed][:limit]

    # The picker writes the cache rows eBay's answer fills: it needs a
    # read/write cursor, not the read-only one name_search gets by default.
    name_search._readonly = False

    @api.model
    def _ebay_picker_accounts(self):
        """The eBay accounts the picker may ask: the one in the context
        (``ebay_account_id``, checked against the user's rights), else the
        connected eBay accounts of the current company, one per marketplace."""
        Account = self.env["marketplace.account"]
        account_id = self.env.context.get("ebay_account_id")
        if account_id:
            account = Account.browse(account_id)
            account.check_access("read")
            return account.filtered(
                lambda a: a.channel == "ebay" and a.state == "connected"
            )
        if not Account.has_access("read"):
            # Someone without the connector's rights searches the cache only.
            return None
        accounts = Account.search(
            [
                ("channel", "=", "ebay"),
                ("state", "=", "connected"),
                ("company_id", "=", self.env.company.id),
            ]
        )
        by_marketplace = {}
        for account in accounts:
            by_marketplace.setdefault(account.ebay_marketplace_id, account)
        return Account.union(*by_marketplace.values())

    @api.model
    def _ebay_search(self, text):
        """The categories eBay finds for ``text`` (words or a category id),
        cached; best first."""
        # No account to ask: the product's eBay tab says to connect one
        # (product.template.ebay_picker_problem); the search finds nothing.
        accounts = self._ebay_picker_accounts()
        if not accounts:
            return self.browse()
        found = self.browse()
        for account in accounts:
            try:
                api_ = TaxonomyApi(account._ebay_app_client())
                tree = api_.default_tree_id(account.ebay_marketplace_id)
                if text.isdigit():
                    found |= self._cache_subtree(
                        account, api_.get_category_subtree(tree, text)
                    )
                else:
                    found |= self._cache_suggestions(
                        account, api_.get_category_suggestions(tree, text)
                    )
            except EbayValidationError:
                # eBay knows no such category (a mistyped number): no match.
                continue
            except EbayError as err:
                raise UserError(actionable(err)) from err
        return found

    @api.model
    def _cache_rows(self, account, rows):
        """Cache rows for eBay's categories ({category_id, name, path, leaf,
        level, parent_category_id}), created or refreshed; in the given order."""
        marketplace = account.ebay_marketplace_id
        Category = self.sudo()
        cached = {
            c.category_id: c
            for c in Category.search(
                [
                    ("marketplace_id", "=", marketplace),
                    ("category_id", "in", [r["category_id"] for r in rows]),
                ]
            )
        }
        new_values = {}
        for row in rows:
            values = {k: v for k, v in row.items() if v is not None}
            category = cached.get(row["category_id"])
            if category:
                category.write(values)
            else:
                new_values[row["category_id"]] = dict(
                    values, marketplace_id=marketplace
                )
        # One create for all the new rows: a whole tree is thousands of them.
        for category in Category.create(list(new_values.values())):
            cached[category.category_id] = category
        return self.browse(
            list(dict.fromkeys(cached[row["category_id"]].id for row in rows))
        )

    @api.model
    def _cache_suggestions(self, account, suggestions):
        return self._cache_rows(
            account,
            [
                {
                    "category_id": s["category_id"],
                    "name": s["name"],
                    "path": " > ".join([*s["path"], s["name"]]),
                    # eBay suggests leaf categories only.
                    "leaf": True,
                    "parent_category_id": s["parent_id"],
                }
                for s in suggestions
                if s["category_id"]
            ],
        )

    @api.model
    def _cache_subtree(self, account, subtree):
        """The category when it is a leaf, else its subcategories."""
        parent = self._cache_rows(
            account,
            [
                {
                    "category_id": subtree["category_id"],
                    "name": subtree["name"],
                    "leaf": subtree["leaf"],
                    "level": subtree["level"],
                }
            ],
        )
        if parent.leaf:
            return parent
        prefix = parent.path or parent.name
        children = self._cache_rows(
            account,
            [
                {
                    "category_id": child["category_id"],
                    "name": child["name"],
                    "path": f"{prefix} > {child['name']}",
                    "leaf": child["leaf"],
                    "level": child["level"],
                    "parent_category_id": parent.category_id,
                }
                for child in subtree["children"]
            ],
        )
        parent.sudo().children_fetched_at = fields.Datetime.now()
        return children

    # -- browsing the tree from the top ------------------------------------------
    @api.model
    def _cache_tree(self, account):
        """Cache the whole tree of the account's marketplace (getCategoryTree):
        its root, then every category with its path; the root's row."""
        api_ = TaxonomyApi(account._ebay_app_client())
        try:
            tree = api_.default_tree_id(account.ebay_marketplace_id)
            root_id, rows = api_.category_rows(tree)
        except EbayError as err:
            raise UserError(actionable(err)) from err
        now = fields.Datetime.now()
        # The tree names every child: each category's children are known.
        root = self._cache_rows(
            account,
            [{"category_id": root_id, "leaf": False, "is_root": True, "level": 0}],
        )
        self._cache_rows(account, rows)
        Category = self.sudo()
        Category.search(
            [
                ("marketplace_id", "=", account.ebay_marketplace_id),
                ("leaf", "=", False),
                ("category_id", "in", [root_id, *(r["category_id"] for r in rows)]),
            ]
        ).children_fetched_at = now
        return root

    @api.model
    def _ebay_root(self, account):
        """The root of the account's marketplace tree, read from eBay when
        the cache does not hold a fresh tree."""
        root = self.search(
            [
                ("marketplace_id", "=", account.ebay_marketplace_id),
                ("is_root", "=", True),
            ],
            limit=1,
        )
        if not root._children_fresh():
            root = self._cache_tree(account)
        return root

    def _children_fresh(self):
        return bool(
            self.children_fetched_at
            and self.children_fetched_at > fields.Datetime.now() - CACHE_TTL
        )

    def _ebay_children(self, account):
        """The categories this one holds on the account's site, best known
        first from the cache, else from eBay (getCategorySubtree)."""
        self.ensure_one()
        if not self.leaf and not self._children_fresh():
            api_ = TaxonomyApi(account._ebay_app_client())
            try:
                tree = api_.default_tree_id(account.ebay_marketplace_id)
                self._cache_subtree(
                    account, api_.get_category_subtree(tree, self.category_id)
                )
            except EbayError as err:
                raise UserError(actionable(err)) from err
        return self.search(
            [
                ("marketplace_id", "=", self.marketplace_id),
                ("parent_category_id", "=", self.category_id),
            ],
            order="name, category_id",
        )

    def _ebay_parent(self):
        """The category above this one (the root above a top level)."""
        self.ensure_one()
        return self.search(
            [
                ("marketplace_id", "=", self.marketplace_id),
                ("category_id", "=", self.parent_category_id),
            ],
            limit=1,
        )

    def _required_aspect_names(self):
        """The item specifics eBay requires in this category, asked of eBay
        (cached a week) through one of the picker's accounts when the cache
        has no fresh answer; the cached answer alone when no account can ask."""
        if not self:
            return []
        self.ensure_one()
        accounts = self._ebay_picker_accounts() or self.env["marketplace.account"]
        account = accounts.filtered(
            lambda a: a.ebay_marketplace_id == self.marketplace_id
        )[:1]
        if account:
            _problem, aspects = self._lookup(account, self.category_id)
        else:
            aspects = json.loads(self.aspects_json or "[]")
        return [a["name"] for a in aspects if a.get("required")]

    def _check_leaf(self):
        """Refuse a category that holds other categories, not listings."""
        for category in self.filtered(lambda c: not c.leaf):
            raise ValidationError(
                self.env._(
                    "%(category)s holds other categories, not listings: choose "
                    "one of its subcategories.",
                    category=category.display_name,
                )
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

    # -- what a listing shows ---------------------------------------------------
    @api.model
    def _listing_label(self, marketplace_id, category_id, template):
        """The words a listing (or variation listing) shows for its category:
        its own (``category_id``, a number), else its product's."""
        if category_id:
            cached = self.search(
                [
                    ("marketplace_id", "=", marketplace_id),
                    ("category_id", "=", category_id),
                ],
                limit=1,
            )
            return cached.display_name if cached.path or cached.name else category_id
        if template and template._ebay_category_for(marketplace_id):
            return self.env._(
                "%(category)s, from the product",
                category=template.ebay_category_id.display_name,
            )
        return False
