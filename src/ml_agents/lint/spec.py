"""What the Claude Code client accepts, as data (claude-code-format.md §1.3, §2.2, §3, §4, §5, §6).

Every list here is copied from the client's own tables; the checkers only look things up.
"""

from __future__ import annotations

import re

AGENT_NAME_MAX = 256
FILE_SIZE_LIMIT = 1_048_576  # agents and commands over 1 MiB are skipped (§1.1, §2.1)
SKILL_SIZE_LIMIT = 1_000_000  # SKILL.md is capped at 1,000,000 bytes (§5)

KEBAB_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MODEL_ID_RE = re.compile(r"^claude-[a-z0-9.-]+(\[1m\])?$")

# §3.1: the canonical built-in tool names of 2.1.332. The settings-schema package also lists REPL
# and JavaScript, but no agent is ever given them, so the client drops them like any unknown name.
BUILTIN_TOOLS = frozenset(
    [
        "Agent",
        "Artifact",
        "AskUserQuestion",
        "Bash",
        "ClaudeDesign",
        "CronCreate",
        "CronDelete",
        "CronList",
        "Edit",
        "EndConversation",
        "EnterPlanMode",
        "EnterWorktree",
        "ExitPlanMode",
        "ExitWorktree",
        "Glob",
        "Grep",
        "ListAgents",
        "ListMcpResourcesTool",
        "LSP",
        "Monitor",
        "NotebookEdit",
        "OfferChromeSetup",
        "PowerShell",
        "Projects",
        "propose_skills",
        "PushNotification",
        "Read",
        "ReadMcpResourceDirTool",
        "ReadMcpResourceTool",
        "ReadNotifications",
        "RemoteTrigger",
        "ReportFindings",
        "ScheduleWakeup",
        "SendFeedback",
        "SendMessage",
        "SendUserFile",
        "SendUserMessage",
        "SetGoal",
        "ShareOnboardingGuide",
        "ShowOnboardingRolePicker",
        "Skill",
        "SubagentHandback",
        "TaskCreate",
        "TaskGet",
        "TaskList",
        "TaskStop",
        "TaskUpdate",
        "TodoWrite",
        "ToolSearch",
        "WaitForMcpServers",
        "WebFetch",
        "WebSearch",
        "Workflow",
        "Write",
    ]
)

# §3.1: legacy names the client still maps
LEGACY_TOOLS = {
    "Task": "Agent",
    "KillShell": "TaskStop",
    "KillBash": "TaskStop",
    "ListPeers": "ListAgents",
    "Brief": "SendUserMessage",
    "ListMcpResources": "ListMcpResourcesTool",
    "ReadMcpResource": "ReadMcpResourceTool",
    "ReadMcpResourceDir": "ReadMcpResourceDirTool",
    "ProposeGoal": "SetGoal",
}

# names that were tools once and are dropped by current clients, with what to use instead
RETIRED_TOOLS = {
    "MultiEdit": "use Edit",
    "NotebookRead": "use Read",
    "LS": "use Glob (or Bash)",
    "TodoRead": "use TaskList",
    "TaskOutput": "remove it (gone since 2.1.332)",
    "AgentOutputTool": "remove it (gone since 2.1.332)",
    "BashOutputTool": "remove it (gone since 2.1.332)",
    "AgentOutput": "remove it (gone since 2.1.332)",
    "BashOutput": "remove it (gone since 2.1.332)",
}

SHELL_TOOLS = frozenset({"Bash", "PowerShell"})
PATH_RULE_TOOLS = frozenset({"Read", "Edit"})
# §3.2: accepted in a permission rule but never matched
NEVER_MATCHING_RULE_TOOLS = {
    "Write": "Edit",
    "NotebookEdit": "Edit",
    "MultiEdit": "Edit",
    "Glob": "Read",
}

# §6
MODEL_ALIASES = frozenset(
    {"sonnet", "opus", "haiku", "fable", "best", "sonnet[1m]", "opus[1m]", "fable[1m]", "opusplan"}
)

# §1.3
COLORS = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")
PERMISSION_MODES = (
    "acceptEdits",
    "auto",
    "bypassPermissions",
    "default",
    "dontAsk",
    "plan",
    "manual",
)
EFFORTS = ("low", "medium", "high", "xhigh", "max", "med")
MEMORY_SCOPES = ("user", "project", "local")
ISOLATIONS = ("worktree", "remote")
PLUGIN_ISOLATIONS = ("worktree",)
BACKGROUND_VALUES = (True, False, "true", "false")

AGENT_KEYS = frozenset(
    [
        "name",
        "description",
        "tools",
        "disallowedTools",
        "model",
        "color",
        "permissionMode",
        "effort",
        "maxTurns",
        "skills",
        "mcpServers",
        "hooks",
        "memory",
        "background",
        "isolation",
        "initialPrompt",
        "omitClaudeMd",
        "autoCompactWindow",
        "observer",
        "observerMessage",
        "observeToolResults",
        "observeSubagents",
        "experimental",
    ]
)
PLUGIN_AGENT_EXTRA_KEYS = frozenset({"when_to_use", "when-to-use"})
# §1.6: read from project agents, ignored (with a warning) in plugin agents
PLUGIN_AGENT_IGNORED_KEYS = (
    "permissionMode",
    "hooks",
    "mcpServers",
    "initialPrompt",
    "observer",
    "observerMessage",
    "observeSubagents",
)
# the client's own "did you mean" table for agent keys (normalised: lower case, no - or _)
AGENT_KEY_HINTS = {"allowedtools": "tools", "whentouse": "description", "mode": "permissionMode"}

# §2.2 and §5
COMMAND_KEYS = frozenset(
    [
        "description",
        "argument-hint",
        "allowed-tools",
        "disallowed-tools",
        "disallowedTools",
        "model",
        "effort",
        "disable-model-invocation",
        "user-invocable",
        "shell",
        "arguments",
        "context",
        "agent",
        "when_to_use",
        "paths",
        "hooks",
        "version",
        "metadata",
        "background",
    ]
)
# the Agent Skills standard's own fields (agentskills.io), which skill collections carry
SKILL_STANDARD_KEYS = frozenset({"license", "compatibility"})
SKILL_KEYS = COMMAND_KEYS | {"name"} | SKILL_STANDARD_KEYS
COMMAND_KEY_HINTS = {"tools": "allowed-tools", "allowedtools": "allowed-tools"}
SHELLS = ("bash", "powershell")
CONTEXTS = ("inline", "fork")
COMMAND_BOOLEAN_KEYS = ("disable-model-invocation", "user-invocable")
# §2.2: booleans accepted case-insensitively since 2.1.218
COMMAND_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0"})

# §4.6
HOOK_EVENTS = frozenset(
    [
        "PreToolUse",
        "PostToolUse",
        "PostToolUseFailure",
        "PostToolBatch",
        "Notification",
        "UserPromptSubmit",
        "UserPromptExpansion",
        "SessionStart",
        "SessionEnd",
        "Stop",
        "StopFailure",
        "SubagentStart",
        "SubagentStop",
        "PreCompact",
        "PostCompact",
        "PreModelSwitch",
        "PostModelSwitch",
        "PermissionRequest",
        "PermissionDenied",
        "Setup",
        "TeammateIdle",
        "TaskCreated",
        "TaskCompleted",
        "Elicitation",
        "ElicitationResult",
        "ConfigChange",
        "WorktreeCreate",
        "WorktreeRemove",
        "InstructionsLoaded",
        "CwdChanged",
        "FileChanged",
        "DirectoryAdded",
        "MessageDisplay",
        "PreSkillShellCommand",
    ]
)
# hook guards that, written at the frontmatter top level instead of under hooks:, make 2.1.332
# refuse to load an agent (§1.3) and drop a command's hooks and allowed-tools
MISPLACED_HOOK_EVENTS = frozenset({"PreToolUse", "PermissionRequest", "PreSkillShellCommand"})
HOOK_TYPES = frozenset({"command", "prompt", "agent", "http", "mcp_tool"})

# §1.2: agents every client has, so a command may name them
BUILTIN_AGENTS = frozenset({"general-purpose", "Explore", "Plan", "statusline-setup", "claude"})

# §4.2
PLUGIN_KEYS = frozenset(
    [
        "name",
        "$schema",
        "displayName",
        "version",
        "description",
        "author",
        "homepage",
        "repository",
        "license",
        "keywords",
        "defaultEnabled",
        "dependencies",
        "optionalDependencies",
        "metadata",
        "engines",
        "network",
        "commands",
        "agents",
        "skills",
        "hooks",
        "mcpServers",
        "lspServers",
        "outputStyles",
        "themes",
        "workflows",
        "monitors",
        "userConfig",
        "channels",
        "settings",
        "binaries",
        "types",
        "experimental",
    ]
)
# manifest keys whose values are ./ paths to components, and what the path must be
PLUGIN_PATH_KEYS = {
    "commands": "any",
    "agents": "file",
    "skills": "dir",
    "hooks": "file",
    "mcpServers": "file",
    "lspServers": "file",
    "outputStyles": "any",
    "themes": "any",
    "workflows": "any",
    "monitors": "any",
    "types": "file",
}
# §4.3
MARKETPLACE_KEYS = frozenset(
    [
        "$schema",
        "name",
        "owner",
        "plugins",
        "version",
        "description",
        "forceRemoveDeletedPlugins",
        "metadata",
        "allowCrossMarketplaceDependenciesOn",
        "renames",
    ]
)
MARKETPLACE_ENTRY_KEYS = PLUGIN_KEYS | frozenset(
    {"source", "category", "tags", "strict", "relevance", "headers", "headersHelper"}
)
# source types, and the string fields each one needs
MARKETPLACE_SOURCE_FIELDS = {
    "github": ("repo",),
    "url": ("url",),
    "git-subdir": ("url", "path"),
    "npm": ("package",),
    "archive": ("url",),
    "command": ("command",),
}
RESERVED_MARKETPLACE_NAMES = frozenset(
    {"inline", "builtin", "skills-dir", "synced", "claude-plugin-test"}
)
OFFICIAL_MARKETPLACE_NAMES = frozenset(
    {
        "claude-code-marketplace",
        "claude-code-plugins",
        "claude-plugins-official",
        "anthropic-marketplace",
        "anthropic-plugins",
        "agent-skills",
    }
)
