"""Taxonomy API v1: category tree, suggestions, item aspects.

Taxonomy takes an application token (client credentials): the caller builds
the client with one; this module only calls ``client.request``.
"""

from .paths import path_segment

BASE = "/commerce/taxonomy/v1"


def _tree(tree_id):
    return f"/category_tree/{path_segment(tree_id, 'category tree id')}"


def simple_aspects(data):
    """[{name, required, mode, variations}] from getItemAspectsForCategory."""
    aspects = []
    for aspect in (data or {}).get("aspects", []):
        constraint = aspect.get("aspectConstraint") or {}
        aspects.append(
            {
                "name": aspect.get("localizedAspectName"),
                "required": bool(constraint.get("aspectRequired")),
                "mode": constraint.get("aspectMode"),
                "variations": bool(constraint.get("aspectEnabledForVariations")),
            }
        )
    return aspects


def simple_suggestions(data):
    """[{category_id, name, path, parent_id, level}] best first; ``path`` names
    the ancestors root first (the category itself not included)."""
    found = []
    for suggestion in (data or {}).get("categorySuggestions", []):
        category = suggestion.get("category") or {}
        ancestors = suggestion.get("categoryTreeNodeAncestors") or []
        found.append(
            {
                "category_id": category.get("categoryId"),
                "name": category.get("categoryName"),
                "path": [a.get("categoryName") for a in reversed(ancestors)],
                "parent_id": ancestors[0].get("categoryId") if ancestors else None,
                "level": suggestion.get("categoryTreeNodeLevel"),
            }
        )
    return found


def _simple_node(node):
    category = node.get("category") or {}
    return {
        "category_id": category.get("categoryId"),
        "name": category.get("categoryName"),
        "leaf": bool(node.get("leafCategoryTreeNode")),
        "level": node.get("categoryTreeNodeLevel"),
    }


def simple_subtree(data):
    """{category_id, name, leaf, level, children: [{category_id, name, leaf,
    level}]} of getCategorySubtree: the category and its direct children."""
    node = (data or {}).get("categorySubtreeNode") or {}
    return dict(
        _simple_node(node),
        children=[_simple_node(c) for c in node.get("childCategoryTreeNodes") or []],
    )


def simple_tree(data):
    """``(root_id, rows)`` of getCategoryTree: every category below the root
    as {category_id, name, path, leaf, level, parent_category_id}, parents
    before their children; ``path`` names the ancestors below the root and
    the category itself, joined by " > "."""
    root = (data or {}).get("rootCategoryNode") or {}
    root_id = (root.get("category") or {}).get("categoryId")
    rows = []
    # Walked with a stack, not recursion: eBay's trees are wide, not deep,
    # but nothing here should depend on it.
    stack = [
        (child, root_id, "")
        for child in reversed(root.get("childCategoryTreeNodes") or [])
    ]
    while stack:
        node, parent_id, prefix = stack.pop()
        row = _simple_node(node)
        row["path"] = f"{prefix} > {row['name']}" if prefix else row["name"]
        row["parent_category_id"] = parent_id
        rows.append(row)
        stack.extend(
            (child, row["category_id"], row["path"])
            for child in reversed(node.get("childCategoryTreeNodes") or [])
        )
    return root_id, rows


class TaxonomyApi:
    def __init__(self, client):
        self.client = client

    def _get(self, path, operation, params=None):
        return self.client.request(
            "GET", BASE + path, operation=operation, params=params
        ).data

    # -- operations --------------------------------------------------------
    def get_default_category_tree_id(self, marketplace_id):
        """The marketplace's default category tree id (EBAY_US -> "0")."""
        data = self._get(
            "/get_default_category_tree_id",
            "getDefaultCategoryTreeId",
            {"marketplace_id": marketplace_id},
        )
        return (data or {})["categoryTreeId"]

    def get_category_tree(self, tree_id):
        """The whole tree as eBay sends it (rootCategoryNode, recursive)."""
        return self._get(_tree(tree_id), "getCategoryTree") or {}

    def category_rows(self, tree_id):
        """The whole tree as rows (see :func:`simple_tree`)."""
        return simple_tree(self.get_category_tree(tree_id))

    def get_category_subtree(self, tree_id, category_id):
        """The category and its children (see :func:`simple_subtree`)."""
        data = self._get(
            _tree(tree_id) + "/get_category_subtree",
            "getCategorySubtree",
            {"category_id": category_id},
        )
        return simple_subtree(data)

    def get_category_suggestions(self, tree_id, q):
        """Suggested leaf categories (see :func:`simple_suggestions`)."""
        data = self._get(
            _tree(tree_id) + "/get_category_suggestions",
            "getCategorySuggestions",
            {"q": q},
        )
        return simple_suggestions(data)  # eBay answers 204 when nothing fits

    def get_item_aspects_for_category(self, tree_id, category_id):
        """``(aspects, raw)``: :func:`simple_aspects` and eBay's own data."""
        data = (
            self._get(
                _tree(tree_id) + "/get_item_aspects_for_category",
                "getItemAspectsForCategory",
                {"category_id": category_id},
            )
            or {}
        )
        return simple_aspects(data), data

    # -- shorter forms used by the Odoo models ---------------------------------
    def default_tree_id(self, marketplace_id):
        return self.get_default_category_tree_id(marketplace_id)

    def suggestions(self, tree_id, query):
        """[(category id, name, path names root first)] best first."""
        return [
            (s["category_id"], s["name"], s["path"])
            for s in self.get_category_suggestions(tree_id, query)
        ]

    def item_aspects(self, tree_id, category_id):
        """[{name, required, mode, variations}] for a leaf category."""
        return self.get_item_aspects_for_category(tree_id, category_id)[0]
