export const meta = { name: 'analyse', description: 'Analyses the data' }

return await agent('Analyse the data.', {
  label: 'analyse',
  agentType: 'data-scientist',
})
