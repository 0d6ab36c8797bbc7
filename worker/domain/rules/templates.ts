/**
 * Reply templates of rules and saved replies: `{first_name}`, `{name}`, `{channel}`, `{text}`.
 * Anything shaped like a variable (`{word}`) must be one of these, so a typo such as `{firstname}` is
 * caught when the rule is saved rather than sent to a customer. Other braces are plain text.
 */
export const TEMPLATE_VARIABLES = ["first_name", "name", "channel", "text"] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

const VARIABLE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** How much of the incoming message `{text}` quotes. */
export const QUOTED_TEXT_MAX = 200;

const isVariable = (name: string): name is TemplateVariable => (TEMPLATE_VARIABLES as readonly string[]).includes(name);

/** A sentence naming the unknown variables, or null when every variable is known. */
export function templateRefusal(template: string): string | null {
  const unknown = [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1] ?? "").filter((name) => !isVariable(name)))];
  if (unknown.length === 0) return null;
  const names = unknown.map((name) => `{${name}}`).join(", ");
  return `${unknown.length === 1 ? "This variable does not exist" : "These variables do not exist"}: ${names}. Use {first_name}, {name}, {channel} or {text}.`;
}

/** The values for one message. An unknown author name renders as nothing (and the text is tidied). */
export function templateValues(input: { authorName: string | null; channelName: string; text: string }): TemplateValues {
  const name = (input.authorName ?? "").trim();
  const text = input.text.trim();
  return {
    name,
    first_name: name.split(/\s+/)[0] ?? "",
    channel: input.channelName,
    text: text.length > QUOTED_TEXT_MAX ? `${text.slice(0, QUOTED_TEXT_MAX - 1)}…` : text,
  };
}

export function renderTemplate(template: string, values: TemplateValues): string {
  const rendered = template.replace(VARIABLE, (whole, name: string) => (isVariable(name) ? values[name] : whole));
  // "Hi {first_name}, thanks!" with no name known reads "Hi, thanks!", not "Hi , thanks!".
  return rendered.replace(/[ \t]+([,.!?;:])/g, "$1").replace(/[ \t]{2,}/g, " ").trim();
}
