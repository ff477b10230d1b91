import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_UPLOAD_BYTES } from '@wharf/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule, type AppOverrides } from './app.module.js';
import type { Config } from './config.js';
import { sendProblem, toProblem } from './core/problem.filter.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Builds the API application (not listening): main.ts listens, tests drive it in-process or on a port. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // a caller's own request id is kept when it looks like one, so logs correlate across services
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        // a brought host's one-time install token travels in its URL (/api/v1/install/<token>): never logged
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: req.url.replace(/\/install\/[^/?#]+/, '/install/[redacted]'),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
    routerOptions: { ignoreTrailingSlash: true },
    // the router's own errors (over-long or badly encoded URLs) never reach Nest's filters: answer them alike
    frameworkErrors: (err: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, request, toProblem(err, request.log)),
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, overrides), adapter, {
    logger: config.LOG_LEVEL === 'silent' ? false : ['error', 'warn'],
    bufferLogs: false,
    // Fastify's own JSON parser only: any other content type is refused with 415
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  // JSON bodies keep their bytes too: a webhook's signature covers exactly what was sent
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    (request as FastifyRequest & { rawBody?: Buffer }).rawBody = body as Buffer;
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });
  // source archives uploaded by `wharf deploy` (read by the upload route only; any other route refuses a body)
  fastify.addContentTypeParser('application/gzip', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  await app.register(fastifyCookie);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  app.enableShutdownHooks();
  return app;
}
