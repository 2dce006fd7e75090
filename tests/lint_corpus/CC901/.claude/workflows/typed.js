export const meta = { name: 'typed', description: 'Labels each step' }

function label(step: { role: string }): string {
  return step.role
}
return label(args)
