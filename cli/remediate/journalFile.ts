import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { EMPTY_JOURNAL, type Journal, type JournalStore, parseJournal } from "../../lambda/index";

/** The journal as a JSON file; written to a temporary file and renamed, so a crash never leaves half a file. */
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
      throw new Error(
        `the journal ${this.path} is not a remediation journal: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  async save(journal: Journal): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(journal, null, 2)}\n`);
    await rename(temporary, this.path);
  }
}
