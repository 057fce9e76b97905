"""The tests' own layout: Odoo's test runner runs only the test modules
tests/__init__.py imports, and a test module takes its base classes and
fixtures from a common (tests/common.py, tests/<channel>_common.py), never out
of another test module (whose tests would then be collected twice)."""

import ast
import unittest
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent


def imported_by_package(init_source):
    """The submodules ``from . import x`` in the package's __init__ imports."""
    return {
        alias.name
        for node in ast.walk(ast.parse(init_source))
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(ast.parse(init_source))
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }


def module_names(tests_dir=TESTS_DIR):
    return sorted(p.stem for p in Path(tests_dir).glob("test_*.py"))


def imports_of_test_modules(source):
    """``(line, module)`` of each test module a source imports from."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                modules = [node.module.split(".")[0]]
            else:
                modules = [alias.name for alias in node.names]
            found += [(node.lineno, m) for m in modules if m.startswith("test_")]
    return found


class TestTestLayout(unittest.TestCase):
    def test_every_test_module_is_imported_by_the_package(self):
        imported = imported_by_package((TESTS_DIR / "__init__.py").read_text())
        missing = [m for m in module_names() if m not in imported]
        self.assertEqual(
            missing,
            [],
            "tests/__init__.py must import these modules, or Odoo's test runner "
            "never runs them",
        )

    def test_no_test_module_imports_another(self):
        found = [
            f"tests/{name}.py:{line}: imports {module}"
            for name in module_names()
            for line, module in imports_of_test_modules(
                (TESTS_DIR / f"{name}.py").read_text()
            )
        ]
        self.assertEqual(
            found, [], "move what is shared into tests/common.py or a channel's common"
        )

    def test_the_checks_find_what_they_look_for(self):
        init = "from . import test_a\nfrom .test_b import x\n"
        self.assertEqual(imported_by_package(init), {"test_a", "test_b"})
        self.assertEqual(
            imports_of_test_modules(
                "from .common import A\nfrom .test_x import B\nfrom . import test_y\n"
            ),
            [(2, "test_x"), (3, "test_y")],
        )
