/** The kinds of failure pattern, as stored. */
export type FailurePatternType =
  | "command_compatibility"
  | "version_mismatch"
  | "permission_denied"
  | "service_unavailable"
  | "configuration_error"
  | "environmental_limitation";

/** Failure categories (as the work service's commands_run names them) that say the kind outright. */
const byCategory: Readonly<Record<string, FailurePatternType>> = {
  compatibility: "command_compatibility",
  syntax: "command_compatibility",
  permission: "permission_denied",
  network: "service_unavailable",
  environmental: "environmental_limitation",
  configuration: "configuration_error",
  version: "version_mismatch",
};

/** Error wordings of each kind, checked in this order (the first that matches wins). */
const byText: readonly (readonly [FailurePatternType, RegExp])[] = [
  [
    "permission_denied",
    /permission denied|access (?:is )?denied|not permitted|unauthori[sz]ed|forbidden|\beacces\b|\beperm\b|\b40[13]\b|must be root|requires? (?:root|admin|elevation)|run as administrator/,
  ],
  [
    "command_compatibility",
    /command not found|not recognized as|unknown (?:option|command|flag|switch)|invalid option|unrecognized (?:option|argument|command)|illegal option|no such option|syntax error|parameter cannot be found|is not a valid cmdlet/,
  ],
  [
    "version_mismatch",
    /\bversion\b|unsupported|deprecated|incompatible|requires? (?:python|node|php|java|powershell|\w+ >=?)|minimum (?:required|version)/,
  ],
  [
    "service_unavailable",
    /connection (?:refused|reset|timed out)|timed? ?out|unreachable|no route to host|service unavailable|\b50[234]\b|econnrefused|etimedout|enotfound|could not resolve|name or service not known|temporary failure in name resolution|is not running|failed to connect|host is down/,
  ],
  [
    "environmental_limitation",
    /no space left|disk (?:is )?full|out of memory|cannot allocate memory|too many open files|read-only file system|quota exceeded|resource temporarily unavailable/,
  ],
  [
    "configuration_error",
    /config|invalid (?:value|setting|argument)|missing|not set|no such file|not found|does not exist|bad (?:request|gateway)|parse error|malformed/,
  ],
];

/**
 * The kind of a failure, from its category when that says it, else from the error text;
 * configuration_error when nothing matches (a failure nobody classified is most often set-up).
 */
export function guessPatternType(failureCategory: string | null, errorText: string): FailurePatternType {
  const category = failureCategory?.trim().toLowerCase() ?? "";
  const direct = byCategory[category];
  if (direct !== undefined) return direct;
  const text = errorText.toLowerCase();
  for (const [type, pattern] of byText) if (pattern.test(text)) return type;
  return "configuration_error";
}
