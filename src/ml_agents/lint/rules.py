"""The rule registry: one record per rule, the single source for findings, ``--explain`` and
``docs/rules.md``."""

from __future__ import annotations

from typing import NamedTuple

from ml_agents.lint.result import ERROR, INFO, WARNING, Finding

AGENT = "agent"
COMMAND = "command"
SKILL = "skill"
PLUGIN_MANIFEST = "plugin-manifest"
MARKETPLACE_MANIFEST = "marketplace-manifest"
UNKNOWN = "unknown"


class Rule(NamedTuple):
    code: str
    name: str
    severity: str
    summary: str
    why: str
    bad: str
    good: str
    hint: str
    kinds: tuple[str, ...]


ANY_FILE = (AGENT, COMMAND, SKILL, PLUGIN_MANIFEST, MARKETPLACE_MANIFEST)
FRONTMATTER_FILES = (AGENT, COMMAND, SKILL)
MANIFESTS = (PLUGIN_MANIFEST, MARKETPLACE_MANIFEST)

_RULES = [
    Rule(
        code="CC000",
        name="internal-error",
        severity=ERROR,
        summary="The linter itself failed on this file.",
        why=(
            "A bug in ml-agents, not in your file. The run goes on with the other files; the "
            "finding makes sure the failure is not mistaken for a clean result."
        ),
        bad="(any file that triggers the bug)",
        good="(the same file, after the bug is fixed)",
        hint="Please report it with the file that triggers it.",
        kinds=ANY_FILE,
    ),
    # --- reading files ----------------------------------------------------------------------------
    Rule(
        code="CC001",
        name="unreadable-file",
        severity=ERROR,
        summary="The file or folder cannot be read.",
        why=(
            "The client skips what it cannot read and says nothing. Permissions, a dangling "
            "symlink, or something that is not a regular file (a FIFO, a device) in an agents/ "
            "or commands/ folder all make a file silently disappear."
        ),
        bad="agents/reviewer.md -> ../shared/reviewer.md   (the target was deleted)",
        good="agents/reviewer.md   (a regular, readable file)",
        hint="Make it a readable regular file, or remove it.",
        kinds=ANY_FILE,
    ),
    Rule(
        code="CC002",
        name="symlink-loop",
        severity=ERROR,
        summary="A symlink points back into itself.",
        why=(
            "The client follows symlinks when it scans agents/ and commands/ folders. A loop "
            "makes the scan stop early or skip the folder, so files after it can be missed."
        ),
        bad="agents/loop -> ../agents",
        good="agents/shared -> ../../shared/agents   (points outside the folder it is in)",
        hint="Remove the symlink or point it at a folder that does not contain it.",
        kinds=ANY_FILE,
    ),
    Rule(
        code="CC003",
        name="file-too-large",
        severity=ERROR,
        summary="The file is over the client's size limit and is skipped.",
        why=(
            "Agent and command files over 1 MiB (1,048,576 bytes) and SKILL.md files over "
            "1,000,000 bytes are skipped by the client without a message."
        ),
        bad="agents/huge.md   (2 MB: a pasted data dump in the prompt)",
        good="agents/huge.md   (the prompt; the data lives in a file the agent reads)",
        hint="Move large reference material into separate files the agent reads on demand.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC004",
        name="not-utf8",
        severity=ERROR,
        summary="The file is not valid UTF-8.",
        why=(
            "The client reads files as UTF-8. Other encodings (UTF-16 from some Windows "
            "editors, Latin-1) turn the frontmatter into garbage, so the file is dropped or "
            "misread."
        ),
        bad="agents/reviewer.md saved as UTF-16 with a byte-order mark",
        good="agents/reviewer.md saved as UTF-8",
        hint="Re-save the file as UTF-8.",
        kinds=ANY_FILE,
    ),
    Rule(
        code="CC005",
        name="unknown-file-kind",
        severity=WARNING,
        summary="A named file is not where Claude Code looks, so its kind is unknown.",
        why=(
            "The kind of a file (agent, command, skill, manifest) comes from where it lives. A "
            "file outside agents/, commands/, skills/<name>/SKILL.md or .claude-plugin/ is "
            "never loaded by the client, and the linter will not guess what it was meant to be."
        ),
        bad="ml-agents lint notes/reviewer.md",
        good="ml-agents lint .claude/agents/reviewer.md",
        hint="Move the file under agents/, commands/, skills/<name>/SKILL.md or .claude-plugin/.",
        kinds=(UNKNOWN,),
    ),
    Rule(
        code="CC006",
        name="path-not-found",
        severity=ERROR,
        summary="A path given on the command line does not exist.",
        why="A misspelt path in a CI job or hook would otherwise lint nothing and pass.",
        bad="ml-agents lint .claude/agent",
        good="ml-agents lint .claude/agents",
        hint="Check the path.",
        kinds=("any path",),
    ),
    Rule(
        code="CC007",
        name="too-many-folders",
        severity=ERROR,
        summary="The linter stopped walking a folder that holds too many folders.",
        why=(
            "A symlink to a large folder, or to / itself, would make the linter read the whole "
            "disk, and the client's own scan as well. The walk stops after a fixed number of "
            "folders (the finding says how many), so files beyond them are not checked; the "
            "finding keeps a partial run from passing as a clean one."
        ),
        bad="agents/everything -> /",
        good="agents/shared -> ../../shared/agents",
        hint="Remove the link to the large folder, or lint the folders you mean one by one.",
        kinds=("any path",),
    ),
    Rule(
        code="CC021",
        name="schema-violation",
        severity=ERROR,
        summary="A value the shipped schema rejects, where no more specific rule applies.",
        why=(
            "Every frontmatter and manifest is validated against the schemas in schemas/ (or "
            "$ML_AGENTS_SCHEMA_DIR). A violation the schema names no rule for with 'x-rule' is "
            "reported here: the client drops or refuses such a value, for example an empty "
            "initialPrompt or an autoCompactWindow below 100000."
        ),
        bad="---\nname: reviewer\ndescription: Reviews diffs.\nautoCompactWindow: 5000\n---",
        good="---\nname: reviewer\ndescription: Reviews diffs.\nautoCompactWindow: 200000\n---",
        hint="Write the value in a form the schema allows; the message says which.",
        kinds=ANY_FILE,
    ),
    # --- frontmatter structure --------------------------------------------------------------------
    Rule(
        code="CC101",
        name="missing-frontmatter",
        severity=ERROR,
        summary="No '---' frontmatter block at the start of the file.",
        why=(
            "Without frontmatter an agent has no name and no description: the client skips the "
            "file silently. The block must start at the very first byte: a blank line or a "
            "comment before '---' hides it, in agents, commands and skills alike (commands "
            "without any frontmatter are fine)."
        ),
        bad="# Reviewer\n\nYou review code.",
        good="---\nname: reviewer\ndescription: Reviews code for bugs.\n---\n\nYou review code.",
        hint="Start the file with a '---' block holding at least name and description.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC102",
        name="unterminated-frontmatter",
        severity=ERROR,
        summary="The frontmatter opened with '---' is never closed.",
        why=(
            "The client finds no frontmatter at all, so every field is lost (an agent is "
            "dropped; a command's whole file, fields included, becomes its prompt)."
        ),
        bad="---\nname: reviewer\ndescription: Reviews code.\n\nYou review code.",
        good="---\nname: reviewer\ndescription: Reviews code.\n---\n\nYou review code.",
        hint="Close the frontmatter with a line holding only '---'.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC103",
        name="bom-before-frontmatter",
        severity=WARNING,
        summary="A UTF-8 byte-order mark comes before the opening '---'.",
        why=(
            "Current clients strip one BOM, but older clients and most other tools that read "
            "this frontmatter do not, and then the file has no frontmatter and is dropped."
        ),
        bad="\\ufeff---\nname: reviewer\n...",
        good="---\nname: reviewer\n...",
        hint="Save the file as UTF-8 without a BOM.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC104",
        name="yaml-syntax-error",
        severity=ERROR,
        summary="The frontmatter is not valid YAML.",
        why=(
            "When the YAML does not parse, even after the client's auto-quoting retry, the "
            "client uses no fields at all: an agent is dropped, a command loses its tools and "
            "settings."
        ),
        bad="---\nname: reviewer\ndescription: [unclosed\n---",
        good="---\nname: reviewer\ndescription: Reviews code.\n---",
        hint="Fix the YAML at the reported position; quote values that contain YAML syntax.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC105",
        name="yaml-needs-quoting",
        severity=WARNING,
        summary="The YAML parses only after the client quotes a value for you.",
        why=(
            "The client retries a broken block after quoting values that hold ': ', '#', '[' "
            "and similar. That rescue is client-specific: other tools, and any later change to "
            "the value, break the file."
        ),
        bad="---\ndescription: Use for: reviews, audits\n---",
        good='---\ndescription: "Use for: reviews, audits"\n---',
        hint="Quote the value.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC106",
        name="duplicate-key",
        severity=ERROR,
        summary="A key appears twice in the same mapping.",
        why=(
            "Only one of the two values survives, and which one depends on the parser. The "
            "other value is lost without a message."
        ),
        bad="---\nname: reviewer\ntools: Read\ntools: Read, Bash\n---",
        good="---\nname: reviewer\ntools: Read, Bash\n---",
        hint="Keep one of the keys.",
        kinds=ANY_FILE,
    ),
    Rule(
        code="CC107",
        name="frontmatter-not-mapping",
        severity=ERROR,
        summary="The frontmatter is a list or a scalar, not a mapping of keys.",
        why="The client expects 'key: value' lines; anything else yields no fields.",
        bad="---\n- name: reviewer\n---",
        good="---\nname: reviewer\n---",
        hint="Write the frontmatter as 'key: value' lines.",
        kinds=FRONTMATTER_FILES,
    ),
    # --- agents -----------------------------------------------------------------------------------
    Rule(
        code="CC201",
        name="agent-missing-name",
        severity=ERROR,
        summary="The agent has no name.",
        why=(
            "A project or user agent without 'name' is treated as a reference document and "
            "skipped silently. (Plugin agents fall back to the file name and are not flagged.)"
        ),
        bad="---\ndescription: Reviews code.\n---",
        good="---\nname: reviewer\ndescription: Reviews code.\n---",
        hint="Add 'name: <kebab-case-name>'.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC202",
        name="agent-name-not-string",
        severity=ERROR,
        summary="The agent name is not a string.",
        why="The client rejects agents whose name is a number, a boolean, a list or a mapping.",
        bad="---\nname: 1234\n---",
        good="---\nname: reviewer-1234\n---",
        hint="Make the name a kebab-case string.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC203",
        name="agent-name-colon",
        severity=ERROR,
        summary="The agent name contains ':'.",
        why=(
            "':' is reserved for plugin namespacing (plugin:agent). Since 2.1.218 the client "
            "rejects such agents."
        ),
        bad="---\nname: team:reviewer\n---",
        good="---\nname: team-reviewer\n---",
        hint="Replace ':' with '-'.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC204",
        name="agent-name-leading-dash",
        severity=ERROR,
        summary="The agent name starts with '-'.",
        why="The client rejects names starting with '-' (they would read as command-line options).",
        bad="---\nname: -reviewer\n---",
        good="---\nname: reviewer\n---",
        hint="Remove the leading '-'.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC205",
        name="agent-name-too-long",
        severity=ERROR,
        summary="The agent name is over 256 characters.",
        why="The client rejects agent names longer than 256 characters.",
        bad="---\nname: a-very-long-name-...(300 characters)\n---",
        good="---\nname: reviewer\n---",
        hint="Shorten the name.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC206",
        name="agent-name-not-kebab-case",
        severity=WARNING,
        summary="The agent name is not kebab-case.",
        why=(
            "The client accepts any name, but the documented form is lower-case words joined by "
            "'-'. Other names are hard to type in /agents and --agent, and marketplace sync "
            "rejects them."
        ),
        bad="---\nname: Code Reviewer\n---",
        good="---\nname: code-reviewer\n---",
        hint="Use lower-case letters, digits and '-'.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC207",
        name="missing-description",
        severity=ERROR,
        summary="The agent has no description.",
        why=(
            "The client rejects an agent without a description ('Missing required "
            '"description" field\'). The description is also what the model reads to decide '
            "when to use the agent."
        ),
        bad="---\nname: reviewer\n---",
        good="---\nname: reviewer\ndescription: Reviews a diff for bugs before merge.\n---",
        hint="Add a one-sentence description that says when to use the agent.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC208",
        name="description-not-string",
        severity=ERROR,
        summary="The description is not a string.",
        why=(
            "Agents whose description is a number, boolean, list or mapping are rejected; "
            "commands and skills drop a list or mapping description. A common cause is an "
            "unquoted value that YAML reads as something else."
        ),
        bad="---\nname: reviewer\ndescription:\n  - reviews code\n---",
        good="---\nname: reviewer\ndescription: Reviews code.\n---",
        hint="Write the description as one string; quote it if needed.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC209",
        name="unknown-key",
        severity=WARNING,
        summary="A frontmatter key the client does not recognise.",
        why=(
            "Keys are not normalised: 'allowed-tools' in an agent, 'disallowed_tools' or a typo "
            "is ignored, so the setting you meant never applies."
        ),
        bad="---\nname: reviewer\nallowed-tools: Read\n---",
        good="---\nname: reviewer\ntools: Read\n---",
        hint="Use the key from the hint, or remove it.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC210",
        name="invalid-model",
        severity=WARNING,
        summary="The model is neither 'inherit', an alias, nor a Claude model id.",
        why=(
            "The client does not check 'model' when it loads the file; a wrong value fails or "
            "falls back only when the agent runs. Valid: inherit, sonnet, opus, haiku, fable, "
            "best, opusplan, sonnet[1m], opus[1m], fable[1m], or a full id like "
            "claude-sonnet-4-5."
        ),
        bad="---\nmodel: Claude Sonnet 4.5\n---",
        good="---\nmodel: sonnet\n---",
        hint="Use an alias (sonnet, opus, haiku), inherit, or a full claude-... model id.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC211",
        name="invalid-color",
        severity=ERROR,
        summary="The color is not one the client knows.",
        why=(
            "Only red, blue, green, yellow, purple, orange, pink and cyan are used; any other "
            "value is silently ignored."
        ),
        bad="---\ncolor: teal\n---",
        good="---\ncolor: cyan\n---",
        hint="Use red, blue, green, yellow, purple, orange, pink or cyan.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC212",
        name="invalid-permission-mode",
        severity=ERROR,
        summary="permissionMode is not one of the client's modes.",
        why=(
            "An unknown mode is ignored (only a debug log says so) and the agent inherits the "
            "parent's mode."
        ),
        bad="---\npermissionMode: yolo\n---",
        good="---\npermissionMode: acceptEdits\n---",
        hint="Use acceptEdits, auto, default, dontAsk or plan.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC213",
        name="bypass-permissions",
        severity=WARNING,
        summary="The agent runs with bypassPermissions.",
        why=(
            "bypassPermissions lets the agent run every tool without asking, including "
            "destructive shell commands. A shared agent should not take that decision for its "
            "users."
        ),
        bad="---\npermissionMode: bypassPermissions\n---",
        good="---\npermissionMode: acceptEdits\n---",
        hint="Use acceptEdits or default, and scope tools instead.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC214",
        name="invalid-effort",
        severity=ERROR,
        summary="effort is not low, medium, high, xhigh, max or an integer.",
        why="An unknown effort is ignored and the session's effort is used instead.",
        bad="---\neffort: extreme\n---",
        good="---\neffort: high\n---",
        hint="Use low, medium, high, xhigh, max, or an integer.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC215",
        name="invalid-max-turns",
        severity=ERROR,
        summary="maxTurns is not a positive integer.",
        why=(
            "A non-positive or non-numeric maxTurns is ignored ('Must be a positive integer') "
            "and the agent runs with no turn limit."
        ),
        bad="---\nmaxTurns: 0\n---",
        good="---\nmaxTurns: 20\n---",
        hint="Use a positive integer.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC216",
        name="invalid-memory",
        severity=ERROR,
        summary="memory is not user, project or local.",
        why="Any other value is ignored and the agent gets no memory.",
        bad="---\nmemory: global\n---",
        good="---\nmemory: project\n---",
        hint="Use user, project or local.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC217",
        name="invalid-isolation",
        severity=ERROR,
        summary="isolation is not worktree or remote (plugin agents: only worktree).",
        why="Any other value is ignored and the agent runs in the main working tree.",
        bad="---\nisolation: container\n---",
        good="---\nisolation: worktree\n---",
        hint="Use worktree (or remote, outside plugins).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC218",
        name="invalid-background",
        severity=ERROR,
        summary="background is not true or false.",
        why='Only true, false, "true" and "false" are read; anything else is ignored.',
        bad="---\nbackground: sometimes\n---",
        good="---\nbackground: true\n---",
        hint="Use true or false.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC219",
        name="ignored-in-plugin-agent",
        severity=WARNING,
        summary="A key that plugin agents ignore.",
        why=(
            "Agents loaded from a plugin ignore permissionMode, hooks, mcpServers, "
            "initialPrompt, observer, observerMessage and observeSubagents."
        ),
        bad="plugin/agents/reviewer.md:\n---\npermissionMode: acceptEdits\n---",
        good="plugin/agents/reviewer.md without permissionMode; put such agents in .claude/agents/",
        hint="Remove the key, or ship the agent as a project agent (.claude/agents/).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC220",
        name="invalid-hooks",
        severity=ERROR,
        summary="Hooks that do not have the settings 'hooks' shape, or sit outside hooks:.",
        why=(
            "Since 2.1.332 an agent whose hooks fail the schema is not loaded at all, and "
            "neither is one with PreToolUse, PermissionRequest or PreSkillShellCommand at the "
            "top level of its frontmatter instead of under hooks (a command then loses its "
            "hooks and allowed-tools). hooks maps an event name to a list of {matcher, hooks: "
            "[{type, ...}]} entries."
        ),
        bad="---\nhooks:\n  PreToolUse: echo hi\n---",
        good=(
            "---\nhooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: "
            "command\n          command: ./check.sh\n---"
        ),
        hint="Write hooks as {Event: [{matcher, hooks: [{type: command, command: ...}]}]}.",
        kinds=FRONTMATTER_FILES,
    ),
    # --- tools and permission rules ---------------------------------------------------------------
    Rule(
        code="CC301",
        name="unknown-tool",
        severity=ERROR,
        summary="A tool name the client does not know.",
        why=(
            "Unknown tool names are dropped silently, so the agent or command runs without the "
            "tool you meant. Names are case-sensitive; MCP tools are written "
            "mcp__<server>__<tool>."
        ),
        bad="---\ntools: read, grep, context7\n---",
        good="---\ntools: Read, Grep, mcp__context7__get-library-docs\n---",
        hint="Use the exact tool name from the hint.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC302",
        name="legacy-tool-name",
        severity=WARNING,
        summary="A legacy tool name (Task, KillShell, ...).",
        why=(
            "The client still maps legacy names (Task -> Agent, KillShell -> TaskStop), but "
            "they are deprecated and other tools reading the file do not know them."
        ),
        bad="---\ntools: Read, Task\n---",
        good="---\ntools: Read, Agent\n---",
        hint="Use the current name from the hint.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC303",
        name="malformed-permission-rule",
        severity=ERROR,
        summary="A permission rule the client rejects or misreads.",
        why=(
            "Rules are 'Tool' or 'Tool(content)'. Empty '()', unbalanced parentheses, "
            "'Bash(:*)' (empty prefix), ':*' on file tools, WebFetch without 'domain:' and "
            "wildcards in WebSearch are errors; the rule is dropped."
        ),
        bad="---\nallowed-tools: Bash(:*), WebFetch(https://example.com)\n---",
        good="---\nallowed-tools: Bash(git status:*), WebFetch(domain:example.com)\n---",
        hint="Fix the rule as the hint says.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC304",
        name="mcp-rule-with-parentheses",
        severity=ERROR,
        summary="An MCP rule with a pattern in parentheses.",
        why=(
            "'MCP rules do not support patterns in parentheses': the rule is rejected. Name the "
            "tool instead, or use mcp__server__* for all of a server's tools."
        ),
        bad="---\nallowed-tools: mcp__github(get_issue)\n---",
        good="---\nallowed-tools: mcp__github__get_issue\n---",
        hint="Write mcp__<server>__<tool> or mcp__<server>__*.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC305",
        name="rule-never-matches",
        severity=WARNING,
        summary="A path rule on a tool whose rules are never matched.",
        why=(
            "Write(path), NotebookEdit(path), MultiEdit(path) and Glob(path) are accepted but "
            "never match anything: the permission you meant to grant is not granted. Edit(path) "
            "governs writes and Read(path) governs reads."
        ),
        bad="---\nallowed-tools: Write(docs/**)\n---",
        good="---\nallowed-tools: Edit(docs/**)\n---",
        hint="Use Edit(path) for writes and Read(path) for reads.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC306",
        name="scoped-rule-in-agent-tools",
        severity=WARNING,
        summary="A scoped rule such as Bash(git *) in an agent's tools grants the whole tool.",
        why=(
            "An agent's tools list selects tools; only the part before '(' counts. 'Bash(git "
            "diff:*)' gives the agent all of Bash, so a 'read-only' agent can write files "
            "through the shell. (Agent(type, ...) is the one form that does restrict.)"
        ),
        bad="---\ntools: Read, Bash(git diff:*)\n---",
        good="---\ntools: Read, Grep, Glob\n---",
        hint=(
            "List the bare tool if the agent needs all of it; otherwise drop it. Scope "
            "commands with permission rules in settings.json or a hook."
        ),
        kinds=(AGENT,),
    ),
    Rule(
        code="CC307",
        name="invalid-tool-list",
        severity=ERROR,
        summary="A tools or skills field is not a string or a list of strings.",
        why=(
            "These fields are a comma/space separated string or a YAML list of strings; "
            "numbers, mappings and nested lists are dropped."
        ),
        bad="---\ntools:\n  Read: true\n---",
        good="---\ntools: Read, Grep\n---",
        hint="Write a comma-separated string or a list of strings.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC308",
        name="shell-without-permission",
        severity=WARNING,
        summary="The body runs !`command` but allowed-tools grants no matching Bash rule.",
        why=(
            "Shell injection runs before the prompt is sent and is permission-checked against "
            "allowed-tools; without a matching Bash rule it needs a prompt, and in "
            "non-interactive runs it fails."
        ),
        bad="---\nallowed-tools: Read\n---\nStatus: !`git status`",
        good="---\nallowed-tools: Read, Bash(git status:*)\n---\nStatus: !`git status`",
        hint="Add a Bash rule that matches the command to allowed-tools.",
        kinds=(COMMAND, SKILL),
    ),
    # --- commands and skills ----------------------------------------------------------------------
    Rule(
        code="CC401",
        name="argument-hint-not-string",
        severity=WARNING,
        summary="argument-hint was read by YAML as a list or a mapping.",
        why=(
            "An unquoted [file] is a YAML list; the client turns it into the string 'file', so "
            "the hint shown in the / menu loses its brackets."
        ),
        bad="---\nargument-hint: [file] [focus]\n---",
        good='---\nargument-hint: "[file] [focus]"\n---',
        hint="Quote the value.",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC402",
        name="name-in-command",
        severity=WARNING,
        summary="A command has a 'name' key, which the client ignores.",
        why=(
            "A command's name is its file path (commands/a/b.md is /a:b). A frontmatter name "
            "does not rename it and misleads readers."
        ),
        bad="commands/review.md:\n---\nname: code-review\n---",
        good="commands/code-review.md (rename the file)",
        hint="Remove 'name' and rename the file instead.",
        kinds=(COMMAND,),
    ),
    Rule(
        code="CC403",
        name="invalid-shell",
        severity=ERROR,
        summary="shell is not bash or powershell.",
        why="The client warns and falls back to bash for !`command` blocks.",
        bad="---\nshell: zsh\n---",
        good="---\nshell: bash\n---",
        hint="Use bash or powershell.",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC404",
        name="invalid-boolean",
        severity=ERROR,
        summary="A boolean field holds something other than true/false.",
        why=(
            "disable-model-invocation and user-invocable accept true, false, yes, no, on, off, "
            "1 and 0; other values are ignored."
        ),
        bad="---\nuser-invocable: sometimes\n---",
        good="---\nuser-invocable: false\n---",
        hint="Use true or false.",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC405",
        name="invalid-context",
        severity=ERROR,
        summary="context is not inline or fork.",
        why="Any other value is ignored and the skill runs inline.",
        bad="---\ncontext: subagent\n---",
        good="---\ncontext: fork\n---",
        hint="Use inline or fork.",
        kinds=(COMMAND, SKILL),
    ),
    # --- manifests --------------------------------------------------------------------------------
    Rule(
        code="CC501",
        name="json-syntax-error",
        severity=ERROR,
        summary="The manifest is not valid JSON.",
        why=(
            "An unparseable plugin.json or marketplace.json breaks the whole plugin or marketplace."
        ),
        bad='{ "name": "my-plugin", }',
        good='{ "name": "my-plugin" }',
        hint="Fix the JSON at the reported position (no trailing commas, no comments).",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC502",
        name="manifest-not-object",
        severity=ERROR,
        summary="The manifest, or an entry in it, is not a JSON object.",
        why="The client expects objects here; anything else is rejected.",
        bad='["my-plugin"]',
        good='{ "name": "my-plugin" }',
        hint="Make it a JSON object.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC503",
        name="manifest-missing-field",
        severity=ERROR,
        summary="A required manifest field is missing.",
        why=(
            "plugin.json needs name; marketplace.json needs name, owner and plugins; each "
            "marketplace entry needs name and source. Without them the manifest is rejected."
        ),
        bad='{ "version": "1.0.0" }',
        good='{ "name": "my-plugin", "version": "1.0.0" }',
        hint="Add the field.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC504",
        name="manifest-wrong-type",
        severity=ERROR,
        summary="A manifest field has the wrong type or form.",
        why=(
            "For example version must be a string (1.0 is an error), homepage must be a URL, "
            "keywords a list of strings, author an object with a name. The client rejects the "
            "manifest."
        ),
        bad='{ "name": "my-plugin", "version": 1.0 }',
        good='{ "name": "my-plugin", "version": "1.0.0" }',
        hint="Use the type given in the message.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC505",
        name="invalid-plugin-name",
        severity=ERROR,
        summary="A plugin or marketplace name the client rejects.",
        why=(
            "Names must be non-empty, without spaces, control or bidi characters; marketplace "
            "names also without '/', '\\\\' or '..', and not reserved (inline, builtin, ...) or "
            "official Anthropic names."
        ),
        bad='{ "name": "My Plugin" }',
        good='{ "name": "my-plugin" }',
        hint="Use a kebab-case name.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC506",
        name="plugin-name-not-kebab-case",
        severity=WARNING,
        summary="A plugin or marketplace name is not kebab-case.",
        why=(
            "The client loads it, but 'claude plugin validate' warns: Claude.ai marketplace "
            "sync requires kebab-case."
        ),
        bad='{ "name": "MyPlugin" }',
        good='{ "name": "my-plugin" }',
        hint="Use lower-case letters, digits and '-'.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC507",
        name="manifest-path-not-relative",
        severity=ERROR,
        summary="A manifest path does not start with './' or climbs out with '..'.",
        why=(
            "Component paths in plugin.json and local marketplace sources must start with './' "
            "and may not contain '..'; other paths are rejected."
        ),
        bad='{ "agents": ["agents/reviewer.md"] }',
        good='{ "agents": ["./agents/reviewer.md"] }',
        hint="Write the path relative to the plugin root, starting with './'.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC508",
        name="manifest-path-missing",
        severity=ERROR,
        summary="A path in a manifest does not exist.",
        why="The component or plugin it names is silently missing when the plugin loads.",
        bad='{ "agents": ["./agents/reviewr.md"] }',
        good='{ "agents": ["./agents/reviewer.md"] }',
        hint="Fix the path or create the file.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC509",
        name="manifest-unknown-key",
        severity=WARNING,
        summary="A manifest key the client does not recognise.",
        why="Unknown keys are ignored at load time, so a misspelt 'descripton' has no effect.",
        bad='{ "name": "my-plugin", "descripton": "..." }',
        good='{ "name": "my-plugin", "description": "..." }',
        hint="Use the key from the hint, or remove it.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC510",
        name="manifest-missing-recommended",
        severity=WARNING,
        summary="plugin.json lacks version, description or author.",
        why=(
            "'claude plugin validate' warns about these. Without a version, plugin caches "
            "cannot tell an update from the installed copy."
        ),
        bad='{ "name": "my-plugin" }',
        good=(
            '{ "name": "my-plugin", "version": "1.0.0", "description": "...", "author": '
            '{"name": "..."} }'
        ),
        hint="Add the field.",
        kinds=(PLUGIN_MANIFEST,),
    ),
    Rule(
        code="CC511",
        name="duplicate-plugin-entry",
        severity=ERROR,
        summary="Two marketplace entries have the same name.",
        why=(
            "Duplicate plugin names in one marketplace are an error; one entry cannot be installed."
        ),
        bad='{ "plugins": [ {"name": "a", ...}, {"name": "a", ...} ] }',
        good='{ "plugins": [ {"name": "a", ...}, {"name": "b", ...} ] }',
        hint="Rename or remove one entry.",
        kinds=(MARKETPLACE_MANIFEST,),
    ),
    # --- across files -----------------------------------------------------------------------------
    Rule(
        code="CC601",
        name="duplicate-agent-name",
        severity=ERROR,
        summary="Two agent files in the same place use the same name.",
        why=(
            "Agents are identified by name, not file name. With two files named alike only one "
            "is loaded (the client logs 'Duplicate agent name'); which one depends on scan "
            "order."
        ),
        bad="agents/a.md and agents/b.md both with name: reviewer",
        good="agents/a.md name: reviewer, agents/b.md name: security-reviewer",
        hint="Give each agent a unique name.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC602",
        name="unknown-agent-reference",
        severity=WARNING,
        summary="A command names an agent that does not exist.",
        why=(
            "A command that delegates to a missing agent fails only when it runs, or quietly "
            "falls back to another agent. Checked: subagent_type values, the agent field, "
            "backticked names next to the word 'agent', backticked lists that are mostly known "
            "agents, and backticked names one letter away from a known agent. Known agents are "
            "those beside the command and in the repository's agent folders, those being "
            "linted, the ml-agents bundle and the built-ins."
        ),
        bad="Delegate the review to the `code-reviewr` agent.",
        good="Delegate the review to the `code-reviewer` agent.",
        hint="Fix the name, or add the agent.",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC603",
        name="marketplace-version-mismatch",
        severity=WARNING,
        summary="A marketplace entry's version differs from its plugin.json version.",
        why=(
            "plugin.json wins at install time, so the marketplace advertises a version users do "
            "not get, and update checks compare the wrong numbers."
        ),
        bad=(
            'marketplace.json: {"name": "a", "version": "1.0.0"}, plugin.json: {"version": "1.1.0"}'
        ),
        good="both 1.1.0, or no version in the marketplace entry",
        hint="Make the versions equal, or drop the version from the marketplace entry.",
        kinds=(MARKETPLACE_MANIFEST,),
    ),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in _RULES}
assert len(RULES) == len(_RULES) and len(RULES_BY_NAME) == len(_RULES), "rule codes/names clash"
assert all(rule.severity in (ERROR, WARNING, INFO) for rule in _RULES)


def lookup(code_or_name: str) -> Rule | None:
    """A rule by code (``CC301``, any case) or by name (``unknown-tool``)."""
    key = code_or_name.strip()
    return RULES.get(key.upper()) or RULES_BY_NAME.get(key.lower())


def make(
    code: str, path: str, line: int, col: int, message: str, hint: str | None = None
) -> Finding:
    """A finding of rule ``code``; the hint defaults to the rule's own."""
    rule = RULES[code]
    return Finding(path, max(line, 1), max(col, 1), code, rule.severity, message, hint or rule.hint)
