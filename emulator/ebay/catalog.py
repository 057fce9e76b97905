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
    "99": ("Everything Else", "0", False, (), ()),
    "88433": ("Other", "99", True, (), ()),
}

# Conditions a category refuses (eBay: getItemConditionPolicies per category).
REFUSED_CONDITIONS = {
    "88433": {"FOR_PARTS_OR_NOT_WORKING"},
    "15687": {"FOR_PARTS_OR_NOT_WORKING", "CERTIFIED_REFURBISHED"},
}
