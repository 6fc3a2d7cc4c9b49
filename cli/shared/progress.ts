import type { Clock } from "../../lambda/index";

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * One progress line on stderr. A terminal sees it rewritten in place; a log (not a TTY) gets at most one
 * line every `intervalMs`, and the last state when the step ends, so a large account yields counts, not a wall.
 */
export class ProgressLine {
  private pending: string | undefined;
  private lastWrittenAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: Clock,
    private readonly intervalMs = 5_000,
  ) {}

  update(text: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r${text}\u001b[K`);
      this.pending = text;
      return;
    }
    const now = this.clock.now();
    if (now - this.lastWrittenAt >= this.intervalMs) {
      this.stream.write(`${text}\n`);
      this.lastWrittenAt = now;
      this.pending = undefined;
    } else {
      this.pending = text;
    }
  }

  /** Ends the step: the terminal keeps its line, a log gets the final counts if they were not written yet. */
  finish(): void {
    if (this.stream.isTTY) {
      if (this.pending !== undefined) this.stream.write("\n");
    } else if (this.pending !== undefined) {
      this.stream.write(`${this.pending}\n`);
    }
    this.pending = undefined;
    this.lastWrittenAt = Number.NEGATIVE_INFINITY;
  }
}
