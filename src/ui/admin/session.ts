// What the console remembers: the admin token for this tab only (sessionStorage: closing the tab signs out), and
// the reviewer's name across visits (localStorage: it is not a secret, and asking every day would be a chore).

const TOKEN_KEY = "tagsmith.admin.token";
const REVIEWER_KEY = "tagsmith.admin.reviewer";

/** Storage can be refused (private modes, policies): the console still works, it just forgets. */
function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Kept in memory by the caller for this page.
  }
}

export const readToken = () => read(() => sessionStorage, TOKEN_KEY);
export const keepToken = (token: string) => write(() => sessionStorage, TOKEN_KEY, token);
export const forgetToken = () => write(() => sessionStorage, TOKEN_KEY, null);

export const readReviewer = () => read(() => localStorage, REVIEWER_KEY)?.trim() || null;
export const keepReviewer = (name: string) => write(() => localStorage, REVIEWER_KEY, name);
