// The review queue's keyboard: one key per action, shown on screen, ignored while the reviewer types in a field
// or holds a modifier (Ctrl+N must stay the browser's).

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
  return REVIEW_SHORTCUTS.find((shortcut) => shortcut.key === key)?.action ?? null;
}
