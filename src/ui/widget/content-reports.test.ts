import { describe, expect, it } from "vitest";
import { ContentReports } from "./content-reports.js";
import { REPORTED_KEY } from "./reported-tags.js";

/** What outlives a page load, shared by every "page" and "tab" made over it, as localStorage is. */
function keptReports() {
  const byContent = new Map<string, Set<string>>();
  return {
    of: (contentId: string) => new Set(byContent.get(contentId)),
    keep: (contentId: string, tags: ReadonlySet<string>) =>
      void byContent.set(contentId, new Set([...(byContent.get(contentId) ?? []), ...tags])),
  };
}

/** A page editing the saved content `contentId` ("" for a draft). */
function editing(kept: ReturnType<typeof keptReports>, contentId: string): ContentReports {
  const page = new ContentReports(kept);
  page.keepFor(contentId);
  return page;
}

describe("ContentReports", () => {
  it("hides a tag reported on saved content there, on later page loads too, by tag key", () => {
    const kept = keptReports();
    const page = editing(kept, "42");
    page.report("Deep Learning");
    expect([...page.tags]).toEqual(["deep-learning"]);
    const reloaded = editing(kept, "42");
    expect([...reloaded.tags]).toEqual(["deep-learning"]);
    reloaded.keepFor("43");
    expect(reloaded.tags.size).toBe(0);
  });

  it("keeps a draft's reports for the draft only until a save gives them its content-id", () => {
    const kept = keptReports();
    const page = new ContentReports(kept);
    page.report("pytorch");
    expect(kept.of("").size).toBe(0);
    // The host sets the saved id first, then resets after the save (editor.ts).
    page.keepFor("42");
    expect(page.tags.size).toBe(0);
    page.keepFor("42", { afterSave: true });
    page.forgetDraft();
    expect([...page.tags]).toEqual(["pytorch"]);
    expect([...kept.of("42")]).toEqual(["pytorch"]);
  });

  it("drops a draft's reports when the form moves on to other content without saving it", () => {
    const kept = keptReports();
    const page = new ContentReports(kept);
    page.report("pytorch");
    // The host sets the other content's id, then resets for it: a new session, not after a save.
    page.keepFor("42");
    page.keepFor("42");
    page.forgetDraft();
    // A later save of that content brings no draft's reports with it.
    page.keepFor("42", { afterSave: true });
    expect(page.tags.size).toBe(0);
    expect(kept.of("42").size).toBe(0);
  });

  it("starts a new draft with nothing reported; a save of the draft keeps its reports for the next session", () => {
    const page = new ContentReports(keptReports());
    page.report("pytorch");
    page.keepFor("", { afterSave: true });
    expect([...page.tags]).toEqual(["pytorch"]);
    page.keepFor("");
    expect(page.tags.size).toBe(0);
  });

  it("remembers reports a host hands over, and says when they are for the content edited", () => {
    const kept = keptReports();
    const page = editing(kept, "42");
    expect(page.remember("41", ["Keras"])).toBe(false);
    expect([...kept.of("41")]).toEqual(["keras"]);
    expect(page.remember("42", ["PyTorch"])).toBe(true);
    expect([...page.tags]).toEqual(["pytorch"]);
    expect(page.remember("", ["nlp"])).toBe(false);
    expect(page.remember("42", [])).toBe(false);
    expect(kept.of("").size).toBe(0);
  });

  it("takes another tab's reports on the content edited here, and only on saved content", () => {
    const kept = keptReports();
    const here = editing(kept, "42");
    const otherTab = editing(kept, "42");
    otherTab.report("keras");
    expect(here.takeOtherTabs("a host's own key")).toBe(false);
    expect(here.tags.size).toBe(0);
    expect(here.takeOtherTabs(REPORTED_KEY)).toBe(true);
    expect([...here.tags]).toEqual(["keras"]);
    const draft = new ContentReports(kept);
    expect(draft.takeOtherTabs(REPORTED_KEY)).toBe(false);
  });
});
