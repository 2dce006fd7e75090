"""Which !`command` snippets Claude Code runs without any permission rule: its read-only commands.

Measured with 2.1.197 and 2.1.332: `git status`, `git diff HEAD`, `git log`, `ls` and `find` run
from a command whose allowed-tools is only `Read`, while `touch` and `npm --version` stop the whole
command ("Shell command permission check failed ... This command requires approval"). The client's
own check knows each command's safe flags; this is a smaller version of it that errs the other
way: a command it is unsure about is treated as one that needs a rule.
"""

from __future__ import annotations

import re
import shlex

# commands read-only with any arguments (the client's list, less those that take a script)
_ANY_ARGUMENTS = frozenset(
    {
        "cal",
        "uptime",
        "cat",
        "head",
        "tail",
        "wc",
        "stat",
        "strings",
        "hexdump",
        "od",
        "nl",
        "id",
        "uname",
        "free",
        "df",
        "du",
        "locale",
        "groups",
        "nproc",
        "basename",
        "dirname",
        "realpath",
        "cut",
        "paste",
        "tr",
        "column",
        "tac",
        "rev",
        "fold",
        "expand",
        "unexpand",
        "fmt",
        "comm",
        "cmp",
        "numfmt",
        "readlink",
        "diff",
        "true",
        "false",
        "sleep",
        "type",
        "expr",
        "seq",
        "tsort",
        "pr",
        "ls",
        "echo",
        "uniq",
        "tree",
        "which",
        "file",
        "grep",
        "egrep",
        "fgrep",
        "date",
        "hostname",
        "md5sum",
        "sha1sum",
        "sha256sum",
    }
)
_NO_ARGUMENTS = frozenset({"pwd", "whoami", "alias"})
# subcommands read-only with flags that only choose what to show
_READING_SUBCOMMANDS = (
    "git blame",
    "git cat-file",
    "git config --get",
    "git describe",
    "git diff",
    "git for-each-ref",
    "git grep",
    "git log",
    "git ls-files",
    "git ls-remote",
    "git merge-base",
    "git reflog",
    "git rev-list",
    "git rev-parse",
    "git shortlog",
    "git show",
    "git stash list",
    "git stash show",
    "git status",
    "git worktree list",
    "gh auth status",
    "gh issue list",
    "gh issue status",
    "gh issue view",
    "gh pr checks",
    "gh pr diff",
    "gh pr list",
    "gh pr status",
    "gh pr view",
    "gh release list",
    "gh release view",
    "gh repo view",
    "gh run list",
    "gh run view",
    "gh workflow list",
    "gh workflow view",
    "docker ps",
    "docker images",
    "docker inspect",
    "docker logs",
)
# subcommands that create or delete with a positional argument (`git branch new`): read-only bare
_LISTING_SUBCOMMANDS = ("git branch", "git tag", "git remote")
_LISTING_FLAGS = frozenset(
    {"-a", "-r", "-v", "-vv", "-l", "--all", "--remotes", "--verbose", "--list", "--show-current"}
)
_WRITING_FLAGS = frozenset(
    {"-o", "--output", "--ext-diff", "--exec", "--upload-pack", "-i", "--in-place", "-delete"}
)
_FIND_ACTIONS = frozenset(
    {"-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fls", "-fprintf"}
)
# anything that joins, redirects or substitutes: the client checks each part; here: not read-only
_SHELL_SYNTAX = re.compile(r"[|;&<>`\n\r(){}]|\$\(")
_QUOTING = re.compile(r"[\"'\\]")
# shlex reads a character at a time: a snippet longer than this is not parsed (nobody writes one)
_MAX_PARSED = 4096
_FIRST_WORDS = (
    _ANY_ARGUMENTS
    | _NO_ARGUMENTS
    | {"cd", "find", "echo"}
    | {prefix.split()[0] for prefix in (*_READING_SUBCOMMANDS, *_LISTING_SUBCOMMANDS)}
)


def is_read_only(command: str) -> bool:
    """Whether Claude Code runs ``command`` in a !`...` snippet without any permission rule."""
    text = command.strip()
    if not text or len(text) > _MAX_PARSED or text.split(None, 1)[0] not in _FIRST_WORDS:
        return False
    if _SHELL_SYNTAX.search(text):
        return False
    words = _words(text)
    if words is None:
        return False
    if not words or any(_is_writing_flag(word) for word in words[1:]):
        return False
    first = words[0]
    if first in _NO_ARGUMENTS:
        return len(words) == 1
    if first == "cd":
        return len(words) <= 2
    if first == "find":
        return not any(word.split("=")[0] in _FIND_ACTIONS for word in words[1:])
    if first == "echo":
        return "$" not in text
    if first in _ANY_ARGUMENTS:
        return True
    joined = " ".join(words)
    if any(_starts_with_words(joined, prefix) for prefix in _READING_SUBCOMMANDS):
        return True
    for prefix in _LISTING_SUBCOMMANDS:
        if _starts_with_words(joined, prefix):
            rest = words[len(prefix.split()) :]
            return all(word in _LISTING_FLAGS for word in rest)
    return False


def unquoted(command: str) -> str:
    """The command as the client matches it against a rule: shell quotes removed, words joined
    by one space, so ``"${CLAUDE_PLUGIN_ROOT}/x.sh" a`` matches a rule for the unquoted path."""
    words = _words(command.strip())
    return command.strip() if words is None else " ".join(words)


def _words(text: str) -> list[str] | None:
    """The shell words of ``text``, or None when they cannot be told (bad quoting, too long)."""
    if not _QUOTING.search(text):
        return text.split()
    if len(text) > _MAX_PARSED:
        return None
    try:
        return shlex.split(text)
    except ValueError:
        return None


def _starts_with_words(text: str, prefix: str) -> bool:
    return text == prefix or text.startswith(prefix + " ")


def _is_writing_flag(word: str) -> bool:
    return word.split("=")[0] in _WRITING_FLAGS
