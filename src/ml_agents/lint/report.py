"""Reporters: findings as text, JSON, SARIF 2.1.0 or GitHub workflow commands."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ml_agents import __version__
from ml_agents.lint.result import ERROR, INFO, WARNING, Finding
from ml_agents.lint.rules import RULES, Rule

DOCS_URL = "https://github.com/ml-agents/ml-agents/blob/main/docs/rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note"}
_GITHUB_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "notice"}
FINGERPRINT_KEY = "mlAgentsFindingHash/v1"
_FINGERPRINT_READ_LIMIT = 16 * 1024 * 1024

Style = Callable[[str, str], str]


def render(
    output_format: str,
    findings: Sequence[Finding],
    files: Sequence[str],
    style: Style | None = None,
    hidden: int = 0,
) -> str:
    """The report; ``hidden`` counts the info findings left out because they were not asked for."""
    if output_format == "json":
        return render_json(findings, files, hidden)
    if output_format == "sarif":
        return render_sarif(findings, files)
    if output_format == "github":
        return render_github(findings, files, hidden)
    return render_text(findings, files, style or _plain, hidden)


def _plain(text: str, _role: str) -> str:
    return text


def render_text(
    findings: Sequence[Finding], files: Sequence[str], style: Style, hidden: int = 0
) -> str:
    lines = []
    for finding in findings:
        rule = RULES.get(finding.code)
        name = f" ({rule.name})" if rule else ""
        location = style(f"{finding.path}:{finding.line}:{finding.col}:", "path")
        severity = style(finding.severity, finding.severity)
        lines.append(
            f"{location} {severity} {style(finding.code, 'code')} "
            f"{finding.message}{style(name, 'dim')}"
        )
        if finding.hint:
            lines.append(f"    {style('hint:', 'dim')} {finding.hint}")
    lines.append(summary(findings, files, hidden))
    return "\n".join(lines) + "\n"


def summary(findings: Sequence[Finding], files: Sequence[str], hidden: int = 0) -> str:
    count = len(files)
    checked = f"{count} file{'s' if count != 1 else ''}"
    more = (
        f" {hidden} info finding{'s' if hidden != 1 else ''} hidden (--show-info shows them)."
        if hidden
        else ""
    )
    if not findings:
        return f"All clean: {checked} checked.{more}"
    by_severity = [
        f"{n} {label}{'s' if n != 1 else ''}"
        for label, n in (
            ("error", sum(f.severity == ERROR for f in findings)),
            ("warning", sum(f.severity == WARNING for f in findings)),
            ("note", sum(f.severity == INFO for f in findings)),
        )
        if n
    ]
    problems = f"{len(findings)} problem{'s' if len(findings) != 1 else ''}"
    return f"Found {problems} ({', '.join(by_severity)}) in {checked}.{more}"


def render_json(findings: Sequence[Finding], files: Sequence[str], hidden: int = 0) -> str:
    document = {
        "version": 1,
        "tool": {"name": "ml-agents", "version": __version__},
        "files": list(files),
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "col": f.col,
                "code": f.code,
                "name": RULES[f.code].name if f.code in RULES else f.code,
                "severity": f.severity,
                "message": f.message,
                "hint": f.hint,
            }
            for f in findings
        ],
        "summary": {
            "files": len(files),
            "errors": sum(f.severity == ERROR for f in findings),
            "warnings": sum(f.severity == WARNING for f in findings),
            "infos": sum(f.severity == INFO for f in findings),
            "hidden_infos": hidden,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(rule: Rule) -> dict[str, object]:
    help_text = f"{rule.why}\n\nBad:\n{rule.bad}\n\nGood:\n{rule.good}\n\nFix: {rule.hint}"
    help_markdown = (
        f"{rule.why}\n\n**Bad**\n\n```\n{rule.bad}\n```\n\n**Good**\n\n```\n{rule.good}\n```\n\n"
        f"**Fix:** {rule.hint}"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": f"{DOCS_URL}#{rule.code.lower()}-{rule.name}",
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        "properties": {"tags": ["claude-code", *rule.kinds]},
    }


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF artifactLocation: a relative URI against the source root, else a file URI."""
    from urllib.parse import quote

    posix = path.replace(os.sep, "/")
    # a file name that is not UTF-8 arrives with its bytes escaped: the URI carries those bytes
    if Path(path).is_absolute():
        absolute = posix if posix.startswith("/") else "/" + posix
        return {"uri": "file://" + quote(absolute, errors="surrogateescape")}
    return {"uri": quote(posix, errors="surrogateescape"), "uriBaseId": "%SRCROOT%"}


def render_sarif(findings: Sequence[Finding], files: Sequence[str]) -> str:
    codes = list(RULES)
    results = []
    fingerprints = partial_fingerprints(findings, Path.cwd())
    for finding, fingerprint in zip(findings, fingerprints, strict=True):
        text = finding.message if not finding.hint else f"{finding.message}. Fix: {finding.hint}"
        result: dict[str, object] = {
            "ruleId": finding.code,
            "level": _SARIF_LEVEL.get(finding.severity, "warning"),
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": artifact_location(finding.path),
                        "region": {"startLine": finding.line, "startColumn": finding.col},
                    }
                }
            ],
        }
        result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
        if finding.code in RULES:
            result["ruleIndex"] = codes.index(finding.code)
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ml-agents",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://github.com/ml-agents/ml-agents",
                        "rules": [_sarif_rule(RULES[code]) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _cwd_uri()}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def partial_fingerprints(findings: Sequence[Finding], cwd: Path) -> list[str]:
    """One fingerprint per finding that survives lines inserted above it, so that re-uploading
    a run to code scanning updates alerts rather than duplicating them.

    A hash of the rule, the path, the offending line's text with its whitespace collapsed, and
    how many findings of that rule came before it on lines with the same text in that file.
    """
    lines_of: dict[str, list[str]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    fingerprints = []
    for finding in findings:
        if finding.path not in lines_of:
            lines_of[finding.path] = _file_lines(cwd / finding.path)
        lines = lines_of[finding.path]
        text = lines[finding.line - 1] if finding.line <= len(lines) else ""
        normalised = " ".join(text.split())
        key = (finding.code, finding.path, normalised)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        material = "\0".join((finding.code, finding.path, normalised, str(occurrence)))
        digest = hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()
        fingerprints.append(f"{digest[:32]}:{occurrence + 1}")
    return fingerprints


def _file_lines(path: Path) -> list[str]:
    from ml_agents.bounded_read import read_regular

    try:
        data = read_regular(path, _FINGERPRINT_READ_LIMIT)
    except OSError:
        return []  # unreadable: the finding says so, and its line is 1
    return data.decode("utf-8", "replace").lstrip("\ufeff").splitlines()


def _cwd_uri() -> str:
    return Path.cwd().as_uri().rstrip("/") + "/"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], files: Sequence[str], hidden: int = 0) -> str:
    lines = []
    for f in findings:
        rule = RULES.get(f.code)
        title = f"{f.code} {rule.name}" if rule else f.code
        properties = ",".join(
            [
                f"file={_escape_property(f.path)}",
                f"line={f.line}",
                f"col={f.col}",
                f"title={_escape_property(title)}",
            ]
        )
        message = f.message if not f.hint else f"{f.message}\nFix: {f.hint}"
        lines.append(
            f"::{_GITHUB_LEVEL.get(f.severity, 'warning')} {properties}::{_escape_data(message)}"
        )
    lines.append(summary(findings, files, hidden))
    return "\n".join(lines) + "\n"
