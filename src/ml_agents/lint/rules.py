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
WORKFLOW = "workflow"
SETTINGS = "settings"
HOOKS_CONFIG = "hooks-config"
MCP_CONFIG = "mcp-config"
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
    autofix: str = ""
    """What ``--fix`` does for this rule; empty when it does nothing."""


ANY_FILE = (
    AGENT,
    COMMAND,
    SKILL,
    PLUGIN_MANIFEST,
    MARKETPLACE_MANIFEST,
    WORKFLOW,
    SETTINGS,
    HOOKS_CONFIG,
    MCP_CONFIG,
)
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
            "1,000,000 bytes are skipped by the client without a message, and so are workflow "
            "scripts over 524,288 characters."
        ),
        bad="agents/huge.md   (2 MB: a pasted data dump in the prompt)",
        good="agents/huge.md   (the prompt; the data lives in a file the agent reads)",
        hint="Move large reference material into separate files the agent reads on demand.",
        kinds=(*FRONTMATTER_FILES, WORKFLOW),
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
    Rule(
        code="CC008",
        name="unused-suppression",
        severity=WARNING,
        summary="An ml-agents suppression comment silences nothing.",
        why=(
            "Claude Code ignores ml-agents comments; this one is stale for ml-agents too. "
            "The rule it names no longer fires where the comment points (the problem was fixed, "
            "or the comment sits on the wrong line), so it only hides the next real finding "
            "there. Not reported for a rule the configuration switches off."
        ),
        bad="tools: Read  # ml-agents: ignore[CC302] legacy name   (no legacy name on the line)",
        good="tools: Read",
        hint="Remove the comment, or move it to the line that has the finding.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC010",
        name="suppression-without-reason",
        severity=WARNING,
        summary="An ml-agents suppression comment gives no reason.",
        why=(
            "Claude Code ignores the comment either way. "
            "A silenced finding is a decision someone made; without the reason the next reader "
            "cannot tell whether it still holds. The suppression still applies."
        ),
        bad="tools: Task  # ml-agents: ignore[CC302]",
        good="tools: Task  # ml-agents: ignore[CC302] the 2.1.197 client needs the old name",
        hint="Write the reason after the brackets: # ml-agents: ignore[CC302] why it is fine here",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC011",
        name="malformed-suppression",
        severity=WARNING,
        summary="An ml-agents comment cannot be read as a suppression.",
        why=(
            "Claude Code ignores the comment either way. "
            "A comment that starts with 'ml-agents:' but misspells the directive or names no "
            "known rule silences nothing, while its author believes it does."
        ),
        bad="<!-- ml-agents: ignore CC602 helper lives in another plugin -->",
        good="<!-- ml-agents: ignore[CC602] helper lives in another plugin -->",
        hint=(
            "Write ignore[CODE, ...] or ignore-file[CODE, ...] after 'ml-agents:', with rule "
            "codes or names from --list-rules, then the reason."
        ),
        kinds=FRONTMATTER_FILES,
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
        code="CC030",
        name="dashes-in-frontmatter-value",
        severity=ERROR,
        summary="A '---' inside a frontmatter value ends the frontmatter there.",
        why=(
            "Claude Code finds the frontmatter with /^---\\s*\\n([\\s\\S]*?)---/: the first "
            "'---' anywhere closes it, even mid-line or inside quotes. The rest of that value and "
            "every key after it are lost, and they become part of the prompt body instead."
        ),
        bad="---\nname: reviewer\ndescription: Reviews code --- fast\ntools: Read\n---",
        good="---\nname: reviewer\ndescription: Reviews code, fast\ntools: Read\n---",
        hint="Replace the '---' in the value with a dash or a comma.",
        kinds=FRONTMATTER_FILES,
    ),
    Rule(
        code="CC031",
        name="nothing-to-lint",
        severity=WARNING,
        summary="A folder named on the command line holds nothing Claude Code reads.",
        why=(
            "Claude Code reads agents/, commands/, skills/<name>/SKILL.md and .claude-plugin/ "
            "manifests. A folder with none of them below it is not linted at all, and a run that "
            "checked nothing must not look like a clean one."
        ),
        bad="ml-agents lint docs/   (only README.md and notes)",
        good="ml-agents lint my-plugin/   (holds agents/, commands/ or .claude-plugin/)",
        hint="Name the plugin or project folder that holds agents/, commands/ or skills/.",
        kinds=ANY_FILE,
    ),
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
        autofix="Removes the byte-order mark.",
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
        autofix=(
            "Quotes the value exactly as the client would, so the file reads the same "
            "without the rescue."
        ),
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
        kinds=(*FRONTMATTER_FILES, *MANIFESTS),
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
    Rule(
        code="CC230",
        name="tool-not-for-subagents",
        severity=ERROR,
        summary="The agent lists a tool Claude Code removes from every subagent.",
        why=(
            "Claude Code 2.1.332 knows TodoWrite, TaskCreate, TaskList, TaskGet and TaskUpdate but "
            "withholds them from subagents: the agent runs without the tool you listed, and says "
            "nothing. (Measured: the sub-request carries no such tool.)"
        ),
        bad="---\nname: planner\ndescription: Plans work.\ntools: Read, TodoWrite\n---",
        good="---\nname: planner\ndescription: Plans work.\ntools: Read\n---",
        hint="Remove the tool from tools.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC231",
        name="empty-agent-tools",
        severity=WARNING,
        summary="tools is [] or empty: no tools for the agent, while its listing says 'All tools'.",
        why=(
            "Claude Code gives the agent zero tools. "
            "An omitted tools key inherits every tool; 'tools: []', 'tools: \"\"' and a bare "
            "'tools:' give zero tools. The agent listing the model sees still says 'All tools', "
            "so it delegates work the agent cannot do."
        ),
        bad="---\nname: reviewer\ndescription: Reviews code.\ntools: []\n---",
        good="---\nname: reviewer\ndescription: Reviews code.\ntools: Read, Grep, Glob\n---",
        hint="Delete the tools line to inherit all tools, or list the tools the agent needs.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC232",
        name="agent-refused-no-tools",
        severity=ERROR,
        summary="None of the agent's tools survive, so Claude Code refuses to run the agent.",
        why=(
            "Claude Code refuses to run the agent. "
            "When every entry of tools is unknown or withheld from subagents, 2.1.332 refuses the "
            "spawn: \"Agent '...' would be spawned with zero tools — refusing. Its tools list "
            'resolved to nothing: unrecognized [...]". Every call to the agent fails. One finding '
            "names all the entries, instead of one per unknown tool."
        ),
        bad="---\nname: reviewer\ndescription: Reviews code.\ntools: read, grep\n---",
        good="---\nname: reviewer\ndescription: Reviews code.\ntools: Read, Grep\n---",
        hint="Use tool names Claude Code knows (case matters), or delete tools to inherit all.",
        kinds=(AGENT,),
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
        autofix=(
            "Gives a known tool name its case (grep -> Grep); other unknown names are left alone."
        ),
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
        autofix="Writes the current name (Task -> Agent).",
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
    Rule(
        code="CC317",
        name="shell-blocked-by-client",
        severity=ERROR,
        summary="A !`command` that allowed-tools matches and Claude Code refuses all the same.",
        why=(
            "Before it runs a snippet, 2.1.332 checks it beyond the allow rules, and refuses "
            "with 'Shell command permission check failed for pattern ...': a $(...) or backquote "
            '("A nested command in this command can\'t be checked before it runs"), an unquoted '
            "{ beside ',' or '..' such as @{u}..HEAD (\"Brace expansion\"), and cat, ls, grep and "
            "other file commands reading outside the working directories, such as ~/.claude "
            '("... was blocked. For security, Claude Code may only ..."). The prompt is never '
            "sent."
        ),
        bad="---\nallowed-tools: Bash(git log:*)\n---\nAhead: !`git log --oneline @{u}..HEAD`",
        good="---\nallowed-tools: Bash(git log:*)\n---\nAhead: !`git log --oneline '@{u}..HEAD'`",
        hint=(
            "Quote brace words, run nested commands as their own snippets, read inside the project."
        ),
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
    Rule(
        code="CC410",
        name="nested-skill-not-loaded",
        severity=ERROR,
        summary="A SKILL.md nested below a category folder, where Claude Code never loads it.",
        why=(
            "Claude Code never loads the skill. "
            "Skills are skills/<name>/SKILL.md, one level down. Measured with 2.1.197 and "
            "2.1.332, in a plugin and in .claude/skills: skills/<category>/<name>/SKILL.md is "
            "not loaded and nothing says so. The file is still linted."
        ),
        bad="skills/review/security-review/SKILL.md",
        good="skills/security-review/SKILL.md",
        hint="Move the skill folder directly under skills/.",
        kinds=(SKILL,),
    ),
    Rule(
        code="CC315",
        name="bare-plugin-agent-type",
        severity=ERROR,
        summary="A plugin's command or skill names the plugin's own agent without its namespace.",
        why=(
            "Claude Code cannot find the agent, so the step fails. "
            "Plugin agents are <plugin>:<name> once installed, and the Agent tool looks the type "
            "up exactly: subagent_type: reviewer fails with \"Agent type 'reviewer' not found\" "
            "(measured with 2.1.332), so the step that delegates never runs. Checked: "
            "subagent_type values in the body and the agent field."
        ),
        bad='Call the Agent tool with subagent_type: "reviewer".',
        good='Call the Agent tool with subagent_type: "my-plugin:reviewer".',
        hint="Write <plugin>:<name>, the id the hint shows.",
        kinds=(COMMAND, SKILL),
    ),
    Rule(
        code="CC316",
        name="doubled-colon-agent-type",
        severity=ERROR,
        summary="An agent type with '::' in it.",
        why=(
            "Claude Code cannot find the agent, so the step fails. "
            "Namespaces are joined by one ':'; no agent is named with two, so the Agent tool "
            "answers \"Agent type 'team::reviewer' not found\" and the step never runs."
        ),
        bad="subagent_type: team::reviewer",
        good="subagent_type: team:reviewer",
        hint="Use a single ':' between the plugin and the agent name.",
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
        autofix="Adds './' when the path then exists and stays inside the plugin.",
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
            ".claude/agents/ tree, in one folder of a plugin's agents/ (each subfolder there is a "
            "namespace of its own: <plugin>:<subfolder>:<name>), or in one plugin.json agents "
            "list, whatever folders its files sit in (each is <plugin>:<name>). "
            "A catalog folder that users install one agent at a time (agents/<category>/) is not "
            "a clash across categories."
        ),
        bad="agents/a.md and agents/b.md both with name: reviewer",
        good="agents/a.md name: reviewer, agents/b.md name: security-reviewer",
        hint="Give each agent a unique name.",
        kinds=(AGENT,),
    ),
    Rule(
        code="CC610",
        name="not-in-plugin-listing",
        severity=ERROR,
        summary="An agent or command file in a plugin that plugin.json's own list leaves out.",
        why=(
            "Claude Code never loads the file. "
            "When plugin.json sets 'agents' or 'commands', those paths replace the default "
            "folder. A file in agents/ or commands/ that the list does not name is never "
            "loaded, and nothing says so (measured with 2.1.197 and 2.1.332)."
        ),
        bad='plugin.json: "agents": ["./agents/reviewer.md"], and agents/tester.md beside it',
        good='plugin.json: "agents": ["./agents/reviewer.md", "./agents/tester.md"]',
        hint="Add the file's ./path to the list in .claude-plugin/plugin.json, or delete it.",
        kinds=(AGENT, COMMAND),
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
    # --- settings.json ------------------------------------------------------------------------
    Rule(
        code="CC701",
        name="settings-invalid-json",
        severity=ERROR,
        summary="A settings.json file is not valid JSON.",
        why=(
            "Claude Code ignores the whole file: no permission rule, hook, env variable or model "
            "in it applies, and a headless run (-p) says so only in its debug log ('Invalid or "
            "malformed JSON')."
        ),
        bad='{ "permissions": { "allow": ["Bash(npm test)"], } }',
        good='{ "permissions": { "allow": ["Bash(npm test)"] } }',
        hint="Fix the JSON syntax at the position shown (a trailing comma, a missing quote).",
        kinds=(SETTINGS,),
    ),
    Rule(
        code="CC702",
        name="settings-wrong-type",
        severity=ERROR,
        summary="A settings key holds a value of the wrong type.",
        why=(
            "The client validates settings.json as a whole: one known key of the wrong type "
            "('model': 5, 'permissions': [], 'allow' as a string, an unknown 'defaultMode') makes "
            "it ignore the entire file, without a message. 'env' or 'extraKnownMarketplaces' "
            "that is not an object is dropped on its own."
        ),
        bad='{ "permissions": { "allow": "Bash(npm test)" } }',
        good='{ "permissions": { "allow": ["Bash(npm test)"] } }',
        hint="Give the key the type the message names.",
        kinds=(SETTINGS,),
    ),
    Rule(
        code="CC703",
        name="settings-rule-dropped",
        severity=ERROR,
        summary="A permission rule in allow, ask or deny that the client skips.",
        why=(
            "Claude Code checks every rule in permissions.allow/ask/deny and silently drops the "
            "ones it cannot parse ('Invalid permission rule ... was skipped' in the debug log): a "
            "lowercase tool name, unbalanced parentheses, empty '()', 'Bash(:*)', patterns on an "
            "MCP rule, a WebFetch URL instead of domain:, a non-string entry. A dropped deny rule "
            "denies nothing; a dropped allow rule keeps prompting."
        ),
        bad='{ "permissions": { "deny": ["bash(rm -rf *)", "WebFetch(https://x.com)"] } }',
        good='{ "permissions": { "deny": ["Bash(rm -rf *)", "WebFetch(domain:x.com)"] } }',
        hint="Write the rule as Tool or Tool(pattern), as the message shows.",
        kinds=(SETTINGS,),
    ),
    Rule(
        code="CC704",
        name="settings-rule-never-matches",
        severity=WARNING,
        summary="A permission rule the client keeps but that can never match a tool call.",
        why=(
            "The client accepts any capitalised tool name in a rule, so a misspelt 'Bahs(ls)' or "
            "a retired tool loads fine and never matches; rules on Write, NotebookEdit or Glob "
            "paths are accepted but never consulted (Edit and Read rules cover them)."
        ),
        bad='{ "permissions": { "allow": ["Bahs(npm test)", "Write(docs/**)"] } }',
        good='{ "permissions": { "allow": ["Bash(npm test)", "Edit(docs/**)"] } }',
        hint="Name a Claude Code tool (or mcp__<server>__<tool>) as the message suggests.",
        kinds=(SETTINGS,),
    ),
    Rule(
        code="CC705",
        name="settings-duplicate-key",
        severity=ERROR,
        summary="A key appears twice in the same settings object.",
        why=(
            "Claude Code keeps only the last value. "
            "JSON readers keep only the last value, so a second 'permissions' block silently "
            "replaces the first, with every rule in it."
        ),
        bad='{ "permissions": { "allow": ["Read"] }, "permissions": { "deny": ["Bash"] } }',
        good='{ "permissions": { "allow": ["Read"], "deny": ["Bash"] } }',
        hint="Merge the two values into one key.",
        kinds=(SETTINGS,),
    ),
    Rule(
        code="CC706",
        name="settings-unknown-key",
        severity=WARNING,
        summary="A settings.json key Claude Code does not know.",
        why=(
            "Claude Code ignores the key. "
            "Unknown keys are ignored without a message, so a misspelt 'permisions' or a key "
            "from another tool has no effect."
        ),
        bad='{ "permisions": { "allow": ["Read"] } }',
        good='{ "permissions": { "allow": ["Read"] } }',
        hint="Rename the key to the one Claude Code reads, or remove it.",
        kinds=(SETTINGS,),
    ),
    Rule(
        code="CC707",
        name="settings-unknown-model",
        severity=WARNING,
        summary="settings.json 'model' is neither an alias nor a Claude model id.",
        why=(
            "The client does not check it: it sends the text to the API as the model name, and "
            "every request of the session fails there."
        ),
        bad='{ "model": "Claude Sonnet 4.5" }',
        good='{ "model": "sonnet" }',
        hint="Use sonnet, opus, haiku, opusplan, or a full claude-... model id.",
        kinds=(SETTINGS,),
    ),
    # --- hooks (hooks/hooks.json and settings.json "hooks") -------------------------------------
    Rule(
        code="CC801",
        name="hooks-invalid-json",
        severity=ERROR,
        summary="A plugin's hooks/hooks.json is not valid JSON.",
        why=(
            "Claude Code does not load the plugin. "
            "'claude plugin validate' says it: at runtime this breaks the entire plugin load."
        ),
        bad='{ "hooks": { "Stop": [], } }',
        good='{ "hooks": { "Stop": [] } }',
        hint="Fix the JSON syntax at the position shown (a trailing comma, a missing quote).",
        kinds=(HOOKS_CONFIG,),
    ),
    Rule(
        code="CC802",
        name="hooks-bad-shape",
        severity=ERROR,
        summary="Hooks are not written as {event: [{matcher, hooks: [...]}]}.",
        why=(
            "An event whose value is not a list of matchers, a matcher entry without a 'hooks' "
            "list, or a matcher that is not a string is ignored at runtime. PreToolUse and "
            "PermissionRequest hooks outside the 'hooks' object are worse: the client refuses "
            "everything in the file they sit in (the plugin's hooks, or the whole settings file), "
            "since such a hook may be what guards it."
        ),
        bad='{ "PreToolUse": [ { "matcher": "Bash", "hooks": [ ... ] } ] }',
        good='{ "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ ... ] } ] } }',
        hint='Write hooks as {"hooks": {"<Event>": [{"matcher": "...", "hooks": [...]}]}}.',
        kinds=(HOOKS_CONFIG, SETTINGS),
    ),
    Rule(
        code="CC803",
        name="hooks-unknown-event",
        severity=ERROR,
        summary="A hook event name Claude Code does not know.",
        why=(
            "Claude Code ignores the event and its hooks. "
            "Event names are case-sensitive; an unknown one ('PreTooluse', 'BeforeTool') is "
            "ignored at runtime with all its hooks."
        ),
        bad='{ "hooks": { "PreTooluse": [ ... ] } }',
        good='{ "hooks": { "PreToolUse": [ ... ] } }',
        hint="Use one of the hook events the message lists.",
        kinds=(HOOKS_CONFIG, SETTINGS),
    ),
    Rule(
        code="CC804",
        name="hooks-event-too-new",
        severity=WARNING,
        summary="A hook event the documented older client 2.1.197 does not have.",
        why=(
            "The older client (2.1.197) rejects the file. "
            "PreModelSwitch, PostModelSwitch, DirectoryAdded and PreSkillShellCommand arrived "
            "after 2.1.197: there the event is unknown ('claude plugin validate' 2.1.197 fails "
            "the file with 'Invalid key in record') and its hooks never run."
        ),
        bad='{ "hooks": { "DirectoryAdded": [ ... ] } }',
        good='{ "hooks": { "CwdChanged": [ ... ] } }   (or require a newer client)',
        hint="Use an event 2.1.197 has too, or state the minimum client version.",
        kinds=(HOOKS_CONFIG, SETTINGS),
    ),
    Rule(
        code="CC805",
        name="hooks-bad-handler",
        severity=ERROR,
        summary="A hook handler with an unknown type or a missing or mistyped field.",
        why=(
            "Each handler must be one of command, prompt, agent, http or mcp_tool with its "
            "fields ('command' for command, 'prompt' for prompt and agent, 'url' for http, "
            "'server' and 'tool' for mcp_tool; 'timeout' a number). Otherwise the entry is "
            "ignored at runtime; for PreToolUse and PermissionRequest the client refuses "
            "everything in the file it sits in."
        ),
        bad='{ "type": "shell", "command": "npm test", "timeout": "30" }',
        good='{ "type": "command", "command": "npm test", "timeout": 30 }',
        hint="Fix the field the message names.",
        kinds=(HOOKS_CONFIG, SETTINGS),
    ),
    Rule(
        code="CC806",
        name="hooks-unquoted-plugin-root",
        severity=WARNING,
        summary="A hook command uses ${CLAUDE_PLUGIN_ROOT} without quotes.",
        why=(
            "Claude Code runs the command as written, which breaks on a path with a space. "
            "The command runs in a shell: when the plugin's path holds a space (a Windows user "
            "name, 'Application Support') the command splits into several words and fails. "
            "'claude plugin validate' warns about it."
        ),
        bad='"command": "${CLAUDE_PLUGIN_ROOT}/scripts/check.sh"',
        good='"command": "\\"${CLAUDE_PLUGIN_ROOT}\\"/scripts/check.sh"',
        hint='Wrap the placeholder in double quotes: \\"${CLAUDE_PLUGIN_ROOT}\\"/...',
        kinds=(HOOKS_CONFIG, SETTINGS),
    ),
    Rule(
        code="CC807",
        name="hooks-duplicate-key",
        severity=ERROR,
        summary="A key appears twice in the same object of hooks.json.",
        why=(
            "Claude Code keeps only the last value. "
            "Only the last value is kept: a second 'PreToolUse' silently replaces the first, "
            "with every hook in it."
        ),
        bad='{ "hooks": { "Stop": [ ... ], "Stop": [ ... ] } }',
        good='{ "hooks": { "Stop": [ ..., ... ] } }',
        hint="Merge the two values into one key.",
        kinds=(HOOKS_CONFIG,),
    ),
    # --- .mcp.json ------------------------------------------------------------------------------
    Rule(
        code="CC851",
        name="mcp-invalid-json",
        severity=ERROR,
        summary="An .mcp.json file is not valid JSON.",
        why="Claude Code cannot read any server from it: none of them is started.",
        bad='{ "mcpServers": { "db": { "command": "db-mcp", } } }',
        good='{ "mcpServers": { "db": { "command": "db-mcp" } } }',
        hint="Fix the JSON syntax at the position shown (a trailing comma, a missing quote).",
        kinds=(MCP_CONFIG,),
    ),
    Rule(
        code="CC852",
        name="mcp-bad-server",
        severity=ERROR,
        summary="An MCP server entry the client drops or never connects.",
        why=(
            "Claude Code does not start the server. "
            "A server must be an object: type stdio (or no type) with a string 'command' and "
            "'args' as a list of strings, or type http, sse or ws with an absolute 'url'; 'env' "
            "and 'headers' map names to strings. Anything else is dropped at load ('The plugin "
            "loader silently drops this server'), or marked invalid and never connected."
        ),
        bad='{ "mcpServers": { "db": { "command": "db-mcp", "args": "--port 5432" } } }',
        good='{ "mcpServers": { "db": { "command": "db-mcp", "args": ["--port", "5432"] } } }',
        hint="Fix the field the message names.",
        kinds=(MCP_CONFIG,),
    ),
    Rule(
        code="CC853",
        name="mcp-unexpanded-variable",
        severity=WARNING,
        summary="A '$VAR' the client passes on literally instead of expanding.",
        why=(
            "Claude Code expands only ${NAME} and ${NAME:-default} (NAME of letters, digits and "
            "_) in .mcp.json; the command is not run through a shell, so '$HOME/x' or "
            "'${my-token}' reaches the server as written."
        ),
        bad='"args": ["$HOME/data"]',
        good='"args": ["${HOME}/data"]',
        hint="Write ${NAME} or ${NAME:-default}.",
        kinds=(MCP_CONFIG,),
    ),
    Rule(
        code="CC854",
        name="mcp-duplicate-key",
        severity=ERROR,
        summary="A key appears twice in the same object of .mcp.json.",
        why=(
            "Claude Code keeps only the last value. "
            "Only the last value is kept: a second server of the same name silently replaces "
            "the first."
        ),
        bad='{ "mcpServers": { "db": { ... }, "db": { ... } } }',
        good='{ "mcpServers": { "db": { ... }, "db-replica": { ... } } }',
        hint="Rename one of them, or merge the two values.",
        kinds=(MCP_CONFIG,),
    ),
    # --- workflow scripts (workflows/*.js) --------------------------------------------------------
    Rule(
        code="CC901",
        name="workflow-parse-error",
        severity=ERROR,
        summary="The workflow script is not plain JavaScript the client can parse.",
        why=(
            "Claude Code parses the whole script with a plain JavaScript parser before it runs "
            "it. TypeScript syntax (type annotations, interfaces, generics, casts), JSX or a "
            "broken string makes the parse fail: 2.1.332 still lists the workflow (it reads only "
            "meta for the list) but refuses every call with 'Invalid workflow script: Script "
            "parse error'; 2.1.197 does not list it at all ('Workflow \"x\" not found')."
        ),
        bad="function label(step: Step): string { return step.role }",
        good="function label(step) { return step.role }",
        hint="Write plain JavaScript: drop type annotations, interfaces, generics and casts.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC902",
        name="workflow-meta-not-first",
        severity=ERROR,
        summary="The script's first statement is not `export const meta = {...}`.",
        why=(
            "The client reads a workflow's name and description from its first statement only. "
            "Anything before it (a constant, an import, a stray ';'; comments are fine) or a "
            "meta declared with let, without export or together with another variable makes "
            "the client skip the whole file, with one line in --debug-file only."
        ),
        bad="const RELEASE = 1\nexport const meta = { name: 'review', description: 'Reviews' }",
        good="export const meta = { name: 'review', description: 'Reviews' }\nconst RELEASE = 1",
        hint="Move `export const meta = {...}` above every other statement.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC903",
        name="workflow-meta-not-literal",
        severity=ERROR,
        summary="`meta` holds something other than a pure literal.",
        why=(
            "The client evaluates meta without running the script: only strings, numbers, "
            "true/false/null, negative numbers, arrays and plain objects are allowed. A "
            "variable, a call, a spread, a computed key, a method or a template with ${...} "
            "makes the client skip the whole workflow."
        ),
        bad="export const meta = { name: NAME, description: `Runs ${STEPS} steps` }",
        good="export const meta = { name: 'review', description: 'Runs the review steps' }",
        hint="Write meta's values out literally; keep computed values in the script body.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC904",
        name="workflow-meta-field",
        severity=ERROR,
        summary="meta has no non-empty string `name` or `description`.",
        why=(
            "The client names a workflow by meta.name (not by its file name) and lists it with "
            "meta.description; when either is missing, empty or not a string the whole "
            "workflow is skipped, with one line in --debug-file only."
        ),
        bad="export const meta = { name: 'review' }",
        good="export const meta = { name: 'review', description: 'Reviews one change' }",
        hint="Give meta a non-empty name and description.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC905",
        name="workflow-phase-mismatch",
        severity=WARNING,
        summary="A phase the script uses is not among meta.phases.",
        why=(
            "Claude Code runs the phase, but shows it outside the announced ones. "
            "meta.phases announces the phases a run shows progress under. A phase('...') call "
            "or an agent's phase option with another title (often a typo or a renamed phase) "
            "still runs, but its progress appears outside the announced phases."
        ),
        bad="meta.phases: [{ title: 'Agents' }] ... phase('Agent')",
        good="meta.phases: [{ title: 'Agents' }] ... phase('Agents')",
        hint="Use a title from meta.phases, or add the phase to meta.phases.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC906",
        name="workflow-agent-type-not-found",
        severity=ERROR,
        summary="An agentType names no agent the client would load.",
        why=(
            "Claude Code fails the run. "
            "agent(prompt, {agentType}) takes an exact registered agent name. An unknown name "
            "fails the whole run (\"agent type 'x' not found\"). Checked: names in the "
            "plugin's own namespace (<plugin>:<name>) against the plugin's agents, and any name "
            "one edit away from a known agent (a typo). A project's script sees "
            ".claude/agents by their bare names; every script sees the built-in agents."
        ),
        bad="agent(task, { agentType: 'ml-agents:data-scientsit' })",
        good="agent(task, { agentType: 'ml-agents:data-scientist' })",
        hint="Fix the name, or add the agent.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC907",
        name="workflow-agent-type-needs-namespace",
        severity=ERROR,
        summary="A plugin's script names one of the plugin's agents without `<plugin>:`.",
        why=(
            "The client registers a plugin's agents as <plugin>:<name> only. A bare name "
            "fails the run with \"agent type '<name>' not found\" for every user who has no "
            "personal agent of that name."
        ),
        bad="agent(task, { agentType: 'data-scientist' })   (workflows/ of plugin ml-agents)",
        good="agent(task, { agentType: 'ml-agents:data-scientist' })",
        hint="Prefix the name with the plugin's name and a colon.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC908",
        name="workflow-agent-type-outside-plugin",
        severity=WARNING,
        summary="A plugin's script names a bare agent the plugin does not ship.",
        why=(
            "Claude Code fails the run for every user without such a personal agent. "
            "The name is neither one of the plugin's agents nor a built-in one, so the run works "
            "only for users who happen to have a personal agent by that name; for everyone "
            "else the whole run fails (\"agent type 'x' not found\")."
        ),
        bad="agent(task, { agentType: 'reviewer' })   (no reviewer in the plugin's agents/)",
        good="agent(task, { agentType: 'my-plugin:reviewer' })   (agents/reviewer.md shipped)",
        hint="Ship the agent in the plugin and use its <plugin>:<name>.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC909",
        name="workflow-nondeterministic-call",
        severity=ERROR,
        summary="Date.now(), Math.random() or an argless new Date() in a workflow script.",
        why=(
            "Workflow runs must replay identically (a resumed run reuses cached agent results), "
            "so the client makes these calls throw: the run fails when it reaches one."
        ),
        bad="const id = `run-${Date.now()}`",
        good="const id = `run-${args.runId}`",
        hint="Pass times and random values in through args, or let an agent produce them.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC910",
        name="workflow-ignored-extension",
        severity=ERROR,
        summary="A script in a workflows folder is not a .js file, so it never loads.",
        why=(
            "The client lists only *.js files in workflows folders: .mjs, .cjs and .ts scripts "
            "are ignored silently (and TypeScript would not parse anyway)."
        ),
        bad="workflows/review.ts",
        good="workflows/review.js   (plain JavaScript)",
        hint="Rename the file to .js and write it in plain JavaScript.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC911",
        name="workflow-outside-manifest-paths",
        severity=ERROR,
        summary="plugin.json names workflow paths, and this script in workflows/ is not one.",
        why=(
            "Claude Code never loads those scripts. "
            'A "workflows" key in plugin.json replaces the default workflows/ folder instead '
            "of adding to it, so the scripts left there are never loaded."
        ),
        bad='"workflows": ["./extra/deploy.js"]   with workflows/review.js beside it',
        good='"workflows": ["./extra/deploy.js", "./workflows/"]',
        hint="List the workflows/ folder in plugin.json's workflows key too.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC912",
        name="workflow-phase-entry-dropped",
        severity=WARNING,
        summary="A meta.phases entry is not an object with a string title.",
        why=(
            "The client keeps only meta.phases entries that are objects with a string title "
            "(detail and model are optional) and drops the rest without a word; a phases value "
            "that is not a list is ignored whole. The workflow runs, but the phase is not "
            "announced."
        ),
        bad="phases: ['Review', 'Verify']",
        good="phases: [{ title: 'Review' }, { title: 'Verify' }]",
        hint="Write each phase as an object with a title, e.g. { title: 'Review' }.",
        kinds=(WORKFLOW,),
    ),
    Rule(
        code="CC913",
        name="workflow-in-subfolder",
        severity=ERROR,
        summary="A script in a subfolder of a workflows folder, which the client never reads.",
        why=(
            "The client lists only the *.js files directly in a workflows folder (measured on "
            "2.1.332 and 2.1.197); a script one folder down is ignored silently, so its "
            "workflow and slash command never appear."
        ),
        bad=".claude/workflows/release/deploy.js",
        good=".claude/workflows/deploy.js",
        hint="Move the script up to the workflows folder itself.",
        kinds=(WORKFLOW,),
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
