import { systemClock } from "../../lambda/index";
import { COMMON_EXIT_CODES, type Command, EXIT, UsageError } from "../shared/command";
import { parseCommandLine } from "../shared/commandLine";
import { usageErrorText } from "../shared/commandStart";
import { runDemo, SAMPLE } from "./runDemo";

const USAGE = "usage: ecs-pid-mode demo";

const HELP = `${USAGE}

Runs the rule (the Lambda's own code) on the shipped sample account (cli/sample-account.json) and prints
what it sends to AWS Config for each event. No network, no credentials.

Options:
  -h, --help  this help

Exit codes:
  ${EXIT.ok}    the demo ran
  ${EXIT.failed}    it failed
${COMMON_EXIT_CODES}

Example:
  npx ecs-pid-mode demo`;

/** `ecs-pid-mode demo` (`npm start`): the rule on the shipped sample account. */
export const demoCommand: Command = {
  name: "demo",
  summary: "the rule on a simulated sample account: no network, no credentials",
  help: HELP,
  run: async (argv) => {
    try {
      if (parseCommandLine(argv, { help: { type: "boolean", short: "h" } }).help) {
        process.stdout.write(`${HELP}\n`);
        return EXIT.ok;
      }
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(usageErrorText(error, USAGE, "demo"));
      return EXIT.usage;
    }
    await runDemo(SAMPLE, systemClock, (text) => process.stdout.write(text));
    return EXIT.ok;
  },
};
