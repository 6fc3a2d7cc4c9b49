import type { Clock } from "../../lambda/util/clock";

/** A clock that only moves when someone sleeps, and remembers every sleep. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private sleepsMoveTime = true;

  constructor(private current = Date.parse("2026-11-30T12:00:00Z")) {}

  /** A clock whose time never moves, not even when someone sleeps: its sleeps are only remembered. */
  static standingStill(at = 0): FakeClock {
    const clock = new FakeClock(at);
    clock.sleepsMoveTime = false;
    return clock;
  }

  now(): number {
    return this.current;
  }

  async sleep(milliseconds: number): Promise<void> {
    this.sleeps.push(milliseconds);
    if (this.sleepsMoveTime) this.current += milliseconds;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}
