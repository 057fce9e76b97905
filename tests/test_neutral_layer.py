"""The neutral layer imports and names no channel; the pure packages import
no Odoo.  The checks read the source (tests/neutral_layer.py, which runs on
its own too: ``python3 tests/neutral_layer.py``); nothing here needs Odoo."""

import tempfile
import textwrap
import unittest
from pathlib import Path

from . import neutral_layer

# A small addon tree: an offense of each kind, and what is allowed.
TREE = {
    "models/__init__.py": "from .ebay import listing\n",
    "models/ebay/listing.py": "EBAY = 'ebay.listing'\n",
    "models/marketplace/account.py": '''\
        """A docstring may say eBay."""
        from . import helpers
        from ..ebay import listing
        from ...ebay.errors import Refused
        from .. import amazon
        import odoo.addons.marketplace_connector.emulator.amazon.state


        def pick(record, **values):
            """Nor is this docstring checked: Amazon."""
            ebay_thing = record.amazon_region
            return record.write(dict(values, channel_label="the marketplace"))


        class EbayHook:
            def run(self):
                return self.env["ebay.listing"], call(ebay_try=1)
        ''',
    "models/sale_order.py": "ORDER = 'marketplace.order'\n",
    "emulator/core/server.py": "from ..ebay import personality\n",
    "emulator/ebay/personality.py": "from ..core import server\n",
    "apiclient/session.py": "import odoo\nfrom ..models import sale_order\n",
    "ebay/client.py": "from odoo import fields\nfrom ..apiclient import session\n",
}


class TestNeutralLayer(unittest.TestCase):
    def test_neutral_modules_import_and_name_no_channel(self):
        offenses = neutral_layer.check_neutral()
        if offenses:
            self.fail(
                "neutral modules import or name a channel (move the code into "
                "the channel's own files, behind a hook):\n"
                + neutral_layer.report(offenses)
            )

    def test_pure_packages_import_no_odoo(self):
        offenses = neutral_layer.check_pure()
        if offenses:
            self.fail(
                "the pure packages import Odoo or the addon's Odoo code:\n"
                + neutral_layer.report(offenses)
            )

    def test_the_neutral_files_are_the_neutral_layer(self):
        files = {
            p.relative_to(neutral_layer.ADDON_DIR).as_posix()
            for p in neutral_layer.neutral_files()
        }
        self.assertIn("models/marketplace/marketplace_account.py", files)
        self.assertIn("controllers/health.py", files)
        self.assertIn("models/sale_order.py", files)
        self.assertNotIn("models/__init__.py", files)
        self.assertFalse([f for f in files if "ebay" in f or "amazon" in f], files)


class TestTheCheckItself(unittest.TestCase):
    """The checks on a small addon tree written for the purpose: each kind of
    offense is found, at its line; what is allowed is not reported."""

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.addon = Path(folder.name)
        for name, text in TREE.items():
            path = self.addon / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))

    def _found(self, offenses):
        return {(o.path, o.line, o.what, o.name) for o in offenses}

    def test_channel_imports_and_names_are_found(self):
        account = "models/marketplace/account.py"
        self.assertEqual(
            self._found(neutral_layer.check_neutral(self.addon)),
            {
                (account, 3, "imports", "models.ebay"),
                (account, 4, "imports", "ebay.errors"),
                (account, 5, "imports", "models.amazon"),
                (account, 5, "imported name", "amazon"),
                (account, 6, "imports", "emulator.amazon.state"),
                (account, 11, "identifier", "ebay_thing"),
                (account, 11, "attribute", "amazon_region"),
                (account, 15, "class", "EbayHook"),
                (account, 17, "string", "ebay.listing"),
                (account, 17, "keyword", "ebay_try"),
                ("emulator/core/server.py", 1, "imports", "emulator.ebay"),
            },
        )

    def test_pure_packages_importing_odoo_are_found(self):
        self.assertEqual(
            self._found(neutral_layer.check_pure(self.addon)),
            {
                ("apiclient/session.py", 1, "imports", "odoo"),
                ("apiclient/session.py", 2, "imports", "models"),
                ("ebay/client.py", 1, "imports", "odoo"),
            },
        )

    def test_the_report_groups_offenses_per_file(self):
        text = neutral_layer.report(neutral_layer.check_neutral(self.addon))
        lines = text.splitlines()
        self.assertEqual(lines[0], "11 offense(s) in 2 file(s)")
        self.assertIn("models/marketplace/account.py (10)", lines)
        self.assertIn("emulator/core/server.py (1)", lines)
        self.assertIn("  3: imports 'models.ebay'", lines)
