"""PyYAML set up to read YAML as the client's Bun.YAML does (the YAML 1.2 core schema).

Kept apart from ``frontmatter`` so that importing the frontmatter model costs nothing: PyYAML is
imported the first time a block is parsed, and a lint run answered from its cache never parses.
"""

from __future__ import annotations

import re

import yaml

from ml_agents.frontmatter import core_int

try:  # the C loader is many times faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

ERRORS = (yaml.YAMLError, RecursionError, ValueError, TypeError)
"""What reading hostile YAML may raise."""
MappingNode = yaml.MappingNode
ScalarNode = yaml.ScalarNode
SequenceNode = yaml.SequenceNode


class Loader(_BaseLoader):  # type: ignore[misc,valid-type,unused-ignore]
    """Safe loader; a subclass so nothing we do touches PyYAML's global SafeLoader."""


# The client's Bun.YAML follows the YAML 1.2 core schema; PyYAML resolves YAML 1.1, where `yes`,
# `on` and `off` are booleans, `2024-01-01` is a date and `1:30` is 90. Verified against 2.1.332:
# `background: yes` is logged as the invalid string 'yes', `memory: 2024-01-01` as a string.
_CORE_SCHEMA = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^<<$", "<"),
)
Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in _CORE_SCHEMA:
    Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _construct_core_int(loader: Loader, node: yaml.ScalarNode) -> int | float:
    text = str(loader.construct_scalar(node))
    if text.startswith("0o"):
        return core_int(text[2:], 8)
    if text.startswith("0x"):
        return core_int(text[2:], 16)
    return core_int(text)  # YAML 1.2: a leading zero is not octal


Loader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)


def load(text: str) -> object:
    """One YAML document, read with ``Loader``; raises one of ``ERRORS``."""
    return yaml.load(text, Loader=Loader)
