/** Two projects: `unit` needs nothing but Node.js; `integration` drives real SDK clients over HTTP on loopback. */
const transform = { "^.+\\.tsx?$": ["@swc/jest"] };

module.exports = {
  projects: [
    {
      displayName: "unit",
      transform,
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
    },
    {
      displayName: "integration",
      transform,
      testEnvironment: "node",
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
    },
  ],
};
