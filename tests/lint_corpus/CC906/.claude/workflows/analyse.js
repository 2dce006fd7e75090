export const meta = { name: 'analyse', description: 'Analyses the data' }

const general = await agent('Summarise the repository.', { agentType: 'general-purpose' })
return await agent(`Analyse the data. Context: ${general}`, {
  agentType: 'data-scientsit',
})
