"""The plugin route's manifests, checked by the real client (`claude plugin validate`).

Also a differential test: a corpus of plugin.json and marketplace.json variants goes through both
the shipped schemas and the pinned Claude Code, and the two must agree on every one, apart from the
differences the schemas document on purpose.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import PLUGIN, REPO
from e2e.client import NEWEST, ClientInstall, ClientUnavailable, ensure_client, offline_env
from e2e.scenario import client_unavailable
from jsonschema import Draft202012Validator

import ml_agents
from ml_agents.bundle import schema_path

MANIFESTS = REPO / ".claude-plugin"
PLUGIN_JSON = PLUGIN / ".claude-plugin" / "plugin.json"
# a repository-shaped copy: the marketplace at its root, the plugin it lists under plugins/
REPOSITORY_COPY = (".claude-plugin", "plugins", "README.md", "LICENSE")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def package_version() -> str:
    source = (REPO / "src" / "ml_agents" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', source, re.MULTILINE)
    assert match, "src/ml_agents/__init__.py has no __version__ line"
    return match.group(1)


# --- the manifests agree with each other and with the package ---------------------------------


def test_plugin_version_is_the_package_version() -> None:
    plugin = read_json(PLUGIN_JSON)
    assert package_version() == ml_agents.__version__
    assert plugin["version"] == package_version(), (
        "bump plugins/ml-agents/.claude-plugin/plugin.json with the package: plugin caches are "
        "keyed by version"
    )


def test_marketplace_lists_this_plugin_at_the_same_version() -> None:
    plugin = read_json(PLUGIN_JSON)
    market = read_json(MANIFESTS / "marketplace.json")
    assert market["name"] == "ml-agents"
    (entry,) = market["plugins"]
    assert entry["name"] == plugin["name"] == "ml-agents"
    assert entry["version"] == plugin["version"]
    assert entry["source"].startswith("./")
    assert (REPO / entry["source"] / ".claude-plugin" / "plugin.json").is_file()


def test_plugin_uses_the_default_component_folders() -> None:
    plugin = read_json(PLUGIN_JSON)
    # setting any of these keys would stop the client from auto-loading the default folder
    for folder, pattern in (("commands", "*.md"), ("agents", "*.md"), ("workflows", "*.js")):
        assert folder not in plugin
        assert sorted((PLUGIN / folder).glob(pattern))
    assert plugin["license"] == "MIT"
    assert plugin["author"]["name"]


# --- the real client --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def claude() -> ClientInstall:
    """The pinned client the end-to-end tests use (installed into their cache on first use)."""
    try:
        return ensure_client(NEWEST)
    except ClientUnavailable as error:
        reason = f"Claude Code {NEWEST.version}: {error}"
    client_unavailable(reason)


class Verdict(NamedTuple):
    returncode: int
    report: dict[str, Any]
    output: str

    @property
    def manifest_errors(self) -> list[str]:
        return [f"{e['path']}: {e['message']}" for e in self.report["manifest"]["errors"]]

    @property
    def manifest_warnings(self) -> list[str]:
        return [f"{e['path']}: {e['message']}" for e in self.report["manifest"]["warnings"]]


def validate(claude: ClientInstall, target: Path, *, strict: bool = True) -> Verdict:
    """`claude plugin validate [--strict] --json <target>`, offline, in a throwaway HOME."""
    with tempfile.TemporaryDirectory(prefix="ml-agents-validate-home-") as home:
        env = offline_env(claude.bin_dir, home)
        command = ["claude", "plugin", "validate", *(["--strict"] if strict else []), "--json"]
        done = subprocess.run(
            [*command, str(target)],
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"validate printed no JSON (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return Verdict(done.returncode, report, done.stdout + done.stderr)


@pytest.mark.e2e
def test_claude_plugin_validate_strict_passes_on_the_repository(claude: ClientInstall) -> None:
    # validating the marketplace checks each listed plugin's plugin.json, not its components
    # (measured on 2.1.332: "contents": [], "provides": null), so the plugin is validated too
    market = validate(claude, REPO)
    assert market.returncode == 0 and market.report["success"], market.output
    assert market.report["strict"] is True
    assert market.report["target"].endswith("marketplace.json")
    assert not market.manifest_errors and not market.manifest_warnings, market.output
    verdict = validate(claude, PLUGIN)
    assert verdict.returncode == 0 and verdict.report["success"], verdict.output
    assert verdict.report["target"].endswith("plugin.json")
    assert not verdict.manifest_errors and not verdict.manifest_warnings, verdict.output
    provides = verdict.report["provides"]
    assert provides["commands"] == ["ml-agents:ml-integration"]
    shipped_agents = sorted(f"ml-agents:{p.stem}" for p in (PLUGIN / "agents").glob("*.md"))
    assert sorted(provides["agents"]) == shipped_agents
    shipped_workflows = sorted(f"ml-agents:{p.stem}" for p in (PLUGIN / "workflows").glob("*.js"))
    assert provides["workflows"] == shipped_workflows


def break_plugin_version(root: Path) -> None:
    path = root / "plugins" / "ml-agents" / ".claude-plugin" / "plugin.json"
    path.write_text(json.dumps({**read_json(path), "version": 1}), encoding="utf-8")


def break_marketplace_source(root: Path) -> None:
    path = root / ".claude-plugin" / "marketplace.json"
    market = read_json(path)
    market["plugins"][0]["source"] = "../ml-agents"
    path.write_text(json.dumps(market), encoding="utf-8")


def add_unknown_plugin_key(root: Path) -> None:
    path = root / "plugins" / "ml-agents" / ".claude-plugin" / "plugin.json"
    path.write_text(json.dumps({**read_json(path), "descripton": "typo"}), encoding="utf-8")


def remove_agent_description(root: Path) -> None:
    path = sorted((root / "plugins" / "ml-agents" / "agents").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^description:.*\n", "", text, count=1), encoding="utf-8")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (None, None),
        (break_plugin_version, "version"),
        (break_marketplace_source, "source"),
        (add_unknown_plugin_key, "descripton"),
        (remove_agent_description, "description"),
    ],
    ids=["unchanged-copy", "plugin-version-number", "source-outside-root", "unknown-key", "agent"],
)
def test_validate_fails_on_a_broken_copy(
    claude: ClientInstall, tmp_path: Path, breakage: Any, expected: str | None
) -> None:
    copy = tmp_path / "ml-agents"
    copy.mkdir()
    for name in REPOSITORY_COPY:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            shutil.copy2(source, copy / name)
    if breakage is not None:
        breakage(copy)
    verdicts = [validate(claude, copy), validate(claude, copy / "plugins" / "ml-agents")]
    if breakage is None:
        for verdict in verdicts:
            assert verdict.returncode == 0, verdict.output
        return
    assert expected is not None
    failed = [v for v in verdicts if v.returncode == 1 and not v.report["success"]]
    assert failed, "\n".join(v.output for v in verdicts)
    assert any(expected in v.output for v in failed)


# --- the schemas agree with the client --------------------------------------------------------

# Client warnings that are advice, not validity: the schemas put them in descriptions instead. (A
# kebab-case warning that says the client refuses or cannot install the name is not advice.)
ADVISORY = ("Claude Code accepts it, but", "reads as one of Anthropic's own")


class Case(NamedTuple):
    id: str
    kind: str
    """``plugin`` or ``marketplace``."""
    document: dict[str, Any]
    schema_stricter: str = ""
    """Why the schema rejects a document the client accepts, when it does so on purpose."""


PLUGIN_BASE: dict[str, Any] = {
    "name": "p",
    "version": "1.0.0",
    "description": "d",
    "author": {"name": "a"},
}


def plugin_case(case_id: str, stricter: str = "", **fields: Any) -> Case:
    return Case(case_id, "plugin", {**PLUGIN_BASE, **fields}, stricter)


def market_case(case_id: str, stricter: str = "", entry: Any = None, **fields: Any) -> Case:
    plugin_entry = {"name": "p", "source": "./p", "description": "d", "version": "1.0.0"}
    plugin_entry.update(entry or {})
    document = {"name": "mk", "owner": {"name": "o"}, "description": "d", "plugins": [plugin_entry]}
    document.update(fields)
    return Case(case_id, "marketplace", document, stricter)


CASES = [
    plugin_case("plugin-base"),
    *(
        plugin_case(f"plugin-name-{name!r}", name=name)
        for name in [
            "My_Plugin",
            "a b",
            "a\tb",
            "",
            "a/b",
            "a:b",
            "-a",
            ".",
            "claude-x",
            "ClaudeCode",
            "claude_x",
            "clau-de",
            "claudex",
            "my-claude",
            "claude1",
            "claude-1",
            "cc-plugin-x",
            "cc-pluginx",
            "anthropics",
            "claudemods",
            "unofficial-claude",
            "x-claude-y-official",
            "ml-agents",
        ]
    ),
    plugin_case("plugin-version-number", version=1),
    plugin_case("plugin-version-empty", version=""),
    *(
        plugin_case(f"plugin-homepage-{url!r}", homepage=url)
        for url in [
            "https://x",
            "mailto:a@b",
            "x:",
            " https://x ",
            "http:x",
            "https://x/a b",
            "https://x:65535",
            "https://[::1]:8080/",
            "https://ex%41mple.com",
            "file:///tmp/x",
            "http://",
            "https:",
            "https://a b.com/",
            "https://x:99999",
            "a b:c",
            "",
            "https://x<y",
        ]
    ),
    plugin_case("plugin-repository-object", repository={"type": "git", "url": "x"}),
    plugin_case("plugin-license-number", license=5),
    plugin_case("plugin-keywords-string", keywords="a"),
    plugin_case("plugin-author-string", author="bob"),
    plugin_case("plugin-author-empty-name", author={"name": ""}),
    plugin_case("plugin-author-extra-key", "unknown keys are closed", author={"name": "a", "x": 1}),
    plugin_case("plugin-unknown-key", descripton="x"),
    plugin_case("plugin-default-enabled-string", defaultEnabled="yes"),
    plugin_case("plugin-commands-dir", commands="./dir"),
    plugin_case("plugin-commands-no-dot-slash", commands="x.md"),
    plugin_case("plugin-commands-dotdot", commands="./a/../x.md"),
    plugin_case(
        "plugin-commands-inline-both", commands={"h": {"source": "./x.md", "content": "c"}}
    ),
    plugin_case("plugin-agents-dir", agents="./dir"),
    plugin_case("plugin-agents-file", agents=["./x.md"]),
    plugin_case("plugin-skills-root", skills="."),
    plugin_case("plugin-monitors-dir", monitors="./dir"),
    plugin_case("plugin-experimental-unknown", experimental={"foo": 1}),
    plugin_case("plugin-engines-range", engines={"claude-code": "^2.1 || >=3.0.0-beta.1"}),
    plugin_case("plugin-engines-banana", engines={"claude-code": "banana"}),
    plugin_case("plugin-engines-node", "unknown keys are closed", engines={"node": ">=18"}),
    plugin_case("plugin-network-string", network={"hosts": "a.com"}),
    plugin_case("plugin-metadata-list", metadata=[1]),
    plugin_case("plugin-dependencies", dependencies=["a", "a@m", "a@m@^1.0", {"name": "x"}]),
    plugin_case("plugin-dependencies-bad", dependencies=["{bad}"]),
    plugin_case(
        "plugin-user-config-key",
        userConfig={"1K": {"type": "string", "title": "t", "description": "d"}},
    ),
    plugin_case("plugin-user-config-missing", userConfig={"K": {"type": "string"}}),
    plugin_case("plugin-channels-empty", channels=[{}]),
    plugin_case("plugin-binaries-bad", binaries={"Tool": {"sha256": "x"}}),
    plugin_case("plugin-mcp-empty", mcpServers={"s": {}}),
    plugin_case("plugin-mcp-stdio", mcpServers={"s": {"command": "x"}}),
    plugin_case("plugin-mcp-http", mcpServers={"s": {"type": "http", "url": "https://x"}}),
    plugin_case("plugin-lsp-no-mapping", lspServers={"py": {"command": "pyright"}}),
    plugin_case(
        "plugin-hooks-ok",
        hooks={"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "x"}]}]},
    ),
    plugin_case("plugin-hooks-unknown-event", hooks={"hooks": {}}),
    plugin_case("plugin-hooks-no-command", hooks={"Stop": [{"hooks": [{"type": "command"}]}]}),
    market_case("market-base"),
    *(
        market_case(f"market-name-{name!r}", name=name)
        for name in [
            "inline",
            "Builtin",
            "claude-marketplace",
            "my-claude-plugins",
            "claude-tools",
            "mkté",
            "a/b",
            "a..b",
            "claude-plugins",
            "Claude_Official",
            "claude-market-place",
            "x-official-claude",
            "claude",
            "-mk",
            "mk.",
        ]
    ),
    market_case(
        "market-name-reserved", "reserved for Anthropic's GitHub marketplaces", name="agent-skills"
    ),
    market_case("market-owner-empty", owner={}),
    market_case("market-version-number", version=1),
    market_case("market-description-null", description=None),
    market_case("market-unknown-key", foo=1),
    market_case("market-renames", renames={"old": "p", "gone": None}),
    market_case("market-entry-dotdot", entry={"source": "../x"}),
    market_case("market-entry-bare", entry={"source": "p"}),
    market_case("market-entry-bare-root", metadata={"pluginRoot": "./"}, entry={"source": "p"}),
    market_case("market-entry-dot", entry={"source": "."}),
    market_case("market-entry-version-number", entry={"version": 2}),
    market_case("market-entry-unknown-key", entry={"foo": 1}),
    market_case("market-entry-name-space", entry={"name": "a b"}),
    market_case("market-entry-github", entry={"source": {"source": "github", "repo": "a/b"}}),
    market_case(
        "market-entry-short-sha",
        entry={"source": {"source": "github", "repo": "a/b", "sha": "abc"}},
    ),
    market_case("market-entry-unknown-source", entry={"source": {"source": "weird"}}),
    market_case("market-entry-npm-dotdot", entry={"source": {"source": "npm", "package": "../x"}}),
    market_case(
        "market-entry-archive-http",
        entry={"source": {"source": "archive", "url": "http://x/a.zip"}},
    ),
    market_case(
        "market-entry-command-spaces", entry={"source": {"source": "command", "command": "a    b"}}
    ),
    market_case("market-entry-strict-string", entry={"strict": "no"}),
    market_case("market-entry-relevance-bad", entry={"relevance": {"bogus": 1}}),
    market_case("market-entry-homepage", entry={"homepage": "nope"}),
]


def client_verdict(claude: ClientInstall, case: Case) -> tuple[list[str], list[str]]:
    """The client's errors and warnings on one case; missing paths aside (schemas see no files)."""
    with tempfile.TemporaryDirectory(prefix="ml-agents-differential-") as folder:
        root = Path(folder)
        (root / ".claude-plugin").mkdir()
        (root / ".claude-plugin" / f"{case.kind}.json").write_text(
            json.dumps(case.document), encoding="utf-8"
        )
        for name in ("x.md", "dir/a.md", "p/.claude-plugin/plugin.json"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("---\ndescription: d\n---\nbody\n", encoding="utf-8")
        (root / "p/.claude-plugin/plugin.json").write_text(
            json.dumps({**PLUGIN_BASE, "name": "p"}), encoding="utf-8"
        )
        verdict = validate(claude, root, strict=False)
    errors = [e for e in verdict.manifest_errors if "Path not found" not in e]
    warnings = [w for w in verdict.manifest_warnings if not any(a in w for a in ADVISORY)]
    return errors, warnings


@pytest.fixture(scope="module")
def client_verdicts(claude: ClientInstall) -> dict[str, tuple[list[str], list[str]]]:
    """Every case through the client once, a few runs side by side (each starts a process)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda case: client_verdict(claude, case), CASES)
        return {case.id: result for case, result in zip(CASES, results, strict=True)}


@pytest.mark.e2e
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_schema_agrees_with_the_client(
    client_verdicts: dict[str, tuple[list[str], list[str]]], case: Case
) -> None:
    errors, warnings = client_verdicts[case.id]
    validator = Draft202012Validator(read_json(schema_path(case.kind)))
    schema_problems = [error.message[:160] for error in validator.iter_errors(case.document)]
    client_rejects = bool(errors or warnings)
    if case.schema_stricter:
        assert not client_rejects and schema_problems, (
            f"documented difference gone: {case.schema_stricter}"
        )
        return
    assert bool(schema_problems) == client_rejects, (
        f"client errors={errors} warnings={warnings}\nschema={schema_problems}"
    )


def test_the_plugin_folder_carries_the_license() -> None:
    # the client's cached copy is the plugin folder alone: the license must travel with it
    assert (PLUGIN / "LICENSE").read_bytes() == (REPO / "LICENSE").read_bytes()
