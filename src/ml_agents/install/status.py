"""What is installed where: versions, owned files' states, shadowing, duplicates, context cost."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ml_agents.bounded_read import read_regular
from ml_agents.frontmatter import parse
from ml_agents.install import plan as p
from ml_agents.install.clashes import (
    MAX_FILE_BYTES,
    AgentDef,
    Clash,
    Survey,
    duplicates_across,
    find_clashes,
    locate,
    scan_folder,
    scan_others,
    scan_plugins,
)
from ml_agents.install.manifest import (
    MERGE_SUFFIX,
    Manifest,
    ManifestError,
    SideFile,
    read_manifest,
)
from ml_agents.install.payload import (
    Bundle,
    DesiredFile,
    SelectionError,
    check_prefix,
    desired_files,
)
from ml_agents.install.pristine import read_base
from ml_agents.install.scopes import Target
from ml_agents.output import clipped_message

OK = "ok"
MODIFIED = "modified"
MISSING = "missing"
OUTDATED = "outdated"

NOT_INSTALLED = "not-installed"
UP_TO_DATE = "up-to-date"
OLDER = "outdated"
NEWER = "newer"
DIFFERENT = "different"


class FileStatus(NamedTuple):
    path: str
    state: str
    detail: str


class ScopeStatus(NamedTuple):
    scope: str
    target: Path
    installed_version: str | None = None
    state: str = NOT_INSTALLED
    prefix: str = ""
    files: tuple[FileStatus, ...] = ()
    side_files: tuple[FileStatus, ...] = ()
    backups: tuple[str, ...] = ()
    agent_description_chars: int = 0
    command_description_chars: int = 0
    clashes: tuple[Clash, ...] = ()
    error: str = ""


class Status(NamedTuple):
    package_version: str
    scopes: tuple[ScopeStatus, ...]
    duplicates: dict[str, list[AgentDef]]


def estimate_tokens(chars: int) -> int:
    """About four characters per token: an estimate, labelled as one wherever it is shown."""
    return math.ceil(chars / 4)


def compare_versions(installed: str, package: str) -> str:
    if installed == package:
        return UP_TO_DATE
    try:
        older = tuple(int(x) for x in installed.split(".")) < tuple(
            int(x) for x in package.split(".")
        )
    except ValueError:
        return DIFFERENT
    return OLDER if older else NEWER


def name_and_description(path: Path) -> tuple[str, str]:
    """The frontmatter ``name`` (the stem when absent) and ``description`` of an installed file."""
    try:
        document = parse(read_regular(path, MAX_FILE_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return path.stem, ""
    fields = document.frontmatter.fields if document.frontmatter else {}
    name, description = fields.get("name"), fields.get("description")
    return (
        name if isinstance(name, str) else path.stem,
        description if isinstance(description, str) else "",
    )


def scope_status(target: Target, bundle: Bundle, survey: Callable[[Path], Survey]) -> ScopeStatus:
    """``survey(folder)`` is ``scan_others`` for a folder: its place, the agents in and near it."""
    folder = target.path
    try:
        manifest = read_manifest(folder)
    except ManifestError as error:
        return ScopeStatus(target.scope, folder, error=clipped_message(str(error)))
    if manifest is None:
        return ScopeStatus(target.scope, folder)
    desired = desired_for(bundle, manifest)
    files = []
    agent_chars = command_chars = 0
    ours: list[tuple[str, Path]] = []
    for record in sorted(manifest.files):
        state = p.file_state(folder / record.path)
        want = desired.get(record.path)
        if state.kind == p.MISSING:
            files.append(
                FileStatus(record.path, MISSING, "deleted; `ml-agents install` restores it")
            )
            continue
        if state.kind != p.FILE or state.sha256 != record.sha256:
            merges = read_base(folder, record.sha256) is not None
            detail = "install merges updates into it" if merges else "install keeps it"
            files.append(FileStatus(record.path, MODIFIED, f"changed by you; {detail}"))
        elif want is None:
            files.append(FileStatus(record.path, OUTDATED, "no longer in this package"))
        elif want.sha256 != record.sha256:
            files.append(
                FileStatus(record.path, OUTDATED, "an older version; run `ml-agents install`")
            )
        else:
            files.append(FileStatus(record.path, OK, ""))
        name, description = name_and_description(folder / record.path)
        if record.path.startswith("agents/"):
            agent_chars += len(description)
            ours.append((name, folder / record.path))
        else:
            command_chars += len(description)
    sides = tuple(side_status(folder, side) for side in sorted(manifest.side_files))
    backups = tuple(b for b in manifest.backups if os.path.lexists(folder / b))
    place, in_target, others = survey(folder)
    skip = [folder / f.path for f in manifest.files]
    clashes = find_clashes(ours, place, in_target, others, skip)
    return ScopeStatus(
        target.scope,
        folder,
        installed_version=manifest.version,
        state=compare_versions(manifest.version, bundle.version),
        prefix=manifest.prefix,
        files=tuple(files),
        side_files=sides,
        backups=backups,
        agent_description_chars=agent_chars,
        command_description_chars=command_chars,
        clashes=tuple(clashes),
    )


def side_status(folder: Path, side: SideFile) -> FileStatus:
    """A side file is ours while it holds what we wrote; changed, it is the user's, as install
    (which backs it up before writing there again) and uninstall (which keeps it) treat it."""
    state = p.file_state(folder / side.path)
    if state.kind == p.MISSING:
        return FileStatus(side.path, MISSING, "gone")
    if state.kind == p.FILE and state.sha256 == side.sha256:
        detail = f"new version of {side.beside}, written beside your copy: compare and merge"
        if side.path.endswith(MERGE_SUFFIX):
            detail = (
                f"merge conflict: this release merged into {side.beside}, with conflict markers; "
                f"resolve them into {side.beside}, then delete this file and run "
                "`ml-agents install`"
            )
        return FileStatus(side.path, OK, detail)
    detail = (
        "changed by you, so yours: install moves it to a backup before it writes a new version "
        "there, uninstall keeps it"
    )
    return FileStatus(side.path, MODIFIED, detail)


def desired_for(bundle: Bundle, manifest: Manifest) -> dict[str, DesiredFile]:
    names = [a.name for a in bundle.agents]
    try:
        check_prefix(manifest.prefix, names)
    except SelectionError:
        return {}
    return {f.path: f for f in desired_files(bundle, manifest.prefix, names)}


def collect_status(
    targets: Sequence[Target], bundle: Bundle, user_dir: Path, chain: Sequence[Path]
) -> Status:
    # the scopes look at the same folders, and the duplicates at them again: read each one once
    scan, plugins = cache(scan_folder), cache(scan_plugins)

    def survey(folder: Path) -> Survey:
        return scan_others(folder, user_dir, chain, scan=scan, plugins=plugins)

    scopes = tuple(scope_status(t, bundle, survey) for t in targets)
    defs: list[AgentDef] = []
    seen: set[str] = set()
    folders = [(user_dir, locate(user_dir, user_dir, chain))]
    folders += [(folder, locate(folder, user_dir, chain)) for folder in chain]
    folders += [(t.path, locate(t.path, user_dir, chain)) for t in targets]
    for folder, place in folders:
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        defs += scan(folder, place)
    return Status(bundle.version, scopes, duplicates_across(defs))
