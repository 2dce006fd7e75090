export const meta = { name: 'review', description: 'Reviews one change' }
return await agent('Review the change.', { label: 'review' })
