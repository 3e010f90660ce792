// Text from data files and users, shown on a terminal: control characters are written as escapes, so an id or title
// holding "\x1b[2J" is read, not obeyed (it would clear the screen, or rewrite the lines around it).

// C0 and C1 control characters, DEL among them; a line break is left to the callers that join lines.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

export function visible(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
