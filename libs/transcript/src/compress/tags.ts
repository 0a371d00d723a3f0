// Tags (technologies, hosts, the project), hosts and services, found in what the session did and
// said: commands, file paths, prompts and assistant prose. Tool output is not searched: logs
// name too many things the session never worked on.
import type { CompressContext } from "./compress-context";
import { simpleCommands } from "./shell-command";
import { bashCommand, filePathOf } from "./timeline";

/** Technology names worth a tag; the key is the tag, the pattern what to look for. */
const TECHNOLOGIES: Record<string, RegExp> = {
  docker: /\bdocker\b(?!-compose)/i,
  "docker-compose": /\bdocker[- ]compose\b/i,
  kubernetes: /\b(kubernetes|kubectl|k8s)\b/i,
  helm: /\bhelm\b/i,
  terraform: /\bterraform\b/i,
  ansible: /\bansible\b/i,
  nginx: /\bnginx\b/i,
  apache: /\b(apache2?|httpd)\b/i,
  caddy: /\bcaddy\b/i,
  traefik: /\btraefik\b/i,
  ttyd: /\bttyd\b/i,
  ssh: /\bssh\b/i,
  ssl: /\b(ssl|tls|certbot|letsencrypt)\b/i,
  systemd: /\b(systemd|systemctl|journalctl)\b/i,
  "systemd-nspawn": /\bsystemd-nspawn\b/i,
  git: /\bgit\b/i,
  github: /\bgithub\b/i,
  gitlab: /\bgitlab\b/i,
  python: /\b(python3?|pip3?|\.py\b)/i,
  node: /\b(node\.?js|npm|npx|\.ts\b|\.js\b)/i,
  typescript: /\b(typescript|tsc|\.ts\b)/i,
  rust: /\b(rust|cargo|\.rs\b)/i,
  go: /\b(golang|go (build|run|test|mod))\b/i,
  java: /\b(java|gradle|maven|jvm)\b/i,
  kotlin: /\bkotlin\b/i,
  bash: /\b(bash|\.sh\b)/i,
  powershell: /\b(powershell|pwsh)\b/i,
  postgres: /\b(postgres(ql)?|psql)\b/i,
  mysql: /\bmysql\b/i,
  mariadb: /\bmariadb\b/i,
  sqlite: /\bsqlite3?\b/i,
  redis: /\bredis\b/i,
  mongodb: /\bmongo(db)?\b/i,
  flask: /\bflask\b/i,
  django: /\bdjango\b/i,
  fastapi: /\bfastapi\b/i,
  react: /\breact\b/i,
  aws: /\b(aws|ec2|s3)\b/i,
  azure: /\bazure\b/i,
  gcp: /\b(gcp|gcloud)\b/i,
  digitalocean: /\b(digital ?ocean|droplet)\b/i,
  cloudflare: /\bcloudflare\b/i,
  linux: /\blinux\b/i,
  ubuntu: /\bubuntu\b/i,
  debian: /\bdebian\b/i,
  windows: /\bwindows\b/i,
  macos: /\b(macos|osx)\b/i,
  zfs: /\b(zfs|zpool)\b/i,
  proxmox: /\bproxmox\b/i,
  kernel: /\bkernel\b/i,
  dns: /\b(dns|resolv\.conf|systemd-resolved)\b/i,
  firewall: /\b(ufw|iptables|nftables|firewalld)\b/i,
  vpn: /\b(wireguard|openvpn|vpn)\b/i,
  android: /\bandroid\b/i,
  adb: /\badb\b/i,
  avd: /\bavd\b/i,
  emulator: /\bemulator\b/i,
  magisk: /\bmagisk\b/i,
  aosp: /\baosp\b/i,
  polkadot: /\bpolkadot\b/i,
  substrate: /\bsubstrate\b/i,
  blockchain: /\bblockchain\b/i,
  websocket: /\bwebsockets?\b/i,
  grpc: /\bgrpc\b/i,
  graphql: /\bgraphql\b/i,
  jwt: /\bjwt\b/i,
  oauth: /\boauth2?\b/i,
  tpm: /\btpm\b/i,
  selinux: /\bselinux\b/i,
  vmware: /\bvmware\b/i,
  hyperv: /\bhyper-?v\b/i,
  "active-directory": /\b(active directory|ldap)\b/i,
  office365: /\b(office ?365|microsoft 365|exchange online|m365)\b/i,
};

const KNOWN_DAEMONS =
  /\b(nginx|apache2|httpd|mysqld?|mariadb|postgresql|redis(-server)?|sshd|docker|containerd|kubelet|ttyd|systemd-resolved|NetworkManager|cron|fail2ban|ufw|php-fpm|haproxy|postfix|dovecot|bind9|named|smbd|openvpn|wg-quick@\w+)\b/;
const PUBLIC_SITES =
  /(^|\.)(github\.com|githubusercontent\.com|gitlab\.com|google\.com|googleapis\.com|googlesource\.com|pypi\.org|npmjs\.(com|org)|docker\.(io|com)|ubuntu\.com|debian\.org|archlinux\.org|cloudflare\.com|example\.(com|org|net)|anthropic\.com|microsoft\.com|apple\.com|gitee\.com|android\.com|localhost)$/i;
const SKIPPED_IPS = /^(127\.|0\.|255\.|169\.254\.|224\.)|^(8\.8\.8\.8|8\.8\.4\.4|1\.1\.1\.1|1\.0\.0\.1|9\.9\.9\.9)$/;
/** Host names the user wrote: two dots or more, or one dot and a common top-level domain. */
const HOSTNAME =
  /(?<![\w./@-])([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:[a-z0-9-]+\.[a-z]{2,}|com|net|org|io|dev|local|lan|internal|example|cloud|app|co|de|uk|fr|nl|ch|at|eu|corp|home))(?![\w.-]*\/?\w)/gi;
const FILE_LIKE =
  /\.(md|txt|py|sh|js|ts|json|ya?ml|conf|cfg|ini|log|html|css|rs|go|java|c|h|cpp|toml|lock|xml|csv|pdf|png|jpg|zip|tar|gz|deb|rpm|iso|img|ko|so|o)$|^\d+(\.\d+)+$/i;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g;

/** Technology tags named in a text, in order of first mention. */
export function techTermsIn(text: string): string[] {
  return Object.entries(TECHNOLOGIES)
    .map(([tag, pattern]) => ({ tag, at: text.search(pattern) }))
    .filter(({ at }) => at !== -1)
    .sort((a, b) => a.at - b.at)
    .map(({ tag }) => tag);
}

/** What the session did and said, as separate texts (commands, paths, prompts, prose). */
function corpus(context: CompressContext): { commands: string[]; paths: string[]; prose: string[] } {
  const commands: string[] = [];
  const paths: string[] = [];
  const prose: string[] = [];
  for (const step of context.timeline.steps) {
    if (step.kind === "action") {
      const command = bashCommand(step.action);
      if (command !== undefined) commands.push(command);
      const path = filePathOf(step.action);
      if (path) paths.push(path);
    } else if (step.kind === "prompt" || step.kind === "say" || step.kind === "compact_summary" || step.kind === "recap") {
      prose.push(step.text.length > 20_000 ? step.text.slice(0, 20_000) : step.text);
    }
  }
  return { commands, paths, prose };
}

function isPrivateOrPublicHostIp(ip: string): boolean {
  return !SKIPPED_IPS.test(ip);
}

export function collectHosts(context: CompressContext): string[] {
  const { commands, prose } = corpus(context);
  const prompts = context.timeline.steps.flatMap((step) => (step.kind === "prompt" ? [step.text.slice(0, 5_000)] : []));
  const hosts = new Map<string, number>();
  const add = (host: string, weight: number) => hosts.set(host, (hosts.get(host) ?? 0) + weight);
  for (const command of commands) {
    for (const ip of command.match(IPV4) ?? []) if (isPrivateOrPublicHostIp(ip)) add(ip, 2);
    for (const part of simpleCommands(command)) {
      const remote = /^(?:ssh|scp|rsync|sftp|mosh)\b.*?(?:\s|^)(?:[\w.-]+@)?([a-z0-9][\w-]*(?:\.[\w-]+)+)(?::\S*)?(?:\s|$)/i.exec(part);
      const host = remote?.[1];
      if (host && !PUBLIC_SITES.test(host) && !/\.(pem|key|pub|sh|txt|conf|json|ya?ml)$/i.test(host) && !/^\d+(\.\d+)*$/.test(host))
        add(host.toLowerCase(), 2);
    }
  }
  for (const prompt of prompts) {
    for (const ip of prompt.match(IPV4) ?? []) if (isPrivateOrPublicHostIp(ip)) add(ip, 2);
    for (const match of prompt.matchAll(HOSTNAME)) {
      const name = match[1]?.toLowerCase();
      if (name && !PUBLIC_SITES.test(name) && !FILE_LIKE.test(name)) add(name, 2);
    }
  }
  for (const text of prose) {
    for (const match of text.matchAll(
      /(?:@|https?:\/\/|\bserver_name\s+|\b(?:server|host|droplet|vps|ip)(?: address)?:?\s+)((?:\d{1,3}\.){3}\d{1,3})\b/gi,
    )) {
      const ip = match[1];
      if (ip && isPrivateOrPublicHostIp(ip)) add(ip, 1);
    }
  }
  return [...hosts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([host]) => context.redact(host))
    .slice(0, 12);
}

export function collectServices(context: CompressContext): string[] {
  const services = new Map<string, number>();
  const add = (name: string) => {
    const clean = name.replace(/\.service$/, "").replace(/^['"]|['"]$/g, "");
    if (clean && /^[\w@.-]+$/.test(clean) && clean.length <= 60) services.set(clean, (services.get(clean) ?? 0) + 1);
  };
  for (const command of corpus(context).commands) {
    for (const part of simpleCommands(command)) {
      const words = part.split(/\s+/);
      const program = (words[0] ?? "").replace(/^.*\//, "");
      const args = words.slice(1).filter((word) => !word.startsWith("-"));
      if (program === "systemctl" && /^(start|stop|restart|reload|enable|disable|status|is-active)$/.test(args[0] ?? ""))
        args.slice(1).forEach(add);
      else if (program === "service" && args[0]) add(args[0]);
      else if (program === "docker-compose" || (program === "docker" && args[0] === "compose")) {
        const rest = program === "docker" ? args.slice(1) : args;
        const verbAt = rest.findIndex((word) => /^(up|restart|stop|start|rm|logs|build|exec|pull|create)$/.test(word));
        if (verbAt !== -1) rest.slice(verbAt + 1, verbAt + (rest[verbAt] === "exec" ? 2 : 6)).forEach(add);
      } else if (program === "docker") {
        const name = /--name[= ](\S+)/.exec(part)?.[1];
        if (name) add(name);
        if (/^(start|stop|restart|rm|logs|exec)$/.test(args[0] ?? "") && args[1]) add(args[1]);
      }
      const daemon = KNOWN_DAEMONS.exec(part);
      if (daemon?.[1] && program !== "apt" && program !== "apt-get") add(daemon[1].toLowerCase());
    }
  }
  return [...services.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => context.redact(name))
    .slice(0, 15);
}

export function collectTags(context: CompressContext, hosts: readonly string[]): string[] {
  const { commands, paths, prose } = corpus(context);
  const counts = new Map<string, number>();
  const count = (text: string, weight: number) => {
    for (const tag of techTermsIn(text)) counts.set(tag, (counts.get(tag) ?? 0) + weight);
  };
  commands.forEach((command) => count(command, 1));
  paths.forEach((path) => count(path, 1));
  prose.forEach((text) => count(text, 1));
  const tags = [...counts.entries()]
    .filter(([, weight]) => weight >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([tag]) => tag)
    .slice(0, 20);
  const project = context.cwd?.split("/").filter(Boolean).pop();
  const extra = [project, ...hosts].filter((tag): tag is string => !!tag).map((tag) => tag.toLowerCase());
  return [...new Set([...extra.slice(0, 1), ...tags, ...extra.slice(1)].map((tag) => context.redact(tag)))];
}
