import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The README is the front door and the manual lives in docs/, one page per subject: a page renamed or a heading
 * reworded must not leave a link pointing nowhere. Anchors follow GitHub's rule for heading ids (lower case,
 * punctuation other than `-` and `_` dropped, spaces to `-`, `-1`, `-2` ... for repeats), written here rather than
 * taken from a dependency because it is this one line of rules.
 */

const ROOT = path.join(__dirname, "..", "..", "..");

function outsideCode(text: string): string[] {
  let fenced = false;
  return text.split("\n").map((line) => {
    if (line.startsWith("```")) fenced = !fenced;
    return fenced || line.startsWith("```") ? "" : line;
  });
}

function headingIds(markdown: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of outsideCode(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const id = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, "")
      .replace(/ /g, "-");
    const repeats = seen.get(id) ?? 0;
    seen.set(id, repeats + 1);
    ids.add(repeats === 0 ? id : `${id}-${repeats}`);
  }
  return ids;
}

/** Every relative link of a page that names no file, or no heading of the page it names. */
function brokenLinks(file: string, read: (file: string) => string | undefined): string[] {
  const text = read(file);
  if (text === undefined) return [`${file}: cannot be read`];
  const broken: string[] = [];
  outsideCode(text).forEach((line, index) => {
    for (const [, target] of line.matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
      if (target === undefined || /^[a-z]+:/.test(target)) continue;
      const [linked = "", anchor] = target.split("#");
      const targetFile = linked === "" ? file : path.normalize(path.join(path.dirname(file), linked));
      const targetText = read(targetFile);
      if (targetText === undefined) broken.push(`${file}:${index + 1}: no file ${target}`);
      else if (anchor !== undefined && !headingIds(targetText).has(anchor))
        broken.push(`${file}:${index + 1}: no heading #${anchor} in ${targetFile}`);
    }
  });
  return broken;
}

const readRepositoryFile = (file: string): string | undefined => {
  const absolute = path.join(ROOT, file);
  if (!existsSync(absolute)) return undefined;
  return file.endsWith(".md") ? readFileSync(absolute, "utf8") : "";
};

describe("the README and the manual in docs/", () => {
  const pages = [
    "README.md",
    "CONTRIBUTING.md",
    ...readdirSync(path.join(ROOT, "docs"))
      .filter((name) => name.endsWith(".md"))
      .map((name) => path.join("docs", name)),
  ];

  it.each(pages)("%s links only to files and headings that exist", (page) => {
    expect(brokenLinks(page, readRepositoryFile)).toEqual([]);
  });

  it("the README links every page of the manual", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const unlinked = pages.filter((page) => page.startsWith("docs/") && !readme.includes(`](${page})`));
    expect(unlinked).toEqual([]);
  });
});

describe("the link check", () => {
  const files: Record<string, string> = {
    "README.md":
      "# Top\n\n[a](docs/a.md#the-b-c) [b](docs/a.md#nope) [c](docs/gone.md) [d](#top) [e](https://x.y/z)\n",
    "docs/a.md": "# The b: `c`\n\n```sh\n# not a heading\n```\n## Twice\n## Twice\n",
  };
  const read = (file: string) => files[file];

  it("reports a missing file and a missing heading, and accepts the rest", () => {
    expect(brokenLinks("README.md", read)).toEqual([
      "README.md:3: no heading #nope in docs/a.md",
      "README.md:3: no file docs/gone.md",
    ]);
  });

  it("names headings as GitHub does, repeats numbered and code blocks skipped", () => {
    expect([...headingIds(files["docs/a.md"] ?? "")]).toEqual(["the-b-c", "twice", "twice-1"]);
  });
});
