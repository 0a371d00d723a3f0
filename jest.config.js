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

/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  // Workspace packages (@msp/*) are symlinks into libs/ whose `main` is `src/index.ts`; jest
  // resolves them to their real paths, which are outside node_modules, so this transform (and
  // the default transformIgnorePatterns) covers them.
  transform: { "^.+\\.ts$": ["@swc/jest", swcOptions] },
  moduleFileExtensions: ["ts", "js", "json", "node"],
  testMatch: ["<rootDir>/{apps,libs,migrations,tools}/**/*.spec.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/coverage/"],
  // Integration tests create a database per test file, so two workers never share one.
  maxWorkers: 2,
  testTimeout: 30_000,
};
