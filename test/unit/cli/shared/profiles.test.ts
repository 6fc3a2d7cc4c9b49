import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownProfiles } from "../../../../cli/shared/profiles";

describe("the profiles the SDK can see, through its shared-ini loader", () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "profiles-"));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("reads [default], [profile name] and credentials sections but not sso-session or services sections", async () => {
    const configFilepath = join(directory, "config");
    const filepath = join(directory, "credentials");
    await writeFile(
      configFilepath,
      "[default]\nregion = us-east-1\n[profile audit]\nsso_session = corp\n[sso-session corp]\nsso_region = us-east-1\n[services local]\necs =\n  endpoint_url = http://localhost\n",
    );
    await writeFile(filepath, "[ci]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n");
    expect([...(await knownProfiles({ configFilepath, filepath }))].sort()).toEqual([
      "audit",
      "ci",
      "default",
    ]);
  });

  it("finds none when the files do not exist", async () => {
    const none = await knownProfiles({
      configFilepath: join(directory, "absent-config"),
      filepath: join(directory, "absent-credentials"),
    });
    expect(none.size).toBe(0);
  });
});
