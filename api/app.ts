import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerErrorHandler } from './error-handler';
import { campaignStepRoutes } from './routes/campaign-steps';
import { campaignRoutes } from './routes/campaigns';
import { surveyStepRoutes } from './routes/survey-steps';
import { unitStepRoutes } from './routes/unit-steps';
import type { CampaignService } from './services/campaigns';
import type { StepService } from './services/steps';

export interface AppDeps {
  logger: FastifyBaseLogger | false;
  services: { campaigns: CampaignService; steps: StepService };
}

/** Builds the HTTP app from its services; tests call it with their own and use app.inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: 5 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'par-index API',
        description: 'Chỉ số cải cách hành chính (PAR Index): đợt đánh giá, quy trình và kết quả',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  await app.register(campaignRoutes(deps.services.campaigns));
  await app.register(campaignStepRoutes(deps.services.steps.campaign));
  await app.register(unitStepRoutes(deps.services.steps.unit));
  await app.register(surveyStepRoutes(deps.services.steps.survey));
  return app;
}
