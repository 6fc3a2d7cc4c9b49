/** A command's stdout and stderr (not a terminal), captured; `text()` is what each received so far. */
export function capturedOutput() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout: (text: string) => stdout.push(text),
    stderr: { isTTY: false, write: (text: string) => stderr.push(text) },
    text: () => ({ stdout: stdout.join(""), stderr: stderr.join("") }),
  };
}
