import { App } from "aws-cdk-lib";
import { addStacks } from "./appStacks";

/**
 * The CDK app (`cdk.json`). Env-agnostic stacks: no account, Region or look-ups at synth. One account:
 * `npx cdk deploy`. Organization: set `organizationalUnitIds` (and `ruleRegions`, `memberAccountIds`) and
 * deploy the organization stack from the management or delegated administrator account (see
 * docs/organizations.md); the account stack is then not part of the app.
 */
const app = new App();
addStacks(app);
app.synth();
