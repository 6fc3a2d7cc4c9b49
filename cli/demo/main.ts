import { systemClock } from "../../lambda/adapters/clock";
import { errorText } from "../../lambda/adapters/retry";
import { runDemo, SAMPLE } from "./runDemo";

/** `npm start`: the rule on the shipped sample account. No network, no credentials. */
runDemo(SAMPLE, systemClock, (text) => process.stdout.write(text)).catch((error: unknown) => {
  process.stderr.write(`demo failed: ${errorText(error)}\n`);
  process.exitCode = 1;
});
