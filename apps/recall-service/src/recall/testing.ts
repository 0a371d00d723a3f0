import type { Candidate } from "./candidate";

/** A fixed "now" for engine tests. */
export const testNow = new Date("2026-11-26T12:00:00.000Z");

let sequence = 0;

/** A candidate with plain defaults (a fresh context of the test project); tests override what they test. */
export function makeCandidate(overrides: Partial<Candidate> = {}): Candidate {
  sequence += 1;
  return {
    kind: "context",
    id: `01900000-0000-7000-8000-${String(sequence).padStart(12, "0")}`,
    title: `Item number ${sequence}`,
    body: `Dense summary of item ${sequence}`,
    tags: [],
    projectId: "project-1",
    clientId: "client-1",
    machineId: "machine-1",
    machineName: "LAPTOP-3",
    time: testNow,
    importance: 5,
    pinned: false,
    usefulCount: 0,
    recallCount: 0,
    textRelevance: 0,
    contentHash: null,
    subject: null,
    supersededById: null,
    fixKnownWrong: false,
    ...overrides,
  };
}

/** A date `days` before testNow. */
export function daysAgo(days: number): Date {
  return new Date(testNow.getTime() - days * 86_400_000);
}

/** The seeded generator property-style tests use (libs/testing). */
export { seededRandom } from "@msp/testing/src/seeded-random";
