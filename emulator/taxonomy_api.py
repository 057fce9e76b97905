"""Taxonomy API (application token): default tree, suggestions, aspects."""

from . import errors
from .catalog import CATEGORIES
from .routes import route

BASE = "/commerce/taxonomy/v1"
DOMAIN = "API_TAXONOMY"
TREE_IDS = {"EBAY_GB": "3", "EBAY_DE": "77"}
TREE_VERSION = "129"


def _err(error_id, message, status=400):
    return status, errors.body(errors.error(error_id, DOMAIN, message)), {}


def _ancestors(category_id):
    chain, current = [], CATEGORIES[category_id][1]
    while current and current != "0":
        chain.append(
            {
                "categoryId": current,
                "categoryName": CATEGORIES[current][0],
                "categoryTreeNodeLevel": len(_path(current)) - 1,
            }
        )
        current = CATEGORIES[current][1]
    return chain


def _path(category_id):
    path = []
    while category_id and category_id != "0":
        path.append(category_id)
        category_id = CATEGORIES[category_id][1]
    return path


@route("GET", f"{BASE}/get_default_category_tree_id", auth="app")
def default_tree(req):
    tree = TREE_IDS.get(req.query.get("marketplace_id"), "0")
    return 200, {"categoryTreeId": tree, "categoryTreeVersion": TREE_VERSION}, {}


@route(
    "GET",
    f"{BASE}/category_tree/{{category_tree_id}}/get_category_suggestions",
    auth="app",
)
def suggestions(req):
    words = [w.casefold() for w in (req.query.get("q") or "").split() if w]
    found = []
    for category_id, (name, _parent, leaf, _req, _var) in CATEGORIES.items():
        if not leaf:
            continue
        haystack = name.casefold()
        if any(w in haystack or haystack.rstrip("s") in w for w in words):
            found.append(
                {
                    "category": {"categoryId": category_id, "categoryName": name},
                    "categoryTreeNodeAncestors": _ancestors(category_id),
                    "categoryTreeNodeLevel": len(_path(category_id)),
                    "relevancy": "HIGH",
                }
            )
    if not found:
        return 204, None, {}
    return (
        200,
        {
            "categorySuggestions": found,
            "categoryTreeId": req.params["category_tree_id"],
            "categoryTreeVersion": TREE_VERSION,
        },
        {},
    )


@route(
    "GET",
    f"{BASE}/category_tree/{{category_tree_id}}/get_item_aspects_for_category",
    auth="app",
)
def item_aspects(req):
    category_id = req.query.get("category_id", "")
    category = CATEGORIES.get(category_id)
    if not category:
        return _err(62004, f"The category ID {category_id} is invalid.")
    if not category[2]:
        return _err(62005, f"The category ID {category_id} is not a leaf category.")
    names = list(category[3]) + [v for v in category[4] if v not in category[3]]
    aspects = [
        {
            "localizedAspectName": name,
            "aspectConstraint": {
                "aspectDataType": "STRING",
                "aspectMode": "FREE_TEXT",
                "aspectRequired": name in category[3],
                "aspectUsage": "RECOMMENDED",
                "aspectEnabledForVariations": name in category[4],
                "itemToAspectCardinality": "SINGLE",
            },
        }
        for name in names
    ]
    return 200, {"aspects": aspects}, {}
