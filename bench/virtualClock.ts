import type { Clock } from "../lambda/index";

interface Timer extends Pick<PromiseWithResolvers<void>, "resolve" | "reject"> {
  readonly due: number;
}

export interface VirtualClockLimits {
  /** Virtual time after which every sleep fails instead of advancing: nothing can wait forever. */
  readonly maxElapsedMs: number;
}

/**
 * A virtual clock whose `sleep` resolves only when every other piece of work is waiting too: once the
 * microtask queue has drained and no tracked I/O is in flight, time jumps to the earliest timer.
 * Token buckets and retry backoff sleep through it, so minutes of throttled sweeping take milliseconds.
 * Work that waits on untracked real I/O or real timers is not seen; wrap such I/O in `track`.
 */
export class VirtualClock implements Clock {
  private time: number;
  private readonly timers: Timer[] = [];
  private inFlight = 0;
  private checkScheduled = false;

  constructor(
    readonly startMs: number,
    private readonly limits: VirtualClockLimits = { maxElapsedMs: 7 * 24 * 3600_000 },
  ) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.timers.push({ due: this.time + Math.max(0, milliseconds), resolve, reject });
      this.scheduleIdleCheck();
    });
  }

  /** Holds time still while `work` (real I/O, e.g. HTTP on loopback) is in flight. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    return work.finally(() => {
      this.inFlight--;
      this.scheduleIdleCheck();
    });
  }

  /** `setImmediate` runs only after the microtask queue is empty: nothing else can run without waiting. */
  private scheduleIdleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      this.advance();
    });
  }

  private advance(): void {
    if (this.inFlight > 0 || this.timers.length === 0) return;
    const due = Math.min(...this.timers.map((timer) => timer.due));
    if (due - this.startMs > this.limits.maxElapsedMs) {
      const error = new Error(`virtual clock: nothing left to run before ${this.limits.maxElapsedMs} ms`);
      for (const timer of this.timers.splice(0)) timer.reject(error);
      return;
    }
    this.time = Math.max(this.time, due);
    const ready = this.timers.filter((timer) => timer.due <= this.time);
    this.timers.splice(0, this.timers.length, ...this.timers.filter((timer) => timer.due > this.time));
    for (const timer of ready) timer.resolve();
    if (this.timers.length > 0) this.scheduleIdleCheck();
  }
}

/** A Lambda's `getRemainingTimeInMillis` over virtual time, from the moment this is called. */
export function remainingTime(clock: Clock, limitMs = 15 * 60_000): () => number {
  const deadline = clock.now() + limitMs;
  return () => deadline - clock.now();
}
