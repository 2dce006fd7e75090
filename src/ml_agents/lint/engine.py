"""Lint engine: discover files, check each one, then check across them.

One bad file never stops the run: reading problems become findings, and a bug in a checker becomes
a CC000 finding for that file instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ml_agents import frontmatter
from ml_agents.frontmatter import Position
from ml_agents.lint import crossfile, discover, reading, rules, spec
from ml_agents.lint.checks_agent import check_agent
from ml_agents.lint.checks_command import Mention, check_command
from ml_agents.lint.context import FileContext
from ml_agents.lint.discover import Target
from ml_agents.lint.positions import shown
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import AGENT, MARKETPLACE_MANIFEST, PLUGIN_MANIFEST, SKILL

if TYPE_CHECKING:
    from ml_agents.lint.checks_manifest import LocalPlugin

MANIFEST_SIZE_LIMIT = 16 * 1024 * 1024


class LintResult(NamedTuple):
    findings: list[Finding]
    files: list[str]
    """The files that were linted (as displayed), in order."""


class _Facts(NamedTuple):
    agent: crossfile.AgentRecord | None = None
    command: crossfile.CommandRecord | None = None
    marketplace: list[LocalPlugin] | None = None


def lint_paths(paths: Sequence[Path]) -> list[Finding]:
    """Lint files and folders; a file's kind comes from where it lives. Never raises."""
    return lint(paths).findings


def lint(paths: Sequence[Path], cwd: Path | None = None, *, parallel: bool = False) -> LintResult:
    """Lint ``paths`` (files or folders), or the current repository's Claude Code files when empty.

    ``parallel`` lets a large run use a second core (a forked child); the CLI turns it on.
    """
    cwd = cwd or Path.cwd()
    discover.clear_caches()  # a long-lived caller may lint a tree that changed since the last run
    targets, findings = discover.discover([Path(p) for p in paths], cwd)
    agents: list[crossfile.AgentRecord] = []
    commands: list[crossfile.CommandRecord] = []
    if parallel:
        from ml_agents.lint.parallel import map_in_two

        results = map_in_two(lint_file_safely, targets, _encode, _decode)
    else:
        results = [lint_file_safely(target) for target in targets]
    for target, (file_findings, facts) in zip(targets, results, strict=True):
        findings.extend(file_findings)
        if facts.agent:
            agents.append(facts.agent)
        if facts.command:
            commands.append(facts.command)
        if facts.marketplace:
            findings.extend(crossfile.marketplace_versions(target.display, facts.marketplace))
    findings.extend(_cross_checks(targets, agents, commands, cwd))
    findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
    return LintResult(findings, [t.display for t in targets])


def _cross_checks(
    targets: list[Target],
    agents: list[crossfile.AgentRecord],
    commands: list[crossfile.CommandRecord],
    cwd: Path,
) -> list[Finding]:
    linted = {t.key for t in targets if t.kind == AGENT}
    agent_folders = {
        discover.real_folder(str(t.anchor)) for t in targets if t.kind == AGENT and t.anchor
    }
    everyone = list(agents)
    for folder in sorted(agent_folders):
        everyone.extend(crossfile.neighbour_agents(folder, linted, cwd))
    findings = crossfile.duplicate_agents(everyone)
    if commands:
        near = {
            discover.real_folder(str(f))
            for c in commands
            for f in crossfile.agent_folders_near(c.target)
        }
        for folder in sorted(near - agent_folders):
            everyone.extend(crossfile.neighbour_agents(folder, linted, cwd))
        known = {a.name for a in everyone} | crossfile.bundle_agent_names() | spec.BUILTIN_AGENTS
        findings.extend(crossfile.unknown_agent_references(commands, known))
    return findings


def lint_file_safely(target: Target) -> tuple[list[Finding], _Facts]:
    try:
        return lint_file(target)
    except Exception as error:  # a checker bug must not hide the other files
        message = f"internal error: {type(error).__name__}: {error}"[:300]
        return [rules.make("CC000", target.display, 1, 1, message)], _Facts()


def _encode(result: tuple[list[Finding], _Facts]) -> tuple[object, ...]:
    """A result as plain tuples, for ``marshal`` (see parallel.py)."""
    findings, facts = result
    agent = facts.agent
    command = facts.command
    return (
        [tuple(f) for f in findings],
        None if agent is None else (*agent[:3], tuple(agent.position), agent.scope, agent.linted),
        None
        if command is None
        else [(m.name, tuple(m.position), m.strength, m.group) for m in command.mentions],
        None
        if facts.marketplace is None
        else [
            (p.name, p.version, tuple(p.version_position), str(p.folder)) for p in facts.marketplace
        ],
    )


def _decode(target: Target, encoded: Any) -> tuple[list[Finding], _Facts]:
    findings, agent, mentions, marketplace = encoded
    facts = _Facts(
        agent=None
        if agent is None
        else crossfile.AgentRecord(
            agent[0], agent[1], agent[2], Position(*agent[3]), tuple(agent[4]), agent[5]
        ),
        command=None
        if mentions is None
        else crossfile.CommandRecord(
            target, [Mention(n, Position(*p), s, g) for n, p, s, g in mentions]
        ),
        marketplace=None if marketplace is None else _decode_plugins(marketplace),
    )
    return [Finding(*f) for f in findings], facts


def _decode_plugins(encoded: list[Any]) -> list[LocalPlugin]:
    from ml_agents.lint.checks_manifest import LocalPlugin

    return [LocalPlugin(n, v, Position(*p), Path(folder)) for n, v, p, folder in encoded]


def lint_file(target: Target) -> tuple[list[Finding], _Facts]:
    """All single-file findings for one target, and what the cross-file checks need from it."""
    is_manifest = target.kind in (PLUGIN_MANIFEST, MARKETPLACE_MANIFEST)
    if is_manifest:
        limit = MANIFEST_SIZE_LIMIT
    else:
        limit = spec.SKILL_SIZE_LIMIT if target.kind == SKILL else spec.FILE_SIZE_LIMIT
    data, problem = reading.read_limited(target.path, target.display, limit)
    if problem is not None:
        return [problem], _Facts()
    assert data is not None
    try:
        text, bom = frontmatter.decode(data)
    except UnicodeDecodeError as error:
        return [_encoding_finding(target.display, data, error)], _Facts()
    if is_manifest:
        return _lint_manifest(target, text)
    return _lint_frontmatter_file(target, text, bom)


def _encoding_finding(display: str, data: bytes, error: UnicodeDecodeError) -> Finding:
    start = error.start
    line = data.count(b"\n", 0, start) + 1
    col = start - (data.rfind(b"\n", 0, start) + 1) + 1
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = "the file is UTF-16, not UTF-8; Claude Code cannot read its frontmatter"
    else:
        message = f"invalid UTF-8: byte 0x{data[start]:02x} cannot be decoded"
    return rules.make("CC004", display, line, col, message)


def _lint_manifest(target: Target, text: str) -> tuple[list[Finding], _Facts]:
    from ml_agents.lint import jsonpos  # manifests are rare: keep JSON machinery off the hot path
    from ml_agents.lint.checks_manifest import check_marketplace, check_plugin, rejection

    document, problem = jsonpos.load(text)
    if problem is not None:
        where = problem.position
        message = f"{problem.message}; {rejection(target.display)}"
        return [rules.make("CC501", target.display, where.line, where.col, message)], _Facts()
    assert document is not None
    if target.kind == PLUGIN_MANIFEST:
        return check_plugin(target.display, target.path, document), _Facts()
    findings, local = check_marketplace(target.display, target.path, document)
    return findings, _Facts(marketplace=local)


def _lint_frontmatter_file(target: Target, text: str, bom: bool) -> tuple[list[Finding], _Facts]:
    document = frontmatter.parse(text, bom=bom)
    findings = structure_findings(target, document)
    if document.frontmatter is None:
        return findings, _Facts()
    context = FileContext(
        target.path, target.display, target.kind, document, document.frontmatter, target.plugin_root
    )
    context.findings = findings
    if target.kind == AGENT:
        name = check_agent(context)
        record = None
        if name is not None:
            scope = discover.agent_scope(target.path, target.anchor, target.plugin_root is not None)
            record = crossfile.AgentRecord(
                name.name, target.key, target.display, name.position, scope, True
            )
        return context.findings, _Facts(agent=record)
    mentions = check_command(context)
    return context.findings, _Facts(command=crossfile.CommandRecord(target, mentions))


def structure_findings(target: Target, document: frontmatter.Document) -> list[Finding]:
    """Findings about the frontmatter block itself: BOM, presence, YAML, duplicates."""
    display = target.display
    findings = []
    if document.bom:
        findings.append(
            rules.make(
                "CC103",
                display,
                1,
                1,
                "a UTF-8 byte-order mark comes before '---': Claude Code 2.1.332 loads the file, "
                "2.1.197 drops it",
            )
        )
    problem = document.problem
    if problem is not None:
        # YAML reports an unexpected end of the block one line past it: keep findings in the file
        last_line = document.text.count("\n") + 1
        where = problem.position._replace(line=min(problem.position.line, last_line))
        if problem.code == frontmatter.PROBLEM_NO_FRONTMATTER:
            late = _late_frontmatter_line(document.text)
            if late:
                findings.append(
                    rules.make(
                        "CC101",
                        display,
                        late,
                        1,
                        f"the '---' block starts on line {late}, not line 1, "
                        "so Claude Code ignores it",
                        "Remove everything before the opening '---'.",
                    )
                )
            elif target.kind == AGENT:
                findings.append(
                    rules.make(
                        "CC101",
                        display,
                        1,
                        1,
                        "the file has no frontmatter, so Claude Code skips it",
                    )
                )
        elif problem.code == frontmatter.PROBLEM_UNTERMINATED:
            findings.append(rules.make("CC102", display, where.line, where.col, problem.message))
        elif problem.code == frontmatter.PROBLEM_YAML:
            findings.append(
                rules.make(
                    "CC104",
                    display,
                    where.line,
                    where.col,
                    f"{problem.message}; Claude Code uses no fields",
                )
            )
        else:
            findings.append(rules.make("CC107", display, where.line, where.col, problem.message))
        return findings
    assert document.frontmatter is not None
    for key, where in document.frontmatter.duplicate_keys:
        message = f"key {shown(key)} appears twice; one value is lost"
        findings.append(rules.make("CC106", display, where.line, where.col, message))
    if document.frontmatter.recovered:
        line, quoted = _first_requoted_line(document.text)
        findings.append(
            rules.make(
                "CC105",
                display,
                line,
                1,
                "this value is invalid YAML as written; Claude Code quotes it for you and reads "
                "it as meant, other YAML tools reject the block",
                f"Quote the value: {shown(quoted)[1:-1]}" if quoted else None,
            )
        )
    return findings


def _late_frontmatter_line(text: str) -> int | None:
    """The line of an opening '---' preceded only by blank lines or an HTML comment, if any."""
    stripped = text.lstrip()
    if stripped.startswith("<!--"):
        end = stripped.find("-->")
        stripped = stripped[end + 3 :].lstrip() if end != -1 else ""
    if frontmatter.find_block(stripped) is None:
        return None
    return text.count("\n", 0, len(text) - len(stripped)) + 1


def _first_requoted_line(text: str) -> tuple[int, str]:
    """The first line the client's retry quotes, and that line as quoted ('' if none)."""
    block = frontmatter.find_block(text)
    if block is None:
        return 1, ""
    yaml_text = text[block.start : block.end]
    first_line = text.count("\n", 0, block.start) + 1
    for index, (before, after) in enumerate(
        zip(yaml_text.split("\n"), frontmatter.auto_quote(yaml_text).split("\n"), strict=False)
    ):
        if before != after:
            return first_line + index, after.strip()
    return first_line, ""
