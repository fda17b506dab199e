/** `{{name}}`, `{{ customer.name }}`: placeholders a caller fills in before the prompt is sent. */
export const TEMPLATE_VARIABLE_SOURCE = String.raw`\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}`;

/** The distinct variable names in a prompt, in order of first use. */
export function templateVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(new RegExp(TEMPLATE_VARIABLE_SOURCE, 'g'))) if (match[1]) names.add(match[1]);
  return [...names];
}
