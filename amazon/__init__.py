"""Pure-Python Amazon SP-API client (no odoo)."""
