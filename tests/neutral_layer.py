"""The neutral layer names no channel: a check that reads the source.

Neutral code is what every marketplace shares: ``models/marketplace/``, the
models at the ``models/`` root (Odoo models the connector extends),
``controllers/health.py``, ``apiclient/`` and ``emulator/core/``.  A neutral
module fails the check when it

- imports a channel's code: the ``ebay``/``amazon`` clients,
  ``models.ebay``/``models.amazon`` or ``emulator.ebay``/``emulator.amazon``
  (relative imports are resolved against the module's own package), or
- names a channel: an identifier, attribute, keyword argument or string
  constant containing "ebay" or "amazon", whatever the case.  Docstrings and
  comments are not checked (keep them neutral all the same).

The pure packages (``apiclient/`` and each channel's client) never import
Odoo, nor the addon's Odoo code.

Nothing here imports the modules it checks, nor Odoo: run it on its own with
``python3 tests/neutral_layer.py [ADDON_DIR]`` (exit status 1 when it finds
offenses); tests/test_neutral_layer.py runs it in the test suite.
"""

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parents[1]
# How Odoo imports the addon; absolute imports under it are the addon's own.
ADDON_PACKAGE = "odoo.addons.marketplace_connector"

CHANNEL_WORD = re.compile("ebay|amazon", re.IGNORECASE)
# Addon-relative modules that are a channel's own code.
CHANNEL_MODULES = (
    "ebay",
    "amazon",
    "models.ebay",
    "models.amazon",
    "emulator.ebay",
    "emulator.amazon",
)
# The neutral modules, as globs under the addon (a missing folder matches none).
NEUTRAL_GLOBS = (
    "models/marketplace/**/*.py",
    "models/*.py",
    "controllers/health.py",
    "apiclient/**/*.py",
    "emulator/core/**/*.py",
)
# models/__init__.py lists every model file in load order, the channels' too:
# it is the addon's wiring (as the addon's own __init__.py), not neutral code.
NOT_NEUTRAL = ("models/__init__.py",)
# Pure Python packages: they never import Odoo nor the addon's Odoo code.
PURE_PACKAGES = ("apiclient", "ebay", "amazon")
ODOO_CODE = ("odoo", "models", "controllers", "wizards", "tests")


@dataclass(frozen=True, order=True)
class Offense:
    path: str  # relative to the addon
    line: int
    what: str  # "imports", "identifier", "attribute", "keyword", "string", ...
    name: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.what} {_shown(self.name)}"


def _shown(name, limit=70):
    return repr(name if len(name) <= limit else name[: limit - 3] + "...")


def neutral_files(addon_dir=ADDON_DIR):
    addon_dir = Path(addon_dir)
    files = {
        path
        for pattern in NEUTRAL_GLOBS
        for path in addon_dir.glob(pattern)
        if path.is_file() and path.relative_to(addon_dir).as_posix() not in NOT_NEUTRAL
    }
    return sorted(files)


def pure_files(addon_dir=ADDON_DIR):
    addon_dir = Path(addon_dir)
    return sorted(
        path
        for package in PURE_PACKAGES
        for path in addon_dir.glob(f"{package}/**/*.py")
    )


def _package_of(relative):
    """The dotted parts of the package a module (addon-relative path) is in."""
    return list(relative.parent.parts)


def _addon_relative(dotted):
    """An absolute module name as the addon sees it: its own modules without
    the ``odoo.addons.<addon>`` prefix (the emulator and the pure packages are
    also run with the addon folder on ``sys.path``, so ``ebay.client`` is the
    addon's ``ebay/client.py``)."""
    if dotted == ADDON_PACKAGE:
        return ""
    if dotted.startswith(ADDON_PACKAGE + "."):
        return dotted[len(ADDON_PACKAGE) + 1 :]
    return dotted


def imports(tree, package):
    """``(line, modules, absolute)`` for each import statement: ``modules``
    are the addon-relative modules it names, the module itself first and, for
    ``from X import y``, ``X.y`` next (``y`` may be a submodule); ``absolute``
    is the module as written for an absolute import, None for a relative one."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, (_addon_relative(alias.name),), alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                up = node.level - 1
                base = (
                    package[: len(package) - up]
                    if up <= len(package)
                    else ["<above the addon>"]
                )
                base = base + (node.module.split(".") if node.module else [])
                module, absolute = ".".join(base), None
            else:
                module, absolute = _addon_relative(node.module), node.module
            submodules = tuple(
                f"{module}.{alias.name}" if module else alias.name
                for alias in node.names
                if alias.name != "*"
            )
            yield node.lineno, (module, *submodules), absolute


def _within(module, prefixes):
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _docstrings(tree):
    """The constant nodes that are docstrings (of the module, classes, functions)."""
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, owners) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                found.add(id(first.value))
    return found


def _import_names(node):
    for alias in node.names:
        if isinstance(node, ast.ImportFrom):
            yield node.lineno, "imported name", alias.name
        if alias.asname:
            yield node.lineno, "imported name", alias.asname


# What each kind of node spells, as ``(line, what, name)``.
_SPELLED = {
    ast.Name: lambda n: [(n.lineno, "identifier", n.id)],
    # The attribute's own line: the end of a chain split over lines.
    ast.Attribute: lambda n: [(n.end_lineno, "attribute", n.attr)],
    ast.FunctionDef: lambda n: [(n.lineno, "function", n.name)],
    ast.AsyncFunctionDef: lambda n: [(n.lineno, "function", n.name)],
    ast.ClassDef: lambda n: [(n.lineno, "class", n.name)],
    ast.arg: lambda n: [(n.lineno, "argument", n.arg)],
    ast.keyword: lambda n: [(n.lineno, "keyword", n.arg)] if n.arg else [],
    ast.ExceptHandler: lambda n: [(n.lineno, "identifier", n.name)] if n.name else [],
    ast.Global: lambda n: [(n.lineno, "identifier", name) for name in n.names],
    ast.Nonlocal: lambda n: [(n.lineno, "identifier", name) for name in n.names],
    ast.Import: _import_names,
    ast.ImportFrom: _import_names,
}


def names(tree):
    """``(line, what, name)`` for every name the code spells: identifiers,
    attributes, definitions, arguments, keyword arguments, imported names and
    string constants (docstrings excepted)."""
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        spelled = _SPELLED.get(type(node))
        if spelled:
            yield from spelled(node)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, "string", node.value


def _parse(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def check_neutral(addon_dir=ADDON_DIR):
    """Every offense of the neutral modules: channel imports and channel names."""
    addon_dir = Path(addon_dir)
    offenses = set()
    for path in neutral_files(addon_dir):
        relative = path.relative_to(addon_dir)
        shown = relative.as_posix()
        tree = _parse(path)
        for line, modules, _absolute in imports(tree, _package_of(relative)):
            channel = [m for m in modules if _within(m, CHANNEL_MODULES)]
            if channel:
                offenses.add(Offense(shown, line, "imports", channel[0]))
        for line, what, name in names(tree):
            if CHANNEL_WORD.search(name):
                offenses.add(Offense(shown, line, what, name))
    return sorted(offenses)


def check_pure(addon_dir=ADDON_DIR):
    """Imports of Odoo, or of the addon's Odoo code, in the pure packages."""
    addon_dir = Path(addon_dir)
    offenses = set()
    for path in pure_files(addon_dir):
        relative = path.relative_to(addon_dir)
        for line, modules, absolute in imports(_parse(path), _package_of(relative)):
            odoo = [m for m in modules if _within(m, ODOO_CODE)]
            if absolute and _within(absolute, ("odoo",)):
                odoo.insert(0, absolute)
            if odoo:
                offenses.add(Offense(relative.as_posix(), line, "imports", odoo[0]))
    return sorted(offenses)


def report(offenses):
    """The offenses grouped per file, each file with its count."""
    by_file = {}
    for offense in sorted(offenses):
        by_file.setdefault(offense.path, []).append(offense)
    lines = [f"{len(offenses)} offense(s) in {len(by_file)} file(s)"]
    for path, found in by_file.items():
        lines.append(f"{path} ({len(found)})")
        lines.extend(
            f"  {o.line}: {o.what} {_shown(o.name)}"
            for o in sorted(found, key=lambda o: (o.line, o.what, o.name))
        )
    return "\n".join(lines)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    addon_dir = Path(argv[0]) if argv else ADDON_DIR
    neutral, pure = check_neutral(addon_dir), check_pure(addon_dir)
    print("Neutral modules that import or name a channel:")
    print(report(neutral))
    print()
    print("Pure packages that import Odoo or the addon's Odoo code:")
    print(report(pure))
    return 1 if neutral or pure else 0


if __name__ == "__main__":
    sys.exit(main())
