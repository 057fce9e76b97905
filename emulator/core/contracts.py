"""Checks requests and answers against a marketplace's API contracts.

Two dialects are read.  OpenAPI 3: ``servers[0].url`` gives the base path,
bodies are ``requestBody``/``content``, schemas live under
``components/schemas``.  Swagger 2.0: ``basePath`` gives the base path (when
there is none, the literal start its paths share says what the contract
covers), a body is the ``in: body`` parameter's ``schema``, an answer's
``schema`` sits on the response itself, media types come from
``consumes``/``produces`` and schemas live under ``definitions``.  The host
is dropped: an operation is served on the emulator's own origin under its
base path.

What is checked, per operation (method + exact path template):

* required query and header parameters (headers ignore case; Authorization is
  the authentication step's business; Content-Type is checked against the
  request body's declared media types instead of by presence);
* the declared enum and integer type of query and header parameters (each
  comma-separated item of an ``array`` one);
* the JSON request body against the operation's body schema: types, enums,
  ``required``, ``int32``/``int64`` formats and ``additionalProperties`` where
  the schema declares it (extra properties are otherwise allowed).

What is checked in every answer the emulator gives to an operation
(:meth:`ContractBook.check_response`):

* the status is one the operation declares (``responses``), or one the
  marketplace's gateway answers for any operation
  (:attr:`Corrections.platform_statuses`);
* a 2xx declared with a JSON schema carries a JSON body that matches it, a
  2xx declared without content (204) carries none;
* an error (4xx, 5xx) carries the declared error body, or the one the
  marketplace really sends (:attr:`Corrections.error_body`);
* answers are checked *closed*: an object may hold only the properties its
  schema declares (``additionalProperties: false`` wherever the contract
  lists properties and says nothing else), so an internal or echoed field,
  or a ``null`` where a string is declared, is a mismatch.  Requests stay
  open (marketplaces ignore fields they do not know).

Where a marketplace's contracts are known to be wrong, its personality says
so in a :class:`Corrections` (its ``contracts.py``); the default trusts the
contract as written.

Each operation's body schema is compiled once, on first use, into a
self-contained JSON Schema (``$ref`` inlined, descriptions dropped) for a
jsonschema validator: about 1-2 ms for a 25-entry bulk body.  Answer
schemas are compiled the same way, one per declared status.
"""

import json
import logging
import re
import threading
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlparse

from jsonschema import Draft202012Validator, FormatChecker

from .routes import compile_template

_logger = logging.getLogger(__name__)

HTTP_METHODS = ("get", "put", "post", "delete", "patch")

# Headers the transport or the emulator's other steps handle.
IGNORED_HEADERS = {"authorization", "content-type", "accept", "content-length"}

# JSON Schema keywords that constrain an instance; all others (description,
# example, readOnly...) are dropped before compiling, which keeps the
# validators small and fast.
VALIDATION_KEYWORDS = {
    "$ref",
    "type",
    "enum",
    "const",
    "format",
    "properties",
    "additionalProperties",
    "items",
    "required",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "nullable",
}

FORMATS = FormatChecker(formats=())


@FORMATS.checks("int32")
def _int32(value):
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@FORMATS.checks("int64")
def _int64(value):
    return not isinstance(value, int) or -(2**63) <= value < 2**63


class Corrections:
    """How a marketplace's contracts are read: as written, by default.

    A personality whose contracts are known to be wrong in places subclasses
    this in its own package, each correction with its source.
    """

    #: who sends the answers, for the violations' texts
    marketplace = "the marketplace"
    #: False: ``required`` lists are not trusted, except those of
    #: :attr:`required_allow_list` (schema name -> its required fields)
    keep_required = True
    required_allow_list: ClassVar[dict] = {}
    #: ``(schema name, property) -> schema`` replacing the declared one
    field_corrections: ClassVar[dict] = {}
    #: statuses the gateway answers for any operation, declared or not
    platform_statuses = frozenset()
    #: the schema of every error answer (4xx, 5xx), instead of the declared one
    error_body = None

    def adjust(self, out, node, name):
        """``out``, the normalised copy of schema ``node`` (named ``name`` when
        it is a top-level one), corrected; the default changes nothing."""
        return out


class Operation:
    """One operation of one contract, with what checking it needs."""

    def __init__(self, contract, base, template, method, op, path_parameters=()):
        self.contract = contract
        self.base = base
        self.template = template
        self.method = method.upper()
        self.op = op
        self.operation_id = op.get("operationId", "")
        self.full_template = base + template
        self.regex, self.param_names = compile_template(self.full_template)
        self.specificity = len(self.param_names)
        self.scopes = set()
        for requirement in op.get("security") or []:
            for scopes in requirement.values():
                self.scopes.update(scopes)
        params = {}
        body_param = None
        for param in [*path_parameters, *op.get("parameters", [])]:
            param = contract.resolve(param)
            if "name" in param and param.get("in") in ("query", "header"):
                params[(param["in"], param["name"].lower())] = param
            elif param.get("in") == "body":  # Swagger 2.0's request body
                body_param = param
        self.parameters = [
            _ParamCheck(p)
            for p in params.values()
            if not (p["in"] == "header" and p["name"].lower() in IGNORED_HEADERS)
        ]
        if contract.swagger:
            consumes = op.get("consumes") or contract.spec.get("consumes") or []
            produces = op.get("produces") or contract.spec.get("produces") or []
            body = body_param or {}
            self.body_required = bool(body.get("required"))
            self.media_types = list(consumes or ["application/json"]) if body else []
            self._json_schema = body.get("schema") if _json(self.media_types) else None
        else:
            request_body = contract.resolve(op.get("requestBody") or {})
            self.body_required = bool(request_body.get("required"))
            self.media_types = list(request_body.get("content") or {})
            self._json_schema = (
                (request_body.get("content") or {})
                .get("application/json", {})
                .get("schema")
            )
        self._validator = None
        self._lock = threading.Lock()
        # status text ("200", "default") -> (media types, JSON schema or None)
        self.responses = {}
        for status, answer in (op.get("responses") or {}).items():
            answer = contract.resolve(answer)
            if contract.swagger:
                # The schema sits on the answer; its media types are produces'.
                schema = answer.get("schema")
                media_types = list(produces or ["application/json"]) if schema else []
                if not _json(media_types):
                    schema = None
            else:
                content = answer.get("content") or {}
                media_types = list(content)
                schema = (content.get("application/json") or {}).get("schema")
            self.responses[str(status)] = (media_types, schema)
        self._answer_validators = {}
        self._schemas = {}  # "request" or a status -> self-contained schema

    def __repr__(self):
        return f"<Operation {self.operation_id} {self.method} {self.full_template}>"

    @property
    def has_json_body(self):
        return self._json_schema is not None

    def match(self, path):
        """Path parameters (URL-decoded) if ``path`` is this operation's."""
        found = self.regex.match(path)
        if not found:
            return None
        values = (unquote(value) for value in found.groups())
        return dict(zip(self.param_names, values, strict=True))

    def body_validator(self):
        """The compiled validator of the JSON body (False if none declared)."""
        with self._lock:
            if self._validator is None:
                if self._json_schema is None:
                    self._validator = False
                else:
                    schema = self.contract.self_contained(self._json_schema)
                    Draft202012Validator.check_schema(schema)
                    self._validator = Draft202012Validator(
                        schema, format_checker=FORMATS
                    )
            return self._validator

    def declared_answer(self, status):
        """``(media types, schema)`` the contract gives ``status``, or None."""
        found = self.responses.get(str(status))
        if found is None:
            found = self.responses.get(f"{status // 100}XX")
        if found is None:
            found = self.responses.get("default")
        return found

    def answer_validator(self, status):
        """The compiled, closed validator of a JSON answer with ``status``
        (the corrections' ``error_body`` for errors, when they give one);
        False when no JSON body is declared."""
        with self._lock:
            if status not in self._answer_validators:
                error_body = self.contract.corrections.error_body
                if status >= 400 and error_body is not None:
                    schema = error_body
                else:
                    declared = self.declared_answer(status)
                    schema = declared[1] if declared else None
                if schema is None:
                    self._answer_validators[status] = False
                else:
                    closed = closed_schema(self.contract.self_contained(schema))
                    Draft202012Validator.check_schema(closed)
                    self._answer_validators[status] = Draft202012Validator(
                        closed, format_checker=FORMATS
                    )
            return self._answer_validators[status]

    def request_schema(self):
        """The self-contained JSON schema of the request body, or None."""
        return self._schema_once("request", self._json_schema)

    def answer_schema(self, status):
        """The self-contained JSON schema of a ``status`` answer, or None."""
        declared = self.declared_answer(status)
        return self._schema_once(status, declared[1] if declared else None)

    def _schema_once(self, key, schema):
        with self._lock:
            if key not in self._schemas:
                self._schemas[key] = (
                    None if schema is None else self.contract.self_contained(schema)
                )
            return self._schemas[key]


class _ParamCheck:
    """A query or header parameter's checks, prepared once."""

    def __init__(self, param):
        # OpenAPI 3 puts the type in ``schema``; Swagger 2.0 on the parameter.
        schema = param.get("schema") or param
        self.where = param["in"]
        self.original_name = param["name"]
        self.name = param["name"].lower() if self.where == "header" else param["name"]
        self.required = bool(param.get("required"))
        self.array = schema.get("type") == "array"
        if self.array:  # a comma-separated list (OpenAPI's form, Swagger's csv)
            schema = schema.get("items") or {}
        self.enum = schema.get("enum")
        self.type = schema.get("type")

    def problem(self, present, value):
        label = f"{self.where} parameter {self.original_name}"
        if not present:
            return f"missing required {label}" if self.required else None
        values = (value or "").split(",") if self.array else [value]
        for item in values:
            if self.enum and item not in self.enum:
                return f"{label} must be one of {self.enum}, not {item!r}"
            if self.type == "integer" and not re.fullmatch(r"-?\d+", item or ""):
                return f"{label} must be an integer, not {item!r}"
        return None


class Contract:
    """One contract file: its schemas, normalised for checking.

    ``swagger`` tells the dialect: Swagger 2.0 (``definitions``) or OpenAPI 3
    (``components/schemas``).
    """

    def __init__(self, path, spec, corrections=None):
        self.name = Path(path).name
        self.spec = spec
        self.corrections = corrections or Corrections()
        self.swagger = str(spec.get("swagger", "")).startswith("2")
        if self.swagger:
            declared = spec.get("definitions") or {}
        else:
            declared = (spec.get("components") or {}).get("schemas") or {}
        self.schemas = {
            name: _normalise(schema, name, self.corrections)
            for name, schema in declared.items()
        }
        for name, fields in self.corrections.required_allow_list.items():
            schema = self.schemas.get(name)
            if schema and all(f in (schema.get("properties") or {}) for f in fields):
                schema["required"] = list(fields)
        for (name, field), corrected in self.corrections.field_corrections.items():
            schema = self.schemas.get(name)
            if schema and field in (schema.get("properties") or {}):
                schema["properties"][field] = dict(corrected)

    def resolve(self, node):
        """Follow a ``$ref`` inside the file (``#/components/...``,
        ``#/parameters/...``, ``#/definitions/...``)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            parts = node["$ref"].lstrip("#/").split("/")
            target = self.spec
            for part in parts:
                target = target.get(part, {})
            node, seen = target, seen + 1
        return node

    def self_contained(self, schema):
        """``schema`` with every ``$ref`` inlined; a recursive type is put
        once under ``$defs`` and referenced from there."""
        defs = {}

        def inline(node, stack):
            if isinstance(node, list):
                return [inline(item, stack) for item in node]
            if not isinstance(node, dict):
                return node
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                target = self.schemas.get(name)
                if target is None:
                    return {}  # a dangling reference constrains nothing
                if name in stack:
                    defs.setdefault(name, None)
                    return {"$ref": f"#/$defs/{name}"}
                expanded = inline(target, stack | {name})
                if name in defs and defs[name] is None:
                    defs[name] = expanded
                return expanded
            out = {}
            for key, value in node.items():
                if key == "properties":
                    out[key] = {p: inline(s, stack) for p, s in value.items()}
                elif isinstance(value, dict | list) and key != "enum":
                    out[key] = inline(value, stack)
                else:
                    out[key] = value
            return out

        root = inline(_normalise(schema, None, self.corrections), frozenset())
        if defs:
            root["$defs"] = {name: value or {} for name, value in defs.items()}
        return root


class ContractBook:
    """All operations of a marketplace's contracts.

    ``source``: a folder (every ``*.json`` at its top) or a list of contract
    files; ``corrections``: the personality's :class:`Corrections`.
    """

    def __init__(self, source, corrections=None):
        self.corrections = corrections or Corrections()
        if isinstance(source, str | Path):
            self.folder = str(source)
            paths = sorted(Path(source).glob("*.json"))
        else:
            paths = [Path(path) for path in source]
            self.folder = ", ".join(str(path) for path in paths)
        self.contracts = []
        self.operations = []
        self.bases = set()
        self._by_method = {}
        for path in paths:
            try:
                spec = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                _logger.warning("Skipping contract %s: %s", path.name, exc)
                continue
            if not isinstance(spec, dict) or "paths" not in spec:
                continue
            base = _base_path(spec)
            if base is None:
                _logger.warning(
                    "Skipping contract %s: no servers[0].url nor swagger", path.name
                )
                continue
            contract = Contract(path, spec, self.corrections)
            self.contracts.append(contract)
            # A contract without a base path covers the literal start its
            # paths share; when they share none (Product Pricing v0 mixes
            # /products/... and /batches/...), each path's own literal start.
            root = base or _literal_root(spec["paths"])
            self.bases.update([root] if root else _literal_roots(spec["paths"]))
            for template, item in spec["paths"].items():
                shared = item.get("parameters", [])
                for method, op in item.items():
                    if method in HTTP_METHODS:
                        self.operations.append(
                            Operation(contract, base, template, method, op, shared)
                        )
        for operation in sorted(self.operations, key=lambda o: o.specificity):
            self._by_method.setdefault(operation.method, []).append(operation)
        _logger.info(
            "Loaded %s operations from %s contracts in %s",
            len(self.operations),
            len(self.contracts),
            self.folder,
        )

    def covers(self, path):
        """Is ``path`` under one of the contracts' base paths?"""
        return any(path == base or path.startswith(base + "/") for base in self.bases)

    def find(self, method, path):
        """``(operation, path params)`` or ``(None, None)``; templates with
        fewer parameters win, so literal segments beat ``{id}``."""
        for operation in self._by_method.get(method.upper(), ()):
            params = operation.match(path)
            if params is not None:
                return operation, params
        return None, None

    def check(self, operation, query, headers, raw_body, parsed=None):
        """The ways the request breaks the contract (an empty list if none).

        ``parsed`` is the already-decoded JSON body, to save a second
        ``json.loads``; it is decoded here when not given.
        """
        reasons = []
        lower_headers = {k.lower(): v for k, v in headers.items()}
        for param in operation.parameters:
            source = query if param.where == "query" else lower_headers
            problem = param.problem(param.name in source, source.get(param.name))
            if problem:
                reasons.append(problem)
        has_body = bool(raw_body and raw_body.strip())
        if not has_body:
            if operation.body_required and operation.media_types:
                reasons.append("missing request body")
            return reasons
        if not operation.media_types:
            return reasons  # a body the API does not read
        content_type = lower_headers.get("content-type", "")
        media_type = content_type.split(";")[0].strip().lower()
        if media_type not in (m.lower() for m in operation.media_types):
            reasons.append(
                f"Content-Type {content_type or '(none)'!r} is not one of "
                f"{operation.media_types}"
            )
            return reasons
        validator = operation.body_validator()
        if not validator:
            return reasons
        if parsed is None:
            try:
                parsed = json.loads(raw_body)
            except ValueError:
                reasons.append("request body is not valid JSON")
                return reasons
        for error in validator.iter_errors(parsed):
            reasons.append(f"{_where(error.absolute_path)}: {error.message[:200]}")
            if len(reasons) >= 10:
                break
        return reasons

    def check_response(self, operation, status, body):
        """The ways an answer breaks the operation's contract (empty if none).

        ``body`` is what the handler returned: None (no body), a dict or list
        (sent as JSON) or a str (sent as HTML).
        """
        reasons = []
        label = f"answer HTTP {status}"
        declared = operation.declared_answer(status)
        if declared is None and status not in self.corrections.platform_statuses:
            reasons.append(
                f"{label} is not declared for {operation.operation_id} "
                f"(declared: {', '.join(sorted(operation.responses))})"
            )
        if isinstance(body, str):
            reasons.append(f"{label} is HTML, not JSON")
            return reasons
        if status >= 400:
            if body is None:
                reasons.append(
                    f"{label} has no body; {self.corrections.marketplace} "
                    "sends its error body"
                )
                return reasons
        elif declared is not None:
            media_types, schema = declared
            if status == 204 or not media_types:
                # A 204 has no content (RFC 9110 section 15.3.5), whatever the
                # contract lists for it (some declare the Error schema).
                if body is not None:
                    reasons.append(f"{label} declares no body, but one was sent")
                return reasons
            if schema is None:
                return reasons  # not JSON (files, PDF): not checked here
            if body is None:
                reasons.append(
                    f"{label} declares an application/json body, but none was sent"
                )
                return reasons
        if body is None:
            return reasons
        validator = operation.answer_validator(status)
        if not validator:
            return reasons
        for error in validator.iter_errors(body):
            where = _where(error.absolute_path).replace("body", "answer", 1)
            reasons.append(f"{label} {where}: {error.message[:200]}")
            if len(reasons) >= 10:
                break
        return reasons


def accepted_body(req):
    """The request's JSON body as the marketplace keeps it: without the fields
    the operation's request schema does not declare (marketplaces ignore
    those, so they are never answered back).  As sent when no contract is loaded."""
    body = req.json if isinstance(req.json, dict) else {}
    schema = req.operation.request_schema() if req.operation is not None else None
    return prune(body, schema) if schema else dict(body)


def closed_schema(schema):
    """``schema`` with ``additionalProperties: false`` on every object that
    lists its properties and says nothing else: an answer holds only what
    the contract declares."""
    if isinstance(schema, list):
        return [closed_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "properties" or key == "$defs":
            out[key] = {name: closed_schema(s) for name, s in value.items()}
        elif key == "enum":
            out[key] = value
        else:
            out[key] = closed_schema(value)
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def prune(value, schema):
    """``value`` without the object properties ``schema`` does not declare
    (recursively): what a marketplace keeps of a body it accepted, as it
    ignores fields it does not know.  ``schema`` is self-contained
    (:meth:`Contract.self_contained`)."""
    defs = (schema or {}).get("$defs") or {}

    def walk(node, part):
        while isinstance(part, dict) and "$ref" in part:
            part = defs.get(part["$ref"].rsplit("/", 1)[-1]) or {}
        if not isinstance(part, dict):
            return node
        if isinstance(node, dict):
            properties = part.get("properties")
            extra = part.get("additionalProperties")
            if properties is None:
                if isinstance(extra, dict):
                    return {k: walk(v, extra) for k, v in node.items()}
                return node
            return {
                key: walk(item, properties[key])
                for key, item in node.items()
                if key in properties
            }
        if isinstance(node, list) and isinstance(part.get("items"), dict):
            return [walk(item, part["items"]) for item in node]
        return node

    return walk(value, schema or {})


def _json(media_types):
    return any(
        m.split(";")[0].strip().lower() == "application/json" for m in media_types
    )


def _base_path(spec):
    """The path operations are served under: OpenAPI 3's ``servers[0].url``
    path, Swagger 2.0's ``basePath`` ("" when absent); None if neither."""
    if str(spec.get("swagger", "")).startswith("2"):
        return (spec.get("basePath") or "").rstrip("/")
    servers = spec.get("servers") or []
    if not servers or not servers[0].get("url"):
        return None
    url = servers[0]["url"]
    for name, var in (servers[0].get("variables") or {}).items():
        url = url.replace("{" + name + "}", var.get("default", ""))
    return urlparse(url).path.rstrip("/")


def _literal_root(paths):
    """The literal path every template of ``paths`` starts with, up to a
    segment boundary (``/listings/2021-08-01/items``): what a contract without
    a base path covers."""
    literal = [template.split("{", 1)[0] for template in paths]
    common = literal[0] if literal else ""
    for text in literal[1:]:
        while not text.startswith(common):
            common = common[:-1]
    return common.rsplit("/", 1)[0] if not common.endswith("/") else common[:-1]


def _literal_roots(paths):
    """The literal start of each template of ``paths``, up to a segment
    boundary: ``/products/pricing/v0/items/{Asin}/offers`` ->
    ``/products/pricing/v0/items``."""
    roots = set()
    for template in paths:
        literal = template.split("{", 1)[0]
        literal = literal if literal.endswith("/") else literal.rsplit("/", 1)[0] + "/"
        if literal.rstrip("/"):
            roots.add(literal.rstrip("/"))
    return roots


def _where(path):
    """``requests[0].offers`` for a jsonschema error path."""
    text = "body"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _normalise(node, name, corrections):
    """A copy of a schema fit for checking: no descriptions, OpenAPI 3.0
    ``nullable`` as a JSON Schema type, ``required`` lists only where the
    corrections trust them, then the corrections' own :meth:`Corrections.adjust`."""
    if isinstance(node, list):
        return [_normalise(item, None, corrections) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key not in VALIDATION_KEYWORDS or key == "nullable":
            continue
        if key == "required":
            # A list here is the keyword; anything else (a property schema is
            # kept by the "properties" branch, a Swagger 1 boolean) is not.
            if corrections.keep_required and isinstance(value, list):
                out[key] = list(value)
            continue
        if key == "properties":
            out[key] = {p: _normalise(s, None, corrections) for p, s in value.items()}
        elif key == "enum":
            out[key] = list(value)
        else:
            out[key] = _normalise(value, None, corrections)
    out = corrections.adjust(out, node, name)
    if node.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out
