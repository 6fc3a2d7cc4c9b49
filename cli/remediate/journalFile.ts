import { readFile } from "node:fs/promises";
import { EMPTY_JOURNAL, type Journal, type JournalStore, parseJournal } from "../../lambda/remediation/index";
import { CommandFailure } from "../shared/command";
import { writeFileWhole } from "../shared/userFiles";

/** The journal as a JSON file, written whole or not at all, so a crash never leaves half a file. */
export class JournalFile implements JournalStore {
  constructor(readonly path: string) {}

  async load(): Promise<Journal> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return EMPTY_JOURNAL;
      throw error;
    }
    try {
      return parseJournal(JSON.parse(text));
    } catch (error) {
      throw new CommandFailure(
        `the journal ${this.path} is not a remediation journal: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  async save(journal: Journal): Promise<void> {
    await writeFileWhole(this.path, `${JSON.stringify(journal, null, 2)}\n`);
  }
}
