// Text from data files and users, shown on a terminal: control characters are written as escapes, so an id or title
// holding "\x1b[2J" is read, not obeyed (it would clear the screen), and one holding a line break cannot forge a line
// of a report.

// C0 and C1 control characters, DEL among them, line feed included or not; and the bidirectional formatting marks
// (U+202E would print the rest of a line backwards).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_BUT_LINE_FEED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: as above.
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** One line of output: every control character escaped. */
export function visible(text: string): string {
  return text.replace(CONTROL, escaped);
}

/** A message that may run over several lines of its own (an error's): line feeds kept, the rest escaped. */
export function visibleLines(text: string): string {
  return text.replace(CONTROL_BUT_LINE_FEED, escaped);
}
