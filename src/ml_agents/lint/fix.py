"""``ml-agents lint --fix``: deterministic repairs that keep what the client reads.

Each repair starts from a finding and edits only frontmatter YAML or manifest JSON, never a body:

- CC103: drop the byte-order mark before ``---``;
- CC105: quote the values the client would auto-quote, exactly as it quotes them;
- CC302: write a legacy tool name's current name (``Task`` -> ``Agent``);
- CC301: give a known tool name its case (``grep`` -> ``Grep``); other unknown names stay;
- CC507: put ``./`` before a manifest path.

A repair is kept only when the repaired text reads to the same values (tool entries compared by
their current names, manifest strings with ``./`` put aside) and lints with fewer findings and none
the file did not have. The repairs run one after another, each on the text the one before left,
so their positions always come from a fresh lint; a second run finds nothing left to do.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ml_agents import frontmatter
from ml_agents.frontmatter import BOM, Position
from ml_agents.lint import crossfile, discover, engine, spec, suppress
from ml_agents.lint.checks_tools import entries_of, parse_entry
from ml_agents.lint.discover import Target
from ml_agents.lint.positions import LineIndex
from ml_agents.lint.result import Finding
from ml_agents.lint.rules import MARKETPLACE_MANIFEST, PLUGIN_MANIFEST

TOOL_KEYS = frozenset({"tools", "disallowedTools", "allowed-tools", "disallowed-tools"})
_CURRENT_NAMES = {
    name.lower(): spec.LEGACY_TOOLS.get(name, name)
    for name in spec.BUILTIN_TOOLS | frozenset(spec.LEGACY_TOOLS)
}
_TOOL_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_SINGLE_TRIES = 32
"""When a repair's edits are refused together, each is tried alone only up to this many: every
try lints the file again, and a hostile file may hold thousands."""


class Edit(NamedTuple):
    """Replace ``text[start:end]`` (offsets in the text after the BOM) with ``new``."""

    start: int
    end: int
    new: str


class Content(NamedTuple):
    text: str
    bom: bool

    def encoded(self) -> bytes:
        return (BOM if self.bom else "").encode("utf-8") + self.text.encode("utf-8")


class Repair(NamedTuple):
    name: str
    codes: frozenset[str]
    manifest: bool
    """True for manifests, False for frontmatter files."""
    plan: Callable[[Content, list[Finding]], Content | None]


class FileFix(NamedTuple):
    target: Target
    original: bytes
    fixed: bytes
    fixed_codes: list[str]
    """The code of every finding the repairs removed."""
    notes: list[str]
    """Repairs that were not applied, and why."""


def current_tool_name(word: str) -> str | None:
    """The name to write for a tool spelt ``word``, when that is a repair; else None."""
    name = _CURRENT_NAMES.get(word.lower())
    return name if name is not None and name != word else None


def plan_fixes(
    paths: Sequence[Path], cwd: Path | None = None, skip: Collection[str] = ()
) -> list[FileFix]:
    """What ``--fix`` would do to each file with something to repair; writes nothing.

    ``skip``: rule codes not to repair (the ones the run ignores)."""
    cwd = cwd or Path.cwd()
    # one ordinary run (on two cores) finds the files worth a closer look
    result = engine.lint(paths, cwd, parallel=True)
    flagged = {f.path for f in result.findings if f.code in FIXABLE_CODES and f.code not in skip}
    if not flagged:
        return []
    discover.clear_caches()
    targets, _ = discover.discover(list(paths), cwd)
    fixes = []
    seen: set[Path] = set()
    for target in targets:
        if target.display not in flagged:
            continue
        real = target.path.resolve()
        if real in seen:  # one file reached twice (a symlink): repair it once
            continue
        seen.add(real)
        fix = fix_target(target, skip)
        if fix is not None:
            fixes.append(fix)
    return fixes


def fix_target(target: Target, skip: Collection[str] = ()) -> FileFix | None:
    """The repairs for one file, or None when there is nothing to repair."""
    data, problem = engine.read_target(target)
    if problem is not None or data is None:
        return None
    try:
        text, bom = frontmatter.decode(data)
    except UnicodeDecodeError:
        return None
    manifest = target.kind in (PLUGIN_MANIFEST, MARKETPLACE_MANIFEST)
    repairs = [r for r in REPAIRS if r.manifest == manifest and not r.codes <= set(skip)]
    findings = _lint(target, data)
    fixable = {code for r in repairs for code in r.codes} - set(skip)
    if findings is None or not any(f.code in fixable for f in findings):
        return None
    content = Content(text, bom)
    initial = findings
    notes: list[str] = []
    # a finding silenced by an inline suppression is the author's choice: not repaired
    suppressions, _ = suppress.scan(text, target.display)
    for repair in repairs:
        relevant = [
            f
            for f in findings
            if f.code in repair.codes
            and f.code not in skip
            and not suppress.covered(suppressions, f)
        ]
        if not relevant:
            continue
        outcome = _attempt(target, repair, content, findings, relevant)
        if isinstance(outcome, str) and 1 < len(relevant) <= MAX_SINGLE_TRIES:
            # one bad edit must not block the others: try them one at a time, each at the
            # position a fresh lint gives it (an earlier edit may have moved it)
            for wanted in [(f.code, f.message) for f in relevant]:
                now = [f for f in findings if (f.code, f.message) == wanted][:1]
                outcome = _attempt(target, repair, content, findings, now) if now else None
                if isinstance(outcome, str):
                    notes.append(outcome)
                elif outcome is not None:
                    content, findings = outcome
        elif isinstance(outcome, str):
            notes.append(outcome)
        elif outcome is not None:
            content, findings = outcome
    fixed = content.encoded()
    if fixed == data and not notes:
        return None
    removed = Counter(f.code for f in initial) - Counter(f.code for f in findings)
    return FileFix(target, data, fixed, sorted(removed.elements()), notes)


def _attempt(
    target: Target,
    repair: Repair,
    content: Content,
    findings: list[Finding],
    relevant: list[Finding],
) -> tuple[Content, list[Finding]] | str | None:
    """The repaired content and its findings; why the repair is refused; or None (no edit)."""
    candidate = repair.plan(content, relevant)
    if candidate is None or candidate == content:
        return None
    manifest = repair.manifest
    if not _reads_the_same_safely(content, candidate, manifest):
        return f"{repair.name}: the repair would change what the client reads"
    after = _lint(target, candidate.encoded())
    if after is None:
        return f"{repair.name}: the repaired file could not be checked"
    added = _added(findings, after)
    if added:
        return f"{repair.name}: the repair would add {', '.join(sorted(set(added)))}"
    return (candidate, after) if len(after) < len(findings) else None


def _lint(target: Target, data: bytes) -> list[Finding] | None:
    """The file's own findings (and its marketplace's version check) were it to hold ``data``."""
    try:
        findings, facts = engine.lint_data(target, data)
        if facts.marketplace:
            findings = findings + crossfile.marketplace_versions(target.display, facts.marketplace)
    except Exception:  # a checker bug: the repair cannot be checked, so it is not made
        return None
    return findings


def _added(before: list[Finding], after: list[Finding]) -> list[str]:
    """The codes of findings in ``after`` that ``before`` does not have (positions aside)."""
    extra = Counter((f.code, f.message) for f in after) - Counter(
        (f.code, f.message) for f in before
    )
    return [code for code, _ in extra.elements()]


def _apply(text: str, edits: list[Edit]) -> str | None:
    """``text`` with non-overlapping ``edits`` made; None when two overlap."""
    parts = []
    at = 0
    for edit in sorted(edits):
        if edit.start < at:
            return None
        parts += [text[at : edit.start], edit.new]
        at = edit.end
    parts.append(text[at:])
    return "".join(parts)


# --- frontmatter repairs ------------------------------------------------------------------------


def _in_yaml(text: str, edits: list[Edit]) -> bool:
    block = frontmatter.find_block(text)
    return block is not None and all(block.start <= e.start <= e.end <= block.end for e in edits)


def _drop_bom(content: Content, findings: list[Finding]) -> Content | None:
    return content._replace(bom=False)


def _quote_values(content: Content, findings: list[Finding]) -> Content | None:
    """Quote the lines the client's auto-quote changes, keeping each line's CR (CRLF files)."""
    text = content.text
    block = frontmatter.find_block(text)
    if block is None:
        return None
    yaml_text = text[block.start : block.end]
    old_lines = yaml_text.split("\n")
    new_lines = frontmatter.auto_quote(yaml_text).split("\n")
    if len(old_lines) != len(new_lines):
        return None
    edits = []
    at = block.start
    for old, new in zip(old_lines, new_lines, strict=True):
        if old != new:
            if old.endswith("\r") and not new.endswith("\r"):
                new += "\r"
            edits.append(Edit(at, at + len(old), new))
        at += len(old) + 1
    fixed = _apply(text, edits)
    return None if fixed is None else content._replace(text=fixed)


def _rename_tools(content: Content, findings: list[Finding]) -> Content | None:
    """Rewrite the tool name at each finding's position: legacy names and wrong case. A refused
    agent (CC232) has one finding at the start of its tools value instead of one per tool, so
    every word of that value is a candidate."""
    spread = [f for f in findings if f.code != "CC232"]
    index = LineIndex(content.text)
    for finding in findings:
        if finding.code == "CC232":
            start = index.offset(Position(finding.line, finding.col))
            spread.extend(
                finding._replace(line=at.line, col=at.col)
                for at in map(index.position, _words_of_value(content.text, start))
            )
    return _edit_at_findings(content, spread, _tool_name_edit, inside_yaml=True)


def _words_of_value(text: str, start: int) -> list[int]:
    """Offsets of the words in the YAML value starting at ``start``: the rest of its line and the
    indented or '- ' lines after it."""
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    while end < len(text):
        line_end = text.find("\n", end + 1)
        line_end = len(text) if line_end == -1 else line_end
        line = text[end + 1 : line_end]
        if not line.startswith((" ", "\t", "-")) or line.startswith("---"):
            break
        end = line_end
    words = []
    depth = 0
    last = start
    for match in _TOOL_WORD.finditer(text, start, end):
        between = text[last : match.start()]
        depth = max(depth + between.count("(") - between.count(")"), 0)
        last = match.start()
        if depth == 0:  # a word inside Tool(...) is a rule's content, never a tool name
            words.append(match.start())
    return words


def _tool_name_edit(text: str, at: int) -> Edit | None:
    word = _TOOL_WORD.match(text, at)
    if word is None or (at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")):
        return None
    new = current_tool_name(word.group())
    return None if new is None else Edit(at, word.end(), new)


# --- manifest repairs ---------------------------------------------------------------------------


def _dot_slash_paths(content: Content, findings: list[Finding]) -> Content | None:
    """Put './' inside the opening quote of each reported path that only lacks it."""
    return _edit_at_findings(content, findings, _dot_slash_edit, inside_yaml=False)


def _dot_slash_edit(text: str, at: int) -> Edit | None:
    if not text.startswith('"', at):
        return None
    try:
        path = json.decoder.scanstring(text, at + 1)[0]  # type: ignore[attr-defined]
    except ValueError:
        return None
    return Edit(at + 1, at + 1, "./") if _only_lacks_dot_slash(path) else None


def _edit_at_findings(
    content: Content,
    findings: list[Finding],
    edit_at: Callable[[str, int], Edit | None],
    *,
    inside_yaml: bool,
) -> Content | None:
    """``content`` with the edit ``edit_at`` makes at each finding's position, if any."""
    text = content.text
    index = LineIndex(text)
    edits = []
    for finding in findings:
        edit = edit_at(text, index.offset(Position(finding.line, finding.col)))
        if edit is not None:
            edits.append(edit)
    if not edits or (inside_yaml and not _in_yaml(text, edits)):
        return None
    fixed = _apply(text, sorted(set(edits)))
    return None if fixed is None else content._replace(text=fixed)


def _only_lacks_dot_slash(path: str) -> bool:
    """A relative path inside the plugin that would be right with './' before it."""
    if not path or path == "." or path.startswith(("./", "/", "~", "-")):
        return False
    return "\\" not in path and ":" not in path and ".." not in path.split("/")


REPAIRS = [
    Repair("byte-order mark", frozenset({"CC103"}), False, _drop_bom),
    Repair("quoting", frozenset({"CC105"}), False, _quote_values),
    Repair("tool names", frozenset({"CC301", "CC302", "CC232"}), False, _rename_tools),
    Repair("manifest paths", frozenset({"CC507"}), True, _dot_slash_paths),
]
FIXABLE_CODES = frozenset(code for repair in REPAIRS for code in repair.codes)


# --- what the client reads ----------------------------------------------------------------------


def _reads_the_same_safely(old: Content, new: Content, manifest: bool) -> bool:
    try:
        return _reads_the_same(old, new, manifest)
    except RecursionError:  # values nested too deeply to compare: no repair
        return False


def _reads_the_same(old: Content, new: Content, manifest: bool) -> bool:
    """Whether the repaired text gives the client the same values (see the module docstring)."""
    if manifest:
        try:
            before, after = json.loads(old.text), json.loads(new.text)
        except ValueError:
            return False
        return bool(_without_dot_slash(before) == _without_dot_slash(after))
    before_doc, after_doc = frontmatter.parse(old.text), frontmatter.parse(new.text)
    if before_doc.body != after_doc.body or after_doc.problem is not None:
        return False
    if before_doc.frontmatter is None or after_doc.frontmatter is None:
        return False
    if after_doc.frontmatter.recovered and not before_doc.frontmatter.recovered:
        return False
    return _read_fields(before_doc.frontmatter.fields) == _read_fields(after_doc.frontmatter.fields)


def _read_fields(fields: dict[Any, Any]) -> list[tuple[Any, Any]]:
    """The fields in order, tool lists by the client's names for their entries."""
    return [
        (key, _tool_entries(value) if key in TOOL_KEYS else value) for key, value in fields.items()
    ]


def _tool_entries(value: Any) -> Any:
    entries = entries_of(value)
    if entries is None:
        return value
    named = []
    for text in entries:
        entry = parse_entry(text)
        name = current_tool_name(entry.tool) or entry.tool
        named.append(name if entry.content is None else f"{name}({entry.content})")
    return (type(value).__name__, len(value) if isinstance(value, list) else 1, named)


def _without_dot_slash(value: Any) -> Any:
    if isinstance(value, str):
        return value.removeprefix("./")
    if isinstance(value, list):
        return [_without_dot_slash(item) for item in value]
    if isinstance(value, dict):
        return [(key, _without_dot_slash(item)) for key, item in value.items()]
    return value
