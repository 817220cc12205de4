/**
 * Whether a request the fuzz marks valid passes its route's schemas (path,
 * query and JSON or CSV body), asked of the same routes built over services
 * that are never called (test/helpers/unreachable-app.ts): a 400 there is a
 * request the generator got wrong, which then goes out as hostile, never as
 * valid. Multipart bodies are the seed's files (valid-bodies.ts) and pass as
 * built.
 */
import type { FastifyInstance } from 'fastify';
import { bearerAs } from '../helpers/auth';
import { roleOf, UNIT_OF } from './demo';
import type { FuzzRequest } from './generate';

export class SchemaCheck {
  private readonly bearers = new Map<string, Promise<Record<string, string>>>();

  constructor(private readonly routes: FastifyInstance) {}

  async passes(request: FuzzRequest, account: string | null): Promise<boolean> {
    if (request.body !== undefined && typeof request.body !== 'string') return true;
    const role = account === null ? undefined : roleOf(account);
    let authorization: Promise<Record<string, string>> | undefined;
    if (account !== null && role !== undefined) {
      authorization = this.bearers.get(account) ?? bearerAs(role, UNIT_OF.get(account) ?? undefined, account);
      this.bearers.set(account, authorization);
    }
    const answer = await this.routes.inject({
      method: request.method as 'GET',
      url: request.url,
      headers: { ...request.headers, ...(authorization ? await authorization : {}) },
      ...(request.body === undefined ? {} : { payload: request.body }),
    });
    return answer.statusCode !== 400;
  }
}
