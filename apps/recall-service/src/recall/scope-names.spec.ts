import type { CallerContext } from "@msp/service-client";
import type { WorkNames } from "./scope-names";
import { createScopeNames } from "./scope-names";

const caller = {
  requestId: "r1",
  auth: { subject: "u1", userId: "u1", username: "tech", role: "technician", scopes: [], kind: "user" },
} as unknown as CallerContext;

function fakeWork(answers: { client?: string; project?: string; delayMs?: number; fail?: boolean }) {
  const asked: string[] = [];
  const answer = (name: string | undefined, what: string) => async (_ctx: CallerContext, id: string) => {
    asked.push(`${what}:${id}`);
    if (answers.delayMs) await new Promise((done) => setTimeout(done, answers.delayMs));
    if (answers.fail || name === undefined) throw new Error("not found");
    return name;
  };
  const work: WorkNames = { clientName: answer(answers.client, "client"), projectName: answer(answers.project, "project") };
  return { work, asked };
}

describe("createScopeNames", () => {
  it("names the project and client as the work service does, and asks once while the names are kept", async () => {
    let now = 1_000;
    const { work, asked } = fakeWork({ client: "Acme Dental", project: "Patient portal" });
    const names = createScopeNames(work, { now: () => now, ttlMs: 60_000 });
    const scope = { clientId: "c-1", projectId: "p-1", repository: "github.com/acme/portal" };
    expect(await names(caller, scope)).toEqual({ project: "Patient portal", client: "Acme Dental" });
    expect(await names(caller, scope)).toEqual({ project: "Patient portal", client: "Acme Dental" });
    expect(asked).toEqual(["project:p-1", "client:c-1"]);
    now += 60_001;
    await names(caller, scope);
    expect(asked).toHaveLength(4);
  });

  it("keeps the repository and the id when the work service fails, is slow, or there is no caller", async () => {
    const scope = { clientId: "c-1", projectId: "p-1", repository: "github.com/acme/portal" };
    const fallback = { project: "github.com/acme/portal", client: "c-1" };
    expect(await createScopeNames(fakeWork({ fail: true }).work)(caller, scope)).toEqual(fallback);
    expect(await createScopeNames(fakeWork({ client: "A", project: "P", delayMs: 200 }).work, { budgetMs: 20 })(caller, scope)).toEqual(
      fallback,
    );
    const { work, asked } = fakeWork({ client: "A", project: "P" });
    expect(await createScopeNames(work)(undefined, scope)).toEqual(fallback);
    expect(asked).toEqual([]);
    expect(await createScopeNames(work)(caller, {})).toEqual({});
  });
});
