import type { DescMessage, DescMethod, DescMethodUnary, DescService, FileRegistry } from "@bufbuild/protobuf";
import { getOption, hasOption } from "@bufbuild/protobuf";
import { http } from "@msp/proto/src/gen/es/google/api/annotations_pb";
import type { FileDownload } from "@msp/proto/src/gen/es/msp/http/v1/download_pb";
import { file_download } from "@msp/proto/src/gen/es/msp/http/v1/download_pb";

export type HttpVerb = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** One REST route, built from an RPC's google.api.http annotation. */
export interface RestRoute {
  verb: HttpVerb;
  template: string;
  pattern: RegExp;
  /** Request field paths bound to path segments, in order: ["client", "id"] for {client.id}. */
  variables: string[][];
  /** "*" (the whole request), a top-level request field name, or "" (no body). */
  body: string;
  method: DescMethodUnary;
  service: DescService;
  /** The file form of the answer (msp.http.v1.file_download), for a caller asking for its media type. */
  download?: FileDownload;
  /** The route is the file form's own (the template with the option's path_suffix): it always answers the file. */
  fileOnly?: boolean;
}

/** Only unary RPCs are served through the gateway: streaming ones have no REST or JSON form here. */
export function isUnary(method: DescMethod): method is DescMethod & DescMethodUnary {
  return method.methodKind === "unary";
}

/** Every REST route of every msp.* service in the registry. Only unary RPCs have REST routes. */
export function buildRestRoutes(registry: FileRegistry): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const type of registry) {
    if (type.kind !== "service" || !type.typeName.startsWith("msp.")) continue;
    for (const method of type.methods) {
      if (!isUnary(method)) continue;
      const rule = getOption(method, http);
      if (rule.pattern.case === undefined || rule.pattern.case === "custom") continue;
      const verb = rule.pattern.case.toUpperCase() as HttpVerb;
      const download = hasOption(method, file_download) ? getOption(method, file_download) : undefined;
      routes.push({
        verb,
        ...compileTemplate(rule.pattern.value),
        body: rule.body,
        method,
        service: type,
        ...(download ? { download } : {}),
      });
      if (download && download.pathSuffix !== "") {
        const template = `${rule.pattern.value}${download.pathSuffix}`;
        routes.push({ verb, ...compileTemplate(template), body: rule.body, method, service: type, download, fileOnly: true });
      }
    }
  }
  return routes;
}

/** `/api/v1/sessions/{session_id}:addTag` -> a regex capturing session_id, and the variable paths. */
export function compileTemplate(template: string): { template: string; pattern: RegExp; variables: string[][] } {
  const variables: string[][] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const variable = /^\{([^}=]+)(?:=[^}]*)?\}$/.exec(part);
      if (!variable) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      variables.push(variable[1]!.split("."));
      return "([^/:]+)";
    })
    .join("");
  return { template, pattern: new RegExp(`^${source}$`), variables };
}

/** What a request path resolved to: the route and its decoded path variables. */
export interface RouteMatch {
  route: RestRoute;
  values: string[];
}

/** Finds the route for a verb and path; `allowed` lists the verbs the path has when the verb has none. */
export function matchRoute(routes: readonly RestRoute[], verb: string, path: string): { match?: RouteMatch; allowed: HttpVerb[] } {
  const allowed: HttpVerb[] = [];
  for (const route of routes) {
    const found = route.pattern.exec(path);
    if (!found) continue;
    if (route.verb !== verb) {
      allowed.push(route.verb);
      continue;
    }
    return { match: { route, values: found.slice(1).map((v) => decodeURIComponent(v)) }, allowed };
  }
  return { allowed };
}

/** The message a request field path leads into, for turning path and query values into JSON. */
export function fieldAt(message: DescMessage, path: readonly string[]) {
  let current: DescMessage | undefined = message;
  let field;
  for (const name of path) {
    if (!current) return undefined;
    field = current.fields.find((f) => f.name === name || f.jsonName === name);
    if (!field) return undefined;
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  return field;
}
