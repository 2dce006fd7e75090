export const meta = {
  name: 'phases',
  description: 'Reviews, then verifies',
  phases: [{ title: 'Review' }, { title: 'Verify' }],
}
phase('Review')
const review = await agent('Review the change.', { label: 'review' })
phase('Verification')
return await agent(`Verify: ${review}`, { label: 'verify' })
