export const meta = {
  name: 'phases',
  description: 'Reviews, then verifies',
  phases: [{ title: 'Review' }, 'Verify'],
}
phase('Review')
const review = await agent('Review the change.', { label: 'review' })
return await agent(`Verify: ${review}`, { label: 'verify' })
