// One jest run for the whole workspace: `npm test` (CI runs it twice, on SQLite and on MariaDB).
// @swc/jest strips types without checking them (tsc does that in `npm run typecheck`), so the
// decorator settings below must match tsconfig.base.json: legacy decorators, no metadata, and
// assignment (not define) semantics for class fields, which sequelize-typescript models rely on.

/** @type {import("@swc/core").Options} */
const swcOptions = {
  swcrc: false,
  sourceMaps: "inline",
  module: { type: "commonjs" },
  jsc: {
    target: "es2022",
    parser: { syntax: "typescript", decorators: true },
    transform: {
      legacyDecorator: true,
      decoratorMetadata: false,
      useDefineForClassFields: false,
    },
  },
};

// Test tiers, by where a spec file lives or how it is named (`npm test -- --selectProjects unit`):
//   e2e          spawns the platform or the CLI as processes: a folder named `e2e` or `*-e2e`;
//   integration  a real database or services on port 0, in process: a `src/test/` folder, or a
//                spec beside the code named `*.db.spec.ts`;
//   unit         everything else: pure code, at most an in-process socket on loopback.
// Each file lands in exactly one tier, so `npm test` still runs every test once.
// Patterns start at <rootDir>, so a checkout folder named like a tier changes nothing.
const e2e = [String.raw`<rootDir>/(?:.*/)?[^/]*e2e/`];
const integration = [
  String.raw`<rootDir>/.*/src/test/`,
  String.raw`<rootDir>/.*\.db\.spec\.ts$`,
  // It runs `buf curl` processes; named here because libs/grpc-kit is not ours to rename in.
  String.raw`<rootDir>/libs/grpc-kit/src/reflection\.spec\.ts$`,
];
const ignored = ["/node_modules/", "/dist/"];
/** A path pattern that matches (so ignores) every path matching none of `patterns`. */
const noneOf = (patterns) => `^(?!(?:${patterns.join("|")}))`;

/** MSP_TEST_SLOWNESS, as libs/testing/src/slowness.ts reads it (this file cannot import TypeScript). */
function testSlowness() {
  const raw = (process.env.MSP_TEST_SLOWNESS ?? "").trim();
  if (raw === "") return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 1) {
    throw new Error(`MSP_TEST_SLOWNESS must be a number of at least 1 (how many times longer every test deadline is), not "${raw}"`);
  }
  return value;
}

/** @type {import("jest").Config} */
const shared = {
  testEnvironment: "node",
  // Workspace packages (@msp/*) are symlinks into libs/ whose `main` is `src/index.ts`; jest
  // resolves them to their real paths, which are outside node_modules, so this transform (and
  // the default transformIgnorePatterns) covers them.
  transform: { "^.+\\.ts$": ["@swc/jest", swcOptions] },
  moduleFileExtensions: ["ts", "js", "json", "node"],
  testMatch: ["<rootDir>/{apps,libs,migrations,tools}/**/*.spec.ts"],
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/coverage/"],
};

/** @type {import("jest").Config} */
module.exports = {
  projects: [
    { ...shared, displayName: "unit", testPathIgnorePatterns: [...ignored, ...e2e, ...integration] },
    { ...shared, displayName: "integration", testPathIgnorePatterns: [...ignored, ...e2e, noneOf(integration)] },
    { ...shared, displayName: "e2e", testPathIgnorePatterns: [...ignored, noneOf(e2e)] },
  ],
  // Integration tests create a database per test file, so two workers never share one.
  maxWorkers: 2,
  // A test's deadline (a hang becomes a failure): enough for a machine five times slower than
  // usual, times MSP_TEST_SLOWNESS for one slower still (libs/testing/src/slowness.ts).
  testTimeout: 30_000 * testSlowness(),
};
