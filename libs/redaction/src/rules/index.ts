import type { SecretRule } from "../secret-rule";
import { assignmentRules } from "./assignment-rules";
import { configFileRules } from "./config-file-rules";
import { headerRules } from "./header-rules";
import { passwordRules } from "./password-rules";
import { privateKeyRules } from "./private-key-rules";
import { providerTokenRules } from "./provider-token-rules";
import { urlRules } from "./url-rules";

/**
 * Every rule, most specific first: where two rules claim overlapping text, the earlier one
 * wins, so a GitHub token after `PASSWORD=` is reported as a github_token.
 */
export const secretRules: readonly SecretRule[] = [
  ...privateKeyRules,
  ...providerTokenRules,
  ...configFileRules,
  ...urlRules,
  ...headerRules,
  ...passwordRules,
  ...assignmentRules,
];
