import { redactDeep } from "../redact-stored";
import type { IngestScope } from "./ingest-request";

/**
 * The scope of an ingest with its free texts (machine name, working directory, repository, host)
 * redacted: they are stored with the context, and a working directory or a remote URL can hold
 * a secret (`https://user:token@host/repo`). Ids are UUIDs and need nothing.
 */
export function redactScope(scope: IngestScope): { scope: IngestScope; redactions: number } {
  const { value, redactions } = redactDeep({
    machineName: scope.machineName,
    cwd: scope.cwd,
    repository: scope.repository,
    host: scope.host,
  });
  return { scope: { ...scope, ...value }, redactions };
}
