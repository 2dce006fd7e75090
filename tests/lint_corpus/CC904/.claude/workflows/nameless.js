export const meta = {
  description: 'Reviews one change',
}
return null
