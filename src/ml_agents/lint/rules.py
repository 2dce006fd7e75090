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
            "Claude Code never loads a file outside agents/, commands/, skills/<name>/SKILL.md "
            "or .claude-plugin/, and the kind of a file (agent, command, skill, manifest) comes "
            "from where it lives, so the linter will not guess what it was meant to be."
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
        why=(
            "Nothing for Claude Code to load there, and a misspelt path in a CI job or hook "
            "would otherwise lint nothing and pass."
        ),
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
            "Claude Code 2.1.332 strips one BOM and loads the file as written, but 2.1.197 (the "
            "newest release that runs on Node 20) does not: it finds no frontmatter and drops "
            "the agent without a message. Measured with both clients."
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
        severity=INFO,
        summary="The YAML parses only after the client quotes a value for you.",
        why=(
            "Claude Code retries a block that does not parse after quoting values that hold "
            "': ', '#', '[' and similar, and then reads the value exactly as written: the file "
            "loads as meant. Advisory only: YAML tools other than Claude Code reject the block."
        ),
        bad="---\ndescription: Use for: reviews, audits\n---",
        good='---\ndescription: "Use for: reviews, audits"\n---',
        hint='Quote the value: description: "Use for: reviews, audits"',
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC106",
        name="duplicate-key",
        severity=ERROR,
        summary="A key appears twice in the same mapping.",
        why=(
            "Claude Code keeps only the last of the two values and drops the other without a "
            "message (in a manifest too: the second key replaces the first)."
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
        why=(
            "Claude Code expects 'key: value' lines; anything else yields no fields, so an agent "
            "is dropped and a command loses its settings."
        ),
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
            "Claude Code treats a project or user agent without 'name' as a reference document "
            "and skips it silently. (Plugin agents fall back to the file name and are not "
            "flagged.)"
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
        why=(
            "Claude Code rejects an agent whose name is a number, a boolean, a list or a "
            "mapping: the agent is not loaded."
        ),
        bad="---\nname: 1234\n---",
        good="---\nname: reviewer-1234\n---",
        hint="Write the name as text: name: reviewer-1234",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC203",
        name="agent-name-colon",
        severity=ERROR,
        summary="The agent name contains ':'.",
        why=(
            "':' is reserved for plugin namespacing (plugin:agent). Since 2.1.218 Claude Code "
            "rejects such agents: the agent is not loaded."
        ),
        bad="---\nname: team:reviewer\n---",
        good="---\nname: team-reviewer\n---",
        hint="Replace ':' with '-': name: team-reviewer",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC204",
        name="agent-name-leading-dash",
        severity=ERROR,
        summary="The agent name starts with '-'.",
        why=(
            "Claude Code rejects names starting with '-' (they would read as command-line "
            "options): the agent is not loaded."
        ),
        bad="---\nname: -reviewer\n---",
        good="---\nname: reviewer\n---",
        hint="Remove the leading '-': name: reviewer",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC205",
        name="agent-name-too-long",
        severity=ERROR,
        summary="The agent name is over 256 characters.",
        why="Claude Code rejects agent names longer than 256 characters: the agent is not loaded.",
        bad="---\nname: a-very-long-name-...(300 characters)\n---",
        good="---\nname: reviewer\n---",
        hint="Shorten the name: name: reviewer",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC206",
        name="agent-name-not-kebab-case",
        severity=INFO,
        summary="The agent name is not kebab-case.",
        why=(
            "Claude Code loads any name that has no ':' and does not start with '-' "
            "(powershell-5.1-expert and Code Reviewer both load). Advisory only: the documented "
            "form is lower-case words joined by '-', which is easiest to type in /agents and "
            "--agent."
        ),
        bad="---\nname: Code Reviewer\n---",
        good="---\nname: code-reviewer\n---",
        hint="Write the name in kebab-case: name: code-reviewer",
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
        hint="Add the key: description: Reviews a diff for bugs before merge.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC208",
        name="description-not-string",
        severity=ERROR,
        summary="The description is not a string.",
        why=(
            "Claude Code rejects an agent whose description is a number, boolean, list or "
            "mapping; commands and skills lose a list or mapping description. A common cause is "
            "an unquoted value that YAML reads as something else."
        ),
        bad="---\nname: reviewer\ndescription:\n  - reviews code\n---",
        good="---\nname: reviewer\ndescription: Reviews code.\n---",
        hint="Write the description as one string: description: Reviews code.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC209",
        name="unknown-key",
        severity=WARNING,
        summary="A frontmatter key the client does not read, spelt like one it does.",
        why=(
            "Claude Code does not normalise keys: 'allowed-tools' in an agent, "
            "'disallowed_tools' or a typo is ignored, so the setting you meant never applies "
            "(the agent or command still loads)."
        ),
        bad="---\nname: reviewer\nallowed-tools: Read\n---",
        good="---\nname: reviewer\ntools: Read\n---",
        hint="Rename the key to the one Claude Code reads: in an agent, 'tools: Read'.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC210",
        name="invalid-model",
        severity=WARNING,
        summary="The model is neither 'inherit', an alias, nor a Claude model id.",
        why=(
            "Claude Code does not check 'model' when it loads the file: the file loads, and a "
            "wrong value is sent to the API as written, so the agent fails or falls back to the "
            "session's model only when it runs. Valid: inherit, sonnet, opus, haiku, fable, "
            "best, opusplan, sonnet[1m], opus[1m], fable[1m] (in any case: Opus is mapped to "
            "opus), or a full id like claude-sonnet-4-5."
        ),
        bad="---\nmodel: Claude Sonnet 4.5\n---",
        good="---\nmodel: sonnet\n---",
        hint="Write model: sonnet (or inherit, opus, haiku, or a full claude-... model id).",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC211",
        name="invalid-color",
        severity=ERROR,
        summary="The color is not one the client knows.",
        why=(
            "Claude Code uses only red, blue, green, yellow, purple, orange, pink and cyan, and "
            "silently ignores any other value: the agent loads without its colour."
        ),
        bad="---\ncolor: teal\n---",
        good="---\ncolor: cyan\n---",
        hint="Write color: cyan (red, blue, green, yellow, purple, orange, pink or cyan).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC212",
        name="invalid-permission-mode",
        severity=ERROR,
        summary="permissionMode is not one of the client's modes.",
        why=(
            "Claude Code ignores an unknown mode (only a debug log says so) and the agent "
            "inherits the parent's mode."
        ),
        bad="---\npermissionMode: yolo\n---",
        good="---\npermissionMode: acceptEdits\n---",
        hint="Write permissionMode: acceptEdits (or auto, default, dontAsk, plan).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC213",
        name="bypass-permissions",
        severity=WARNING,
        summary="The agent runs with bypassPermissions.",
        why=(
            "Claude Code honours it: the agent runs every tool without asking, including "
            "destructive shell commands. It works, but it is almost never what the users of a "
            "shared agent mean to allow."
        ),
        bad="---\npermissionMode: bypassPermissions\n---",
        good="---\npermissionMode: acceptEdits\n---",
        hint="Write permissionMode: acceptEdits, and scope the agent's tools instead.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC214",
        name="invalid-effort",
        severity=ERROR,
        summary="effort is not low, medium, high, xhigh, max or an integer.",
        why="Claude Code ignores an unknown effort and uses the session's effort instead.",
        bad="---\neffort: extreme\n---",
        good="---\neffort: high\n---",
        hint="Write effort: high (or low, medium, xhigh, max, or an integer).",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC215",
        name="invalid-max-turns",
        severity=ERROR,
        summary="maxTurns is not a positive integer.",
        why=(
            "Claude Code ignores a non-positive or non-numeric maxTurns ('Must be a positive "
            "integer') and the agent runs with no turn limit."
        ),
        bad="---\nmaxTurns: 0\n---",
        good="---\nmaxTurns: 20\n---",
        hint="Write maxTurns: 20 (a positive integer).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC216",
        name="invalid-memory",
        severity=ERROR,
        summary="memory is not user, project or local.",
        why="Claude Code ignores any other value and the agent gets no memory.",
        bad="---\nmemory: global\n---",
        good="---\nmemory: project\n---",
        hint="Write memory: project (or user, local).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC217",
        name="invalid-isolation",
        severity=ERROR,
        summary="isolation is not worktree or remote (plugin agents: only worktree).",
        why="Claude Code ignores any other value and the agent runs in the main working tree.",
        bad="---\nisolation: container\n---",
        good="---\nisolation: worktree\n---",
        hint="Write isolation: worktree (or remote, outside plugins).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC218",
        name="invalid-background",
        severity=ERROR,
        summary="background is not true or false.",
        why='Claude Code reads only true, false, "true" and "false" and ignores anything else.',
        bad="---\nbackground: sometimes\n---",
        good="---\nbackground: true\n---",
        hint="Write background: true (or false).",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC219",
        name="ignored-in-plugin-agent",
        severity=ERROR,
        summary="A key that plugin agents ignore.",
        why=(
            "Claude Code ignores permissionMode, hooks, mcpServers, initialPrompt, observer, "
            "observerMessage and observeSubagents in agents loaded from a plugin (only its debug "
            "log says so): the agent loads without the setting."
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
            "Since 2.1.332 Claude Code does not load an agent whose hooks fail the schema, and "
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
    Rule(
        code="CC221",
        name="unread-key",
        severity=INFO,
        summary="A frontmatter key Claude Code does not read, and not a misspelling of one.",
        why=(
            "Claude Code ignores the key and loads the file as written: a key such as author or "
            "tags is metadata for people and other tools. Advisory only (a skill or command can "
            "keep such keys under metadata:, which Claude Code accepts)."
        ),
        bad="---\nname: reviewer\ndescription: Reviews code.\nauthor: Ana\n---",
        good="---\nname: reviewer\ndescription: Reviews code.\n---",
        hint="Remove the key, or keep it if another tool reads it.",
        kinds=FRONTMATTER_FILES,
    ),
    # --- tools and permission rules ---------------------------------------------------------------
    Rule(
        code="CC301",
        name="unknown-tool",
        severity=ERROR,
        summary="A tool name the client does not know.",
        why=(
            "Claude Code drops unknown tool names silently, so the agent or command runs without "
            "the tool you meant. Names are case-sensitive; MCP tools are written "
            "mcp__<server>__<tool>."
        ),
        bad="---\ntools: read, grep, context7\n---",
        good="---\ntools: Read, Grep, mcp__context7__get-library-docs\n---",
        hint="Write the exact tool name: tools: Read, Grep (MCP tools: mcp__<server>__<tool>).",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC302",
        name="legacy-tool-name",
        severity=INFO,
        summary="A legacy tool name (Task, KillShell, ...).",
        why=(
            "Claude Code maps legacy names (Task -> Agent, KillShell -> TaskStop), so the agent "
            "or command gets the tool exactly as meant. Advisory only: the names are deprecated "
            "and other tools that read the file may not know them."
        ),
        bad="---\ntools: Read, Task\n---",
        good="---\ntools: Read, Agent\n---",
        hint="Write the current name: tools: Read, Agent.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC303",
        name="malformed-permission-rule",
        severity=ERROR,
        summary="A permission rule the client rejects or misreads.",
        why=(
            "Rules are 'Tool' or 'Tool(content)'. Claude Code drops a rule with empty '()', "
            "unbalanced parentheses, 'Bash(:*)' (empty prefix), ':*' on a file tool, WebFetch "
            "without 'domain:' or a wildcard in WebSearch, so the permission is not granted."
        ),
        bad="---\nallowed-tools: Bash(:*), WebFetch(https://example.com)\n---",
        good="---\nallowed-tools: Bash(git status:*), WebFetch(domain:example.com)\n---",
        hint="Write the rule as Tool or Tool(content), e.g. Bash(git status:*).",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC304",
        name="mcp-rule-with-parentheses",
        severity=ERROR,
        summary="An MCP rule with a pattern in parentheses.",
        why=(
            "Claude Code rejects the rule ('MCP rules do not support patterns in parentheses'), "
            "so the permission is not granted. Name the tool instead, or use mcp__server__* for "
            "all of a server's tools."
        ),
        bad="---\nallowed-tools: mcp__github(get_issue)\n---",
        good="---\nallowed-tools: mcp__github__get_issue\n---",
        hint="Write mcp__<server>__<tool> or mcp__<server>__*.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC305",
        name="rule-never-matches",
        severity=ERROR,
        summary="A path rule on a tool whose rules are never matched.",
        why=(
            "Claude Code accepts Write(path), NotebookEdit(path), MultiEdit(path) and Glob(path) "
            "but never matches them, so the permission you meant to grant is not granted. "
            "Edit(path) governs writes and Read(path) governs reads."
        ),
        bad="---\nallowed-tools: Write(docs/**)\n---",
        good="---\nallowed-tools: Edit(docs/**)\n---",
        hint="Write Edit(docs/**) to allow writes, Read(path) to allow reads.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC306",
        name="scoped-rule-in-agent-tools",
        severity=WARNING,
        summary="A scoped rule such as Bash(git *) in an agent's tools grants the whole tool.",
        why=(
            "Claude Code reads an agent's tools list as a list of tools: only the part before "
            "'(' counts. 'Bash(git diff:*)' gives the agent all of Bash, so a 'read-only' agent "
            "can write files through the shell. (Agent(type, ...) is the one form that does "
            "restrict.)"
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
            "These fields are a comma/space separated string or a YAML list of strings; Claude "
            "Code drops numbers, mappings and nested lists, so the tools are not set."
        ),
        bad="---\ntools:\n  Read: true\n---",
        good="---\ntools: Read, Grep\n---",
        hint="Write tools: Read, Grep (a comma-separated string or a list of strings).",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC308",
        name="shell-without-permission",
        severity=ERROR,
        summary="The body runs !`command` that is neither read-only nor allowed by allowed-tools.",
        why=(
            "Claude Code runs !`command` blocks before the prompt is sent, without asking. "
            "Read-only commands (git status, git diff, git log, ls, find, cat, ...) and commands "
            "matched by a Bash rule in allowed-tools run; for any other command the whole "
            "command or skill stops with 'Shell command permission check failed ... This command "
            "requires approval', and nothing is sent to the model."
        ),
        bad="---\nallowed-tools: Read\n---\nTests: !`npm test`",
        good="---\nallowed-tools: Read, Bash(npm test:*)\n---\nTests: !`npm test`",
        hint="Add a Bash rule that matches the command to allowed-tools: Bash(npm test:*).",
        kinds=(COMMAND, SKILL),
    ),
    # --- commands and skills ----------------------------------------------------------------------
    Rule(
        code="CC401",
        name="argument-hint-not-string",
        severity=WARNING,
        summary="argument-hint was read by YAML as a list or a mapping.",
        why=(
            "An unquoted [file] is a YAML list; Claude Code turns it into the string 'file', so "
            "the command works but the hint shown in the / menu loses its brackets."
        ),
        bad="---\nargument-hint: [file] [focus]\n---",
        good='---\nargument-hint: "[file] [focus]"\n---',
        hint='Quote the value: argument-hint: "[file] [focus]"',
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC402",
        name="name-in-command",
        severity=ERROR,
        summary="A command's 'name' differs from its file name, and the client ignores it.",
        why=(
            "Claude Code names a command after its file path (commands/a/b.md is /a:b) and "
            "ignores a frontmatter name, so /code-review in the example does not exist. (A name "
            "equal to the file name changes nothing and is not reported.)"
        ),
        bad="commands/review.md:\n---\nname: code-review\n---",
        good="commands/code-review.md (rename the file)",
        hint="Remove the name line, or rename the file to <name>.md.",
        kinds=(COMMAND,),
    ),
    Rule(
        code="CC403",
        name="invalid-shell",
        severity=ERROR,
        summary="shell is not bash or powershell.",
        why="Claude Code ignores it (with a warning) and runs !`command` blocks with bash.",
        bad="---\nshell: zsh\n---",
        good="---\nshell: bash\n---",
        hint="Write shell: bash (or powershell).",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC404",
        name="invalid-boolean",
        severity=ERROR,
        summary="A boolean field holds something other than true/false.",
        why=(
            "disable-model-invocation and user-invocable accept true, false, yes, no, on, off, "
            "1 and 0; Claude Code ignores other values and uses the default."
        ),
        bad="---\nuser-invocable: sometimes\n---",
        good="---\nuser-invocable: false\n---",
        hint="Write user-invocable: false (true or false).",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC405",
        name="invalid-context",
        severity=ERROR,
        summary="context is not inline or fork.",
        why="Claude Code ignores any other value and the skill runs inline.",
        bad="---\ncontext: subagent\n---",
        good="---\ncontext: fork\n---",
        hint="Write context: fork (or inline).",
        kinds=(COMMAND, SKILL),
    ),
    # --- manifests --------------------------------------------------------------------------------
    Rule(
        code="CC501",
        name="json-syntax-error",
        severity=ERROR,
        summary="The manifest is not valid JSON.",
        why=(
            "Claude Code cannot read the manifest: the whole plugin does not load (for "
            "marketplace.json: the marketplace cannot be added or updated)."
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
        why=(
            "Claude Code rejects the manifest: the whole plugin does not load (a marketplace "
            "cannot be added; a bad entry cannot be installed)."
        ),
        bad='["my-plugin"]',
        good='{ "name": "my-plugin" }',
        hint='Write the manifest as one object: { "name": "my-plugin" }',
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC503",
        name="manifest-missing-field",
        severity=ERROR,
        summary="A required manifest field is missing.",
        why=(
            "plugin.json needs name; marketplace.json needs name, owner and plugins; each "
            "marketplace entry needs name and source. Without them Claude Code rejects the "
            "manifest: the whole plugin does not load, or the marketplace cannot be added."
        ),
        bad='{ "version": "1.0.0" }',
        good='{ "name": "my-plugin", "version": "1.0.0" }',
        hint='Add the field, e.g. "name": "my-plugin"',
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC504",
        name="manifest-wrong-type",
        severity=ERROR,
        summary="A manifest field has the wrong type or form.",
        why=(
            "For example version must be a string (1.0 is an error), homepage must be a URL, "
            "keywords a list of strings, author an object with a name. Claude Code rejects the "
            "manifest: the whole plugin does not load, or the marketplace cannot be added."
        ),
        bad='{ "name": "my-plugin", "version": 1.0 }',
        good='{ "name": "my-plugin", "version": "1.0.0" }',
        hint='Give the field the type the message names, e.g. "version": "1.0.0"',
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
            "names kept for Anthropic's own repositories (github.com/anthropics/...). Claude "
            "Code rejects the manifest: the plugin does not load, or the marketplace cannot be "
            "added."
        ),
        bad='{ "name": "My Plugin" }',
        good='{ "name": "my-plugin" }',
        hint='Write a kebab-case name: "name": "my-plugin"',
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC506",
        name="plugin-name-not-kebab-case",
        severity=WARNING,
        summary="A plugin or marketplace name is not kebab-case.",
        why=(
            "Claude Code loads it, but 'claude plugin validate' warns and Claude.ai marketplace "
            "sync rejects it: it requires kebab-case."
        ),
        bad='{ "name": "MyPlugin" }',
        good='{ "name": "my-plugin" }',
        hint='Write "name": "my-plugin" (lower-case letters, digits and -).',
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC507",
        name="manifest-path-not-relative",
        severity=ERROR,
        summary="A manifest path does not start with './' or climbs out with '..'.",
        why=(
            "Component paths in plugin.json and local marketplace sources must start with './' "
            "and may not contain '..'. Claude Code rejects other paths: plugin.json fails "
            "validation and the whole plugin does not load; such a marketplace entry cannot be "
            "installed."
        ),
        bad='{ "agents": ["agents/reviewer.md"] }',
        good='{ "agents": ["./agents/reviewer.md"] }',
        hint='Write the path from the plugin root with ./: "./agents/reviewer.md"',
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC508",
        name="manifest-path-missing",
        severity=ERROR,
        summary="A path in a manifest does not exist.",
        why=(
            "Claude Code loads the plugin without the component the path names (or cannot "
            "install the marketplace entry), and says nothing."
        ),
        bad='{ "agents": ["./agents/reviewr.md"] }',
        good='{ "agents": ["./agents/reviewer.md"] }',
        hint="Fix the path or create the file.",
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC509",
        name="manifest-unknown-key",
        severity=WARNING,
        summary="A manifest key the client does not read, spelt like one it does.",
        why=(
            "Claude Code ignores unknown keys at load time, so a misspelt 'descripton' has no "
            "effect: the plugin loads without the setting you meant."
        ),
        bad='{ "name": "my-plugin", "descripton": "..." }',
        good='{ "name": "my-plugin", "description": "..." }',
        hint='Rename the key to the one Claude Code reads: "description".',
        kinds=MANIFESTS,
    ),
    Rule(
        code="CC510",
        name="manifest-missing-recommended",
        severity=WARNING,
        summary="plugin.json lacks version, description or author.",
        why=(
            "Claude Code loads the plugin, but without a version its plugin cache cannot tell an "
            "update from the installed copy, so users keep stale content; 'claude plugin "
            "validate' warns about all three."
        ),
        bad='{ "name": "my-plugin" }',
        good=(
            '{ "name": "my-plugin", "version": "1.0.0", "description": "...", "author": '
            '{"name": "..."} }'
        ),
        hint='Add "version": "1.0.0", "description": "..." and "author": {"name": "..."}.',
        kinds=(PLUGIN_MANIFEST,),
    ),
    Rule(
        code="CC511",
        name="duplicate-plugin-entry",
        severity=ERROR,
        summary="Two marketplace entries have the same name.",
        why=(
            "Claude Code treats duplicate plugin names in one marketplace as an error: one of the "
            "entries cannot be installed."
        ),
        bad='{ "plugins": [ {"name": "a", ...}, {"name": "a", ...} ] }',
        good='{ "plugins": [ {"name": "a", ...}, {"name": "b", ...} ] }',
        hint="Rename or remove one entry.",
        kinds=(MARKETPLACE_MANIFEST,),
    ),
    Rule(
        code="CC512",
        name="manifest-unread-key",
        severity=INFO,
        summary="A manifest key Claude Code does not read, and not a misspelling of one.",
        why=(
            "Claude Code ignores unknown manifest keys and loads the plugin or marketplace as "
            "written; 'claude plugin validate' warns about them. Advisory only: metadata for "
            'people or other tools belongs under "metadata".'
        ),
        bad='{ "name": "my-plugin", "tags": ["review"] }',
        good='{ "name": "my-plugin", "keywords": ["review"] }',
        hint='Remove the key, or move it under "metadata".',
        kinds=MANIFESTS,
    ),
    # --- across files -----------------------------------------------------------------------------
    Rule(
        code="CC601",
        name="duplicate-agent-name",
        severity=ERROR,
        summary="Two agent files that load together use the same name.",
        why=(
            "Claude Code identifies agents by name, not file name. Of two files it loads "
            "together with one name, it keeps one and drops the other (logging 'Duplicate agent "
            "name'); which one depends on scan order. Files load together when they sit in one "
            ".claude/agents/ tree, in one folder of a plugin, or in one plugin.json agents list. "
            "A catalog folder that users install one agent at a time (agents/<category>/) is not "
            "a clash across categories."
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
            "Claude Code loads the command, but when it delegates to a missing agent the Agent "
            "call fails ('Agent type ... not found') or the model quietly picks another agent. "
            "Checked: subagent_type values, the agent field, backticked names next to the word "
            "'agent', backticked lists that are mostly known agents, and backticked names one "
            "letter away from a known agent. Known agents are those beside the command and in "
            "the repository's agent folders, those being linted, the agents ml-agents installs "
            "and the built-ins."
        ),
        bad="Delegate the review to the `code-reviewr` agent.",
        good="Delegate the review to the `code-reviewer` agent.",
        hint="Write the name of an agent that exists, or add agents/<name>.md.",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC603",
        name="marketplace-version-mismatch",
        severity=WARNING,
        summary="A marketplace entry's version differs from its plugin.json version.",
        why=(
            "Claude Code installs the version in plugin.json, so the marketplace advertises a "
            "version users do not get, and update checks compare the wrong numbers."
        ),
        bad=(
            'marketplace.json: {"name": "a", "version": "1.0.0"}, plugin.json: {"version": "1.1.0"}'
        ),
        good="both 1.1.0, or no version in the marketplace entry",
        hint="Make the versions equal, or drop the version from the marketplace entry.",
        kinds=(MARKETPLACE_MANIFEST,),
    ),
    Rule(
        code="CC604",
        name="not-an-agent",
        severity=INFO,
        summary="A Markdown file in an agents/ folder that is documentation, not an agent.",
        why=(
            "Claude Code skips a README or overview without frontmatter in agents/, and the "
            "agents/ or commands/ folder inside a skill holds that skill's own files: none of "
            "them is loaded as an agent or command, as intended. Reported only when such a file "
            "is named on the command line (pre-commit does), so it is explained, not ignored."
        ),
        bad="ml-agents lint agents/README.md   (expecting it to be checked as an agent)",
        good="agents/README.md stays documentation; agents live in their own files",
        hint="Nothing to fix; give the file a name/description frontmatter if it is an agent.",
        kinds=(AGENT,),
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
