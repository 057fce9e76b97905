"""A small fixed eBay category tree with required aspects (tests and demo)."""

# id -> (name, parent id, leaf, required aspects, aspects usable for variations)
CATEGORIES = {
    "0": ("Root", None, False, (), ()),
    "15032": ("Cell Phones & Accessories", "0", False, (), ()),
    "9355": (
        "Cell Phones & Smartphones",
        "15032",
        True,
        ("Brand", "Model"),
        ("Color", "Storage Capacity"),
    ),
    "11450": ("Clothing, Shoes & Accessories", "0", False, (), ()),
    "15687": ("T-Shirts", "11450", True, ("Brand", "Size", "Color"), ("Size", "Color")),
    "267": ("Books", "0", True, ("Author",), ()),
    # eBay's own ids and names (the demo's headphones and action figure).
    "293": ("Consumer Electronics", "0", False, (), ()),
    "15052": ("Portable Audio & Headphones", "293", False, (), ()),
    "112529": ("Headphones", "15052", True, ("Brand", "Type"), ("Color",)),
    "220": ("Toys & Hobbies", "0", False, (), ()),
    "246": ("Action Figures & Accessories", "220", False, (), ()),
    "261068": ("Action Figures", "246", True, ("Brand", "Character"), ()),
    "99": ("Everything Else", "0", False, (), ()),
    "88433": ("Other", "99", True, (), ()),
}

# Conditions a category refuses (eBay: getItemConditionPolicies per category).
REFUSED_CONDITIONS = {
    "88433": {"FOR_PARTS_OR_NOT_WORKING"},
    "15687": {"FOR_PARTS_OR_NOT_WORKING", "CERTIFIED_REFURBISHED"},
}
