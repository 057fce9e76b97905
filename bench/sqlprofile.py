"""SQL queries by caller: where the queries of a piece of work go.

A bench-only tool (never imported by the addon).  While the context manager
is open, every query a cursor of this process runs is counted against two
frames of its Python stack:

* the innermost frame in the addon (``models/marketplace/marketplace_order.py:
  _create_sale_order``): which step of the connector asked for it;
* the innermost frame outside Odoo's ORM, in the addon or in one of Odoo's
  own modules (``sale/models/sale_order.py:action_confirm``): whose code
  actually ran it.

``odoo.sql_db.Cursor.execute`` is wrapped for the block and restored after;
queries that no frame of the addon or a module asked for (the ORM's own
flush at commit) count as ``(ORM)``.
"""

import contextlib
import os
import re
import sys
from collections import Counter

ADDON = "marketplace_connector"
# This folder's own frames (the benchmark driving the work) are not steps.
BENCH = os.path.join(ADDON, "bench") + os.sep
# Odoo's ORM and framework: the frames skipped to find whose code ran a query.
CORE = (
    os.sep + os.path.join("odoo", "models.py"),
    os.sep + os.path.join("odoo", "fields.py"),
    os.sep + os.path.join("odoo", "api.py"),
    os.sep + os.path.join("odoo", "sql_db.py"),
    os.sep + os.path.join("odoo", "tools") + os.sep,
    os.sep + os.path.join("odoo", "osv") + os.sep,
    os.sep + os.path.join("odoo", "modules") + os.sep,
    os.sep + "contextlib.py",
    os.sep + os.path.basename(__file__),
)
# The statement's verb and first table: what kind of query it is.
STATEMENT = re.compile(
    r"\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b.*?(?:\bFROM\b\s+|(?<=INTO )|"
    r"(?<=UPDATE )|(?<=DELETE FROM ))\"?(\w+)",
    re.IGNORECASE | re.DOTALL,
)


def _statement(query):
    """``"SELECT stock_quant"``: the verb and table of a query."""
    text = getattr(query, "code", query)
    text = text if isinstance(text, str) else str(text)
    match = STATEMENT.search(text)
    if not match:
        return " ".join(text.split()[:2])[:40]
    return f"{match.group(1).upper()} {match.group(2)}"


def _short(path):
    """``addon/relative/path.py`` of a module's file (or the file name)."""
    parts = path.split(os.sep)
    if "addons" in parts:
        index = len(parts) - 1 - parts[::-1].index("addons")
        return "/".join(parts[index + 1 :])
    if ADDON in parts:
        return "/".join(parts[parts.index(ADDON) :])
    return "/".join(parts[-2:])


class SqlProfile:
    """Counts of queries by addon step and by the module code that ran them."""

    def __init__(self):
        self.by_addon = Counter()
        self.by_module = Counter()
        self.by_statement = Counter()
        self.total = 0

    def _record(self, query):
        frame = sys._getframe(2)
        addon = module = None
        while frame is not None and not (addon and module):
            path = frame.f_code.co_filename
            generated = path.startswith("<")  # decorator wrappers, no source
            if module is None and not generated and not any(p in path for p in CORE):
                module = f"{_short(path)}:{frame.f_code.co_name}"
            if addon is None and ADDON in path and BENCH not in path:
                addon = f"{_short(path)}:{frame.f_code.co_name}"
            frame = frame.f_back
        self.by_addon[addon or "(ORM)"] += 1
        self.by_module[module or "(ORM)"] += 1
        self.by_statement[f"{_statement(query):<32} {module or '(ORM)'}"] += 1
        self.total += 1

    @contextlib.contextmanager
    def recording(self):
        from odoo import sql_db

        original = sql_db.Cursor.execute
        profile = self

        def execute(cursor, query, params=None, log_exceptions=True):
            profile._record(query)
            return original(cursor, query, params, log_exceptions)

        sql_db.Cursor.execute = execute
        try:
            yield self
        finally:
            sql_db.Cursor.execute = original

    def report(self, per, label="order", top=15):
        """Lines of text: the top callers, queries per ``label``."""
        lines = [f"{self.total} SQL queries, {self.total / per:.1f} per {label}"]
        for title, counter, shown in (
            ("by the addon's step (innermost frame in the addon)", self.by_addon, top),
            (
                "by the code that ran them (innermost frame outside the ORM)",
                self.by_module,
                top,
            ),
            (
                "by statement (verb and table) and that code",
                self.by_statement,
                top * 3,
            ),
        ):
            lines.append(f"  {title}:")
            for name, count in counter.most_common(shown):
                lines.append(f"    {count / per:7.2f}  {name}")
            rest = sum(counter.values()) - sum(
                c for _n, c in counter.most_common(shown)
            )
            if rest:
                lines.append(f"    {rest / per:7.2f}  (others)")
        return lines
