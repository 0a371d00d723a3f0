import type { CallerContext } from "@msp/service-client";
import type { RecallScope } from "./candidate";
import type { HeaderLabels } from "./format";

/** Asks the work service for a client's or a project's name; throws when it cannot say. */
export interface WorkNames {
  clientName(ctx: CallerContext, id: string): Promise<string>;
  projectName(ctx: CallerContext, id: string): Promise<string>;
}

/** The names a recall's header shows for its scope, never failing the recall: ids or the repository stand in. */
export type ScopeNames = (caller: CallerContext | undefined, scope: RecallScope) => Promise<HeaderLabels>;

export interface ScopeNamesOptions {
  /** Names found are kept this long (default 10 minutes): a rename shows after it. */
  ttlMs?: number;
  /** The longest a recall waits for a name it does not have yet (default 300 ms); it is still kept when it comes. */
  budgetMs?: number;
  now?: () => number;
}

/**
 * The project and client by name in a recall's header ("project Patient portal, client Acme
 * Dental"), as the work service names them, rather than by id: asked once, then kept. Without a
 * caller, when the work service does not answer in time, or for an id it does not know, the
 * header keeps what it had: the repository or the id.
 */
export function createScopeNames(work: WorkNames, options: ScopeNamesOptions = {}): ScopeNames {
  const ttlMs = options.ttlMs ?? 600_000;
  const budgetMs = options.budgetMs ?? 300;
  const now = options.now ?? Date.now;
  const known = new Map<string, { name: string; until: number }>();
  const asking = new Map<string, Promise<string | undefined>>();

  const nameOf = async (key: string, ask: () => Promise<string>): Promise<string | undefined> => {
    const hit = known.get(key);
    if (hit && hit.until > now()) return hit.name;
    let pending = asking.get(key);
    if (!pending) {
      pending = ask().then(
        (name) => {
          if (known.size >= 10_000) known.clear();
          if (name !== "") known.set(key, { name, until: now() + ttlMs });
          return name === "" ? undefined : name;
        },
        () => undefined,
      );
      asking.set(key, pending);
      void pending.finally(() => asking.delete(key));
    }
    return withinBudget(pending, budgetMs);
  };

  return async (caller, scope) => {
    const labels: HeaderLabels = {};
    const project = scope.repository ?? scope.projectId;
    if (project) labels.project = project;
    if (scope.clientId) labels.client = scope.clientId;
    if (caller?.auth === undefined) return labels;
    const [projectName, clientName] = await Promise.all([
      scope.projectId ? nameOf(`project:${scope.projectId}`, () => work.projectName(caller, scope.projectId!)) : undefined,
      scope.clientId ? nameOf(`client:${scope.clientId}`, () => work.clientName(caller, scope.clientId!)) : undefined,
    ]);
    if (projectName) labels.project = projectName;
    if (clientName) labels.client = clientName;
    return labels;
  };
}

/** The answer, or undefined once `budgetMs` has passed. */
function withinBudget<T>(promise: Promise<T | undefined>, budgetMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((done) => {
    timer = setTimeout(() => done(undefined), budgetMs);
    timer.unref();
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
