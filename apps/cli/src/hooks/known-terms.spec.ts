import { redact } from "@msp/redaction";
import { knownTermsOf, pointsAtSomething, promptQuery, targetedQuery } from "./known-terms";

const catalog = {
  fetchedAt: new Date().toISOString(),
  clients: [{ id: "c1", name: "Acme Dental" }],
  projects: [{ id: "p1", name: "Portal", slug: "acme-portal" }],
};
const items = [
  {
    shortId: "ab12cd34",
    title: "Restarted nginx on web01.acme.local",
    line: "- [context ab12cd34 2026-11-25 LAPTOP-3] backup to 10.0.4.12 failed",
  },
];

describe("known terms", () => {
  const terms = knownTermsOf(catalog, items);

  it("collects clients, projects and the hosts recalled lines mention", () => {
    expect(terms).toEqual(expect.arrayContaining(["acme dental", "portal", "acme-portal", "web01.acme.local", "10.0.4.12"]));
  });

  it("says yes only when the prompt names one of them, pastes an error, or points at an address or a file", () => {
    expect(pointsAtSomething("can you check web01.acme.local again?", terms)).toBe(true);
    expect(pointsAtSomething("Acme Dental called about email", terms)).toBe(true);
    expect(pointsAtSomething("got ECONNREFUSED from the API", terms)).toBe(true);
    expect(pointsAtSomething("nginx: [emerg] bind() failed", terms)).toBe(true);
    expect(pointsAtSomething("rename this variable please", terms)).toBe(false);
    expect(pointsAtSomething("the portalized view", terms)).toBe(false); // whole words only
    expect(pointsAtSomething("why does docker-compose.yml not start?", terms)).toBe(true);
    expect(pointsAtSomething("ping 192.168.7.40 please", terms)).toBe(true);
    expect(pointsAtSomething("it fails with KeyError: 'ContainerConfig' again", terms)).toBe(true);
    expect(pointsAtSomething("thanks, go on, e.g. with the next step", terms)).toBe(false);
  });

  it("sends the prompt's words, redacted, after what it points at, or nothing", () => {
    const query = promptQuery("docker compose up fails with KeyError: 'ContainerConfig' again, password is hunter2x", terms, redact, 1_000);
    expect(query.startsWith("'containerconfig'")).toBe(true);
    expect(query).toContain("docker compose up fails with KeyError");
    expect(query).not.toContain("hunter2x");
    expect(promptQuery("please tidy up the readme", terms, redact, 1_000)).toBe("");
    expect(promptQuery(`check 10.0.0.1 ${"and more words ".repeat(200)}`, terms, redact, 300)).toHaveLength(300);
  });

  it("picks out the names and errors a prompt mentions", () => {
    expect(targetedQuery("Acme Dental says web01.acme.local gives 502 Bad Gateway, password is hunter2", terms)).toBe(
      "web01.acme.local acme dental 502 bad gateway",
    );
    expect(targetedQuery("got ECONNREFUSED and exit code 7", [])).toBe("econnrefused exit code 7");
    expect(targetedQuery("please tidy up the readme", terms)).toBe("");
  });

  it("listens for the names of the client's hosts, before the shop's clients and projects", () => {
    const withHosts = knownTermsOf(catalog, [], ["dc01.corp.local", "dc01", "10.0.0.10", "ad"]);
    expect(withHosts.slice(0, 3)).toEqual(["dc01.corp.local", "dc01", "10.0.0.10"]); // "ad" is too short to listen for
    expect(targetedQuery("is dc01 up? and 10.0.0.10?", withHosts)).toBe("dc01 10.0.0.10");
    expect(targetedQuery("the dc01x box", withHosts)).toBe("");
  });

  it("keeps the recalled hosts when the shop has more names than the list holds", () => {
    const big = {
      ...catalog,
      projects: Array.from({ length: 2_000 }, (_, i) => ({ id: `p${i}`, name: `Project ${i}`, slug: `project-${i}` })),
    };
    const capped = knownTermsOf(big, items);
    expect(capped).toHaveLength(1_000);
    expect(capped).toEqual(expect.arrayContaining(["web01.acme.local", "10.0.4.12", "acme dental"]));
  });
});
