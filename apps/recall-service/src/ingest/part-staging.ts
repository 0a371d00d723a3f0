import { Op, QueryTypes, UniqueConstraintError } from "sequelize";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import { redact } from "@msp/redaction";
import { IngestPartModel } from "../models";
import type { IngestCommand } from "./ingest-request";
import { maxTranscriptChars } from "./ingest-request";
import { assembleParts, partRetentionMs } from "./part-assembly";

/** Where an upload stands after one of its parts arrived. */
export type StagedUpload = { complete: false; received: number } | { complete: true; transcript: string };

/**
 * Keeps one part of a multi-part upload until the others arrive (a part sent twice is kept
 * once), and hands back the whole transcript once every part is there. Parts older than 24
 * hours, from uploads that never finished, are purged on the way.
 */
export async function stagePart(db: Database, command: IngestCommand): Promise<StagedUpload> {
  const key = command.idempotencyKey;
  await db.transaction(async (transaction) => {
    await IngestPartModel.destroy({ where: { received_at: { [Op.lt]: new Date(Date.now() - partRetentionMs) } }, transaction });
    const other = await IngestPartModel.findOne({
      where: { idempotency_key: key, part_count: { [Op.ne]: command.partCount } },
      attributes: ["part_count"],
      raw: true,
      transaction,
    });
    if (other) throw invalidArgument("part_count", `must be the same in every part of an upload (earlier parts said ${other.part_count})`);
    const length = db.dialect === "mariadb" ? "CHAR_LENGTH" : "LENGTH";
    const [staged] = await db.sequelize.query<{ chars: unknown }>(
      `SELECT COALESCE(SUM(${length}(content)), 0) AS chars FROM ingest_parts WHERE idempotency_key = ? AND part_index <> ?`,
      { replacements: [key, command.partIndex], type: QueryTypes.SELECT, transaction },
    );
    if (Number(staged?.chars ?? 0) + command.transcript.length > maxTranscriptChars) {
      throw invalidArgument("transcript", `the parts of an upload must add up to at most ${maxTranscriptChars} characters`);
    }
    try {
      await IngestPartModel.create(
        {
          id: uuidv7(),
          idempotency_key: key,
          part_index: command.partIndex,
          part_count: command.partCount,
          // Kept for up to a day if the upload never finishes, so redacted like all stored text
          // (parts end at line ends; the whole transcript is redacted again once assembled).
          content: redact(command.transcript),
          received_at: new Date(),
        },
        { transaction },
      );
    } catch (error) {
      // The same part again (a retry): the first copy stands.
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
  });
  const received = await IngestPartModel.count({ where: { idempotency_key: key } });
  if (received < command.partCount) return { complete: false, received };
  const parts = await IngestPartModel.findAll({
    where: { idempotency_key: key },
    attributes: ["part_index", "content"],
    order: [["part_index", "ASC"]],
    raw: true,
  });
  const transcript = assembleParts(
    parts.map((p) => ({ index: Number(p.part_index), content: String(p.content) })),
    command.partCount,
  );
  return transcript === undefined ? { complete: false, received } : { complete: true, transcript };
}
