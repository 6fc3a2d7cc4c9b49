import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Profile names in the shared config (`[default]`, `[profile dev]`) and credentials (`[dev]`) files.
 * `[sso-session x]` and `[services x]` sections are not profiles.
 */
export function profileNames(configText: string, credentialsText: string): Set<string> {
  const names = new Set<string>();
  for (const match of configText.matchAll(/^\s*\[\s*(?:profile\s+)?([^\]\s]+)\s*\]/gm)) {
    const header = match[0];
    if (/\[\s*(sso-session|services)\s/.test(header)) continue;
    names.add(match[1] as string);
  }
  for (const match of credentialsText.matchAll(/^\s*\[\s*([^\]\s]+)\s*\]/gm)) names.add(match[1] as string);
  return names;
}

async function readIfPresent(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return "";
  }
}

/** The profiles the SDK can see, from the files it reads (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE honoured). */
export async function knownProfiles(env: NodeJS.ProcessEnv = process.env): Promise<Set<string>> {
  const home = homedir();
  const [configText, credentialsText] = await Promise.all([
    readIfPresent(env.AWS_CONFIG_FILE ?? join(home, ".aws", "config")),
    readIfPresent(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials")),
  ]);
  return profileNames(configText, credentialsText);
}
