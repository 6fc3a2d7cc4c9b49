/**
 * The end of the time an invocation may spend reading. A container handles one event at a time, so the
 * rule sets it at the start of each invocation and the adapters built once per container consult it
 * before they retry: a retry that would run into the reserve kept for reporting is not made.
 */
export class InvocationDeadline {
  private shouldStop: () => boolean = () => false;

  start(shouldStop: () => boolean): void {
    this.shouldStop = shouldStop;
  }

  readonly passed = (): boolean => this.shouldStop();
}
