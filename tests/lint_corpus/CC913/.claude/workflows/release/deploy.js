export const meta = { name: 'deploy', description: 'Deploys the release' }
return await agent('Deploy the release.', { label: 'deploy' })
