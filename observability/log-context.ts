import type { FastifyInstance } from 'fastify';
import { unitWorkflowId } from '../domain/units';

/**
 * Every log line of a request under /campaigns/:campaignId(/units/:unitCode)
 * carries the campaign, the unit and the Temporal workflow it addresses, so an
 * operator can go from a log line to the workflow in the Temporal UI. (The
 * worker's lines get workflowId from the SDK's own log attributes.)
 */
export function bindLogContext(app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => {
    const { campaignId, unitCode } = (request.params ?? {}) as { campaignId?: string; unitCode?: string };
    if (!campaignId) return;
    const workflowId = unitCode ? unitWorkflowId(campaignId, unitCode) : campaignId;
    // Fastify's own "request completed" line is written through reply.log.
    request.log = reply.log = request.log.child({ campaignId, ...(unitCode ? { unitCode } : {}), workflowId });
  });
}
