"""Checks requests against eBay's OpenAPI contracts.

The contracts are loaded once; each operation gets a compiled path pattern
and, lazily, a compiled JSON Schema validator for its request body.

eBay's portal files carry ``required`` arrays that sometimes contradict
eBay's own field texts (see the contracts' SOURCES.md), so ``required`` is
not enforced inside request bodies; types, enums, formats and the shape of
every field are.  Required path, query and header parameters are enforced.
"""

import copy
import json
import logging
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

from jsonschema import Draft202012Validator

_logger = logging.getLogger(__name__)

# Headers the transport or the emulator itself handles.
IGNORED_HEADERS = {"authorization", "content-type", "accept", "content-length"}


class Operation:
    def __init__(self, spec, base, template, method, op):
        self.spec = spec
        self.base = base
        self.template = template
        self.method = method.upper()
        self.op = op
        self.operation_id = op.get("operationId", "")
        self.full_template = base + template
        pattern = re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(self.full_template))
        self.regex = re.compile(f"^{pattern}$")
        self.param_names = re.findall(r"\{([^}]+)\}", self.full_template)
        self.scopes = set()
        for requirement in op.get("security", spec.get("security", [])) or []:
            for scopes in requirement.values():
                self.scopes.update(scopes)
        self._validator = None
        self._lock = threading.Lock()

    @property
    def parameters(self):
        return [p for p in self.op.get("parameters", []) if "name" in p]

    def body_validator(self):
        with self._lock:
            if self._validator is None:
                content = (self.op.get("requestBody") or {}).get("content", {})
                schema = (content.get("application/json") or {}).get("schema")
                if schema is None:
                    self._validator = False
                else:
                    root = _strip_required(copy.deepcopy(schema))
                    root["components"] = self.spec["_relaxed_components"]
                    self._validator = Draft202012Validator(root)
            return self._validator


# Fields whose declared type contradicts eBay's own examples and live
# behaviour: ``aspects`` is documented as a string but is a JSON map of
# aspect name to list of values ({"Brand": ["GoPro"]}) in every eBay sample.
CORRECTIONS = {
    ("Product", "aspects"): {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    ("InventoryItemGroup", "aspects"): {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}

ENUM_VALUE = re.compile(r"\*\*([A-Z0-9_]+)\*\*")


def _fix_enum_types(components):
    """eBay's portal files declare enum types as ``{"type": "object"}`` whose
    values are only listed in the description (``- **VALUE**: text``); a
    field referencing one is really a string with those values."""
    for name, schema in (components.get("schemas") or {}).items():
        if (
            name.endswith("Enum")
            and schema.get("type") == "object"
            and not schema.get("properties")
        ):
            values = ENUM_VALUE.findall(schema.get("description", ""))
            schema.clear()
            schema["type"] = "string"
            if values:
                schema["enum"] = sorted(set(values))
    for (schema_name, field), corrected in CORRECTIONS.items():
        schema = (components.get("schemas") or {}).get(schema_name)
        if schema and field in (schema.get("properties") or {}):
            schema["properties"][field] = dict(corrected)
    return components


def _strip_required(node):
    if isinstance(node, dict):
        node.pop("required", None)
        for value in node.values():
            _strip_required(value)
    elif isinstance(node, list):
        for value in node:
            _strip_required(value)
    return node


class ContractBook:
    """All operations of all contracts in a folder."""

    def __init__(self, folder):
        self.operations = []
        self.bases = set()
        for path in sorted(Path(folder).glob("*.json")):
            spec = json.loads(path.read_text())
            if "paths" not in spec:
                continue
            spec["_relaxed_components"] = _fix_enum_types(
                _strip_required(copy.deepcopy(spec.get("components", {})))
            )
            server = spec["servers"][0]
            url = server["url"]
            for name, var in (server.get("variables") or {}).items():
                url = url.replace("{" + name + "}", var.get("default", ""))
            base = urlparse(url).path.rstrip("/")
            self.bases.add(base)
            for template, ops in spec["paths"].items():
                for method, op in ops.items():
                    if method in ("get", "put", "post", "delete", "patch"):
                        self.operations.append(
                            Operation(spec, base, template, method, op)
                        )
        _logger.info("Loaded %s eBay operations from %s", len(self.operations), folder)

    def covers(self, path):
        return any(path.startswith(base + "/") or path == base for base in self.bases)

    def find(self, method, path):
        """(operation, path params) or (None, None)."""
        for operation in self.operations:
            if operation.method != method:
                continue
            match = operation.regex.match(path)
            if match:
                return operation, dict(
                    zip(operation.param_names, match.groups(), strict=True)
                )
        return None, None

    def check(self, operation, query, headers, raw_body):
        """Return a list of reasons the request breaks the contract."""
        reasons = []
        lower_headers = {k.lower(): v for k, v in headers.items()}
        for param in operation.parameters:
            name, where = param["name"], param.get("in")
            if where == "query":
                present = name in query
                value = query.get(name)
            elif where == "header":
                if name.lower() in IGNORED_HEADERS:
                    continue
                present = name.lower() in lower_headers
                value = lower_headers.get(name.lower())
            else:
                continue
            if param.get("required") and not present:
                reasons.append(f"missing required {where} parameter {name}")
                continue
            enum = (param.get("schema") or {}).get("enum")
            if present and enum and value not in enum:
                reasons.append(f"{where} parameter {name} must be one of {enum}")
        validator = operation.body_validator()
        has_body = bool(raw_body and raw_body.strip())
        body_required = (operation.op.get("requestBody") or {}).get("required")
        if validator:
            if not has_body:
                if body_required:
                    reasons.append("missing JSON request body")
            else:
                try:
                    data = json.loads(raw_body)
                except ValueError:
                    reasons.append("request body is not valid JSON")
                else:
                    for error in validator.iter_errors(data):
                        where = "/".join(str(p) for p in error.absolute_path) or "body"
                        reasons.append(f"{where}: {error.message[:200]}")
                        if len(reasons) > 10:
                            break
        return reasons
