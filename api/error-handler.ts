import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, STATUS_BY_ERROR } from './errors';
import { toValidationIssue } from './validation-messages';

/**
 * The one place that turns errors into responses: typed errors by table, schema
 * validation as 400 with every field, and any other failure as a 500 that shows
 * only the request id (details go to the log).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const requestId = request.id;
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext ?? 'body';
      return reply.code(400).send({
        statusCode: 400,
        error: 'validation_failed',
        message_vi: 'Dữ liệu không hợp lệ',
        message_en: 'Invalid input',
        issues: error.validation.map((item) => toValidationIssue(item, part)),
        request_id: requestId,
      });
    }
    if (error instanceof AppError) {
      const status = STATUS_BY_ERROR.get(error.constructor as new () => AppError) ?? 500;
      return reply.code(status).send({
        statusCode: status,
        error: error.code,
        message_vi: error.messageVi,
        message_en: error.messageEn,
        ...(error.issues.length ? { issues: error.issues } : {}),
        request_id: requestId,
      });
    }
    // Fastify's own client errors (malformed JSON, body too large, bad content type).
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({
        statusCode: error.statusCode,
        error: error.code ?? 'bad_request',
        message_vi: 'Yêu cầu không hợp lệ',
        message_en: error.message,
        request_id: requestId,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({
      statusCode: 500,
      error: 'internal_error',
      message_vi: 'Lỗi hệ thống, vui lòng thử lại hoặc báo quản trị viên kèm mã yêu cầu',
      message_en: 'Internal error; retry or report the request id',
      request_id: requestId,
    });
  });
}
