import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { Project, ProjectStatus } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

const newClient = (name: string) => call(stack.clients, "createClient", { client: Client.fromPartial({ name }) });

describe("ProjectService", () => {
  it("walks every page of a filtered list one project at a time and ends with an empty token", async () => {
    const mine = await newClient("Paging Co");
    const other = await newClient("Other Co");
    const slugs = ["p-one", "p-two", "p-three", "p-four", "p-five"];
    for (const slug of slugs)
      await call(stack.projects, "createProject", { project: Project.fromPartial({ clientId: mine.id, name: slug, slug }) });
    await call(stack.projects, "createProject", { project: Project.fromPartial({ clientId: other.id, name: "x", slug: "other-x" }) });

    const seen: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await call(stack.projects, "listProjects", { pageSize: 1, pageToken, filter: `client_id = "${mine.id}"`, orderBy: "" });
      expect(page.projects.length).toBeLessThanOrEqual(1);
      seen.push(...page.projects.map((p) => p.slug ?? ""));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== "" && pages < 20);
    expect(pageToken).toBe("");
    expect(seen).toEqual(slugs);

    const byName = await call(stack.projects, "listProjects", {
      pageSize: 2,
      pageToken: "",
      filter: `client_id = "${mine.id}"`,
      orderBy: "name desc",
    });
    const second = await call(stack.projects, "listProjects", {
      pageSize: 2,
      pageToken: byName.nextPageToken,
      filter: `client_id = "${mine.id}"`,
      orderBy: "name desc",
    });
    expect([...byName.projects, ...second.projects].map((p) => p.name)).toEqual(["p-two", "p-three", "p-one", "p-four"]);

    // A token is bound to its filter and order.
    await expectStatus(
      call(stack.projects, "listProjects", { pageSize: 2, pageToken: byName.nextPageToken, filter: "", orderBy: "name desc" }),
      status.INVALID_ARGUMENT,
      /page_token/,
    );
  });

  it("applies defaults, filters on enums, and checks slugs, dates and the client", async () => {
    const client = await newClient("Rules Co");
    const project = await call(stack.projects, "createProject", {
      project: { id: "", etag: "", clientId: client.id, name: "Rules", slug: "rules", startedOn: "2026-01-10", estimatedHours: "12.5" },
    });
    expect(project.status).toBe(ProjectStatus.PROJECT_STATUS_PENDING);
    expect(project.startedOn).toBe("2026-01-10");
    expect(project.estimatedHours).toBe("12.50");

    await call(stack.projects, "updateProject", {
      project: Project.fromPartial({ id: project.id, etag: "", status: ProjectStatus.PROJECT_STATUS_WORKING }),
      updateMask: [],
    });
    const working = await call(stack.projects, "listProjects", {
      pageSize: 10,
      pageToken: "",
      filter: `client_id = "${client.id}" AND status = "working"`,
      orderBy: "",
    });
    expect(working.projects.map((p) => p.id)).toEqual([project.id]);
    const pending = await call(stack.projects, "listProjects", {
      pageSize: 10,
      pageToken: "",
      filter: `client_id = "${client.id}" AND status = PROJECT_STATUS_PENDING`,
      orderBy: "",
    });
    expect(pending.projects).toEqual([]);

    await expectStatus(
      call(stack.projects, "createProject", { project: Project.fromPartial({ clientId: client.id, name: "x", slug: "Not A Slug" }) }),
      status.INVALID_ARGUMENT,
      /project\.slug/,
    );
    await expectStatus(
      call(stack.projects, "createProject", { project: Project.fromPartial({ clientId: client.id, name: "x", slug: "rules" }) }),
      status.ALREADY_EXISTS,
      /slug/,
    );
    await expectStatus(
      call(stack.projects, "createProject", {
        project: Project.fromPartial({ clientId: client.id, name: "x", slug: "dates", startedOn: "2026-02-01", targetOn: "2026-01-01" }),
      }),
      status.INVALID_ARGUMENT,
      /project\.target_on/,
    );
    await expectStatus(
      call(stack.projects, "createProject", {
        project: Project.fromPartial({ clientId: "0190f5c8-0000-7000-8000-000000000000", name: "x", slug: "orphan" }),
      }),
      status.INVALID_ARGUMENT,
      /client_id: no client/,
    );
    await expectStatus(
      call(stack.projects, "updateProject", { project: Project.fromPartial({ id: project.id, etag: "" }), updateMask: ["slug"] }),
      status.INVALID_ARGUMENT,
      /project\.slug: is required/,
    );
  });
});
