export { REDACTION_KINDS, type Redaction, type RedactionKind } from "./redaction-kinds";
export { redact, redactText, type RedactionResult } from "./redact-text";
export { redactValue } from "./redact-value";
export { redactionContexts, type RedactionContext } from "./redaction-context";
export {
  hasPrivateText,
  privateMarker,
  privateTermsOf,
  rememberPrivateTerms,
  stripPrivate,
  stripPrivateTranscript,
  withoutPrivateTerms,
  type PrivateDigests,
} from "./private-text";
