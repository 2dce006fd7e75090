"""Every frontmatter and manifest validated with ``jsonschema`` against the contract's schemas.

A violation becomes a finding whose rule code the schema itself names, on the property or
definition that failed:

- ``"x-rule": "CC211"`` applies to every error inside that subschema (the deepest one wins);
- ``"x-rule": {"type": "CC307", "*": "CC301"}`` picks by the keyword that failed at that node
  (``*`` for the rest, and for errors deeper down);
- ``x-rule-unknown`` and ``x-rule-missing`` name the rule of an unknown key and of a missing
  required key (one code, or one per key) in that object and the objects below it;
  ``x-rule-type`` the rule of a value of the wrong JSON type at that node only;
- ``"x-consequence"`` says what the client does with such a value, for the message.

A frontmatter is validated key by key. Strings, nulls and key sets that plainly meet their
subschema (type, lengths, pattern, enum, anyOf, local $refs, required, a closed mapping) are
decided here exactly as jsonschema would; anything else goes to jsonschema, imported then and
with one validator per schema, and its result for each (key, value) is remembered, since most
agents share their tool lists, models and colours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ml_agents.lint.contract import schema_folder, schema_in
from ml_agents.lint.positions import shown, type_name
from ml_agents.lint.result import ERROR
from ml_agents.lint.rules import RULES

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

DEFAULT_RULE = "CC021"
_KEYWORD_ALIAS = {"additionalProperties": "unknown", "required": "missing", "type": "type"}
# root keywords that validating a frontmatter key by key still honours (everything else: whole)
_KEY_BY_KEY_ROOT = frozenset(
    {"$schema", "$id", "title", "description", "type", "required", "properties"}
    | {"additionalProperties", "$defs"}
)


class Violation(NamedTuple):
    """One schema violation in the linter's words. ``path`` leads from the document to the
    offending value; ``key_level`` says it is about a key (unknown, missing) rather than a value."""

    path: tuple[str | int, ...]
    code: str
    message: str
    hint: str | None
    key_level: bool


# --- validation -----------------------------------------------------------------------------------


@cache
def _validator(folder: Path, name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # ~60 ms: only once a file is validated

    return Draft202012Validator(schema_in(folder, name))


@cache
def _key_by_key(folder: Path, name: str) -> bool:
    """Whether a document can be validated key by key: the root has no keyword that looks at
    values, only required and unknown keys."""
    return {k for k in schema_in(folder, name) if not k.startswith("x-")} <= _KEY_BY_KEY_ROOT


@cache
def _key_skeleton(folder: Path, name: str) -> Draft202012Validator:
    """A validator for the root's own keywords (required, unknown keys), run on the document
    with every value null."""
    schema = schema_in(folder, name)
    skeleton = dict(schema)
    skeleton["properties"] = {key: True for key in schema.get("properties", {})}
    return _validator(folder, name).evolve(schema=skeleton)


_memo: dict[tuple[Any, ...], list[Violation]] = {}
_plain: set[tuple[Any, ...]] = set()  # (folder, schema, key, value) found plainly valid
MAX_REMEMBERED = 100_000  # a long-lived caller linting many trees keeps memory bounded


def validate(name: str, document: Any) -> list[Violation]:
    """Every violation of ``document`` against schema ``name``, in the linter's words."""
    folder = schema_folder()
    schema = schema_in(folder, name)
    if not (isinstance(document, dict) and _key_by_key(folder, name)):
        if not _bounded(document):
            return [_too_big("the document")]
        return list(_violations(schema, _validator(folder, name).iter_errors(document), ()))
    keys = frozenset(map(str, document))
    found = (
        []
        if _keys_plainly_valid(schema, keys)
        else _remembered(
            ("keys", folder, name, keys),
            schema,
            partial(_key_skeleton, folder, name),
            dict.fromkeys(keys),
            (),
        )
    )
    properties = schema.get("properties", {})
    for key, value in document.items():
        sub = properties.get(key)
        if not isinstance(sub, dict):
            continue  # unknown or always-valid: the skeleton has spoken
        plain_key = (folder, name, key, value) if isinstance(value, (str, type(None))) else None
        if plain_key is not None and plain_key in _plain:
            continue
        if _plainly_valid(schema, sub, value):
            if plain_key is not None and len(_plain) < MAX_REMEMBERED:
                _plain.add(plain_key)
            continue
        if not _bounded(value):
            found.append(_too_big(key))
            continue
        frozen = _frozen(value)
        memo_key = None if frozen is None else ("value", folder, name, key, frozen)
        evolve = partial(_validator(folder, name).evolve, schema=sub)
        found.extend(_remembered(memo_key, schema, evolve, value, ("properties", key), key))
    return found


def _remembered(
    memo_key: tuple[Any, ...] | None,
    schema: dict[str, Any],
    validator: Callable[[], Draft202012Validator],
    value: Any,
    schema_prefix: tuple[str, ...],
    key: str | None = None,
) -> list[Violation]:
    if memo_key is not None and memo_key in _memo:
        return list(_memo[memo_key])
    prefix: tuple[str | int, ...] = () if key is None else (key,)
    errors = validator().iter_errors(value)
    try:
        result = list(_violations(schema, errors, schema_prefix, prefix))
    except RecursionError:  # a $ref cycle in an edited schema, or a value _bounded let through
        return [_too_big(key or "the document")]
    if memo_key is not None:
        _memo[memo_key] = result
    return list(result)


_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "deprecated", "format"})


def _plainly_valid(root: dict[str, Any], sub: Any, value: Any, depth: int = 0) -> bool:
    """True when a string (or null) plainly meets a subschema of type, lengths, pattern, enum,
    anyOf and local $refs, decided exactly as jsonschema would (``format`` is an annotation in
    2020-12, ``pattern`` is ``re.search``) without a validator for every unique name, description
    and tool list. False means "ask jsonschema", so any keyword not listed here, and every
    failure, goes to it."""
    if not isinstance(value, (str, type(None))) or not isinstance(sub, dict) or depth > 8:
        return False
    for keyword, limit in sub.items():
        if keyword in _ANNOTATIONS or keyword.startswith("x-"):
            continue
        if not _keyword_holds(root, keyword, limit, value, depth):
            return False
    return True


def _keys_plainly_valid(schema: dict[str, Any], keys: frozenset[str]) -> bool:
    """Every required key present and, if the mapping is closed, no other: the root's own
    keywords hold (_key_skeleton has checked that the root has no others)."""
    if not set(schema.get("required", ())) <= keys:
        return False
    return schema.get("additionalProperties", True) is not False or keys <= set(
        schema.get("properties", {})
    )


def _keyword_holds(root: dict[str, Any], keyword: str, limit: Any, value: Any, depth: int) -> bool:
    text = isinstance(value, str)
    if keyword == "type":
        wanted = limit if isinstance(limit, list) else [limit]
        return ("string" in wanted) if text else ("null" in wanted)
    if keyword == "enum":
        return any(type(e) is type(value) and e == value for e in limit)
    if keyword == "minLength":
        return not text or len(value) >= limit
    if keyword == "maxLength":
        return not text or len(value) <= limit
    if keyword == "pattern":
        if not text:
            return True
        # some patterns backtrack: a long string goes to _bounded, which reports it
        return len(value) <= MAX_STRING and re.search(limit, value) is not None
    if keyword == "anyOf":
        return any(_plainly_valid(root, branch, value, depth + 1) for branch in limit)
    if keyword == "$ref" and isinstance(limit, str) and limit.startswith("#/"):
        return _plainly_valid(root, _pointer(root, limit), value, depth + 1)
    return False


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a YAML value that keeps types apart (1, 1.0, True), or None.
    Only scalars and flat lists of scalars: the values agents share."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return (type(value).__name__, value)
    if isinstance(value, list) and len(value) <= 64:
        items = tuple(_frozen(item) for item in value if not isinstance(item, (list, dict)))
        return ("list", items) if len(items) == len(value) else None
    return None  # mappings (hooks, mcpServers) are rare and validated every time


MAX_NODES = 10_000
MAX_DEPTH = 64
MAX_STRING = 10_000


def _bounded(value: Any) -> bool:
    """Whether a value is small enough to validate: YAML aliases can share one list a billion
    times over (jsonschema would visit every copy), and nesting can be deeper than the stack."""
    budget = MAX_NODES
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        budget -= 1
        if budget < 0 or depth > MAX_DEPTH:
            return False
        if isinstance(item, str) and len(item) > MAX_STRING:
            return False  # some schema patterns backtrack: quadratic on a megabyte of text
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return True


def _too_big(key: str) -> Violation:
    message = f"{key} is too large or nested too deeply to check against the schema"
    return Violation((key,), DEFAULT_RULE, message, "Write a plain value.", False)


def _violations(
    schema: dict[str, Any],
    errors: Iterator[Any],
    schema_prefix: tuple[str, ...],
    instance_prefix: tuple[str | int, ...] = (),
) -> Iterator[Violation]:
    for error in errors:
        chosen = _the_branch_meant(error)
        if chosen:
            yield from _violations(schema, iter(chosen), schema_prefix, instance_prefix)
            continue
        schema_path = (*schema_prefix, *error.absolute_schema_path)
        path = (*instance_prefix, *error.absolute_path)
        yield from _describe(schema, error, schema_path, path)


def _the_branch_meant(error: Any) -> list[Any]:
    """For an anyOf/oneOf, the errors of the one branch of the value's JSON type (a list in a
    list-or-string field), or [] when the value's type fits no branch or several."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return []
    by_branch: dict[Any, list[Any]] = {}
    for sub in error.context:
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    wrong_type = {
        branch
        for branch, subs in by_branch.items()
        if any(s.validator == "type" and not s.relative_path for s in subs)
    }
    fitting = [b for b in by_branch if b not in wrong_type]
    return by_branch[fitting[0]] if len(fitting) == 1 else []


# --- the linter's words for a jsonschema error ----------------------------------------------------


def _walk(schema: dict[str, Any], schema_path: tuple[Any, ...]) -> list[Any]:
    """The subschemas along ``schema_path`` (its last step is the failing keyword), following
    local ``$ref``s, which jsonschema leaves out of the path."""
    nodes: list[Any] = [schema]
    current: Any = schema
    for step in schema_path[:-1]:
        current = _step(schema, current, step)
        if current is None:
            break
        nodes.append(current)
    return nodes


def _step(schema: dict[str, Any], current: Any, step: Any) -> Any:
    for _ in range(16):  # a chain of $refs, bounded
        if isinstance(current, list) and isinstance(step, int) and step < len(current):
            return current[step]
        if isinstance(current, dict) and step in current:
            return current[step]
        ref = current.get("$ref") if isinstance(current, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")):
            return None
        current = _pointer(schema, ref)
    return None


def _pointer(schema: dict[str, Any], ref: str) -> Any:
    current: Any = schema
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        current = current.get(part) if isinstance(current, dict) else None
    return current


def rule_for(nodes: list[Any], keyword: str, missing: str | None = None) -> str:
    """The rule code the schema names for an error of ``keyword`` at the last of ``nodes``: the
    deepest node that names one wins. ``x-rule-unknown`` and ``x-rule-missing`` hold for the
    objects below them too; ``x-rule-type`` and a keyword in an ``x-rule`` map only where they
    are written."""
    alias = _KEYWORD_ALIAS.get(keyword)
    last = len(nodes) - 1
    for index in range(last, -1, -1):
        here = nodes[index] if isinstance(nodes[index], dict) else {}
        specific = (
            here.get(f"x-rule-{alias}") if alias and (alias != "type" or index == last) else None
        )
        if isinstance(specific, dict):
            specific = specific.get(missing or "")
        if isinstance(specific, str):
            return specific
        rule = here.get("x-rule")
        if isinstance(rule, dict):
            rule = rule.get(keyword) if index == last and keyword in rule else rule.get("*")
        if isinstance(rule, str):
            return rule
    return DEFAULT_RULE


def _describe(
    schema: dict[str, Any], error: Any, schema_path: tuple[Any, ...], path: tuple[str | int, ...]
) -> Iterator[Violation]:
    nodes = _walk(schema, schema_path)
    failing = nodes[-1] if isinstance(nodes[-1], dict) else {}
    keyword = str(error.validator)
    value = error.instance
    subject = _subject(path)
    if keyword == "required":
        for key in error.validator_value:
            if isinstance(value, dict) and key not in value:
                code = rule_for(nodes, keyword, key)
                where = f" in {subject}" if path else ""
                message = f"the required key {key!r} is missing{where}"
                yield Violation((*path, key), code, message, f"Add {key!r}.", True)
        return
    if keyword == "additionalProperties" and isinstance(value, dict):
        known = {str(k) for k in failing.get("properties", {})}
        for key in value:
            if str(key) in known:
                continue
            yield _unknown_key(nodes, (*path, str(key)), str(key), known, subject)
        return
    if keyword in ("anyOf", "oneOf") and _all_type_mismatches(error):
        keyword = "type"
    code = rule_for(nodes, keyword)
    message, hint = _words(keyword, error, failing, subject, value)
    consequence = _nearest(nodes, "x-consequence")
    if consequence and RULES[code].severity == ERROR:
        message += f"; {consequence}"
    yield Violation(path, code, message, hint, keyword == "propertyNames")


def _nearest(nodes: list[Any], keyword: str) -> str | None:
    for found in reversed(nodes):
        if isinstance(found, dict) and isinstance(found.get(keyword), str):
            return str(found[keyword])
    return None


def _unknown_key(
    nodes: list[Any], path: tuple[str | int, ...], key: str, known: set[str], parent: str
) -> Violation:
    from ml_agents.lint.context import suggest

    guess = suggest(key, known, {})
    where = f" in {parent}" if len(path) > 1 else ""
    message = f"unknown key {shown(key)}{where} is ignored by Claude Code"
    if guess:
        message += f" (did you mean {guess!r}?)"
    hint = f"Rename it to {guess!r}." if guess else None
    return Violation(path, rule_for(nodes, "additionalProperties"), message, hint, True)


def _words(
    keyword: str, error: Any, failing: dict[str, Any], subject: str, value: Any
) -> tuple[str, str | None]:
    from ml_agents.lint.context import suggest

    limit = error.validator_value
    if keyword == "enum":
        choices = _choices(limit)
        words = {c for c in limit if isinstance(c, str)}
        guess = suggest(value, words, {}) if isinstance(value, str) else None
        first = next((c for c in limit if isinstance(c, str)), None)
        if guess:
            hint = _write(subject, guess)
        elif first is not None and _is_key(subject):
            hint = f"Write '{subject}: {first}' (one of: {choices})."
        else:
            hint = f"Use one of: {choices}."
        return f"{subject} must be one of {choices}, not {shown(value)}", hint
    if keyword == "const":
        return f"{subject} must be {shown(limit)}, not {shown(value)}", f"Write {shown(limit)}."
    if keyword == "type":
        wanted = _type_words(error, failing)
        return f"{subject} must be {wanted}, not {type_name(value)}", _examples(failing)
    if keyword == "propertyNames":
        names = _property_name_choices(failing)
        meant = suggest(str(value), names, {}) if names else None
        return (
            f"{subject}: {shown(value)} is not a name Claude Code knows",
            f"Did you mean {meant!r}?" if meant else None,
        )
    if keyword in ("minLength", "maxLength") and isinstance(value, str):
        if keyword == "minLength" and limit == 1:
            return f"{subject} is empty", _examples(failing)
        bound = "at least" if keyword == "minLength" else "at most"
        return f"{subject} is {len(value)} characters long; it must be {bound} {limit}", None
    if keyword in ("minItems", "maxItems", "minProperties", "maxProperties"):
        bound = "at least" if keyword.startswith("min") else "at most"
        return f"{subject} has {len(value)} entries; it may have {bound} {limit}", None
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[keyword]
        return f"{subject} {shown(value)} must be {relation} {limit}", None
    if keyword == "not":
        return f"{subject} is not allowed here", _examples(failing)
    if keyword in ("anyOf", "oneOf"):
        return _alternatives(error, failing, subject, value)
    return f"{subject} {shown(value)} is not in a form Claude Code accepts", _examples(failing)


def _alternatives(
    error: Any, failing: dict[str, Any], subject: str, value: Any
) -> tuple[str, str | None]:
    from ml_agents.lint.context import suggest

    words = {c for b in error.validator_value if isinstance(b, dict) for c in b.get("enum", ())}
    strings = {w for w in words if isinstance(w, str)}
    guess = suggest(value, strings, {}) if isinstance(value, str) and strings else None
    titles = [
        b["title"].lower() for b in error.validator_value if isinstance(b, dict) and "title" in b
    ]
    forms = f" ({'; '.join(titles)})" if titles else ""
    message = f"{subject} {shown(value)} matches none of the forms Claude Code accepts{forms}"
    return message, _write(subject, guess) if guess else _examples(failing)


def _is_key(subject: str) -> bool:
    """A top-level key (``color``), not a path into a value (``hooks.Stop[0]``)."""
    return bool(subject) and all(c.isalnum() or c in "-_" for c in subject)


def _write(subject: str, value: str) -> str:
    """The corrected line for a top-level key, else the value alone."""
    return f"Write '{subject}: {value}'." if _is_key(subject) else f"Did you mean {value!r}?"


def _all_type_mismatches(error: Any) -> bool:
    """An anyOf whose every branch failed on the JSON type alone: a wrong type, said simply."""
    top = [e for e in error.context or () if not e.relative_path]
    branches = {e.relative_schema_path[0] for e in top}
    typed = {e.relative_schema_path[0] for e in top if e.validator == "type"}
    return bool(branches) and typed == branches == set(range(len(error.validator_value)))


def _type_words(error: Any, failing: dict[str, Any]) -> str:
    if error.validator == "type":
        wanted = error.validator_value
    else:
        wanted = [b.get("type") for b in error.validator_value if isinstance(b, dict)]
    flat: list[str] = []
    for item in wanted if isinstance(wanted, list) else [wanted]:
        flat.extend(item if isinstance(item, list) else [item])
    names = {
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "true or false",
        "array": "a list",
        "object": "a mapping",
        "null": "empty",
    }
    said = list(dict.fromkeys(names.get(str(t), str(t)) for t in flat if t))
    return " or ".join(said) if said else "another type"


def _choices(values: Any) -> str:
    """The allowed values as words; true and 'true' are one word to a reader."""
    words = (shown(v)[1:-1] if isinstance(v, str) else shown(v) for v in values)
    return ", ".join(dict.fromkeys(words))


def _property_name_choices(failing: dict[str, Any]) -> set[str]:
    names = failing.get("propertyNames", {})
    return (
        {n for n in names.get("enum", ()) if isinstance(n, str)}
        if isinstance(names, dict)
        else set()
    )


def _examples(failing: dict[str, Any]) -> str | None:
    examples = failing.get("examples")
    if isinstance(examples, list) and examples:
        return "For example: " + ", ".join(shown(e) for e in examples[:3]) + "."
    return None


def _subject(path: tuple[str | int, ...]) -> str:
    if not path:
        return "the document"
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text if len(text) <= 80 else text[:77] + "..."
