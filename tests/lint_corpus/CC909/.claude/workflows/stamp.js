export const meta = { name: 'stamp', description: 'Stamps a report' }

const report = await agent('Write the report.', { label: 'report' })
const stamp = new Date(args.now).toISOString()
return { report, stamp, id: `run-${Date.now()}` }
