import { describe, expect, it } from "vitest";
import { MAX_REPORTED_CONTENTS, ReportedTags } from "./reported-tags.js";

/** A page's localStorage, as much of it as the widget uses; shared by the "tabs" made over it. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  } as Storage;
}

const refused = (): Storage => {
  throw new DOMException("The operation is insecure.", "SecurityError");
};

describe("ReportedTags", () => {
  it("gives another page load the tags reported for a content, and only for that content", () => {
    const storage = memoryStorage();
    new ReportedTags(() => storage).keep("42", new Set(["pytorch"]));
    const reloaded = new ReportedTags(() => storage);
    expect([...reloaded.of("42")]).toEqual(["pytorch"]);
    expect([...reloaded.of("43")]).toEqual([]);
  });

  it("adds to what another tab reported on the same content", () => {
    const storage = memoryStorage();
    const tab1 = new ReportedTags(() => storage);
    const tab2 = new ReportedTags(() => storage);
    tab1.keep("42", new Set(["pytorch"]));
    tab2.keep("42", new Set(["keras"]));
    expect([...new ReportedTags(() => storage).of("42")].sort()).toEqual(["keras", "pytorch"]);
  });

  it("keeps only the most recently reported contents", () => {
    const storage = memoryStorage();
    const reports = new ReportedTags(() => storage);
    for (let id = 0; id <= MAX_REPORTED_CONTENTS; id++) reports.keep(String(id), new Set(["nlp"]));
    // The oldest is gone from storage (this page still remembers it); the newest are all there.
    expect(new ReportedTags(() => storage).of("0").size).toBe(0);
    expect(reports.of("0").size).toBe(1);
    expect(new ReportedTags(() => storage).of(String(MAX_REPORTED_CONTENTS)).size).toBe(1);
    expect(new Map(JSON.parse(storage.getItem("tagsmith.reported") ?? "[]")).has("0")).toBe(false);
  });

  it("drops the contents least recently reported on, not those of the lowest ids", () => {
    const storage = memoryStorage();
    const reports = new ReportedTags(() => storage);
    for (let id = 1000; id < 1000 + MAX_REPORTED_CONTENTS - 1; id++)
      reports.keep(String(id), new Set(["nlp"]));
    reports.keep("5", new Set(["pytorch"]));
    reports.keep("1500", new Set(["keras"]));
    const reloaded = new ReportedTags(() => storage);
    expect([...reloaded.of("5")]).toEqual(["pytorch"]);
    expect([...reloaded.of("1500")]).toEqual(["keras"]);
    expect(reloaded.of("1000").size).toBe(0);
    expect(reloaded.of("1001").size).toBe(1);
  });

  it("reads a value that is not its own as nothing reported, and replaces it", () => {
    const storage = memoryStorage({ "tagsmith.reported": '["a host\'s own value"' });
    const reports = new ReportedTags(() => storage);
    expect(reports.of("42").size).toBe(0);
    reports.keep("42", new Set(["pytorch"]));
    expect(JSON.parse(storage.getItem("tagsmith.reported") ?? "")).toEqual([["42", ["pytorch"]]]);
    const wrongShape = memoryStorage({
      "tagsmith.reported": '[["42", "pytorch"], ["43", [1]], [44, ["nlp"]], {"45": ["nlp"]}]',
    });
    expect(new ReportedTags(() => wrongShape).of("42").size).toBe(0);
    expect(new ReportedTags(() => wrongShape).of("43").size).toBe(0);
    expect(new ReportedTags(() => wrongShape).of("44").size).toBe(0);
    expect(new ReportedTags(() => wrongShape).of("45").size).toBe(0);
  });

  it("remembers for this page when storage is refused", () => {
    const reports = new ReportedTags(refused);
    reports.keep("42", new Set(["pytorch"]));
    expect([...reports.of("42")]).toEqual(["pytorch"]);
    expect(new ReportedTags(refused).of("42").size).toBe(0);
  });
});
