export const meta = { name: 'analyse', description: 'Analyses, then reviews' }

const analysis = await agent('Analyse the data.', { agentType: 'corpus-plugin:data-scientist' })
return await agent(`Review: ${analysis}`, {
  agentType: 'code-reviewer',
})
