"""Lint engine: discover files, check each one, then check across them.

One bad file never stops the run: reading problems become findings, and a bug in a checker becomes
a CC000 finding for that file instead of a traceback.

With a ``ResultCache`` (cache.py), a file whose bytes and place are unchanged is neither parsed nor
checked: its findings and the facts the cross-file checks need come back from the cache, so a run
in which nothing changed imports no YAML or schema machinery for its files.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ml_agents import frontmatter
from ml_agents.frontmatter import Position
from ml_agents.lint import cache as result_cache
from ml_agents.lint import crossfile, deps, discover, reading, rules, spec
from ml_agents.lint.checks_plugin_listing import (
    as_loaded,
    listed_agent_folders,
    unlisted_plugin_files,
)
from ml_agents.lint.discover import Target
from ml_agents.lint.positions import shown
from ml_agents.lint.result import SEVERITY_ORDER, Finding
from ml_agents.lint.rules import (
    AGENT,
    COMMAND,
    MARKETPLACE_MANIFEST,
    PLUGIN_MANIFEST,
    SKILL,
    WORKFLOW,
)
from ml_agents.lint.run import TIMINGS_ENV
from ml_agents.lint.suppress import has_marker

if TYPE_CHECKING:
    from ml_agents.lint.checks_manifest import LocalPlugin
    from ml_agents.lint.workflow_agents import WorkflowRecord

MANIFEST_SIZE_LIMIT = 16 * 1024 * 1024
WORKFLOW_READ_LIMIT = 4 * 524_288  # the client's limit is in characters: see checks_workflow
CACHEABLE_KINDS = frozenset({AGENT, COMMAND, SKILL, PLUGIN_MANIFEST, MARKETPLACE_MANIFEST})
"""Kinds whose result depends only on the file's bytes and place, or on file-system questions
asked through ``cache.ProbedPath`` (the manifests). A kind whose checks read other files any other
way must stay out of this set, or its cached result could hide a finding: workflow scripts (their
plugin.json decides which of them load) and settings, hooks and MCP files are linted every run."""
PROBED_KINDS = frozenset({PLUGIN_MANIFEST, MARKETPLACE_MANIFEST})


class LintResult(NamedTuple):
    findings: list[Finding]
    files: list[str]
    """The files that were linted (as displayed), in order."""
    marked: set[str] | None = None
    """The linted files that may hold a suppression comment (see ``suppress.has_marker``); the
    others need not be read again to apply suppressions."""
    answers: deps.Answers | None = None
    """What the cross-file checks asked the file system (deps.py), when a later run may replay
    this one's report after asking again (replay.py); None when it may not."""
    sources: tuple[str, ...] = ()
    """Where each linted file was read from (``Target.file``), in order."""


class _Facts(NamedTuple):
    agent: crossfile.AgentRecord | None = None
    command: crossfile.CommandRecord | None = None
    marketplace: list[LocalPlugin] | None = None
    probes: list[result_cache.Probe] | None = None
    """What the checks asked the file system, for a cached result to be re-checked against."""
    workflow: WorkflowRecord | None = None
    marked: bool = False
    """The file's bytes hold the suppression marker."""


class _Work(NamedTuple):
    """A file whose result is not cached: its bytes, and its cache digest (None: not cached)."""

    target: Target
    data: bytes
    digest: str | None
    quick: str | None
    """The file's status key, when settled (see cache.ResultCache.quick_key)."""


def lint_paths(paths: Sequence[Path]) -> list[Finding]:
    """Lint files and folders; a file's kind comes from where it lives. Never raises."""
    return lint(paths).findings


def lint(
    paths: Sequence[Path],
    cwd: Path | None = None,
    *,
    parallel: bool = False,
    cache: result_cache.ResultCache | None = None,
) -> LintResult:
    """Lint ``paths`` (files or folders), or the current repository's Claude Code files when empty.

    ``parallel`` lets a large run use a second core (a forked child); the CLI turns it on.
    ``cache`` reuses the results of unchanged files and records the others (and is saved).
    Discovery asks the file system through ``deps``: a caller recording there learns what it asked.
    """
    cwd = cwd or Path.cwd()
    clock = _Clock()
    discover.clear_caches()  # a long-lived caller may lint a tree that changed since then
    targets, found = discover.discover([Path(p) for p in paths], cwd)
    findings = list(found)
    clock.lap("discover")
    agents: list[crossfile.AgentRecord] = []
    commands: list[crossfile.CommandRecord] = []
    workflows: list[WorkflowRecord] = []
    marked: set[str] = set()
    replayable = all(t.kind in CACHEABLE_KINDS for t in targets)
    results = _results(targets, cache, clock, parallel=parallel)
    with deps.recording() as answers:
        for target, (file_findings, facts) in zip(targets, results, strict=True):
            findings.extend(file_findings)
            if facts.marked:
                marked.add(target.display)
            if facts.agent:
                agents.append(facts.agent)
            if facts.command:
                commands.append(facts.command)
            if facts.workflow:
                workflows.append(facts.workflow)
            if facts.marketplace:
                findings.extend(crossfile.marketplace_versions(target.display, facts.marketplace))
            for probe in facts.probes or ():
                replayable = replayable and probe.question != result_cache.UNCHECKED
                answers[(probe.question, probe.path)] = probe.answer
        findings.extend(_cross_checks(targets, agents, commands, cwd))
        if workflows:
            findings.extend(_workflow_checks(targets, agents, workflows, cwd))
    findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
    clock.lap("cross-file")
    clock.emit(files=len(targets), **clock.counts)
    return LintResult(
        findings,
        [t.display for t in targets],
        marked,
        answers if replayable else None,
        tuple(t.file for t in targets),
    )


class _Clock:
    """Wall time per phase; ``ML_AGENTS_TIMINGS=1`` prints it to stderr (for benchmarks/)."""

    parse = 0.0
    """Seconds spent parsing, in this process (a forked child's share is not seen)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.phases: dict[str, float] = {}
        self.counts = {"known by status": 0, "known by hash": 0, "linted": 0}
        _Clock.parse = 0.0

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + (now - self.last) * 1000
        self.last = now

    def emit(self, **counts: int) -> None:
        if os.environ.get(TIMINGS_ENV):
            shown = {name: round(ms, 2) for name, ms in self.phases.items()}
            shown["parse (this process)"] = round(_Clock.parse * 1000, 2)
            report = json.dumps({**shown, **counts})
            print(f"ml-agents lint timings-ms {report}", file=sys.stderr)


def _results(
    targets: list[Target],
    cache: result_cache.ResultCache | None,
    clock: _Clock,
    *,
    parallel: bool,
) -> list[tuple[list[Finding], _Facts]]:
    """Each target's findings and facts: from the cache when its bytes and place are unchanged."""
    if cache is not None:
        cache.load()
        clock.lap("cache-load")
    results: list[tuple[list[Finding], _Facts] | None] = [None] * len(targets)
    work: list[_Work] = []
    places: list[int] = []
    for index, target in enumerate(targets):
        cacheable = cache is not None and target.kind in CACHEABLE_KINDS
        quick = None
        if cache is not None and cacheable:
            quick = cache.quick_key(target.kind, _place(target), target.file)
            if quick is not None:
                results[index] = _decode_cached(target, cache.get_quick(target.key, quick))
                if results[index] is not None:
                    clock.counts["known by status"] += 1
                    continue
        data, problem = read_target(target)
        if problem is not None:
            results[index] = [problem], _Facts()
            continue
        assert data is not None
        digest = None
        if cache is not None and cacheable:
            digest = result_cache.file_digest(target.kind, _place(target), data)
            results[index] = _decode_cached(target, cache.get(target.key, digest))
            if results[index] is not None:
                clock.counts["known by hash"] += 1
                cache.settle(target.key, quick)
                continue
        work.append(_Work(target, data, digest, quick))
        places.append(index)
    clock.counts["linted"] = len(work)
    clock.lap("read, hash, cache hits")
    if parallel:
        from ml_agents.lint.parallel import map_in_two

        done = [r for _, r in map_in_two(_lint_item, work, _encode_item, _decode_item)]
    else:
        done = [_lint_work(item) for item in work]
    clock.lap("lint (parse and check the misses)")
    for index, item, result in zip(places, work, done, strict=True):
        results[index] = result
        if cache is not None and item.digest is not None:
            if _worth_keeping(item.target, result):
                encoded = _encode(item.target.display, result)
                cache.put(item.target.key, item.digest, encoded, item.quick)
            else:
                cache.forget(item.target.key)
    if cache is not None:
        cache.save()
        clock.lap("cache-save")
    return [result for result in results if result is not None]


def _place(target: Target) -> tuple[str, ...]:
    """Where a file lives, as far as its own result can depend on it (see cache.file_digest)."""
    return (target.key, target.file, str(target.anchor), str(target.plugin_root))


def _worth_keeping(target: Target, result: tuple[list[Finding], _Facts]) -> bool:
    """A checker bug (CC000) may be transient, a finding about another file is not this file's,
    and a result that looked at the file system in a way no probe can re-check is not reusable."""
    findings, facts = result
    if any(p.question == result_cache.UNCHECKED for p in facts.probes or ()):
        return False
    return all(f.code != "CC000" and f.path == target.display for f in findings)


def _decode_cached(target: Target, encoded: Any) -> tuple[list[Finding], _Facts] | None:
    """A cached result for ``target``, or None when there is none, it no longer holds or it
    cannot be read."""
    if encoded is None:
        return None
    try:
        result = _decode(target, encoded)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError):
        return None  # a well-formed file of an unexpected shape: lint the file again
    if result[1].probes and not result_cache.probes_hold(result[1].probes):
        return None
    return result


def _cross_checks(
    targets: list[Target],
    agents: list[crossfile.AgentRecord],
    commands: list[crossfile.CommandRecord],
    cwd: Path,
) -> list[Finding]:
    linted = {t.key for t in targets if t.kind == AGENT}
    agent_folders = {
        deps.ask("real_folder", str(t.anchor)) for t in targets if t.kind == AGENT and t.anchor
    }
    listed = listed_agent_folders(targets)
    agent_folders |= set(listed)
    everyone = list(agents)
    for folder in sorted(agent_folders):
        everyone.extend(crossfile.neighbour_agents(folder, linted, cwd, listed.get(folder)))
    findings = crossfile.duplicate_agents(as_loaded(everyone))
    findings.extend(unlisted_plugin_files(targets))
    if commands:
        # the folders depend only on the command's anchor: look them up once per anchor
        one_per_anchor = {c.target.anchor: c.target for c in commands}
        near = {
            deps.ask("real_folder", str(f))
            for target in one_per_anchor.values()
            for f in crossfile.agent_folders_near(target)
        }
        for folder in sorted(near - agent_folders):
            everyone.extend(crossfile.neighbour_agents(folder, linted, cwd))
        known = {a.name for a in everyone} | crossfile.bundle_agent_names() | spec.BUILTIN_AGENTS
        findings.extend(crossfile.unknown_agent_references(commands, known))
        from ml_agents.lint.checks_plugin_refs import bare_agent_types

        findings.extend(bare_agent_types(commands, agents, cwd))
    return findings


def _workflow_checks(
    targets: list[Target],
    agents: list[crossfile.AgentRecord],
    workflows: list[WorkflowRecord],
    cwd: Path,
) -> list[Finding]:
    from ml_agents.lint.workflow_agents import agent_folders, unknown_agent_types

    linted = {t.key for t in targets if t.kind == AGENT}
    everyone = list(agents)
    folders = {deps.real_folder(str(f)) for w in workflows for f in agent_folders(w.target)}
    for folder in sorted(folders):
        everyone.extend(crossfile.neighbour_agents(folder, linted, cwd))
    return unknown_agent_types(workflows, everyone)


def lint_file_safely(target: Target) -> tuple[list[Finding], _Facts]:
    return _safely(target, lambda: lint_file(target))


def _lint_work(item: _Work) -> tuple[list[Finding], _Facts]:
    findings, facts = _safely(item.target, lambda: lint_data(item.target, item.data))
    return findings, facts._replace(marked=has_marker(item.data))


def _safely(
    target: Target, work: Callable[[], tuple[list[Finding], _Facts]]
) -> tuple[list[Finding], _Facts]:
    try:
        return work()
    except Exception as error:  # a checker bug must not hide the other files
        message = f"internal error: {type(error).__name__}: {error}"[:300]
        return [rules.make("CC000", target.display, 1, 1, message)], _Facts()


_Item = tuple[_Work, tuple[list[Finding], _Facts]]


def _lint_item(item: _Work) -> _Item:
    return item, _lint_work(item)


def _encode_item(done: _Item) -> list[object]:
    return _encode(done[0].target.display, done[1])


def _decode_item(item: _Work, encoded: Any) -> _Item:
    return item, _decode(item.target, encoded)


def _encode(display: str, result: tuple[list[Finding], _Facts]) -> list[object]:
    """A result as plain lists, for ``marshal`` (see parallel.py) and JSON (cache.py).

    Nothing in it names the file (its display path, key or scope): ``_decode`` takes those from
    the target, so a result stays valid when the same file is reached from another folder. A
    finding about another path keeps that path.
    """
    findings, facts = result
    agent = facts.agent
    command = facts.command
    workflow = facts.workflow
    return [
        [[None if f.path == display else f.path, *f[1:]] for f in findings],
        None if agent is None else [agent.name, list(agent.position)],
        None
        if command is None
        else [
            [[m.name, list(m.position), m.strength, m.group] for m in command.mentions],
            [[u.value, list(u.position)] for u in command.agent_types],
        ],
        None
        if facts.marketplace is None
        else [
            [p.name, p.version, list(p.version_position), str(p.folder)] for p in facts.marketplace
        ],
        None if facts.probes is None else [list(p) for p in facts.probes],
        None if workflow is None else [[u.name, list(u.position)] for u in workflow.uses],
        facts.marked,
    ]


def _decode(target: Target, encoded: Any) -> tuple[list[Finding], _Facts]:
    findings, agent, mentions, marketplace, probes, uses, marked = encoded
    display = target.display
    facts = _Facts(
        agent=None if agent is None else _agent_record(target, agent[0], Position(*agent[1])),
        command=None if mentions is None else _command_record(target, mentions),
        marketplace=None if marketplace is None else _decode_plugins(marketplace),
        probes=None if probes is None else [result_cache.Probe(*p) for p in probes],
        workflow=None if uses is None else _decode_workflow(target, uses),
        marked=marked is True,
    )
    return [_finding(display, f) for f in findings], facts


def _finding(display: str, encoded: list[Any]) -> Finding:
    """A finding from ``_encode``'s form, checked: a cache file of the wrong shape must fail here,
    not as a wrong report later."""
    path, line, col, code, severity, message, hint = encoded
    if not (
        (path is None or type(path) is str)
        and type(line) is int
        and type(col) is int
        and severity in SEVERITY_ORDER
        and all(type(text) is str for text in (code, message, hint))
    ):
        raise ValueError("not a finding")
    return Finding(path or display, line, col, code, severity, message, hint)


def _agent_record(target: Target, name: str, position: Position) -> crossfile.AgentRecord:
    if not isinstance(name, str):
        raise TypeError("an agent name is a string")
    scope = discover.agent_scope(target.file, target.anchor, target.plugin_root is not None)
    root = None if target.plugin_root is None else str(target.plugin_root)
    return crossfile.AgentRecord(name, target.key, target.display, position, scope, True, root)


def _command_record(target: Target, encoded: list[Any]) -> crossfile.CommandRecord:
    from ml_agents.lint.checks_command import Mention

    mentions, uses = encoded
    return crossfile.CommandRecord(
        target,
        [Mention(n, Position(*p), s, g) for n, p, s, g in mentions],
        tuple(crossfile.AgentTypeUse(v, Position(*p)) for v, p in uses),
    )


def _decode_plugins(encoded: list[Any]) -> list[LocalPlugin]:
    from ml_agents.lint.checks_manifest import LocalPlugin

    return [LocalPlugin(n, v, Position(*p), Path(folder)) for n, v, p, folder in encoded]


def _decode_workflow(target: Target, uses: list[Any]) -> WorkflowRecord:
    from ml_agents.lint.workflow_agents import AgentTypeUse, WorkflowRecord

    return WorkflowRecord(target, [AgentTypeUse(n, Position(*p)) for n, p in uses])


def read_target(target: Target) -> tuple[bytes | None, Finding | None]:
    """The target's bytes, never more than the client reads, or why they cannot be read."""
    if target.kind in (PLUGIN_MANIFEST, MARKETPLACE_MANIFEST, *discover.CONFIG_KINDS):
        limit = MANIFEST_SIZE_LIMIT
    elif target.kind == WORKFLOW:
        limit = WORKFLOW_READ_LIMIT
    else:
        limit = spec.SKILL_SIZE_LIMIT if target.kind == SKILL else spec.FILE_SIZE_LIMIT
    return reading.read_limited(target.file, target.display, limit)


def lint_file(target: Target) -> tuple[list[Finding], _Facts]:
    """All single-file findings for one target, and what the cross-file checks need from it."""
    data, problem = read_target(target)
    if problem is not None:
        return [problem], _Facts()
    assert data is not None
    return lint_data(target, data)


def lint_data(target: Target, data: bytes) -> tuple[list[Finding], _Facts]:
    """``lint_file`` on bytes already read (``--fix`` also checks its repairs with it)."""
    try:
        text, bom = frontmatter.decode(data)
    except UnicodeDecodeError as error:
        return [_encoding_finding(target.display, data, error)], _Facts()
    if target.kind in discover.CONFIG_KINDS:
        from ml_agents.lint.configfile import check_config  # rare: keep it off the hot path

        return check_config(target.display, target.kind, text), _Facts()
    if target.kind in PROBED_KINDS:
        return _lint_manifest(target, text)
    if target.kind == WORKFLOW:
        return _lint_workflow(target, text)
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
    with result_cache.recording() as probes:
        manifest = result_cache.ProbedPath(target.path)
        if target.kind == PLUGIN_MANIFEST:
            return check_plugin(target.display, manifest, document), _Facts(probes=probes)
        findings, local = check_marketplace(target.display, manifest, document)
    return findings, _Facts(marketplace=local, probes=probes)


def _lint_workflow(target: Target, text: str) -> tuple[list[Finding], _Facts]:
    from ml_agents.lint.checks_workflow import check_workflow  # loads the JavaScript parser

    findings, record = check_workflow(target, text)
    return findings, _Facts(workflow=record)


def _lint_frontmatter_file(target: Target, text: str, bom: bool) -> tuple[list[Finding], _Facts]:
    from ml_agents.lint.checks_agent import check_agent
    from ml_agents.lint.checks_command import check_command
    from ml_agents.lint.checks_schema import check_frontmatter
    from ml_agents.lint.context import FileContext

    started = time.perf_counter()
    document = frontmatter.parse(text, bom=bom)
    _Clock.parse += time.perf_counter() - started
    findings = structure_findings(target, document)
    if document.frontmatter is None:
        return findings, _Facts()
    context = FileContext(
        target.path, target.display, target.kind, document, document.frontmatter, target.plugin_root
    )
    context.findings = findings
    if target.kind == AGENT:
        name = check_agent(context)
        check_frontmatter(context)
        record = None
        if name is not None:
            record = _agent_record(target, name.name, name.position)
        return context.findings, _Facts(agent=record)
    mentions = check_command(context)
    check_frontmatter(context)
    uses: tuple[crossfile.AgentTypeUse, ...] = ()
    if target.plugin_root is not None:
        from ml_agents.lint.checks_plugin_refs import agent_type_uses

        uses = agent_type_uses(text)
    return context.findings, _Facts(command=crossfile.CommandRecord(target, mentions, uses))


def structure_findings(target: Target, document: frontmatter.Document) -> list[Finding]:
    """Findings about the frontmatter block itself: BOM, presence, YAML, duplicates."""
    from ml_agents.lint.checks_block import dashes_in_value, unrepaired_hint

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
    findings.extend(dashes_in_value(display, document))
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
                    unrepaired_hint(document),
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
