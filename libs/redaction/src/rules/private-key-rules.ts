import { secretRule, type SecretRule } from "../secret-rule";

// PEM and OpenSSH private keys. The BEGIN and END lines stay, so the text still says a key of
// that type was there; the body goes. The body may hold real newlines or, inside a JSONL line,
// escaped ones (`\n`); it never holds a quote, so a match cannot leave its JSON string.

const begin = String.raw`-----BEGIN (?<label>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----`;
const lineBreaks = String.raw`(?:\s|\\[rn]){0,8}`;

const bodyChars = /[A-Za-z0-9+/]/g;

/** A real key body has far more base64 than a mention of the header in code or prose. */
function hasKeyBody(body: string): boolean {
  return (body.match(bodyChars)?.length ?? 0) >= 40;
}

export const privateKeyRules: readonly SecretRule[] = [
  secretRule({
    name: "private-key-block",
    kind: "private_key",
    // The body holds no quote and no "-----", so a header without its END line costs one short scan.
    pattern: new RegExp(String.raw`${begin}${lineBreaks}(?<s_1>(?:[^"-]|-(?!----)){1,30000}?)${lineBreaks}-----END \k<label>-----`, "gd"),
    accept: (candidate) => hasKeyBody(candidate.secret),
  }),
  secretRule({
    // A key cut short (`head -5 id_rsa`, a truncated tool result): redact the body that is there.
    name: "private-key-truncated",
    kind: "private_key",
    pattern: new RegExp(
      String.raw`${begin}${lineBreaks}(?<s_1>(?:[A-Za-z0-9+/=]|\r?\n|\\[rn]|[ \t]|[A-Za-z-]{1,40}: [^\r\n\\]{0,200}){1,30000})`,
      "gd",
    ),
    accept: (candidate) => hasKeyBody(candidate.secret),
  }),
];
