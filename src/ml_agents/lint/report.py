"""Reporters: findings as text, JSON, SARIF 2.1.0 or GitHub workflow commands."""

from __future__ import annotations

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

Style = Callable[[str, str], str]


def render(
    output_format: str,
    findings: Sequence[Finding],
    files: Sequence[str],
    style: Style | None = None,
) -> str:
    if output_format == "json":
        return render_json(findings, files)
    if output_format == "sarif":
        return render_sarif(findings, files)
    if output_format == "github":
        return render_github(findings, files)
    return render_text(findings, files, style or _plain)


def _plain(text: str, _role: str) -> str:
    return text


def render_text(findings: Sequence[Finding], files: Sequence[str], style: Style) -> str:
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
    lines.append(summary(findings, files))
    return "\n".join(lines) + "\n"


def summary(findings: Sequence[Finding], files: Sequence[str]) -> str:
    count = len(files)
    checked = f"{count} file{'s' if count != 1 else ''}"
    if not findings:
        return f"All clean: {checked} checked."
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
    return f"Found {problems} ({', '.join(by_severity)}) in {checked}."


def render_json(findings: Sequence[Finding], files: Sequence[str]) -> str:
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
    for finding in findings:
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


def _cwd_uri() -> str:
    return Path.cwd().as_uri().rstrip("/") + "/"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], files: Sequence[str]) -> str:
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
    lines.append(summary(findings, files))
    return "\n".join(lines) + "\n"
