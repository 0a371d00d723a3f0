import type { Migration } from "@msp/db";
import { workCore } from "./20261125000000-WorkCore";
import { auditOutbox } from "./20261125000100-AuditOutbox";
import { identity } from "./20261125000200-Identity";
import { workDetails } from "./20261125000300-WorkDetails";
import { billing } from "./20261125000400-Billing";
import { recall } from "./20261126000000-Recall";
import { recallFullText } from "./20261126000100-RecallFullText";
import { recallScopeVersions } from "./20261126000200-RecallScopeVersions";
import { vault } from "./20261204000000-Vault";
import { audit } from "./20261205000000-Audit";
import { infra } from "./20261206000000-Infra";
import { contextModelSummary } from "./20261207000000-ContextModelSummary";
import { identitySessions } from "./20261207000100-IdentitySessions";
import { recallWorkRecordKinds } from "./20261208000000-RecallWorkRecordKinds";
import { idempotencyKeys } from "./20261209000000-IdempotencyKeys";
import { memoryWorkTime } from "./20261209000100-MemoryWorkTime";
import { workReview } from "./20261210000000-WorkReview";

/** The platform's one schema history, oldest first. Every service applies it at start-up. */
export const migrations: readonly Migration[] = [
  workCore,
  auditOutbox,
  identity,
  workDetails,
  billing,
  recall,
  recallFullText,
  recallScopeVersions,
  vault,
  audit,
  infra,
  contextModelSummary,
  identitySessions,
  recallWorkRecordKinds,
  idempotencyKeys,
  memoryWorkTime,
  workReview,
];
