"""The ``meta`` of a workflow script, read by the client's rules: the first statement must be
``export const meta = {...}`` and its value a pure literal (strings, numbers, true/false/null, a
negative number, arrays without holes or spreads, plain objects without computed keys, methods or
the keys __proto__, constructor and prototype) with a non-empty string ``name`` and
``description``; ``phases`` keeps only objects with a string ``title``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ml_agents.lint import jsparse, rules
from ml_agents.lint.positions import shown
from ml_agents.lint.result import Finding

if TYPE_CHECKING:
    from tree_sitter import Node

RESERVED_KEYS = frozenset({"__proto__", "constructor", "prototype"})
SKIPPED_TOP_LEVEL = frozenset({"comment", "hash_bang_line"})


class _NotLiteral(Exception):
    def __init__(self, node: Node, reason: str) -> None:
        super().__init__(reason)
        self.node = node
        self.reason = reason


def read_meta(
    display: str, root: Node, source: bytes
) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The value of ``meta`` when the client accepts it, else the finding that says why not."""
    first = first_statement(root)
    value = meta_object(first)
    if value is None:
        node = first or root
        where = jsparse.position(node, source)
        found = jsparse.text(node).split("\n", 1)[0].strip()
        message = (
            "the script has no statements"
            if first is None
            else f"the first statement is {shown(found)}, not `export const meta = {{...}}`"
        )
        return None, [
            rules.make(
                "CC902",
                display,
                where.line,
                where.col,
                f"{message}; Claude Code skips the whole workflow",
                "Move `export const meta = { name: '...', description: '...' }` to the top, "
                "before every other statement (comments may stay above it).",
            )
        ]
    try:
        meta = _literal(value)
    except _NotLiteral as problem:
        where = jsparse.position(problem.node, source)
        key = _enclosing_key(problem.node, value)
        return None, [
            rules.make(
                "CC903",
                display,
                where.line,
                where.col,
                f"meta must be a pure literal ({problem.reason}), so Claude Code skips the "
                "whole workflow",
                f"Replace {shown(jsparse.text(problem.node))} with the text it stands for, e.g. "
                f"{key}: 'Reviews the plan'; keep computed values in the script body.",
            )
        ]
    assert isinstance(meta, dict)
    findings = []
    for key in ("name", "description"):
        field = meta.get(key)
        if isinstance(field, str) and field:
            continue
        where = jsparse.position(property_node(value, key) or value, source)
        state = "is missing" if key not in meta else f"is {shown(field)}, not a non-empty string"
        findings.append(
            rules.make(
                "CC904",
                display,
                where.line,
                where.col,
                f"meta.{key} {state}, so Claude Code skips the whole workflow",
                f"Give meta a {key}, e.g. {key}: "
                + ("'review-phase'" if key == "name" else "'Reviews one phase of the plan'")
                + ".",
            )
        )
    return (None if findings else meta), findings


def first_statement(root: Node) -> Node | None:
    return next((n for n in root.named_children if n.type not in SKIPPED_TOP_LEVEL), None)


def _enclosing_key(node: Node, meta: Node) -> str:
    """The meta key whose value holds ``node`` (``name`` when there is none)."""
    current: Node | None = node
    key = "name"
    while current is not None and current != meta:
        if current.type == "pair":
            key = jsparse.key_text(current)
        current = current.parent
    return key


def meta_object(statement: Node | None) -> Node | None:
    """The ``{...}`` of ``export const meta = {...}`` when ``statement`` is exactly that."""
    if statement is None or statement.type != "export_statement":
        return None
    declaration = statement.child_by_field_name("declaration")
    if declaration is None or declaration.type != "lexical_declaration":
        return None
    if jsparse.text(declaration.children[0]) != "const":
        return None
    declarators = [c for c in declaration.named_children if c.type == "variable_declarator"]
    if len(declarators) != 1:
        return None
    name = declarators[0].child_by_field_name("name")
    value = jsparse.unwrapped(declarators[0].child_by_field_name("value"))
    if name is None or jsparse.text(name) != "meta" or value is None or value.type != "object":
        return None
    return value


def _literal(node: Node) -> Any:
    """The value of a pure literal, by the client's own rules; ``_NotLiteral`` where it is not."""
    kind = node.type
    if kind in ("string", "template_string"):
        value = jsparse.string_value(node)
        if value is None:
            raise _NotLiteral(node, "template interpolation is not allowed")
        return value
    if kind == "number":
        return _number(jsparse.text(node))
    if kind in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[kind]
    if kind == "regex":
        return jsparse.text(node)
    if kind == "parenthesized_expression":
        inner = jsparse.unwrapped(node)
        return _literal(inner) if inner is not None else None
    if kind == "unary_expression":
        argument = jsparse.unwrapped(node.child_by_field_name("argument"))
        operator = node.child_by_field_name("operator")
        negative = operator is not None and jsparse.text(operator) == "-"
        if negative and argument is not None and argument.type == "number":
            return -_number(jsparse.text(argument))
        raise _NotLiteral(node, "only a negative number may use an operator")
    if kind == "array":
        return _array(node)
    if kind == "object":
        return _object(node)
    raise _NotLiteral(node, f"{_describe(node)} is not a literal")


def _array(node: Node) -> list[Any]:
    values: list[Any] = []
    expecting_value = True
    for child in node.children[1:-1]:
        if child.type == ",":
            if expecting_value:
                raise _NotLiteral(child, "an array may not have holes")
            expecting_value = True
            continue
        if child.type == "comment":
            continue
        if child.type == "spread_element":
            raise _NotLiteral(child, "spread (...) is not allowed")
        values.append(_literal(child))
        expecting_value = False
    return values


def _object(node: Node) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for child in node.named_children:
        if child.type == "comment":
            continue
        if child.type == "spread_element":
            raise _NotLiteral(child, "spread (...) is not allowed")
        if child.type == "method_definition":
            raise _NotLiteral(child, "methods and getters are not allowed")
        if child.type != "pair":
            raise _NotLiteral(child, f"{_describe(child)} is not a literal")
        key_node = child.child_by_field_name("key")
        value_node = child.child_by_field_name("value")
        assert key_node is not None and value_node is not None
        key = _key(key_node)
        values[key] = _literal(value_node)
    return values


def _key(node: Node) -> str:
    if node.type == "computed_property_name":
        raise _NotLiteral(node, "a computed key is not allowed")
    if node.type == "property_identifier":
        key = jsparse.text(node)
    elif node.type == "string":
        key = jsparse.string_value(node) or ""
    elif node.type == "number":
        key = _number_key(jsparse.text(node))
    else:
        raise _NotLiteral(node, f"{_describe(node)} cannot be a key")
    if key in RESERVED_KEYS:
        raise _NotLiteral(node, f"the key {key} is reserved")
    return key


def _describe(node: Node) -> str:
    if node.type in ("identifier", "shorthand_property_identifier", "undefined"):
        return f"the variable {jsparse.text(node)}"
    if node.type in ("call_expression", "new_expression"):
        return "a call"
    return f"a {node.type.replace('_', ' ')}"


def _number(text: str) -> float:
    cleaned = text.replace("_", "").rstrip("n")
    try:
        if cleaned[:2].lower() in ("0x", "0o", "0b"):
            return float(int(cleaned, 0))
        return float(cleaned)
    except ValueError:
        return 0.0


def _number_key(text: str) -> str:
    value = _number(text)
    return str(int(value)) if value.is_integer() else str(value)


def property_node(node: Node, key: str) -> Node | None:
    for child in node.named_children:
        key_node = child.child_by_field_name("key") if child.type == "pair" else None
        if key_node is not None and jsparse.text(key_node).strip("'\"`") == key:
            return child
    return None


def dropped_phase_entries(display: str, root: Node, source: bytes) -> list[Finding]:
    """Entries of meta.phases the client drops: anything but an object with a string title."""
    meta = meta_object(first_statement(root))
    phases = property_node(meta, "phases") if meta is not None else None
    value = jsparse.unwrapped(phases.child_by_field_name("value")) if phases is not None else None
    if value is None:
        return []
    if value.type != "array":
        where = jsparse.position(value, source)
        message = "meta.phases is not a list, so Claude Code ignores it"
        return [rules.make("CC912", display, where.line, where.col, message)]
    findings = []
    for entry in value.named_children:
        if entry.type == "comment":
            continue
        literal = _literal(entry)
        if isinstance(literal, dict) and isinstance(literal.get("title"), str):
            continue
        where = jsparse.position(entry, source)
        title = literal if isinstance(literal, str) else "Review"
        findings.append(
            rules.make(
                "CC912",
                display,
                where.line,
                where.col,
                f"meta.phases entry {shown(jsparse.text(entry))} has no string title, so "
                "Claude Code drops it without a word",
                f"Write each phase as an object with a title, e.g. {{ title: '{title}' }}.",
            )
        )
    return findings
