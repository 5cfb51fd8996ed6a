import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { AccessClaims, Actor, AgenciesSubjects, DomainError, ErrorCode } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';

const PUBLIC = Symbol('public');
/** Marks a route that needs no sign-in (health, sign-in itself). */
export const Public = () => SetMetadata(PUBLIC, true);

const BEFORE_PASSWORD_CHANGE = Symbol('beforePasswordChange');
/**
 * Marks a route a session signed in with a temporary password may use before it has chosen its
 * own (choosing it, who am I, sign-out); every other route refuses it.
 */
export const BeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE, true);

const QUERY_TOKEN = Symbol('queryToken');
/** Lets a route take the access token as `?access_token=` (EventSource cannot send headers). */
export const QueryToken = () => SetMetadata(QUERY_TOKEN, true);

/**
 * Every route needs a valid access token whose session is still open: the signature and expiry
 * are checked here, and the agencies service confirms the session is neither revoked nor its
 * account disabled, so sign-out and disabling take effect at once. A session signed in with a
 * temporary password reaches only the routes marked BeforePasswordChange.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly rpc: RpcClient,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const header = request.headers.authorization ?? '';
    const fromQuery = this.reflector.get<boolean>(QUERY_TOKEN, context.getHandler()) ? (request.query as { access_token?: string }).access_token : undefined;
    const token = /^Bearer (\S+)$/.exec(header)?.[1] ?? fromQuery;
    if (!token) throw new DomainError(401, ErrorCode.UNAUTHENTICATED, 'Sign in first: send the access token as "Authorization: Bearer <token>".');
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims & object>(token, { algorithms: ['HS256'], issuer: 'lianban', audience: 'lianban-api' });
    } catch (e) {
      const expired = (e as Error).name === 'TokenExpiredError';
      throw new DomainError(401, expired ? 'TOKEN_EXPIRED' : ErrorCode.UNAUTHENTICATED, expired ? 'The access token has expired; refresh it.' : 'The access token is not valid.');
    }
    const actor: Actor = {
      kind: claims.kind,
      id: claims.sub,
      agencyId: claims.agencyId,
      agencyKind: claims.agencyKind,
      regionCode: claims.regionCode,
      roles: claims.roles,
      institutionId: claims.institutionId,
      sessionId: claims.sid,
    };
    await this.rpc.request(AgenciesSubjects.verifySession, { sessionId: claims.sid }, { actor, correlationId: String(request.id) });
    if (claims.pwc && !this.reflector.get<boolean>(BEFORE_PASSWORD_CHANGE, context.getHandler())) {
      throw new DomainError(403, 'PASSWORD_CHANGE_REQUIRED', 'You signed in with a temporary password: choose your own first (POST /api/v1/auth/password).');
    }
    request.actor = actor;
    return true;
  }
}
