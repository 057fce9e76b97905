"""Amazon's side of the marketplace models (imported by models/__init__.py)."""
