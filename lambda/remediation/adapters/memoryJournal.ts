import { EMPTY_JOURNAL, type Journal } from "../core/journal";
import type { JournalStore } from "../ports";

/** For a function run: nothing persists between invocations but the replaces tag ECS keeps. */
export class MemoryJournalStore implements JournalStore {
  constructor(private journal: Journal = EMPTY_JOURNAL) {}
  async load(): Promise<Journal> {
    return this.journal;
  }
  async save(journal: Journal): Promise<void> {
    this.journal = journal;
  }
}
