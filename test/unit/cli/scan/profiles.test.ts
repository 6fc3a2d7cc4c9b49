import { profileNames } from "../../../../cli/scan/profiles";

describe("the profiles the SDK can see", () => {
  it("reads [default], [profile name] and credentials sections but not sso-session or services sections", () => {
    const config =
      "[default]\nregion = us-east-1\n[profile audit]\nsso_session = corp\n[sso-session corp]\nsso_region = us-east-1\n[services local]\necs =\n";
    const credentials = "[ci]\naws_access_key_id = AKIAEXAMPLE\n  [ spaced ]\n";
    expect([...profileNames(config, credentials)].sort()).toEqual(["audit", "ci", "default", "spaced"]);
  });

  it("finds none in empty files", () => {
    expect(profileNames("", "").size).toBe(0);
  });
});
