import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/**
 * The directory the user ran the command in. `npm run` starts scripts in the package root and leaves the
 * user's directory in INIT_CWD (npx sets it too); run directly, it is the working directory.
 */
export function userDirectory(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.INIT_CWD || cwd;
}

/** Files named on the command line, a relative path taken from the user's directory. */
export interface UserFiles {
  readonly resolve: (path: string) => string;
  readonly readTextFile: (path: string) => Promise<string>;
  /** Writes a file whole or not at all (a temporary file beside it, flushed, then renamed), creating its directory. */
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
}

export function userFiles(directory: string): UserFiles {
  const from = (path: string) => resolve(directory, path);
  return {
    resolve: from,
    readTextFile: (path) => readFile(from(path), "utf8"),
    writeTextFile: (path, text) => writeFileWhole(from(path), text),
  };
}

/** The files of the process that runs the command. */
export function processUserFiles(): UserFiles {
  return userFiles(userDirectory(process.env, process.cwd()));
}

/** Writes `text` to `path` whole or not at all, creating its directory. */
export async function writeFileWhole(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeWhole(path, text);
}

/**
 * A reader never sees half a file, and a crash leaves the old one: rename within one directory is atomic on
 * POSIX file systems. (npm's write-file-atomic does the same, plus ownership handling this tool does not need.)
 */
async function writeWhole(target: string, text: string): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(temporary, "wx", 0o644);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
