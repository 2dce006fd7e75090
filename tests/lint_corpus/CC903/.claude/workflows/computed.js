export const meta = {
  name: 'computed',
  description: `Runs ${3} review steps`,
}
return null
