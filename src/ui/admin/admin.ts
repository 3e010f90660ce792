// The admin console's entry point: the sign-in form until a token is accepted, then the four sections as tabs.
// Nothing is fetched without a token, and a 401 from any call signs the console out and empties every section.

import { ApiFailure } from "../api-client.js";
import { type AdminApi, adminApi } from "./admin-api.js";
import { CandidatesView } from "./candidates-view.js";
import type { ConsoleContext, ConsoleSection } from "./console-context.js";
import { MetricsView } from "./metrics-view.js";
import { ModelsView } from "./models-view.js";
import { byId, showStatus } from "./nodes.js";
import { ReviewView } from "./review-view.js";
import { forgetToken, keepReviewer, keepToken, readReviewer, readToken } from "./session.js";
import { Tabs } from "./tabs.js";

type SectionName = "review" | "metrics" | "candidates" | "models";

const signIn = byId("sign-in");
const signInForm = byId<HTMLFormElement>("sign-in-form");
const tokenInput = byId<HTMLInputElement>("token");
const signInButton = byId<HTMLButtonElement>("sign-in-button");
const signInStatus = byId("sign-in-status");
const consoleRoot = byId("console");
const session = byId("session");
const reviewerForm = byId<HTMLFormElement>("reviewer-form");
const reviewerInput = byId<HTMLInputElement>("reviewer-name");
const reviewerStatus = byId("reviewer-status");
const reviewerLine = byId("reviewer-line");

const REFUSED = "That token was not accepted.";

let api: AdminApi | null = null;
/** Kept in memory too, for when storage is refused. */
let reviewer = readReviewer();

const context: ConsoleContext = {
  api: () => {
    if (!api) throw new ApiFailure(401, null);
    return api;
  },
  reviewer: () => reviewer,
  askReviewer: (why) => {
    reviewerForm.hidden = false;
    showStatus(reviewerStatus, why, "error");
    reviewerInput.focus();
  },
};

const review = new ReviewView(context);
const sections: Record<SectionName, ConsoleSection> = {
  review,
  metrics: new MetricsView(context),
  candidates: new CandidatesView(context),
  models: new ModelsView(context),
};
const tabs = new Tabs<SectionName>(byId("sections"), (name) => sections[name].show());

function showReviewer(): void {
  reviewerLine.textContent = reviewer ? `Reviewing as ${reviewer}` : "";
  reviewerForm.hidden = Boolean(reviewer);
  byId("change-reviewer").hidden = !reviewer;
}

function open(token: string): void {
  api = adminApi(token, () => signOut(REFUSED));
  signIn.hidden = true;
  consoleRoot.hidden = false;
  session.hidden = false;
  showReviewer();
  tabs.show(tabs.fromAddress("review"));
  // The sign-in form hid with the focus in it: without a name kept, the name form is the next thing to do; with one,
  // the open section's tab (left on the hidden form, the focus fell back to the page).
  if (!reviewer) reviewerInput.focus();
  else tabs.focusActive();
}

/** Back to the form: the token is forgotten and nothing fetched with it stays on screen. */
function signOut(message = ""): void {
  api = null;
  forgetToken();
  for (const section of Object.values(sections)) section.clear();
  consoleRoot.hidden = true;
  session.hidden = true;
  signIn.hidden = false;
  tokenInput.value = "";
  showStatus(signInStatus, message, message ? "error" : "");
  tokenInput.focus();
}

/** A token is kept only once the service accepts it (one cheap admin call). */
async function trySignIn(token: string): Promise<void> {
  signInButton.disabled = true;
  showStatus(signInStatus, "Checking…");
  try {
    await adminApi(token, () => {}).models();
    keepToken(token);
    showStatus(signInStatus, "");
    open(token);
  } catch (error) {
    const status = error instanceof ApiFailure ? error.status : 0;
    showStatus(
      signInStatus,
      status === 401
        ? REFUSED
        : status >= 400 && status < 500
          ? `The service refused the token (HTTP ${status}): check that only the token was pasted.`
          : "The service could not be reached to check the token. Try again in a moment.",
      "error",
    );
    tokenInput.select();
  } finally {
    signInButton.disabled = false;
  }
}

signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) {
    showStatus(signInStatus, "Enter the admin token.", "error");
    tokenInput.focus();
    return;
  }
  // A header carries printable ASCII only: fetch would refuse "tökén" before sending, which read as a network error.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    showStatus(
      signInStatus,
      "That is not a token: a token has no spaces or accented letters. Paste the token the service was started with.",
      "error",
    );
    tokenInput.select();
    return;
  }
  void trySignIn(token);
});

byId("sign-out").addEventListener("click", () => signOut());

byId("change-reviewer").addEventListener("click", () => {
  reviewerInput.value = reviewer ?? "";
  reviewerForm.hidden = false;
  showStatus(reviewerStatus, "");
  reviewerInput.focus();
});

reviewerForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const name = reviewerInput.value.trim();
  if (!name) {
    showStatus(reviewerStatus, "Enter your name.", "error");
    reviewerInput.focus();
    return;
  }
  reviewer = name;
  keepReviewer(name);
  showStatus(reviewerStatus, "");
  showReviewer();
  // The form hides itself with the focus in its field: the focus goes on to the work, the answers when an item is
  // shown, else the section's tab. Left in the hidden field until the browser moves it, a y or n pressed at once was
  // taken as typing and lost.
  if (!(tabs.active === "review" && review.focusAnswers())) tabs.focusActive();
});

document.addEventListener("keydown", (event) => {
  if (api && tabs.active === "review") review.onKeydown(event);
});

// The page takes no query string: one in the address (a token that a form submitted natively before this script
// ran, in an older page, and the history or a bookmark kept) is dropped from it at once.
if (location.search) history.replaceState(null, "", `${location.pathname}${location.hash}`);
// The sign-in form is shown only now, with the submit handler above in place (index.html says why).
byId("console-loading").hidden = true;
const saved = readToken();
if (saved) open(saved);
else {
  signIn.hidden = false;
  tokenInput.focus();
}
