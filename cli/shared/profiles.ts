import { CONFIG_PREFIX_SEPARATOR, loadSharedConfigFiles } from "@smithy/core/config";

/** The loader keeps these sections of the config file under `<type><separator><name>`: they are not profiles. */
const NOT_PROFILES = ["sso-session", "services"].map((type) => `${type}${CONFIG_PREFIX_SEPARATOR}`);

/**
 * The profiles the SDK can see, read by the SDK's own shared-ini loader (the one its credential providers use):
 * `[default]` and `[profile name]` in the config file, every section of the credentials file, and
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured; `[sso-session x]` and `[services x]` are not profiles.
 * The loader caches; `ignoreCache` reads the files as they are now.
 */
export async function knownProfiles(
  init: { readonly configFilepath?: string; readonly filepath?: string } = {},
): Promise<Set<string>> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ...init, ignoreCache: true });
  const profiles = Object.keys(configFile).filter(
    (name) => !NOT_PROFILES.some((prefix) => name.startsWith(prefix)),
  );
  return new Set([...profiles, ...Object.keys(credentialsFile)]);
}
