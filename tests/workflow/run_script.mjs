// Runs a workflow script under stand-ins for the client's globals, for tests/test_workflow_script.py.
// stdin: {"script": "<path>", "args": <any>, "replies": {"<label>": <reply or null>}}
// stdout: {"result": <what the script returned>, "calls": [{prompt, opts}], "logs": [...], "error": ...}
// An agent label with no reply returns null, as the client does when a subagent dies.
import { readFileSync } from 'node:fs'

const input = JSON.parse(readFileSync(0, 'utf8'))
const source = readFileSync(input.script, 'utf8')
if (!source.startsWith('export const meta = {')) throw new Error('meta is not the first statement')
const body = source.replace('export const meta =', 'const meta =')

const calls = []
const logs = []
const agent = async (prompt, opts = {}) => {
  calls.push({ prompt, opts })
  const reply = input.replies[opts.label]
  return reply === undefined ? null : reply
}
const parallel = thunks => Promise.all(thunks.map(t => Promise.resolve().then(t).catch(() => null)))
const phase = title => logs.push(`phase:${title}`)
const log = text => logs.push(String(text))
// the client makes these throw inside a workflow
Date.now = () => { throw new Error('Date.now() is not available in a workflow') }
Math.random = () => { throw new Error('Math.random() is not available in a workflow') }

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor
const run = new AsyncFunction('agent', 'parallel', 'phase', 'log', 'args', body)
let result = null
let error = null
try {
  result = await run(agent, parallel, phase, log, input.args)
} catch (e) {
  error = String(e && e.stack || e)
}
process.stdout.write(JSON.stringify({ result, calls, logs, error }))
