"""Taxonomy API (application token): category tree, suggestions, aspects."""

from urllib.parse import quote

BASE = "/commerce/taxonomy/v1"


def _tree(tree_id):
    return f"/category_tree/{quote(str(tree_id), safe='')}"


class TaxonomyApi:
    def __init__(self, client):
        self.client = client

    def _get(self, path, operation, params):
        return self.client.request(
            "GET", BASE + path, operation=operation, params=params
        )

    def default_tree_id(self, marketplace_id):
        data = self._get(
            "/get_default_category_tree_id",
            "getDefaultCategoryTreeId",
            {"marketplace_id": marketplace_id},
        ).data
        return data["categoryTreeId"]

    def suggestions(self, tree_id, query):
        """[(category id, name, path names)] best first; [] when none."""
        data = (
            self._get(
                _tree(tree_id) + "/get_category_suggestions",
                "getCategorySuggestions",
                {"q": query},
            ).data
            or {}
        )
        found = []
        for suggestion in data.get("categorySuggestions", []):
            category = suggestion.get("category") or {}
            ancestors = [
                a.get("categoryName")
                for a in suggestion.get("categoryTreeNodeAncestors", [])
            ]
            found.append(
                (
                    category.get("categoryId"),
                    category.get("categoryName"),
                    list(reversed(ancestors)),
                )
            )
        return found

    def item_aspects(self, tree_id, category_id):
        """[{name, required, variations, mode}] for a leaf category."""
        data = (
            self._get(
                _tree(tree_id) + "/get_item_aspects_for_category",
                "getItemAspectsForCategory",
                {"category_id": category_id},
            ).data
            or {}
        )
        return [
            {
                "name": aspect.get("localizedAspectName"),
                "required": bool(
                    (aspect.get("aspectConstraint") or {}).get("aspectRequired")
                ),
                "variations": bool(
                    (aspect.get("aspectConstraint") or {}).get(
                        "aspectEnabledForVariations"
                    )
                ),
                "mode": (aspect.get("aspectConstraint") or {}).get("aspectMode"),
            }
            for aspect in data.get("aspects", [])
        ]
