// What the pages remember in the browser. Storage can be refused (private modes, policies, sandboxed frames) or
// full: reading then finds nothing and writing keeps nothing, and the page still works, it just forgets.

/** The stored string under `key`, or null (none, or storage refused). */
export function readStored(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

/** Stores `value` under `key` (null removes it); refused or full storage is left as it was. */
export function writeStored(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Kept in memory by the caller for this page.
  }
}
