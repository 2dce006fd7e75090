"""Property-based robustness: over 10,000 generated files, the linter never crashes, every finding
is located inside the file, and memory stays bounded.

Strategies: structured frontmatter dumped as YAML, raw YAML-ish text full of indicators, binary
junk, odd encodings, alias bombs / deep nesting / huge scalars, and JSON manifests. The examples run
in-process through ``engine.lint`` on files written to a temporary folder; a few generated trees of
such files also go through the real CLI in every output format.
"""

from __future__ import annotations

import json
import resource
import subprocess
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import cli_executable, examples, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ml_agents.lint import spec
from ml_agents.lint.engine import lint
from ml_agents.lint.rules import RULES

EXAMPLES = {
    "structured": 3000,
    "raw_yaml": 2500,
    "binary": 1500,
    "encodings": 1500,
    "manifests": 1200,
    "bombs": 400,
}
assert sum(EXAMPLES.values()) >= 10_000
# .ci/run runs a fraction of the examples on the Python versions besides its main one

PLACES = {
    "agent": "agents/x.md",
    "command": "commands/x.md",
    "skill": "skills/s/SKILL.md",
    "plugin": ".claude-plugin/plugin.json",
    "marketplace": ".claude-plugin/marketplace.json",
}


def _settings(name: str) -> settings:
    return settings(
        max_examples=examples(EXAMPLES[name]),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("hypothesis-lint")


def check(workspace: Path, place: str, data: bytes) -> None:
    """Lint one generated file and check every property that must hold for any input."""
    folder = workspace / place
    relative = PLACES[place]
    path = folder / relative
    write(path, data)
    findings = lint([Path(place)], cwd=workspace).findings
    shown_path = str(Path(place) / relative)
    line_count = data.count(b"\n") + 1
    for finding in findings:
        assert finding.code != "CC000", (finding, data[:300])
        rule = RULES[finding.code]
        assert finding.severity == rule.severity
        assert finding.path == shown_path, finding
        assert 1 <= finding.line <= line_count, (finding, line_count)
        assert finding.col >= 1
        assert finding.message and finding.hint
        assert len(finding.message) < 2000, finding.code  # never echoes a huge value


# --- strategies ----------------------------------------------------------------------------------

KNOWN_KEYS = sorted(spec.AGENT_KEYS | spec.COMMAND_KEYS)
TOOLISH = [
    "Read",
    "read",
    "Bash(git *)",
    "Bash(:*)",
    "mcp__x__y",
    "mcp__x(y)",
    "Task",
    "Write(a/**)",
    "*",
    "Agent(a, b)",
    "WebFetch(x)",
    "",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80),
    st.sampled_from(
        [*TOOLISH, "inherit", "sonnet", "claude-opus-4-8", "teal", "bypassPermissions", "0"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.dictionaries(
            st.one_of(st.text(max_size=12), st.sampled_from(KNOWN_KEYS)), inner, max_size=5
        ),
    ),
    max_leaves=20,
)
frontmatters = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=20)), values, max_size=10
)
bodies = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["!`git status`", "```!\nls\n```", "the `code-reviewr` agent", "subagent_type: 'x'", ""]
    ),
)
places_md = st.sampled_from(["agent", "command", "skill"])


@st.composite
def structured_documents(draw: st.DrawFn) -> bytes:
    fields = draw(frontmatters)
    text = yaml.safe_dump(
        fields,
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([None, True, False])),
    )
    return f"---\n{text}---\n{draw(bodies)}".encode("utf-8", "surrogatepass")


YAML_ALPHABET = st.sampled_from(
    [
        *"abcdefg:-[]{}&*!|>'\"%@`#?,. \t\n\\",
        *["\ufeff", "é", "\u2028", "\x00", "\x85", "---\n", "...\n", "name: ", "tools: ", ": "],
    ]
)
raw_yaml = st.lists(YAML_ALPHABET, max_size=120).map("".join)


@st.composite
def raw_documents(draw: st.DrawFn) -> bytes:
    middle = draw(raw_yaml)
    opening = draw(st.sampled_from(["---\n", "---  \n", "\ufeff---\n", "\n---\n", "", "--- \r\n"]))
    closing = draw(st.sampled_from(["---\n", "---", "", "\n---\nbody", "..."]))
    return (opening + middle + closing + draw(bodies)).encode("utf-8", "surrogatepass")


@st.composite
def encoded_documents(draw: st.DrawFn) -> bytes:
    fields = draw(frontmatters)
    text = "---\n" + yaml.safe_dump(fields, allow_unicode=True) + "---\n" + draw(bodies)
    encoding = draw(
        st.sampled_from(
            [
                "utf-16",
                "utf-16-le",
                "utf-32",
                "latin-1",
                "cp1252",
                "utf-8-sig",
                "utf-7",
                "shift_jis",
            ]
        )
    )
    return text.encode(encoding, errors="replace")


@st.composite
def bombs(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["aliases", "nesting", "huge", "lines", "keys", "backtrack"]))
    if kind == "aliases":
        width, depth = draw(st.integers(2, 12)), draw(st.integers(2, 12))
        lines = [f"l0: &l0 [{', '.join(['x'] * width)}]"]
        lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, depth)]
        key = draw(st.sampled_from(["tools", "description", "name", "hooks", "color", "skills"]))
        text = "---\n" + "\n".join(lines) + f"\n{key}: *l{depth - 1}\n---\n"
    elif kind == "nesting":
        depth = draw(st.integers(10, 20000))
        opener = draw(st.sampled_from(["[", "{a: ", "- "]))
        text = "---\nname: n\ndescription: " + opener * depth + "\n---\n"
    elif kind == "huge":
        size = draw(st.sampled_from([10_000, 500_000, 1_048_000, 1_048_577, 1_100_000]))
        key = draw(st.sampled_from(["description", "name", "tools", "model", "unknown-key"]))
        text = f"---\nname: n\n{key}: " + "a" * size + "\n---\n"
    elif kind == "lines":
        text = "---\n" + "\n" * draw(st.integers(1000, 50_000)) + "name: x\n---\n"
    elif kind == "keys":
        count = draw(st.integers(100, 5000))
        text = "---\n" + "".join(f"k{i % 50}: {i}\n" for i in range(count)) + "---\n"
    else:  # shapes that once made a pattern backtrack (issue 9): each must stay linear
        size = draw(st.sampled_from([1_000, 50_000, 300_000]))
        head, unit, tail = draw(st.sampled_from(BACKTRACKING_SHAPES))
        text = head + unit * (size // len(unit)) + tail
    return text.encode()


BACKTRACKING_SHAPES = [
    ("---\nname: n\n bad: [\nkey: x", " ", "y\n---\n"),  # the client's auto-quoting retry
    ("---", "\n", ""),  # whitespace after an opening '---' that is never closed
    ("---", " \n", "x"),
    ("---\nname: n\ndescription: d\n---\n```!", "\n", ""),  # an unclosed shell block
    ("---\nname: n\ndescription: d\ntools: mcp__a", "_", "!\n---\n"),
    ("---\nname: n\nx: ", "9", "\n---\n"),  # an integer of thousands of digits
    ("---\nname: n\nx: 0x", "f", "\n---\n"),
]


json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=25,
)
MANIFEST_KEYS = [
    "name",
    "version",
    "description",
    "author",
    "owner",
    "plugins",
    "agents",
    "commands",
    "skills",
    "source",
    "homepage",
    "keywords",
    "hooks",
    "mcpServers",
    "metadata",
]


@st.composite
def manifests(draw: st.DrawFn) -> tuple[str, bytes]:
    place = draw(st.sampled_from(["plugin", "marketplace"]))
    data = draw(st.dictionaries(st.sampled_from(MANIFEST_KEYS), json_values, max_size=8))
    if draw(st.booleans()):
        data["plugins"] = draw(
            st.lists(
                st.dictionaries(st.sampled_from(MANIFEST_KEYS), json_values, max_size=5), max_size=4
            )
        )
    text = json.dumps(data, indent=draw(st.sampled_from([None, 2])))
    if draw(st.integers(0, 9)) == 0:  # an integer Python will not read as int (issue 9)
        digits = draw(st.sampled_from([4301, 20_000]))
        text = '{"huge": ' + "9" * digits + ("," if len(data) else "") + text[1:]
    if draw(st.integers(0, 4)) == 0:  # break it
        cut = draw(st.integers(0, len(text)))
        text = (
            text[:cut]
            + draw(st.sampled_from([",", "}", "]", '"', "\x00", "/* c */", ""]))
            + text[cut:]
        )
    return place, text.encode("utf-8", "surrogatepass")


# --- the properties ------------------------------------------------------------------------------


@_settings("structured")
@given(place=places_md, data=structured_documents())
def test_structured_frontmatter(workspace: Path, place: str, data: bytes) -> None:
    check(workspace, place, data)


@_settings("raw_yaml")
@given(place=places_md, data=raw_documents())
def test_raw_yaml_text(workspace: Path, place: str, data: bytes) -> None:
    check(workspace, place, data)


@_settings("binary")
@given(
    place=st.sampled_from(list(PLACES)),
    prefix=st.sampled_from([b"", b"---\n", b"{"]),
    junk=st.binary(max_size=2048),
)
def test_binary_junk(workspace: Path, place: str, prefix: bytes, junk: bytes) -> None:
    check(workspace, place, prefix + junk)


@_settings("encodings")
@given(place=places_md, data=encoded_documents())
def test_odd_encodings(workspace: Path, place: str, data: bytes) -> None:
    check(workspace, place, data)


@_settings("manifests")
@given(manifest=manifests())
def test_manifests(workspace: Path, manifest: tuple[str, bytes]) -> None:
    place, data = manifest
    check(workspace, place, data)


MEMORY_LIMIT = 64 * 1024 * 1024  # per file: a 1 MiB file must not blow up into more than this


@_settings("bombs")
@given(place=places_md, data=bombs())
def test_bombs_stay_bounded(workspace: Path, place: str, data: bytes) -> None:
    tracemalloc.start()
    try:
        check(workspace, place, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, f"{peak / 1e6:.0f} MB for a {len(data)}-byte file"


def test_whole_process_memory_stayed_bounded() -> None:
    # runs after the property tests in this module: their high-water mark, in KiB on Linux
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1_500_000


any_file = st.one_of(
    st.tuples(places_md, structured_documents()),
    st.tuples(places_md, raw_documents()),
    st.tuples(st.sampled_from(list(PLACES)), st.binary(max_size=512)),
    st.tuples(places_md, encoded_documents()),
    manifests(),
    st.tuples(places_md, bombs()),
)


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_generated_trees_through_the_real_cli(
    tmp_path_factory: pytest.TempPathFactory, cli_env: dict[str, str], output_format: str
) -> None:
    @settings(
        max_examples=4,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(files=st.lists(any_file, min_size=3, max_size=10))
    def run(files: list[tuple[str, bytes]]) -> None:
        root = tmp_path_factory.mktemp("cli-tree")
        for index, (place, data) in enumerate(files):
            write(root / f"f{index}" / PLACES[place], data)
        result = subprocess.run(
            [cli_executable(), "lint", "--format", output_format, "."],
            cwd=root,
            env=cli_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode in (0, 1), result.stderr
        assert result.stderr == ""
        if output_format == "json":
            assert "CC000" not in {f["code"] for f in json.loads(result.stdout)["findings"]}
        elif output_format == "sarif":
            assert "CC000" not in {
                r["ruleId"] for r in json.loads(result.stdout)["runs"][0]["results"]
            }
        else:
            assert "CC000" not in result.stdout

    run()
