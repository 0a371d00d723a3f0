import { randomUUID } from "node:crypto";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";

/** Fills a migrated database with clients and sessions for the benchmark; returns their ids. */
export async function seedSessions(
  db: Database,
  sessions: number,
  clients: number,
): Promise<{ sessionIds: string[]; clientIds: string[] }> {
  const now = new Date().toISOString().slice(0, 23).replace("T", " ");
  const clientIds = Array.from({ length: clients }, () => uuidv7());
  await db.transaction(async (transaction) => {
    for (let i = 0; i < clientIds.length; i += 500) {
      const batch = clientIds.slice(i, i + 500);
      await db.sequelize.query(
        `INSERT INTO clients (id, revision, created_at, updated_at, name, client_type, is_active) VALUES ${batch.map(() => "(?, 1, ?, ?, ?, 'msp_client', 1)").join(", ")}`,
        { replacements: batch.flatMap((id, j) => [id, now, now, `Bench client ${i + j} ${randomUUID().slice(0, 8)}`]), transaction },
      );
    }
  });
  const sessionIds: string[] = [];
  const batchSize = 500;
  for (let i = 0; i < sessions; i += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, sessions - i) }, (_, j) => ({
      id: uuidv7(),
      clientId: clientIds[(i + j) % clients]!,
    }));
    await db.transaction((transaction) =>
      db.sequelize.query(
        `INSERT INTO sessions (id, revision, created_at, updated_at, client_id, title, status, started_at, ended_at, duration_minutes, is_billable, billable_hours) VALUES ${rows
          .map(() => "(?, 1, ?, ?, ?, ?, 'completed', ?, ?, 60, 1, 0)")
          .join(", ")}`,
        { replacements: rows.flatMap((r, j) => [r.id, now, now, r.clientId, `Session ${i + j}`, now, now]), transaction },
      ),
    );
    sessionIds.push(...rows.map((r) => r.id));
  }
  return { sessionIds, clientIds };
}
