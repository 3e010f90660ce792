import { describe, expect, it } from "vitest";
import { ReviewCursor } from "./review-cursor.js";

const items = (...ids: number[]) => ids.map((id) => ({ id }));

describe("ReviewCursor", () => {
  it("starts on the first item and steps forward and back within the page", () => {
    const cursor = new ReviewCursor();
    cursor.reset(items(1, 2, 3));
    expect(cursor.current?.id).toBe(1);
    expect(cursor.previous()).toBe(false);
    expect(cursor.next()).toBe(true);
    expect(cursor.next()).toBe(true);
    expect(cursor.next()).toBe(false);
    expect(cursor.current?.id).toBe(3);
    expect(cursor.position).toEqual({ at: 3, of: 3 });
  });

  it("extends the page with the items after the last one held, so stepping goes on into them", () => {
    const cursor = new ReviewCursor();
    cursor.reset(items(1, 2, 3));
    cursor.next();
    cursor.next();
    expect(cursor.next()).toBe(false);
    // The next page overlaps the held one (an item undone elsewhere, or a page fetched from before the end).
    expect(cursor.extend(items(2, 3, 4, 5))).toBe(2);
    expect(cursor.current?.id).toBe(3);
    expect(cursor.next()).toBe(true);
    expect(cursor.current?.id).toBe(4);
    expect(cursor.position).toEqual({ at: 4, of: 5 });
    expect(cursor.extend(items(4, 5))).toBe(0);
  });

  it("moves on to the next item after the current one is decided", () => {
    const cursor = new ReviewCursor();
    cursor.reset(items(1, 2, 3));
    cursor.next();
    cursor.settle(2);
    expect(cursor.current?.id).toBe(3);
    expect(cursor.position).toEqual({ at: 2, of: 2 });
  });

  it("shows the one before when the last item is decided, and nothing when none are left", () => {
    const cursor = new ReviewCursor();
    cursor.reset(items(1, 2));
    cursor.next();
    cursor.settle(2);
    expect(cursor.current?.id).toBe(1);
    cursor.settle(1);
    expect(cursor.current).toBeNull();
    expect(cursor.position).toEqual({ at: 0, of: 0 });
  });

  it("stays on the same item when an item before it leaves, or when a new page still holds it", () => {
    const cursor = new ReviewCursor();
    cursor.reset(items(1, 2, 3));
    cursor.next();
    cursor.next();
    cursor.settle(1);
    expect(cursor.current?.id).toBe(3);
    cursor.reset(items(0, 3, 4));
    expect(cursor.current?.id).toBe(3);
  });

  it("puts an undone item back in id order and shows it, wherever the reviewer was", () => {
    const cursor = new ReviewCursor();
    cursor.reset(items(1, 3, 5));
    cursor.next();
    cursor.settle(3);
    expect(cursor.current?.id).toBe(5);
    cursor.restore({ id: 3 });
    expect(cursor.current?.id).toBe(3);
    expect(cursor.position).toEqual({ at: 2, of: 3 });
    cursor.restore({ id: 9 });
    expect(cursor.position).toEqual({ at: 4, of: 4 });
    cursor.restore({ id: 3 });
    expect(cursor.position).toEqual({ at: 2, of: 4 });
    cursor.settle(1);
    cursor.settle(3);
    cursor.settle(5);
    cursor.settle(9);
    cursor.restore({ id: 4 });
    expect(cursor.current?.id).toBe(4);
  });

  it("ignores an item it does not hold", () => {
    const cursor = new ReviewCursor();
    cursor.reset(items(1));
    cursor.settle(9);
    expect(cursor.current?.id).toBe(1);
  });
});
