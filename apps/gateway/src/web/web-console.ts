import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:web` puts the console (apps/web/dist), unless WEB_CONSOLE_DIR says otherwise. */
export function webConsoleDir(): string {
  return process.env.WEB_CONSOLE_DIR ?? path.resolve(__dirname, '../../../web/dist');
}

/**
 * Serves the built web console at `/`: its hashed assets with a long cache, and index.html (never
 * cached) for every other path outside /api, so the console's own routes survive a reload. Paths
 * under /api keep their problem-details 404. Without a built console, `/` leads to the API docs.
 */
export async function serveWebConsole(fastify: FastifyInstance, dir = webConsoleDir()): Promise<boolean> {
  if (!existsSync(path.join(dir, 'index.html'))) {
    fastify.get('/', (_request, reply) => reply.redirect('/api/docs'));
    return false;
  }
  await fastify.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    // One route per file found at start: the console is built before the gateway starts.
    wildcard: false,
    index: false,
    setHeaders: (res, file) => {
      const hashed = file.includes(`${path.sep}assets${path.sep}`);
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url === '/api' || request.url.startsWith('/api/')) return reply.callNotFound();
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };
  fastify.get('/', page);
  fastify.get('/*', page);
  return true;
}
