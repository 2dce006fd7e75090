"""Shell snippets (``!`cmd` ``) that an allow rule matches and Claude Code still refuses to run.

Measured with 2.1.332 (the command's result is "Shell command permission check failed for
pattern ...: <reason>", and the prompt is never sent). Each reason below is the client's own:
- a ``$(...)`` or a backquote outside quotes: "A nested command in this command can't be checked
  before it runs"; inside double quotes: "Quoted text in this command can't be checked before it
  runs";
- an unquoted ``{`` in a word that also holds ``,`` or ``..`` (``@{u}..HEAD``): "Brace expansion
  (unquoted `{` in concatenation with `,`/`..`)"; quoting the word lets it run;
- a file command (``cat``, ``ls``, ...) given a path under ``~``, ``$HOME`` or ``/``, outside the
  session's working directories: "<cmd> in '<path>' was blocked. For security, Claude Code may
  only <verb> the allowed working directories for this session".
"""

from __future__ import annotations

from typing import NamedTuple

from ml_agents.lint.context import FileContext
from ml_agents.lint.positions import shown

NESTED = "A nested command in this command can't be checked before it runs"
QUOTED = "Quoted text in this command can't be checked before it runs"
BRACES = "Brace expansion (unquoted `{` in concatenation with `,`/`..`)"

# the client's own words for what each file command may only do inside the working directories
_FILE_COMMAND_VERBS = {
    "ls": "list files in",
    "find": "search files in",
    "cat": "concatenate files from",
    "head": "read the beginning of files from",
    "tail": "read the end of files from",
    "wc": "count lines/words/bytes in files from",
    "grep": "search for patterns in files from",
    "rg": "search for patterns in files from",
    "diff": "compare files from",
    "stat": "read file stats from",
    "file": "examine file types in",
    "jq": "process JSON from files in",
    "sed": "edit files in",
    "awk": "process text from files in",
    "sort": "sort contents of files from",
    "cp": "copy files to/from",
    "mv": "move files to/from",
    "rm": "remove files from",
}
_OUTSIDE_PREFIXES = ("~", "$HOME", "${HOME}", "/")
_HARMLESS_PATHS = frozenset({"/dev/null", "/dev/stdin", "/dev/stdout", "/dev/stderr"})


class Word(NamedTuple):
    text: str
    """The word as written, quotes included."""
    unquoted: str
    """Only the characters outside quotes."""


class Scan(NamedTuple):
    segments: list[list[Word]]
    """Simple commands, split at unquoted '|', ';' and '&'."""
    nested: str | None
    """NESTED or QUOTED when a command substitution is found, else None."""


def scan(command: str) -> Scan:
    """Words and command substitutions of ``command``, following quotes and backslashes."""
    segments: list[list[Word]] = [[]]
    text: list[str] = []
    bare: list[str] = []
    nested: str | None = None
    quote = ""
    index = 0

    def end_word() -> None:
        if text:
            segments[-1].append(Word("".join(text), "".join(bare)))
            text.clear()
            bare.clear()

    while index < len(command):
        char = command[index]
        pair = command[index : index + 2]
        if quote != "'" and char == "\\" and index + 1 < len(command):
            text.append(pair)
            index += 2
            continue
        if quote != "'" and (pair == "$(" or char == "`"):
            nested = nested or (QUOTED if quote == '"' else NESTED)
        if quote:
            if char == quote:
                quote = ""
            text.append(char)
        elif char in "'\"":
            quote = char
            text.append(char)
        elif char.isspace():
            end_word()
        elif char in "|;&":
            end_word()
            if segments[-1]:
                segments.append([])
        else:
            text.append(char)
            bare.append(char)
        index += 1
    end_word()
    return Scan([s for s in segments if s], nested)


def blocked_reason(command: str) -> tuple[str, str] | None:
    """The client's reason for refusing ``command``, and the corrected text, or None."""
    found = scan(command)
    if found.nested is not None:
        return found.nested, "Run the inner command as its own !`...` snippet, or in a script."
    for words in found.segments:
        for word in words:
            if "{" in word.unquoted and ("," in word.unquoted or ".." in word.unquoted):
                fixed = command.replace(word.text, f"'{word.text}'", 1)
                return BRACES, f"Quote the word: !`{fixed}`."
        name = words[0].text
        verb = _FILE_COMMAND_VERBS.get(name)
        if verb is None:
            continue
        for word in words[1:]:
            path = word.text.strip("'\"")
            if path.startswith(_OUTSIDE_PREFIXES) and path not in _HARMLESS_PATHS:
                return (
                    f"{name} in {path!r} was blocked. For security, Claude Code may only {verb} "
                    "the allowed working directories for this session",
                    "Read files inside the project, or ship them in the plugin and read them "
                    "with the Read tool.",
                )
    return None


def check_blocked_snippet(context: FileContext, offset: int, command: str) -> None:
    """CC317 for an allowed ``!`command` `` that the client refuses all the same."""
    found = blocked_reason(command)
    if found is None:
        return
    reason, hint = found
    first_line = command.strip().splitlines()[0] if command.strip() else command
    context.report(
        "CC317",
        context.body_position(offset),
        f"Claude Code refuses !`{shown(first_line, 80)[1:-1]}` although allowed-tools matches "
        f"it: {reason}",
        hint,
    )
