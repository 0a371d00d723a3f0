import type { SecretRule } from "../secret-rule";
import { accountRules } from "./account-rules";
import { assignmentRules } from "./assignment-rules";
import { base64KeyRules, base64Rules } from "./base64-rules";
import { configFileRules } from "./config-file-rules";
import { headerRules } from "./header-rules";
import { ruleKeywords } from "./keywords";
import { passwordRules } from "./password-rules";
import { privateKeyRules } from "./private-key-rules";
import { providerTokenRules } from "./provider-token-rules";
import { urlRules } from "./url-rules";

/**
 * Every rule, most specific first: where two rules claim overlapping text, the earlier one
 * wins, so a GitHub token after `PASSWORD=` is reported as a github_token.
 */
export const secretRules: readonly SecretRule[] = withKeywords([
  ...privateKeyRules,
  ...providerTokenRules,
  ...configFileRules,
  ...base64Rules,
  ...urlRules,
  ...headerRules,
  ...passwordRules,
  ...accountRules,
  ...assignmentRules,
  ...base64KeyRules,
]);

/** The rules with their keywords; a rule missing from the keyword table is a mistake caught at load. */
function withKeywords(rules: readonly SecretRule[]): SecretRule[] {
  return rules.map((rule) => {
    const keywords = ruleKeywords[rule.name];
    if (keywords === undefined) throw new Error(`secret rule ${rule.name} has no entry in rules/keywords.ts (null if it has no keyword)`);
    return { ...rule, keywords };
  });
}
