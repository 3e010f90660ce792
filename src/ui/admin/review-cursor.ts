// Where the reviewer is in the queue: a page of pending items, one shown at a time. Pure, so stepping and what
// happens after a decision are tested without a browser.

export class ReviewCursor<T extends { id: number }> {
  private items: T[] = [];
  private index = 0;

  /** A fresh page of pending items; stays on the same item when it is still pending. */
  reset(items: readonly T[]): void {
    const keep = this.current?.id;
    this.items = [...items];
    const found = keep === undefined ? -1 : this.items.findIndex((item) => item.id === keep);
    this.index = found >= 0 ? found : Math.min(this.index, Math.max(this.items.length - 1, 0));
  }

  /**
   * The next page of pending items, fetched when the reviewer steps past the last one held: those after the last
   * held item (pending items come oldest first, by id) are appended, the rest are already held or were skipped
   * over. How many were added.
   */
  extend(items: readonly T[]): number {
    const last = this.items.at(-1)?.id ?? 0;
    const added = items.filter((item) => item.id > last);
    this.items.push(...added);
    return added.length;
  }

  get current(): T | null {
    return this.items[this.index] ?? null;
  }

  /** 1-based position of the current item, and how many are loaded. */
  get position(): { at: number; of: number } {
    return { at: this.items.length ? this.index + 1 : 0, of: this.items.length };
  }

  next(): boolean {
    if (this.index >= this.items.length - 1) return false;
    this.index++;
    return true;
  }

  previous(): boolean {
    if (this.index <= 0) return false;
    this.index--;
    return true;
  }

  /**
   * An item back in the queue (its decision undone): put where it belongs among the loaded ones (pending items come
   * oldest first, by id) and shown, so the reviewer answers it again.
   */
  restore(item: T): void {
    this.items = this.items.filter((held) => held.id !== item.id);
    const after = this.items.findIndex((held) => held.id > item.id);
    this.index = after < 0 ? this.items.length : after;
    this.items.splice(this.index, 0, item);
  }

  /**
   * An item left the queue (decided here or by someone else): it is dropped and the one after it takes its place,
   * so the reviewer moves forward; after the last item the one before is shown.
   */
  settle(id: number): void {
    const at = this.items.findIndex((item) => item.id === id);
    if (at < 0) return;
    this.items.splice(at, 1);
    if (at < this.index) this.index--;
    this.index = Math.min(this.index, Math.max(this.items.length - 1, 0));
  }
}
