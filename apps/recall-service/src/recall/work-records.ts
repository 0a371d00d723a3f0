import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { CallerContext, PeerClients } from "@msp/service-client";
import { MachineService } from "@msp/proto/src/gen/es/msp/work/v1/machine_pb";
import type { ProblemSolution } from "@msp/proto/src/gen/es/msp/work/v1/problem_solution_pb";
import { ProblemSolutionService } from "@msp/proto/src/gen/es/msp/work/v1/problem_solution_pb";
import type { RecentWorkSession, Session } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import { SessionService } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import type { WorkItem } from "@msp/proto/src/gen/es/msp/work/v1/work_item_pb";
import { WorkItemCategory, WorkItemPriority, WorkItemService, WorkItemStatus } from "@msp/proto/src/gen/es/msp/work/v1/work_item_pb";
import type { WorkRecordKind } from "./candidate";

/**
 * A work item or a problem solution of the work service, in the recall service's terms: the
 * Problem / Cause / Fix / Verify parts under one set of names (a problem solution's root cause,
 * solution and verification are its cause, fix and verify).
 */
export interface WorkRecord {
  kind: WorkRecordKind;
  id: string;
  sessionId: string;
  /** A work item's title; "" for a problem solution, which has none. */
  title: string;
  problem: string;
  /** Problem solutions: what was seen, and the error message shown. */
  symptom: string;
  errorMessage: string;
  cause: string;
  fix: string;
  verify: string;
  /** A work item's description when it is free text (no parts), else "". */
  freeText: string;
  /** Work items: completed, in_progress, blocked, pending, deferred ("" unknown). */
  status: string;
  /** Work items: critical, high, medium, low ("" none). */
  priority: string;
  /** Work items: infrastructure, troubleshooting... ("" unknown). */
  category: string;
  affectedSystems: readonly string[];
  technologies: readonly string[];
  tags: readonly string[];
  /** Problem solutions: how often the problem came back. */
  recurrenceCount: number;
  /** Work items: when completed. */
  completedAt: Date | null;
  createdAt: Date | null;
}

/** Where and when a record's session took place. */
export interface WorkSessionFacts {
  id: string;
  projectId: string;
  clientId: string;
  machineId: string;
  machineName: string;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** Records with the sessions they were done in. */
export interface FoundWork {
  records: WorkRecord[];
  sessions: WorkSessionFacts[];
}

/** What FindRecentWork is asked: the scope, the query's words, how many of each kind per part. */
export interface RecentWorkQuery {
  projectId?: string | undefined;
  clientId?: string | undefined;
  terms: readonly string[];
  limit: number;
}

/**
 * The work service's records, as the recall service sees them: it owns no work table, so it asks
 * the work service, as the user it serves. Behind this interface so the rules around it are
 * tested with a fake.
 */
export interface WorkRecords {
  /** FindRecentWork; throws whatever went wrong (the work service down or refusing; its deadline passed). */
  findRecent(ctx: CallerContext, query: RecentWorkQuery): Promise<FoundWork>;
  /** One record with its session (GetWorkItem or GetProblemSolution, then GetSession); throws NOT_FOUND as the work service does. */
  findById(ctx: CallerContext, kind: WorkRecordKind, id: string): Promise<FoundWork>;
}

/**
 * The work service over gRPC. A recall waits for FindRecentWork only within its own budget
 * (work-recall.ts); the call itself runs on to the channel's deadline, so a late answer still
 * serves the next recall.
 */
export function createWorkRecords(peers: PeerClients): WorkRecords {
  return {
    async findRecent(ctx, query) {
      const answer = await peers.call(ctx, SessionService.method.findRecentWork, {
        projectId: query.projectId ?? "",
        clientId: query.clientId ?? "",
        terms: [...query.terms],
        pageSize: query.limit,
      });
      return {
        records: [...answer.workItems.map(workItemRecord), ...answer.problemSolutions.map(problemSolutionRecord)],
        sessions: answer.sessions.map(sessionFacts),
      };
    },
    async findById(ctx, kind, id) {
      const record =
        kind === "work_item"
          ? workItemRecord(await peers.call(ctx, WorkItemService.method.getWorkItem, { id }))
          : problemSolutionRecord(await peers.call(ctx, ProblemSolutionService.method.getProblemSolution, { id }));
      const session = await peers.call(ctx, SessionService.method.getSession, { id: record.sessionId });
      // The machine's name is a nicety: the item is shown without it when the machine cannot be read.
      const machineName = session.machineId
        ? await peers.call(ctx, MachineService.method.getMachine, { id: session.machineId }).then(
            (machine) => machine.friendlyName || machine.hostname || "",
            () => "",
          )
        : "";
      return { records: [record], sessions: [sessionOf(session, machineName)] };
    },
  };
}

const dateOf = (timestamp: Timestamp | undefined): Date | null => (timestamp ? timestampDate(timestamp) : null);

export function workItemRecord(item: WorkItem): WorkRecord {
  const hasParts = [item.problem, item.cause, item.fix, item.verify].some((part) => (part ?? "").trim() !== "");
  return {
    kind: "work_item",
    id: item.id.toLowerCase(),
    sessionId: (item.sessionId ?? "").toLowerCase(),
    title: item.title ?? "",
    problem: item.problem ?? "",
    symptom: "",
    errorMessage: "",
    cause: item.cause ?? "",
    fix: item.fix ?? "",
    verify: item.verify ?? "",
    freeText: hasParts ? "" : (item.description ?? ""),
    status: enumName(WorkItemStatus, item.status),
    priority: enumName(WorkItemPriority, item.priority),
    category: enumName(WorkItemCategory, item.category),
    affectedSystems: item.affectedSystems,
    technologies: item.technologiesUsed,
    tags: item.tags,
    recurrenceCount: 0,
    completedAt: dateOf(item.completedAt),
    createdAt: dateOf(item.createdAt),
  };
}

export function problemSolutionRecord(problem: ProblemSolution): WorkRecord {
  return {
    kind: "problem_solution",
    id: problem.id.toLowerCase(),
    sessionId: (problem.sessionId ?? "").toLowerCase(),
    title: "",
    problem: problem.problem ?? "",
    symptom: problem.symptom ?? "",
    errorMessage: problem.errorMessage ?? "",
    cause: problem.rootCause ?? "",
    fix: problem.solution ?? "",
    verify: problem.verification ?? "",
    freeText: "",
    status: "",
    priority: "",
    category: "",
    affectedSystems: [],
    technologies: [],
    tags: [],
    recurrenceCount: problem.recurrenceCount ?? 0,
    completedAt: null,
    createdAt: dateOf(problem.createdAt),
  };
}

function sessionFacts(session: RecentWorkSession): WorkSessionFacts {
  return {
    id: session.id.toLowerCase(),
    projectId: session.projectId.toLowerCase(),
    clientId: session.clientId.toLowerCase(),
    machineId: session.machineId.toLowerCase(),
    machineName: session.machineName,
    startedAt: dateOf(session.startedAt),
    endedAt: dateOf(session.endedAt),
  };
}

function sessionOf(session: Session, machineName: string): WorkSessionFacts {
  return {
    id: session.id.toLowerCase(),
    projectId: (session.projectId ?? "").toLowerCase(),
    clientId: (session.clientId ?? "").toLowerCase(),
    machineId: (session.machineId ?? "").toLowerCase(),
    machineName,
    startedAt: dateOf(session.startedAt),
    endedAt: dateOf(session.endedAt),
  };
}

/** `in_progress` for WorkItemStatus.IN_PROGRESS; "" for unset, unspecified or unknown values. */
function enumName(values: object, value: number | undefined): string {
  if (value === undefined || value === 0) return "";
  const name = (values as Record<number, string | undefined>)[value];
  return name === undefined ? "" : name.toLowerCase();
}
