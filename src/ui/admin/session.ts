// What the console remembers: the admin token for this tab only (sessionStorage: closing the tab signs out), and
// the reviewer's name across visits (localStorage: it is not a secret, and asking every day would be a chore).

import { readStored, writeStored } from "../storage.js";

const TOKEN_KEY = "tagsmith.admin.token";
const REVIEWER_KEY = "tagsmith.admin.reviewer";

export const readToken = () => readStored(() => sessionStorage, TOKEN_KEY);
export const keepToken = (token: string) => writeStored(() => sessionStorage, TOKEN_KEY, token);
export const forgetToken = () => writeStored(() => sessionStorage, TOKEN_KEY, null);

export const readReviewer = () => readStored(() => localStorage, REVIEWER_KEY)?.trim() || null;
export const keepReviewer = (name: string) => writeStored(() => localStorage, REVIEWER_KEY, name);
