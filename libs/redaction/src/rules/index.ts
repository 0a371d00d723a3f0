import type { SecretRule } from "../secret-rule";
import { accountRules } from "./account-rules";
import { assignmentRules } from "./assignment-rules";
import { base64KeyRules, base64Rules } from "./base64-rules";
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
  ...base64Rules,
  ...urlRules,
  ...headerRules,
  ...passwordRules,
  ...accountRules,
  ...assignmentRules,
  ...base64KeyRules,
];
