"""Taxonomy API v1 (application token): trees, subtrees, suggestions, aspects.

Every tree the emulator knows (EBAY_US "0", EBAY_GB "3", EBAY_DE "77")
serves the same small category tree of :mod:`emulator.catalog`.  Shapes and
error ids follow ``commerce_taxonomy_v1_oas3.json`` (x-response-codes):
62003 unknown marketplace, 62004 unknown tree, 62005 category not in the
tree, 62007 empty ``q``, 62008 the root category, 62009 not a leaf.
"""

import re

from . import errors
from .catalog import CATEGORIES
from .routes import route

BASE = "/commerce/taxonomy/v1"
DOMAIN = "API_TAXONOMY"
ROOT_ID = "0"
TREE_VERSION = "129"
# Default tree per marketplace; every other valid marketplace gets tree "0".
TREE_IDS = {"EBAY_GB": "3", "EBAY_DE": "77"}
MARKETPLACES = frozenset(
    (
        "EBAY_AT",
        "EBAY_AU",
        "EBAY_BE",
        "EBAY_CA",
        "EBAY_CH",
        "EBAY_DE",
        "EBAY_ES",
        "EBAY_FR",
        "EBAY_GB",
        "EBAY_HK",
        "EBAY_IE",
        "EBAY_IN",
        "EBAY_IT",
        "EBAY_MOTORS_US",
        "EBAY_MY",
        "EBAY_NL",
        "EBAY_PH",
        "EBAY_PL",
        "EBAY_RU",
        "EBAY_SG",
        "EBAY_US",
    )
)
KNOWN_TREES = frozenset({"0", *TREE_IDS.values()})
ASPECT_MAX_LENGTH = 65
_WORD = re.compile(r"[0-9a-z]+")


def _err(error_id, message, status=400, **extra):
    return status, errors.body(errors.error(error_id, DOMAIN, message, **extra)), {}


def _tree_problem(tree_id):
    if tree_id not in KNOWN_TREES:
        return _err(
            62004,
            "The specified category tree ID was not found.",
            parameters=[{"name": "category_tree_id", "value": tree_id}],
        )
    return None


def _category_problem(category_id):
    """The error for a category that is not a usable leaf, or None."""
    if not category_id:
        return _err(62006, "Missing category ID.")
    if category_id not in CATEGORIES:
        return _err(
            62005,
            "The specified category ID does not belong to the specified category tree.",
            parameters=[{"name": "category_id", "value": category_id}],
        )
    if category_id == ROOT_ID:
        return _err(
            62008,
            "The specified category ID is the root for the category tree. Please "
            "use getCategoryTree to retrieve the entire tree.",
        )
    return None


def _level(category_id):
    level = 0
    while category_id and category_id != ROOT_ID:
        level += 1
        category_id = CATEGORIES[category_id][1]
    return level


def _children(category_id):
    return [cid for cid, row in CATEGORIES.items() if row[1] == category_id]


def _subtree_href(req, tree_id, category_id):
    return (
        f"{req.base_url}{BASE}/category_tree/{tree_id}"
        f"/get_category_subtree?category_id={category_id}"
    )


def _node(req, tree_id, category_id):
    name, parent, leaf = CATEGORIES[category_id][:3]
    node = {
        "category": {"categoryId": category_id, "categoryName": name},
        "categoryTreeNodeLevel": _level(category_id),
    }
    if parent is not None:
        node["parentCategoryTreeNodeHref"] = _subtree_href(req, tree_id, parent)
    if leaf:
        node["leafCategoryTreeNode"] = True
    else:
        node["childCategoryTreeNodes"] = [
            _node(req, tree_id, child) for child in _children(category_id)
        ]
    return node


def _ancestors(req, tree_id, category_id):
    """Parent first, up to (not including) the root, as eBay lists them."""
    chain, current = [], CATEGORIES[category_id][1]
    while current and current != ROOT_ID:
        chain.append(
            {
                "categoryId": current,
                "categoryName": CATEGORIES[current][0],
                "categorySubtreeNodeHref": _subtree_href(req, tree_id, current),
                "categoryTreeNodeLevel": _level(current),
            }
        )
        current = CATEGORIES[current][1]
    return chain


def _stem(word):
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _words(text):
    return {_stem(w) for w in _WORD.findall((text or "").casefold()) if len(w) > 1}


@route("GET", f"{BASE}/get_default_category_tree_id", auth="app")
def get_default_category_tree_id(req):
    marketplace = req.query.get("marketplace_id") or ""
    if not marketplace:
        return _err(62002, "Missing marketplace ID.")
    if marketplace not in MARKETPLACES:
        return _err(
            62003,
            "The specified marketplace ID was not found.",
            parameters=[{"name": "marketplace_id", "value": marketplace}],
        )
    return (
        200,
        {
            "categoryTreeId": TREE_IDS.get(marketplace, "0"),
            "categoryTreeVersion": TREE_VERSION,
        },
        {},
    )


@route("GET", f"{BASE}/category_tree/{{category_tree_id}}", auth="app")
def get_category_tree(req):
    tree_id = req.params["category_tree_id"]
    problem = _tree_problem(tree_id)
    if problem:
        return problem
    marketplaces = sorted(m for m in MARKETPLACES if TREE_IDS.get(m, "0") == tree_id)
    return (
        200,
        {
            "applicableMarketplaceIds": marketplaces,
            "categoryTreeId": tree_id,
            "categoryTreeVersion": TREE_VERSION,
            "rootCategoryNode": _node(req, tree_id, ROOT_ID),
        },
        {},
    )


@route(
    "GET", f"{BASE}/category_tree/{{category_tree_id}}/get_category_subtree", auth="app"
)
def get_category_subtree(req):
    tree_id = req.params["category_tree_id"]
    category_id = req.query.get("category_id", "")
    problem = _tree_problem(tree_id) or _category_problem(category_id)
    if problem:
        return problem
    return (
        200,
        {
            "categorySubtreeNode": _node(req, tree_id, category_id),
            "categoryTreeId": tree_id,
            "categoryTreeVersion": TREE_VERSION,
        },
        {},
    )


@route(
    "GET",
    f"{BASE}/category_tree/{{category_tree_id}}/get_category_suggestions",
    auth="app",
)
def get_category_suggestions(req):
    tree_id = req.params["category_tree_id"]
    problem = _tree_problem(tree_id)
    if problem:
        return problem
    wanted = _words(req.query.get("q"))
    if not wanted:
        return _err(
            62007,
            "Missing keyword 'q'. Please specify a valid set of keywords that best "
            "describes your item.",
        )
    scored = []
    for position, (category_id, row) in enumerate(CATEGORIES.items()):
        name, _parent, leaf = row[:3]
        hits = len(wanted & _words(name)) if leaf else 0
        if hits:
            scored.append((-hits, position, category_id))
    if not scored:
        return 204, None, {}
    suggestions = [
        {
            "category": {
                "categoryId": category_id,
                "categoryName": CATEGORIES[category_id][0],
            },
            "categoryTreeNodeAncestors": _ancestors(req, tree_id, category_id),
            "categoryTreeNodeLevel": _level(category_id),
        }
        for _hits, _position, category_id in sorted(scored)
    ]
    return (
        200,
        {
            "categorySuggestions": suggestions,
            "categoryTreeId": tree_id,
            "categoryTreeVersion": TREE_VERSION,
        },
        {},
    )


@route(
    "GET",
    f"{BASE}/category_tree/{{category_tree_id}}/get_item_aspects_for_category",
    auth="app",
)
def get_item_aspects_for_category(req):
    tree_id = req.params["category_tree_id"]
    category_id = req.query.get("category_id", "")
    problem = _tree_problem(tree_id) or _category_problem(category_id)
    if problem:
        return problem
    _name, _parent, leaf, required, variations = CATEGORIES[category_id]
    if not leaf:
        return _err(
            62009,
            "The specified category ID must be a leaf category.",
            parameters=[{"name": "category_id", "value": category_id}],
        )
    names = list(required) + [v for v in variations if v not in required]
    aspects = [
        {
            "localizedAspectName": name,
            "aspectConstraint": {
                "aspectDataType": "STRING",
                "aspectMode": "FREE_TEXT",
                "aspectRequired": name in required,
                "aspectUsage": "RECOMMENDED",
                "aspectEnabledForVariations": name in variations,
                "aspectMaxLength": ASPECT_MAX_LENGTH,
                "itemToAspectCardinality": "SINGLE",
            },
        }
        for name in names
    ]
    return 200, {"aspects": aspects}, {}
