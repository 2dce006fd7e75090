"""The real client is the judge of the workflow-script rules: a script lint says the client skips
is missing from the client's command list, and a script lint passes (or only warns about) is there.
A script that does not parse (CC901) is listed by 2.1.332, whose list reads only ``meta``, and
refused when it is called; 2.1.197 does not list it.
A plugin's script reaches the plugin's agent only as ``<plugin>:<name>`` (CC907): with the bare
name the client answers "Agent type 'helper' not found" and the agent never runs.

The client's own list of commands comes from the ``initialize`` control request (no model call):
every workflow it loaded is one entry ``<name>`` described ``<description> (dynamic workflow)``.
Project scripts sit in ``.claude/workflows/``; a plugin given with ``--plugin-dir`` holds the case
of a plugin.json ``workflows`` key that replaces the default folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import write  # tests/conftest.py

from ml_agents.lint.engine import lint

from .client import ClientInstall, ClientRun, initialize_commands, run_client
from .fake_api import Block, text_block, tool_use_block
from .scenario import fresh_dirs

pytestmark = pytest.mark.e2e

# file name -> (meta name, script); the name is what the client would list
PROJECT_SCRIPTS = {
    "good.js": "export const meta = { name: 'lint-good', description: 'Good' }\nreturn 1\n",
    "hashbang.js": "#!/usr/bin/env node\n// a comment\n"
    "export const meta = { name: 'lint-hashbang', description: 'Comments first' }\n",
    "paren.js": "export const meta = { name: ('lint-paren'), description: 'Parens', order: -1 }\n",
    "bom.js": "\ufeffexport const meta = { name: 'lint-bom', description: 'A BOM first' }\n",
    "clock.js": "export const meta = { name: 'lint-clock', description: 'Clock' }\n"
    "return Date.now()\n",
    "phases.js": "export const meta = { name: 'lint-phases', description: 'Phases', "
    "phases: ['A', { title: 'B' }] }\nphase('C')\n",
    "typed.js": "export const meta = { name: 'lint-typed', description: 'Typed' }\n"
    "const n: number = 1\n",
    "jsx.js": "export const meta = { name: 'lint-jsx', description: 'JSX' }\nconst x = <a />\n",
    "late.js": "const late = 1\nexport const meta = { name: 'lint-late', description: 'Late' }\n",
    "strict.js": "'use strict'\n"
    "export const meta = { name: 'lint-strict', description: 'Strict' }\n",
    "let.js": "export let meta = { name: 'lint-let', description: 'Let' }\n",
    "computed.js": "export const meta = { name: 'lint-computed', description: `n ${1}` }\n",
    "spread.js": "export const meta = { name: 'lint-spread', description: 'S', ...{} }\n",
    "nodesc.js": "export const meta = { name: 'lint-nodesc' }\n",
    "module.mjs": "export const meta = { name: 'lint-mjs', description: 'An mjs' }\n",
    "types.ts": "export const meta = { name: 'lint-ts', description: 'A ts' }\n",
    "sub/nested.js": "export const meta = { name: 'lint-nested', description: 'Nested' }\n",
}
HELPER = "---\nname: helper\ndescription: Helps.\n---\nYou are HELPER-BODY.\n"
META_ONE = "export const meta = { name: 'one', description: 'One agent' }\n"
SKIPPING_RULES = {"CC003", "CC901", "CC902", "CC903", "CC904", "CC910", "CC911", "CC913"}
LISTED_BUT_REFUSED = {"2.1.332": {"CC901"}}  # the list reads meta only; a call parses it all
PLUGIN_MANIFEST = {
    "name": "lintprobe",
    "version": "0.0.1",
    "description": "probe",
    "author": {"name": "t"},
}


def listed_workflows(client: ClientInstall, home: Path, project: Path, *args: str) -> set[str]:
    commands, stderr = initialize_commands(client, home, project, *args)
    assert commands, f"no command list from the client: {stderr[-400:]}"
    return {
        str(c["name"])
        for c in commands
        if str(c.get("description", "")).endswith("(dynamic workflow)")
    }


def probe_plugin(root: Path, name: str, scripts: dict[str, str], **manifest: object) -> Path:
    """A plugin folder ``root/name`` whose scripts (path -> meta name) are minimal workflows."""
    plugin = root / name
    write(plugin / ".claude-plugin" / "plugin.json", json.dumps({**PLUGIN_MANIFEST, **manifest}))
    (plugin / ".git").mkdir()
    for relative, meta_name in scripts.items():
        meta = f"export const meta = {{ name: '{meta_name}', description: 'Probe {meta_name}' }}\n"
        write(plugin / relative, meta)
    return plugin


def call_workflow(
    client: ClientInstall, home: Path, project: Path, name: str, *args: str
) -> ClientRun:
    """A headless run whose model calls the workflow ``name`` once (pre-approved), then stops."""
    calls = {"n": 0}

    def model(_body: dict[str, Any]) -> list[Block]:
        calls["n"] += 1
        if calls["n"] == 1:
            return [tool_use_block("Workflow", {"name": name, "args": {}})]
        return [text_block("Done.")]

    return run_client(
        client,
        prompt=f"Run the {name} workflow.",
        home=home,
        project=project,
        script=model,
        extra_args=[*args, "--allowedTools", f"Workflow({name})"],
    )


def meta_name(script: str) -> str:
    return script.split("name: ", 1)[1].split(",", 1)[0].strip("()'")


def skipped_by_lint(root: Path, relative: str) -> set[str]:
    findings = lint([], cwd=root).findings
    return {f.code for f in findings if f.code in SKIPPING_RULES and f.path == relative}


def test_lint_and_the_client_agree_on_project_scripts(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"wf-lint-{client.version}"))
    folder = project / ".claude" / "workflows"
    folder.mkdir(parents=True)
    for name, script in PROJECT_SCRIPTS.items():
        write(folder / name, script)
    listed = listed_workflows(client, home, project)
    disagreements = []
    for name, script in PROJECT_SCRIPTS.items():
        skipped = skipped_by_lint(project, f".claude/workflows/{name}")
        skipped -= LISTED_BUT_REFUSED.get(client.version, set())
        if (meta_name(script) in listed) == bool(skipped):
            disagreements.append((name, sorted(skipped), meta_name(script) in listed))
    assert not disagreements, f"(file, lint's skip findings, listed by the client): {disagreements}"


def test_a_manifest_workflows_key_replaces_the_folder_in_the_client(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp(f"wf-lint-plugin-{client.version}")
    home, project = fresh_dirs(root)
    plugin = probe_plugin(
        root,
        "probe-plugin",
        {"extra/deploy.js": "deploy", "workflows/review.js": "review"},
        workflows=["./extra/deploy.js"],
    )
    listed = listed_workflows(client, home, project, "--plugin-dir", str(plugin))
    assert "lintprobe:deploy" in listed and "lintprobe:review" not in listed, listed
    assert skipped_by_lint(plugin, "extra/deploy.js") == set()
    assert skipped_by_lint(plugin, "workflows/review.js") == {"CC911"}


def test_a_script_that_does_not_parse_never_runs(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home, project = fresh_dirs(tmp_path_factory.mktemp(f"wf-lint-run-{client.version}"))
    script = PROJECT_SCRIPTS["typed.js"] + "return n\n"
    write(project / ".claude" / "workflows" / "typed.js", script)
    assert skipped_by_lint(project, ".claude/workflows/typed.js") == {"CC901"}
    run = call_workflow(client, home, project, "lint-typed")
    results = " ".join(
        json.dumps(block.get("content"))
        for request in run.requests
        for message in request.get("messages", [])
        if isinstance(message.get("content"), list)
        for block in message["content"]
        if isinstance(block, dict) and block.get("type") == "tool_result"
    )
    assert "Script parse error" in results or 'Workflow \\"lint-typed\\" not found' in results, (
        run.summary(),
        results[:600],
    )
    assert "launched" not in results.lower()


def test_a_plugin_reads_only_the_top_of_its_workflows_folder(
    client: ClientInstall, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp(f"wf-lint-nested-{client.version}")
    home, project = fresh_dirs(root)
    plugin = probe_plugin(
        root, "nested-plugin", {"workflows/top.js": "top", "workflows/sub/deep.js": "deep"}
    )
    listed = listed_workflows(client, home, project, "--plugin-dir", str(plugin))
    assert "lintprobe:top" in listed and "lintprobe:deep" not in listed, listed
    assert skipped_by_lint(plugin, "workflows/top.js") == set()
    assert skipped_by_lint(plugin, "workflows/sub/deep.js") == {"CC913"}


@pytest.mark.parametrize(
    ("agent_type", "lint_codes"), [("helper", ["CC907"]), ("lintprobe:helper", [])]
)
def test_a_plugin_script_reaches_its_agent_only_by_the_namespaced_name(
    client: ClientInstall,
    tmp_path_factory: pytest.TempPathFactory,
    agent_type: str,
    lint_codes: list[str],
) -> None:
    root = tmp_path_factory.mktemp(f"wf-lint-agent-{client.version}")
    home, project = fresh_dirs(root)
    plugin = probe_plugin(root, "agent-plugin", {})
    write(plugin / "agents" / "helper.md", HELPER)
    script = f"{META_ONE}return await agent('hi', {{ agentType: '{agent_type}' }})\n"
    write(plugin / "workflows" / "one.js", script)
    assert [f.code for f in lint([], cwd=plugin).findings] == lint_codes
    run = call_workflow(client, home, project, "lintprobe:one", "--plugin-dir", str(plugin))
    helper_ran = any("HELPER-BODY" in json.dumps(r.get("system", "")) for r in run.requests)
    assert helper_ran == (not lint_codes), run.summary()
