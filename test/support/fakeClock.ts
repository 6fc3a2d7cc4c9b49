import type { Clock } from "../../lambda/util/clock";

/** A clock that only moves when someone sleeps, and remembers every sleep. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private current = Date.parse("2026-11-30T12:00:00Z")) {}

  now(): number {
    return this.current;
  }

  async sleep(milliseconds: number): Promise<void> {
    this.sleeps.push(milliseconds);
    this.current += milliseconds;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}
