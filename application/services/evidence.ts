import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../../domain/actors';
import type { CampaignRepository } from '../../db/repositories/campaigns';
import type { EvidenceRepository, EvidenceRow } from '../../db/repositories/evidence';
import { assertCanRead, assertOwnUnit, authorize } from '../auth/authorize';
import { ConflictError, NotFoundError, PayloadTooLargeError, unitNotFound, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { stripTextFaults } from '../../domain/text-rules';

/**
 * Evidence files. An upload streams to a temporary file in the
 * evidence directory while its sha256 is computed and its first bytes are
 * checked against the declared type; it is then renamed to `<sha256>`, so the
 * same bytes uploaded twice are stored once, and a row records the upload. The
 * bytes never sit whole in memory and never in a database row.
 */

/** The kinds accepted, by declared mimetype, with the magic bytes their content must start with. */
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4: zip, and the Office Open XML formats (docx, xlsx) inside it
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // Compound File: the legacy Office formats (doc, xls)

export const ACCEPTED_TYPES: Readonly<Record<string, readonly number[]>> = {
  'application/pdf': PDF,
  'image/png': PNG,
  'image/jpeg': JPEG,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ZIP,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ZIP,
  'application/msword': OLE,
  'application/vnd.ms-excel': OLE,
  'application/zip': ZIP,
  'application/x-zip-compressed': ZIP,
};

const MAGIC_BYTES = Math.max(...Object.values(ACCEPTED_TYPES).map((magic) => magic.length));

/** The file part of a multipart request, as the route hands it over (no Fastify types here). */
export interface IncomingFile {
  filename: string;
  mimetype: string;
  /** The bytes; `truncated` is set by the multipart parser when the part went over its size limit. */
  stream: Readable & { truncated?: boolean };
}

export interface EvidenceStorage {
  /** Where files are kept, named by sha256 (EVIDENCE_DIR). */
  dir: string;
  /** Larger files answer 413 (EVIDENCE_MAX_BYTES). */
  maxBytes: number;
}

export interface EvidenceServiceDeps {
  evidence: Pick<EvidenceRepository, 'insert' | 'find' | 'listForUnit'>;
  campaigns: Pick<CampaignRepository, 'findStage' | 'findUnit'>;
  storage: EvidenceStorage;
  now: () => number;
}

export interface EvidenceDownload {
  row: EvidenceRow;
  stream: Readable;
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  const mib = (maxBytes / (1024 * 1024)).toLocaleString('en', { maximumFractionDigits: 2 });
  return new PayloadTooLargeError(
    'file_too_large',
    `Tệp vượt quá dung lượng cho phép (${mib} MiB, ${maxBytes} byte)`,
    `The file is larger than the limit (${mib} MiB, ${maxBytes} bytes)`,
  );
}

function unsupported(reason: 'declared' | 'content', mimetype: string): UnsupportedMediaTypeError {
  const accepted = 'PDF, PNG, JPEG, Word (doc, docx), Excel (xls, xlsx), ZIP';
  return reason === 'declared'
    ? new UnsupportedMediaTypeError('unsupported_file_type', `Loại tệp ${mimetype} không được chấp nhận; chỉ nhận ${accepted}`, `File type ${mimetype} is not accepted; only ${accepted}`)
    : new UnsupportedMediaTypeError(
        'file_content_mismatch',
        `Nội dung tệp không đúng loại đã khai báo (${mimetype}); chỉ nhận ${accepted}`,
        `The file's content is not the declared type (${mimetype}); only ${accepted} are accepted`,
      );
}

function noFile(): ValidationError {
  return new ValidationError(
    [{ path: ['file'], code: 'required', message_vi: 'Cần gửi đúng một tệp (multipart/form-data)', message_en: 'Send exactly one file (multipart/form-data)' }],
    'Chưa có tệp tải lên',
    'No file uploaded',
  );
}

function startsWith(head: Buffer, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((byte, i) => head[i] === byte);
}

/**
 * The uploader's name without its path and without the characters no typed
 * text may hold (control, bidi, lone surrogates: domain/text-rules.ts), NFC,
 * at most 200 characters.
 */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = stripTextFaults(base.normalize('NFC')).trim().replace(/^\.+/, '');
  return [...clean].slice(0, 200).join('') || 'tai-lieu';
}

/**
 * Hashes, counts and checks the magic bytes of the stream as it passes, so the
 * type is refused after the first bytes and the size the moment it is exceeded.
 */
class Inspector extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  private head = Buffer.alloc(0);
  private checked = false;

  constructor(
    private readonly magic: readonly number[],
    private readonly mimetype: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return callback(tooLarge(this.maxBytes));
    if (!this.checked) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, MAGIC_BYTES)]).subarray(0, MAGIC_BYTES);
      if (this.head.length >= MAGIC_BYTES) {
        const problem = this.check();
        if (problem) return callback(problem);
      }
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.checked ? null : this.check());
  }

  private check(): UnsupportedMediaTypeError | null {
    this.checked = true;
    return startsWith(this.head, this.magic) ? null : unsupported('content', this.mimetype);
  }
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function createEvidenceService({ evidence, campaigns, storage, now }: EvidenceServiceDeps) {
  async function isPublished(campaignId: string): Promise<boolean> {
    const stage = await campaigns.findStage(campaignId);
    if (stage === null) throw new NotFoundError('campaign_not_found', `Không tìm thấy đợt đánh giá ${campaignId}`, `Campaign ${campaignId} not found`);
    return stage === 'published';
  }

  return {
    /**
     * Checks who may upload (the unit itself, or Sở Nội vụ) and that the unit is in the campaign
     * before `openFile` reads a byte of the body; then stores the file and records the upload.
     */
    async upload(actor: Actor, target: { campaignId: string; unitCode: string }, openFile: () => Promise<IncomingFile | undefined>): Promise<EvidenceRow> {
      authorize(actor, 'evidence.upload');
      assertOwnUnit(actor, target.unitCode);
      if (!(await campaigns.findUnit(target.campaignId, target.unitCode))) throw unitNotFound(target.campaignId, target.unitCode);
      // A published campaign's files are public, and nothing can cite a new one any more.
      if (await isPublished(target.campaignId)) {
        throw new ConflictError(
          'campaign_published',
          `Đợt đánh giá ${target.campaignId} đã công bố kết quả: không tải lên tài liệu kiểm chứng được nữa`,
          `Campaign ${target.campaignId} is published: evidence can no longer be uploaded`,
        );
      }

      const file = await openFile();
      if (!file) throw noFile();
      const mimetype = file.mimetype.toLowerCase();
      const magic = ACCEPTED_TYPES[mimetype];
      if (!magic) {
        file.stream.resume(); // drain the part so the request ends
        throw unsupported('declared', file.mimetype);
      }

      await mkdir(storage.dir, { recursive: true });
      // In the same directory as the final file, so the rename below is atomic and never crosses a device.
      const temporary = join(storage.dir, `.upload-${randomUUID()}`);
      const inspector = new Inspector(magic, mimetype, storage.maxBytes);
      try {
        await pipeline(file.stream, inspector, createWriteStream(temporary, { flags: 'wx' }));
        // The parser stops at its limit (set to maxBytes by the route) and marks the part truncated.
        if (file.stream.truncated) throw tooLarge(storage.maxBytes);
        if (inspector.size === 0) {
          throw new ValidationError([{ path: ['file'], code: 'empty', message_vi: 'Tệp rỗng', message_en: 'The file is empty' }], 'Tệp rỗng', 'The file is empty');
        }
      } catch (error) {
        await removeQuietly(temporary);
        throw error;
      }

      const sha256 = inspector.hash.digest('hex');
      const stored = join(storage.dir, sha256);
      // Content-addressed: identical bytes are already there, so the copy just written goes.
      if (await exists(stored)) await removeQuietly(temporary);
      else await rename(temporary, stored);

      return evidence.insert({
        id: randomUUID(),
        campaignId: target.campaignId,
        unitCode: target.unitCode,
        fileName: sanitizeFileName(file.filename),
        mimeType: mimetype,
        sizeBytes: inspector.size,
        sha256,
        uploadedBy: actor.id,
        uploadedAt: new Date(now()),
      });
    },

    /** A unit's evidence files, read like its other data (assertCanRead). */
    async list(actor: Actor, target: { campaignId: string; unitCode: string }): Promise<EvidenceRow[]> {
      const published = await isPublished(target.campaignId);
      assertCanRead(actor, { ...target, published });
      return evidence.listForUnit(target.campaignId, target.unitCode);
    },

    /** One file's row and bytes, for whoever may read the unit's data. */
    async download(actor: Actor, id: string): Promise<EvidenceDownload> {
      const row = await evidence.find(id);
      if (!row) throw new NotFoundError('evidence_not_found', `Không tìm thấy tài liệu kiểm chứng ${id}`, `Evidence ${id} not found`);
      const published = await isPublished(row.campaignId);
      assertCanRead(actor, { campaignId: row.campaignId, unitCode: row.unitCode, published });
      const path = join(storage.dir, row.sha256);
      // A row without its file is a storage fault: a 500 with the request id, details in the log.
      if (!(await exists(path))) throw new Error(`evidence ${id}: file ${path} is missing`);
      return { row, stream: createReadStream(path) };
    },
  };
}

export type EvidenceService = ReturnType<typeof createEvidenceService>;
