import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { AppError } from "@logis/domain";
import type { Request, Response } from "express";

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} Mo`;

const uploadTooLarge = (max: number) =>
  new AppError("VALIDATION", `Fichier trop volumineux : au plus ${megabytes(max)} (${max} octets) par import`, {
    reason: "PAYLOAD_TOO_LARGE",
    context: { maxBytes: max },
  });

/**
 * Stores an upload in `file`, counting bytes as they arrive: beyond `max` the upload stops (413,
 * the connection is closed rather than read to its end) and nothing is kept. The body is the file
 * as it is: a Content-Encoding would be stored undecoded, so any is refused (415). Every service's
 * imports (demands, RPLS stock) receive their files this way.
 */
export async function receiveUpload(req: Request, res: Response, file: string, max: number) {
  const encoding = req.header("content-encoding");
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity")
    throw new AppError("VALIDATION", "Envoyez le fichier sans Content-Encoding (ni gzip ni autre)", {
      reason: "UNSUPPORTED_MEDIA_TYPE",
    });
  const declared = Number(req.header("content-length"));
  if (declared > max) {
    res.setHeader("connection", "close");
    throw uploadTooLarge(max);
  }
  let received = 0;
  try {
    await pipeline(async function* () {
      for await (const chunk of req.iterator({ destroyOnReturn: false })) {
        received += (chunk as Buffer).length;
        if (received > max) {
          res.setHeader("connection", "close");
          throw uploadTooLarge(max);
        }
        yield chunk as Buffer;
      }
    }, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError("VALIDATION", "Envoi du fichier interrompu", { reason: "UPLOAD_ABORTED", cause: error });
  }
}
