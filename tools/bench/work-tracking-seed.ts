import { randomUUID } from "node:crypto";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";

/** What the work-tracking benchmark seeded: the ids it calls with, and how much is behind them. */
export interface WorkTrackingSeed {
  /** The client whose billing summary is measured. */
  clientId: string;
  /** Its billable time entries (all in 2026). */
  clientEntries: number;
  /** Entries of every client together. */
  totalEntries: number;
  /** The session whose timeline is measured: records with the text a technician's hooks write. */
  timelineSessionId: string;
  /** The same number of records with only their required fields, to show what the size costs. */
  leanSessionId: string;
  workItems: number;
  details: number;
}

export interface SeedOptions {
  clients: number;
  /** Entries of the measured client; each other client gets a tenth as many. */
  entries: number;
  workItems: number;
  details: number;
}

/** A small deterministic PRNG (mulberry32), so every run seeds the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const categories = ["consulting", "development", "support", "maintenance", "emergency", "project_work", "remote", "onsite"];
const entriesPerSession = 10;

/**
 * Fills a migrated database, with bulk INSERTs, for the work-tracking benchmark: clients with
 * projects, sessions and billable time (billed figures computed as the service would with the
 * default policy: up to 15 minutes, at least 15, per entry), and one session with many work items
 * and details for the timeline.
 */
export async function seedWorkTracking(db: Database, options: SeedOptions): Promise<WorkTrackingSeed> {
  const rnd = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const at = (date: Date) => {
    const text = date.toISOString().slice(0, 23).replace("T", " ");
    return db.dialect === "sqlite" ? `${text} +00:00` : text;
  };
  const now = at(new Date());
  const insert = async (table: string, rows: Record<string, unknown>[]) => {
    const columns = Object.keys(rows[0] ?? {});
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      await db.transaction((transaction) =>
        db.sequelize.query(
          `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${batch.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ")}`,
          { replacements: batch.flatMap((row) => columns.map((c) => row[c] ?? null)), transaction },
        ),
      );
    }
  };
  const entity = () => ({ id: uuidv7(), revision: 1, created_at: now, updated_at: now });

  const clients = Array.from({ length: options.clients }, (_, i) => ({
    ...entity(),
    name: `Bench client ${i} ${randomUUID().slice(0, 8)}`,
    client_type: "msp_client",
    default_hourly_rate: "120.00",
    is_active: 1,
  }));
  await insert("clients", clients);
  const clientId = clients[0]!.id;

  const projects: Record<string, unknown>[] = [];
  const projectsOf = new Map<string, { id: string; rateCents: number | null }[]>();
  for (const [index, client] of clients.entries()) {
    const own = Array.from({ length: index === 0 ? 20 : 2 }, (_, i) => ({
      ...entity(),
      client_id: client.id,
      name: `Project ${index}-${i}`,
      slug: `bench-${index}-${i}-${randomUUID().slice(0, 8)}`,
      hourly_rate: i % 2 === 0 ? "150.00" : null,
    }));
    projects.push(...own);
    projectsOf.set(
      client.id,
      own.map((p) => ({ id: p.id, rateCents: p.hourly_rate ? 15_000 : null })),
    );
  }
  await insert("projects", projects);

  // Billable time: ten entries per session; billed figures as the default policy has them.
  let totalEntries = 0;
  const yearStart = Date.UTC(2026, 0, 1);
  for (const [index, client] of clients.entries()) {
    const count = index === 0 ? options.entries : Math.floor(options.entries / 10);
    const sessionCount = Math.ceil(count / entriesPerSession);
    for (let s0 = 0; s0 < sessionCount; s0 += 1000) {
      const sessions: Record<string, unknown>[] = [];
      const entries: Record<string, unknown>[] = [];
      for (let s = s0; s < Math.min(sessionCount, s0 + 1000); s++) {
        const project = pick(projectsOf.get(client.id)!);
        const start = yearStart + Math.floor(rnd() * 360) * 86_400_000 + 8 * 3_600_000;
        const session = { ...entity(), client_id: client.id, project_id: project.id, title: `Session ${s}`, status: "completed" };
        let billedMinutes = 0;
        let billedCents = 0;
        let clock = start;
        for (let e = 0; e < entriesPerSession && s * entriesPerSession + e < count; e++) {
          const raw = 1 + Math.floor(rnd() * 120);
          const billable = rnd() < 0.9;
          const ownRate = rnd() < 0.1;
          const rateCents = ownRate ? 13_500 : (project.rateCents ?? 12_000);
          const rounded = billable ? Math.max(15, Math.ceil(raw / 15) * 15) : 0;
          // Rates of 120, 135 and 150 per hour are whole cents per minute: exact integer arithmetic.
          const cents = (rounded * rateCents) / 60;
          const invoiced = clock < yearStart + 180 * 86_400_000 && rnd() < 0.6;
          entries.push({
            ...entity(),
            session_id: session.id,
            client_id: client.id,
            project_id: project.id,
            started_at: at(new Date(clock)),
            ended_at: at(new Date(clock + raw * 60_000)),
            duration_minutes: raw,
            rounded_minutes: rounded,
            hourly_rate: ownRate ? "135.00" : null,
            effective_hourly_rate: (rateCents / 100).toFixed(2),
            rate_source: ownRate ? "entry" : project.rateCents ? "project" : "client",
            amount: (cents / 100).toFixed(2),
            rounding_scope: "per_entry",
            is_billable: billable ? 1 : 0,
            category: pick(categories),
            description: `Bench work ${s}.${e}: checked the backups and patched the file server`,
            is_invoiced: invoiced ? 1 : 0,
            invoiced_at: invoiced ? at(new Date(yearStart + 190 * 86_400_000)) : null,
            invoice_reference: invoiced ? `INV-${s}` : null,
          });
          billedMinutes += rounded;
          billedCents += cents;
          clock += (raw + 5) * 60_000;
        }
        sessions.push({
          ...session,
          started_at: at(new Date(start)),
          ended_at: at(new Date(clock)),
          duration_minutes: Math.round((clock - start) / 60_000),
          is_billable: 1,
          billable_minutes: billedMinutes,
          billable_hours: (billedMinutes / 60).toFixed(2),
          billable_amount: (billedCents / 100).toFixed(2),
        });
      }
      await insert("sessions", sessions);
      await insert("billable_time", entries);
      totalEntries += entries.length;
    }
  }

  const sessionId = await seedTimeline(clientId, options, pick, now, insert, entity, false);
  const leanSessionId = await seedTimeline(clientId, options, pick, now, insert, entity, true);
  return {
    clientId,
    clientEntries: options.entries,
    totalEntries,
    timelineSessionId: sessionId,
    leanSessionId,
    workItems: options.workItems,
    details: options.details,
  };
}

/**
 * A session for the timeline: work items in order, each with the same number of details of every
 * kind; `lean` keeps every record to its required fields.
 */
async function seedTimeline(
  clientId: string,
  options: SeedOptions,
  pick: <T>(list: readonly T[]) => T,
  now: string,
  insert: (table: string, rows: Record<string, unknown>[]) => Promise<void>,
  entity: () => { id: string; revision: number; created_at: string; updated_at: string },
  lean: boolean,
): Promise<string> {
  const rich = (fields: Record<string, unknown>) => (lean ? {} : fields);
  const timelineSession = {
    ...entity(),
    client_id: clientId,
    title: lean ? "Lean timeline bench session" : "Timeline bench session",
    status: "completed",
    started_at: now,
    is_billable: 1,
  };
  await insert("sessions", [timelineSession]);
  const sessionId = timelineSession.id;
  const items = Array.from({ length: options.workItems }, (_, i) => ({
    ...entity(),
    session_id: sessionId,
    category: pick(["infrastructure", "troubleshooting", "configuration", "maintenance"]),
    category_source: "guessed",
    title: lean ? `Step ${i + 1}` : `Step ${i + 1}: restart the print spooler on FS01 and check the queue`,
    status: "completed",
    is_billable: 1,
    position: i + 1,
    completed_at: now,
    ...rich({
      description:
        "Problem: jobs stuck in the queue\nCause: spooler hung after the update\nFix: restarted the service\nVerify: test page printed",
      problem: "jobs stuck in the queue",
      cause: "spooler hung after the update",
      fix: "restarted the service",
      verify: "test page printed",
      actual_minutes: 5,
      affected_systems: JSON.stringify(["FS01"]),
      technologies_used: JSON.stringify(["windows", "powershell"]),
      tags: JSON.stringify([]),
    }),
  }));
  await insert("work_items", items);
  const perKind = Math.floor(options.details / 5);
  const owner = (i: number) => ({ ...entity(), session_id: sessionId, work_item_id: items[i % items.length]!.id });
  await insert(
    "file_changes",
    Array.from({ length: perKind }, (_, i) => ({
      ...owner(i),
      file_path: `C:\\ProgramData\\Bench\\config-${i}.xml`,
      change_type: "modified",
      ...rich({ size_bytes: 4096 + i, description: "Raised the spooler timeout" }),
    })),
  );
  await insert(
    "commands_run",
    Array.from({ length: perKind }, (_, i) => ({
      ...owner(i),
      command_text: lean ? "Restart-Service Spooler" : "Get-Service -Name Spooler | Restart-Service -Force -PassThru",
      success: 1,
      resolved: 0,
      position: i + 1,
      ...rich({
        host: "FS01",
        shell_type: "powershell",
        exit_code: 0,
        output_summary: "Status Running, StartType Automatic; 3 jobs resumed",
      }),
    })),
  );
  await insert(
    "problem_solutions",
    Array.from({ length: perKind }, (_, i) => ({
      ...owner(i),
      solution: "Restarted the spooler and removed the stuck jobs",
      recurrence_count: 0,
      ...rich({
        problem: "Print jobs stuck",
        symptom: "Queue shows jobs in error",
        root_cause: "Spooler hung after a driver update",
        verification: "Test page printed",
        investigation_steps: JSON.stringify(["checked the queue", "read the event log"]),
      }),
    })),
  );
  await insert(
    "deployments",
    Array.from({ length: perKind }, (_, i) => ({
      ...owner(i),
      deployment_type: "config",
      rollback_available: 1,
      ...rich({
        version: `1.0.${i}`,
        description: "Pushed the print server configuration",
        deployed_from: "git@example.com:msp/config.git",
        deployed_to: "FS01",
      }),
    })),
  );
  await insert(
    "database_changes",
    Array.from({ length: options.details - 4 * perKind }, (_, i) => ({
      ...owner(i),
      database_name: "printlog",
      change_type: "cleanup",
      backup_taken: 1,
      ...rich({ sql_executed: "DELETE FROM jobs WHERE finished_at < NOW() - INTERVAL 90 DAY", rows_affected: 1000 + i }),
    })),
  );
  return sessionId;
}
