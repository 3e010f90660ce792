// Approved tags offered in a <datalist> as something is typed: debounced, the stale search aborted, silent when
// the service is away (completion is a nicety; typing a tag whole always works). The editor's tags field and the
// admin console's "Alias of…" field both use it.

import { searchTags } from "./api-client.js";

const COMPLETE_AFTER_MS = 150;

export class TagCompletion {
  private completing: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `skip` says which tags not to offer (already chosen, say). */
  constructor(
    private readonly list: HTMLDataListElement,
    private readonly limit: number,
    private readonly skip: (tag: string) => boolean = () => false,
  ) {}

  /** Offers tags matching `text` once typing pauses; empty text clears the list. */
  offer(text: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.complete(text.trim()), COMPLETE_AFTER_MS);
  }

  private async complete(query: string): Promise<void> {
    this.completing?.abort();
    if (!query) return this.list.replaceChildren();
    const controller = new AbortController();
    this.completing = controller;
    try {
      const { tags } = await searchTags(query, this.limit, controller.signal);
      this.list.replaceChildren(
        ...tags
          .filter((t) => !this.skip(t.tag))
          .map((t) => {
            const option = document.createElement("option");
            option.value = t.tag;
            if (t.category) option.label = t.category;
            return option;
          }),
      );
    } catch {
      // Completion is optional.
    }
  }
}
