// The review queue's keyboard: one key per action, shown on screen, ignored while the reviewer types in a field
// or holds a modifier (Ctrl+N must stay the browser's). On a layout without Latin letters (Cyrillic, Greek) a letter
// key is taken by its place, as the Latin letter there.

export type ReviewAction = "belongs" | "not_belongs" | "undo" | "next" | "previous" | "help";

export const REVIEW_SHORTCUTS: readonly { key: string; action: ReviewAction; label: string }[] = [
  { key: "y", action: "belongs", label: "belongs" },
  { key: "n", action: "not_belongs", label: "does not belong" },
  { key: "u", action: "undo", label: "undo the last decision" },
  { key: "j", action: "next", label: "next" },
  { key: "k", action: "previous", label: "previous" },
  { key: "?", action: "help", label: "help" },
];

/** What reviewShortcut needs of a KeyboardEvent (a plain object in tests). */
export interface KeyPress {
  key: string;
  /** The key's place on the keyboard ("KeyY"), whatever the layout writes there. */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

const TYPING = new Set(["INPUT", "TEXTAREA", "SELECT"]);

export function reviewShortcut(press: KeyPress): ReviewAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const target = press.target;
  if (target && (TYPING.has(target.tagName?.toUpperCase() ?? "") || target.isContentEditable))
    return null;
  // Shift is allowed: "?" needs it on most layouts; a Caps Lock "Y" still means yes.
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  const found = REVIEW_SHORTCUTS.find((shortcut) => shortcut.key === key);
  if (found) return found.action;
  // A letter that is not ASCII (н, ο) is the reviewer's layout, not a key of its own: the Latin letter in its place
  // (code KeyY) is what the screen shows. A Latin letter is always taken as written, so on AZERTY or Dvorak y is y.
  if (!(press.key.length === 1 && press.key.charCodeAt(0) > 0x7f)) return null;
  const placed = /^Key([A-Z])$/.exec(press.code ?? "")?.[1].toLowerCase();
  return REVIEW_SHORTCUTS.find((shortcut) => shortcut.key === placed)?.action ?? null;
}
