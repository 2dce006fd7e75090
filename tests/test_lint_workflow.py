"""Linting workflow scripts (workflows/*.js) as Claude Code 2.1.332 loads and runs them.

Each case is a real layout in a temporary folder: a project's ``.claude/workflows/`` or a plugin's
``workflows/`` beside ``.claude-plugin/plugin.json``. The client's own rules (read from its loader)
are in the docstring of ml_agents/lint/checks_workflow.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import PLUGIN as OUR_PLUGIN
from conftest import REPO, cli_executable, examples, write
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_agents.lint.engine import lint

AGENT = "---\nname: {name}\ndescription: Does {name} work.\n---\nYou work.\n"
META = "export const meta = { name: 'demo', description: 'Demonstrates one thing' }\n"
PLUGIN = {"name": "demo", "version": "1.0.0", "description": "Demo.", "author": {"name": "t"}}


def project(tmp_path: Path, scripts: dict[str, str], agents: tuple[str, ...] = ()) -> Path:
    """A git repository with ``.claude/workflows/<name>`` scripts and ``.claude/agents``."""
    (tmp_path / ".git").mkdir()
    for name, text in scripts.items():
        write(tmp_path / ".claude" / "workflows" / name, text)
    for agent in agents:
        write(tmp_path / ".claude" / "agents" / f"{agent}.md", AGENT.format(name=agent))
    return tmp_path


def plugin(
    tmp_path: Path,
    scripts: dict[str, str],
    agents: tuple[str, ...] = (),
    manifest: dict[str, object] | None = None,
) -> Path:
    """A plugin repository named ``demo`` with ``workflows/<name>`` scripts and ``agents/``."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".claude-plugin" / "plugin.json", json.dumps({**PLUGIN, **(manifest or {})}))
    for name, text in scripts.items():
        write(tmp_path / name if "/" in name else tmp_path / "workflows" / name, text)
    for agent in agents:
        write(tmp_path / "agents" / f"{agent}.md", AGENT.format(name=agent))
    return tmp_path


def found(root: Path) -> list[tuple[str, int, int]]:
    """(code, line, col) of every finding linting ``root`` as the whole repository."""
    return [(f.code, f.line, f.col) for f in lint([], cwd=root).findings]


def codes(root: Path) -> list[str]:
    return [f.code for f in lint([], cwd=root).findings]


# --- our own script and the e2e negative controls -------------------------------------------------


def test_our_workflow_is_linted_and_clean() -> None:
    result = lint([Path("workflows")], cwd=OUR_PLUGIN)
    assert result.files == ["workflows/ml-integration-phase.js"]
    assert result.findings == []


def test_a_relative_working_folder_gives_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = plugin(
        tmp_path,
        {"flows/deploy.js": META, "review.js": META, "flows/sub/deep.js": META},
        manifest={"workflows": ["./flows/", "./workflows/"]},
    )
    absolute = lint([], cwd=root).findings
    assert [(f.path, f.code) for f in absolute] == [("flows/sub/deep.js", "CC913")]
    monkeypatch.chdir(OUR_PLUGIN)
    assert lint([Path("workflows")], cwd=Path()).findings == []
    monkeypatch.chdir(root)
    assert lint([Path()], cwd=Path()).findings == absolute


def copy_of_our_plugin(tmp_path: Path) -> Path:
    root = tmp_path / "plugin"
    for name in (".claude-plugin", "agents", "workflows"):
        shutil.copytree(OUR_PLUGIN / name, root / name)
    (root / ".git").mkdir()
    return root


def test_the_e2e_meta_not_first_breakage_is_an_error(tmp_path: Path) -> None:
    # the same edit as tests/e2e/test_e2e_interactive_negative.py: meta_not_first
    root = copy_of_our_plugin(tmp_path)
    script = root / "workflows" / "ml-integration-phase.js"
    text = script.read_text(encoding="utf-8")
    script.write_text(
        re.sub(r"^export const meta", "const RELEASE = 1\nexport const meta", text, flags=re.M),
        encoding="utf-8",
    )
    findings = lint([], cwd=root).findings
    assert [(f.path, f.code, f.line, f.col, f.severity) for f in findings] == [
        ("workflows/ml-integration-phase.js", "CC902", 1, 1, "error")
    ]
    assert "'const RELEASE = 1'" in findings[0].message
    assert "skips the whole workflow" in findings[0].message


def test_a_misspelt_agent_type_in_our_plugin_is_an_error(tmp_path: Path) -> None:
    root = copy_of_our_plugin(tmp_path)
    write(
        root / "workflows" / "one.js",
        META + "return await agent('Analyse.', { agentType: 'ml-agents:data-scientsit' })\n",
    )
    (finding,) = lint([], cwd=root).findings
    assert (finding.path, finding.code, finding.line, finding.col) == (
        "workflows/one.js",
        "CC906",
        2,
        45,
    )
    assert "agent type 'ml-agents:data-scientsit' not found" in finding.message
    assert finding.hint == "Write agentType: 'ml-agents:data-scientist'."


# --- parsing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "col"),
    [
        ("const n: number = 1\n", 2, 7),  # a type annotation
        ("interface Step { role: string }\n", 2, 1),
        ("const x = <div>hi</div>\n", 2, 11),  # JSX
        ("log('unterminated)\n", 2, 1),
    ],
    ids=["annotation", "interface", "jsx", "quote"],
)
def test_what_the_client_cannot_parse_is_an_error(
    tmp_path: Path, body: str, line: int, col: int
) -> None:
    root = project(tmp_path, {"x.js": META + body})
    assert found(root) == [("CC901", line, col)]


def test_what_the_client_parses_is_clean(tmp_path: Path) -> None:
    body = (
        "#!/usr/bin/env node\n"  # a hashbang and comments may precede meta
        "/* header */\n" + META + "const r = await parallel([() => agent('a'), () => agent('b')])\n"
        "for await (const x of r) log(x)\n"
        "if (!r) return null\n"
        "return new Date(args.now).getFullYear() + Number(args.seed)\n"
    )
    root = project(tmp_path, {"x.js": body})
    assert found(root) == []


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    body = "log('héllo wörld'); const n: number = 1\n"
    root = project(tmp_path, {"x.js": META + body})
    assert found(root) == [("CC901", 2, 27)]


def test_a_byte_order_mark_before_meta_is_clean(tmp_path: Path) -> None:
    root = project(tmp_path, {"x.js": "\ufeff" + META + "return 1\n"})
    assert found(root) == []


def test_a_script_over_the_clients_size_limit_is_skipped(tmp_path: Path) -> None:
    root = project(tmp_path, {"x.js": META + "// " + "x" * 524_288 + "\n"})
    assert found(root) == [("CC003", 1, 1)]


# --- meta -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "script",
    [
        "const RELEASE = 1\n" + META,
        "'use strict'\n" + META,
        ";\n" + META,
        META.replace("export const", "export let"),
        META.replace("export const", "const"),
        META.replace("}\n", "}, other = 1\n"),
        "export const meta = makeMeta()\n",
        "",
    ],
    ids=["const", "directive", "semicolon", "let", "no-export", "two-names", "call", "empty"],
)
def test_meta_that_is_not_the_first_statement(tmp_path: Path, script: str) -> None:
    root = project(tmp_path, {"x.js": script})
    assert codes(root) == ["CC902"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("'Reviews', ...EXTRA", "spread"),
        ("'Reviews', [KEY]: 1", "computed key"),
        ("'Reviews', run() { return 1 }", "methods"),
        ("'Reviews', get tag() { return 1 }", "methods"),
        ("'Reviews', phases", "variable phases"),
        ("'Reviews', extra: undefined", "variable undefined"),
        ("'Reviews', tags: [1, , 2]", "holes"),
        ("'Reviews', __proto__: {}", "reserved"),
        ("'Reviews', on: !true", "negative number"),
        ("'Reviews' + ' code'", "binary expression"),
        ("DESCRIPTION", "variable DESCRIPTION"),
    ],
)
def test_meta_that_is_not_a_pure_literal(tmp_path: Path, value: str, reason: str) -> None:
    root = project(tmp_path, {"x.js": f"export const meta = {{ name: 'x', description: {value} }}"})
    findings = lint([], cwd=root).findings
    assert [f.code for f in findings] == ["CC903"]
    assert reason in findings[0].message


def test_pure_literals_the_client_accepts(tmp_path: Path) -> None:
    meta = (
        "export const meta = {\n"
        "  'name': (\"x\"),\n"
        "  description: `Reviews \\u0063ode`,\n"
        "  whenToUse: 'When asked', 1: -2.5, on: true, off: null, re: /a+/g,\n"
        "  phases: [{ title: 'One', detail: 'first', model: 'sonnet' }],\n"
        "}\n"
        "phase('One')\n"
    )
    root = project(tmp_path, {"x.js": meta})
    assert found(root) == []


@pytest.mark.parametrize(
    ("meta", "where", "text"),
    [
        ("{ description: 'Reviews' }", (1, 21), "meta.name is missing"),
        ("{ name: '', description: 'Reviews' }", (1, 23), "meta.name is ''"),
        ("{ name: 'x', description: 42 }", (1, 34), "meta.description is 42"),
    ],
)
def test_meta_needs_a_name_and_a_description(
    tmp_path: Path, meta: str, where: tuple[int, int], text: str
) -> None:
    root = project(tmp_path, {"x.js": f"export const meta = {meta}\n"})
    (finding,) = lint([], cwd=root).findings
    assert (finding.code, (finding.line, finding.col)) == ("CC904", where)
    assert text in finding.message


# --- phases ---------------------------------------------------------------------------------------

PHASED = (
    "export const meta = { name: 'x', description: 'Two phases',\n"
    "  phases: [{ title: 'Agents' }, { title: 'Verify' }] }\n"
)


def test_phase_titles_must_be_declared(tmp_path: Path) -> None:
    body = (
        "phase('Agents')\n"
        "await agent('a', { label: 'a', phase: 'Agent' })\n"  # line 4: a typo
        "phase('Verify')\n"
        "phase(args.title)\n"  # computed: not checked
        "const other = { phase: 'Elsewhere' }\n"  # not agent options
    )
    root = project(tmp_path, {"x.js": PHASED + body})
    findings = lint([], cwd=root).findings
    assert [(f.code, f.line, f.col, f.severity) for f in findings] == [("CC905", 4, 39, "warning")]
    assert findings[0].hint == "Use 'Agents' here, or add { title: 'Agent' } to meta.phases."


@pytest.mark.parametrize(
    ("phases", "where"),
    [
        ("['Agents', { title: 'Verify' }]", [(1, 61)]),
        ("[{ name: 'Agents' }, { title: 7 }]", [(1, 61), (1, 81)]),
        ("'Agents'", [(1, 60)]),
    ],
)
def test_phase_entries_the_client_drops(
    tmp_path: Path, phases: str, where: list[tuple[int, int]]
) -> None:
    meta = f"export const meta = {{ name: 'x', description: 'y', phases: {phases} }}\n"
    root = project(tmp_path, {"x.js": meta})
    assert found(root) == [("CC912", line, col) for line, col in where]


def test_without_meta_phases_any_phase_is_fine(tmp_path: Path) -> None:
    root = project(tmp_path, {"x.js": META + "phase('Anything')\n"})
    assert found(root) == []


# --- calls that throw -----------------------------------------------------------------------------


def test_clock_and_randomness_are_errors(tmp_path: Path) -> None:
    body = (
        "const a = Date.now()\n"
        "const b = Math.random()\n"
        "const c = new Date()\n"
        "const d = new Date\n"
        "const e = new Date(args.now)\n"  # fine: an argument
        "const f = Date.parse(args.when)\n"  # fine
    )
    root = project(tmp_path, {"x.js": META + body})
    assert found(root) == [("CC909", 2, 11), ("CC909", 3, 11), ("CC909", 4, 11), ("CC909", 5, 11)]


# --- agent types ----------------------------------------------------------------------------------


def agent_call(agent_type: str) -> str:
    return f"await agent('work', {{ agentType: '{agent_type}' }})\n"


@pytest.mark.parametrize(
    ("agent_type", "expected"),
    [
        ("demo:reviewer", []),
        ("Explore", []),  # built-in
        ("general-purpose", []),
        ("other-plugin:reviewer", []),  # another plugin's: cannot be known here
        ("reviewer", ["CC907"]),
        ("demo:reviewr", ["CC906"]),
        ("demo:painter", ["CC906"]),
        ("reviewr", ["CC906"]),  # a typo of the plugin's reviewer
        ("painter", ["CC908"]),
    ],
)
def test_agent_types_in_a_plugin(tmp_path: Path, agent_type: str, expected: list[str]) -> None:
    root = plugin(tmp_path, {"x.js": META + agent_call(agent_type)}, agents=("reviewer",))
    assert codes(root) == expected


def test_agent_types_in_a_project(tmp_path: Path) -> None:
    body = "".join(
        agent_call(name) for name in ("reviewer", "reviewr", "my-plugin:thing", "someone-else")
    )
    root = project(tmp_path, {"x.js": META + body}, agents=("reviewer",))
    # bare names of .claude/agents are right; a typo of one fails; others may be the user's own
    assert found(root) == [("CC906", 3, 34)]


def test_agents_in_plugin_subfolders_and_custom_paths_resolve(tmp_path: Path) -> None:
    root = plugin(
        tmp_path,
        {"x.js": META + agent_call("demo:writer")},
        manifest={"agents": ["./team/writer.md"]},
    )
    write(root / "team" / "writer.md", AGENT.format(name="writer"))
    assert codes(root) == []


def test_agent_types_resolve_when_only_the_script_is_named(tmp_path: Path) -> None:
    # pre-commit passes only the changed script: the plugin's agents are read from beside it
    root = plugin(tmp_path, {"x.js": META + agent_call("reviewer")}, agents=("reviewer",))
    findings = lint([Path("workflows/x.js")], cwd=root).findings
    assert [f.code for f in findings] == ["CC907"]


# --- where scripts are found ----------------------------------------------------------------------


def test_only_js_loads(tmp_path: Path) -> None:
    scripts = {name: META for name in ("a.js", "b.mjs", "c.cjs", "d.ts")}
    root = plugin(tmp_path, scripts)
    write(root / "workflows" / "README.md", "# Notes on the workflows\n")
    findings = lint([], cwd=root).findings
    assert [(Path(f.path).name, f.code) for f in findings] == [
        ("b.mjs", "CC910"),
        ("c.cjs", "CC910"),
        ("d.ts", "CC910"),
    ]
    assert findings[2].hint == "Rename it to d.js (plain JavaScript, no TypeScript syntax)."


def test_scripts_in_subfolders_are_never_read(tmp_path: Path) -> None:
    root = plugin(
        tmp_path,
        {"top.js": META, "workflows/sub/deep.js": META, "flows/a.js": META, "flows/b/c.js": META},
        manifest={"workflows": ["./workflows/", "./flows/"]},
    )
    findings = lint([], cwd=root).findings
    assert [(f.path, f.code) for f in findings] == [
        ("flows/b/c.js", "CC913"),
        ("workflows/sub/deep.js", "CC913"),
    ]
    assert findings[1].hint == "Move it to workflows/deep.js."


def test_other_workflows_folders_are_not_the_clients(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "src" / "workflows" / "build.ts", "const n: number = 1\n")
    write(tmp_path / "src" / "workflows" / "run.js", "const n: number = 1\n")
    # nothing in src/ is the client's: the only finding says so (CC031)
    assert [f.code for f in lint([Path("src")], cwd=tmp_path).findings] == ["CC031"]
    (named,) = lint([Path("src/workflows/run.js")], cwd=tmp_path).findings
    assert named.code == "CC005"
    assert "workflows/ is read only in .claude/ and beside .claude-plugin/" in named.message


def test_a_manifest_workflows_key_replaces_the_default_folder(tmp_path: Path) -> None:
    root = plugin(
        tmp_path,
        {"flows/deploy.js": META, "review.js": META.replace("demo", "review")},
        manifest={"workflows": "./flows/deploy.js"},
    )
    result = lint([], cwd=root)
    assert "flows/deploy.js" in result.files  # the listed script is linted too
    assert [(f.path, f.code, f.line) for f in result.findings] == [
        ("workflows/review.js", "CC911", 1)
    ]
    assert result.findings[0].hint == (
        'List the folder too: "workflows": ["./flows/deploy.js", "./workflows/"].'
    )


def test_listing_the_default_folder_keeps_it(tmp_path: Path) -> None:
    root = plugin(
        tmp_path,
        {"flows/deploy.js": META, "review.js": "const late = 1\n" + META},
        manifest={"workflows": ["./flows/deploy.js", "./workflows/"]},
    )
    assert found(root) == [("CC902", 1, 1)]


def test_the_parallel_run_carries_agent_types(tmp_path: Path) -> None:
    root = plugin(tmp_path, {"x.js": META + agent_call("reviewer")}, agents=("reviewer",))
    for index in range(220):
        write(root / "agents" / f"a{index}.md", AGENT.format(name=f"a{index}"))
    serial = lint([], cwd=root).findings
    assert [f.code for f in serial] == ["CC907"]
    assert lint([], cwd=root, parallel=True).findings == serial


def test_precommit_files_pattern_covers_workflow_scripts() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pattern = re.compile(hook["files"])
    for path in ("workflows/review.js", ".claude/workflows/a.js", "p/workflows/b.mjs", "w/c.ts"):
        assert bool(pattern.search(path)) == (not path.startswith("w/")), path
    assert not pattern.search(".github/workflows/ci.yml")


# --- the CLI --------------------------------------------------------------------------------------


def test_cli_reports_a_broken_script(tmp_path: Path) -> None:
    root = project(tmp_path, {"review.js": "const late = 1\n" + META})
    done = subprocess.run(
        [cli_executable(), "lint"], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stdout.startswith(".claude/workflows/review.js:1:1: error CC902 ")
    assert "Traceback" not in done.stderr


def test_without_the_parser_a_script_is_one_clear_line(tmp_path: Path) -> None:
    root = project(tmp_path, {"review.js": META})
    code = (
        "import sys; sys.modules['tree_sitter'] = None\n"
        "from pathlib import Path\n"
        "from ml_agents.lint.engine import lint\n"
        f"for f in lint([], cwd=Path({str(root)!r})).findings: print(f.code, f.message)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("CC000 not linted: the JavaScript parser is not installed")


def test_the_parser_is_loaded_only_for_scripts(tmp_path: Path) -> None:
    write(tmp_path / ".claude" / "agents" / "a.md", AGENT.format(name="a"))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from ml_agents.lint.engine import lint\n"
        f"lint([], cwd=Path({str(tmp_path)!r}))\n"
        "print('tree_sitter' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# --- any input ------------------------------------------------------------------------------------

FRAGMENTS = [
    META,
    "export const meta = {",
    "name: 'x', ",
    "description: `d ${x}`, ",
    "phases: [{ title: 'A' }, 'B', , ...C], ",
    "[k]: 1, get g() { return 1 }, __proto__: {}, 0x1f: -1e3, 1n: /re/u, ",
    "}\n",
    "phase('A')\n",
    "await agent('p', { agentType: 'demo:x', phase: 'B', schema: { type: 'object' } })\n",
    "Date.now(); new Date; Math.random()\n",
    "const n: number = <T>1 as any\n",
    "function f(a, b = 1, ...c) { return `${a}\\u{1F600}\\x41\\\n` }\n",
    "'unterminated\n",
    "/* open comment\n",
    "é\u2028\u0000\ufeff",
    "return await parallel([() => 1])\n",
]


@settings(max_examples=examples(300), deadline=None, derandomize=True, database=None)
@given(
    parts=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=12),
    in_plugin=st.booleans(),
)
def test_any_script_gives_findings_inside_the_file(parts: list[str], in_plugin: bool) -> None:
    text = "".join(parts)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        root = plugin(base, {"x.js": text}) if in_plugin else project(base, {"x.js": text})
        script = root / ("workflows" if in_plugin else ".claude/workflows") / "x.js"
        data = script.read_bytes()
        lines = data.count(b"\n") + data.count("\u2028".encode()) + 1
        for finding in lint([], cwd=root).findings:
            assert finding.code != "CC000", (finding, text)
            assert 1 <= finding.line <= lines and finding.col >= 1, (finding, text)
            assert finding.message and finding.hint
