import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JournalFile } from "../../../../cli/remediate/journalFile";
import { CommandFailure } from "../../../../cli/shared/command";
import { EcsPidModeError } from "../../../../lambda/errors";
import { EMPTY_JOURNAL, withMove, withRegistered } from "../../../../lambda/remediation/core/journal";

const SCOPE = { accountId: "111122223333", region: "us-east-1" };

describe("the journal file", () => {
  it("starts empty when the file does not exist yet", async () => {
    const directory = await mkdtemp(join(tmpdir(), "journal-"));
    expect(await new JournalFile(join(directory, "j.json")).load()).toEqual(EMPTY_JOURNAL);
  });

  it("reads back what it saved", async () => {
    const directory = await mkdtemp(join(tmpdir(), "journal-"));
    const file = new JournalFile(join(directory, "nested", "j.json"));
    const journal = withMove(
      withRegistered(EMPTY_JOURNAL, SCOPE, "arn:old", "arn:aws:ecs:x:1:task-definition/web:2"),
      SCOPE,
      { cluster: "prod", service: "api" },
      {
        from: "arn:old",
        to: "arn:aws:ecs:x:1:task-definition/web:2",
        state: "completed",
        at: "2026-12-01T00:00:00.000Z",
      },
    );
    await file.save(journal);
    expect(await file.load()).toEqual(journal);
    expect(JSON.parse(await readFile(join(directory, "nested", "j.json"), "utf8")).version).toBe(1);
  });

  it("refuses a file that is not a journal, naming the file and the field", async () => {
    const directory = await mkdtemp(join(tmpdir(), "journal-"));
    const path = join(directory, "j.json");
    await writeFile(path, JSON.stringify({ version: 1, registered: { x: 42 } }));
    await expect(new JournalFile(path).load()).rejects.toThrow(
      `the journal ${path} is not a remediation journal: journal: registered.x must be an ARN`,
    );
  });

  it("fails as a command failure of the project's error model, keeping the error it wraps as the cause, for --debug", async () => {
    const directory = await mkdtemp(join(tmpdir(), "journal-"));
    const path = join(directory, "j.json");
    await writeFile(path, "{ not json");
    const failure = await new JournalFile(path).load().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandFailure);
    expect(failure).toBeInstanceOf(EcsPidModeError);
    expect((failure as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
