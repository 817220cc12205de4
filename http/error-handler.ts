import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isRetryableStoreFailure, loggableFailure } from '../application/failures';
import { AppError, STATUS_BY_ERROR, UnavailableError } from '../application/errors';
import { isTemporalUnavailable } from '../application/update-errors';
import { toValidationIssue } from '../domain/validation-messages';

/** Seconds a caller waits before retrying a request that met an outage: long enough for a restart to finish. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

/**
 * Outages of what the API stands on, recognised whatever the route: each
 * answers 503 with a Retry-After instead of a 500. A step that waited on its
 * workflow too long is mapped where it is sent (update-errors.ts), since only
 * there is its Idempotency-Key known.
 */
const OUTAGES: { matches: (error: unknown) => boolean; answer: () => UnavailableError }[] = [
  {
    // Connection refused or reset, a restart, too many clients; a serialization failure or deadlock of a read.
    matches: isRetryableStoreFailure,
    answer: () =>
      new UnavailableError(
        'database_unavailable',
        'Cơ sở dữ liệu tạm thời không phản hồi; vui lòng thử lại sau ít giây',
        'The database is temporarily unavailable; retry in a few seconds',
        OUTAGE_RETRY_AFTER_SECONDS,
      ),
  },
  {
    matches: isTemporalUnavailable,
    answer: () =>
      new UnavailableError(
        'workflow_service_unavailable',
        'Dịch vụ quy trình tạm thời không phản hồi; vui lòng thử lại sau ít giây',
        'The workflow service is temporarily unavailable; retry in a few seconds',
        OUTAGE_RETRY_AFTER_SECONDS,
      ),
  },
];

/** The 503 an outage answers with, or undefined for any other error (the dashboard renders the same answer as a page). */
export function outageOf(error: unknown): UnavailableError | undefined {
  if (error instanceof AppError) return undefined;
  return OUTAGES.find((entry) => entry.matches(error))?.answer();
}

/**
 * The one place that turns errors into responses: typed errors by table,
 * outages by table (503 with Retry-After), schema validation as 400 with every
 * field, and any other failure as a 500 that shows only the request id
 * (details go to the log).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  // An address no route serves: the same body as every other refusal, not Fastify's own spelling.
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      status_code: 404,
      error: 'route_not_found',
      message_vi: 'Không có địa chỉ này',
      message_en: 'No such address',
      request_id: request.id,
    }),
  );
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    const requestId = request.id;
    const outage = outageOf(raw);
    if (outage) request.log.warn({ err: loggableFailure(raw) }, 'dependency unavailable');
    const error = outage ?? raw;
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext ?? 'body';
      return reply.code(400).send({
        status_code: 400,
        error: 'validation_failed',
        message_vi: 'Dữ liệu không hợp lệ',
        message_en: 'Invalid input',
        issues: error.validation.map((item) => toValidationIssue(item, part)),
        request_id: requestId,
      });
    }
    if (error instanceof AppError) {
      const status = STATUS_BY_ERROR.get(error.constructor as new () => AppError) ?? 500;
      const retry = error instanceof UnavailableError ? error : undefined;
      if (retry) reply.header('retry-after', String(retry.retryAfterSeconds));
      if (retry?.idempotencyKey) reply.header('idempotency-key', retry.idempotencyKey);
      return reply.code(status).send({
        status_code: status,
        error: error.code,
        message_vi: error.messageVi,
        message_en: error.messageEn,
        ...(error.issues.length ? { issues: error.issues } : {}),
        ...(retry?.idempotencyKey ? { idempotency_key: retry.idempotencyKey } : {}),
        request_id: requestId,
      });
    }
    // Fastify's own client errors (malformed JSON, body too large, bad content type).
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({
        status_code: error.statusCode,
        error: error.code ?? 'bad_request',
        message_vi: 'Yêu cầu không hợp lệ',
        message_en: error.message,
        request_id: requestId,
      });
    }
    request.log.error({ err: loggableFailure(error) }, 'unhandled error');
    return reply.code(500).send({
      status_code: 500,
      error: 'internal_error',
      message_vi: 'Lỗi hệ thống, vui lòng thử lại hoặc báo quản trị viên kèm mã yêu cầu',
      message_en: 'Internal error; retry or report the request id',
      request_id: requestId,
    });
  });
}
