"""The tests refuse an emulator that does not check eBay's contracts.

Every test ends by asserting that no request and no answer broke eBay's
contracts; against an unchecked emulator that assertion would pass for
nothing.  So the tests' emulator plumbing refuses one, whoever started it.
"""

import unittest

from .common import checked, emulator_url, start_emulator_process


class TestEmulatorGuard(unittest.TestCase):
    def test_the_tests_emulator_checks_eBays_contracts(self):
        url = emulator_url()
        self.assertEqual(checked(url), url)

    def test_an_unchecked_emulator_is_refused(self):
        url, process = start_emulator_process(["--no-contracts"])
        self.addCleanup(process.wait, 10)
        self.addCleanup(process.terminate)
        with self.assertRaisesRegex(RuntimeError, "the tests refuse to run"):
            checked(url)

    def test_no_emulator_starts_without_its_contracts(self):
        with self.assertRaisesRegex(RuntimeError, "No eBay contracts found"):
            start_emulator_process(["--contracts", "/nonexistent/ebay-contracts"])
