/** Two projects: `unit` needs nothing but Node.js; `integration` drives real SDK clients over HTTP on loopback. */
const transform = { "^.+\\.tsx?$": ["@swc/jest"] };
const setupFiles = ["<rootDir>/test/support/jestEnvironment.ts"];

module.exports = {
  projects: [
    {
      displayName: "unit",
      transform,
      setupFiles,
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
    },
    {
      displayName: "integration",
      transform,
      setupFiles,
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
    },
  ],
};
