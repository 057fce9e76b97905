"""Amazon's models (imported one by one from models/__init__.py)."""
