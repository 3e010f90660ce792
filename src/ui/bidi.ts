// User text (titles, tags, descriptions) is isolated from the page around it: a right-to-left override (U+202E) or
// an Arabic title must not reorder the tags, labels and numbers shown beside it, nor leak past its own element.

/**
 * Shows user text in an element of its own: dir="auto" isolates it (HTML's rendering rules give [dir] elements
 * unicode-bidi: isolate) and takes its direction from its own first strong letter, so Arabic or Hebrew reads right.
 */
export function userText<T extends HTMLElement>(node: T, text?: string): T {
  node.dir = "auto";
  if (text !== undefined) node.textContent = text;
  return node;
}

const FIRST_STRONG_ISOLATE = "\u2068";
const POP_DIRECTIONAL_ISOLATE = "\u2069";

/** User text inside a sentence of ours (a status line), where it cannot have an element: isolated by characters. */
export function isolated(text: string): string {
  return `${FIRST_STRONG_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}`;
}

// Overrides, embeddings and isolates reorder the text after them, within their element still: "\u202Eevil override"
// shows as "edirrevo live". Where a person judges what text says (the review queue), each is written out instead.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/** User text with its bidirectional formatting characters written out, "[U+202E]", rather than obeyed. */
export function bidiControlsShown(text: string): string {
  return text.replace(BIDI_CONTROL, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`);
}
