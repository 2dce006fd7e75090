// the release this script belongs to
const RELEASE = 1
export const meta = { name: 'late-meta', description: 'Reports the release' }
return RELEASE
