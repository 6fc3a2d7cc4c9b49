import { isResentItem, RESENT_ITEM_AGE_MS } from "../../../../lambda/core/changePlan";

describe("telling an item Config re-sends from a change it has just recorded", () => {
  const captured = new Date("2026-11-29T10:15:30.123Z");
  const notifiedAfter = (ms: number) => new Date(captured.getTime() + ms);

  it("takes an item notified within the hour of its capture as a fresh change", () => {
    expect(isResentItem(captured, notifiedAfter(31_000))).toBe(false);
    expect(isResentItem(captured, notifiedAfter(RESENT_ITEM_AGE_MS))).toBe(false);
  });

  it("takes an item notified more than an hour after its capture as re-sent, as when a rule is created", () => {
    expect(isResentItem(captured, notifiedAfter(RESENT_ITEM_AGE_MS + 1))).toBe(true);
    expect(isResentItem(captured, notifiedAfter(30 * 24 * 3_600_000))).toBe(true);
  });

  it("takes an item as a fresh change when the notification carries no time", () => {
    expect(isResentItem(captured, undefined)).toBe(false);
  });
});
