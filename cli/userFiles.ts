import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

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
  /** Writes a file, creating its directory. */
  readonly writeTextFile: (path: string, text: string) => Promise<void>;
}

export function userFiles(directory: string): UserFiles {
  const from = (path: string) => resolve(directory, path);
  return {
    resolve: from,
    readTextFile: (path) => readFile(from(path), "utf8"),
    writeTextFile: async (path, text) => {
      await mkdir(dirname(from(path)), { recursive: true });
      await writeFile(from(path), text);
    },
  };
}

/** The files of the process that runs the command. */
export function processUserFiles(): UserFiles {
  return userFiles(userDirectory(process.env, process.cwd()));
}
