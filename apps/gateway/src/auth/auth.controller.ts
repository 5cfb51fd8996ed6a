import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Actor, AgenciesSubjects, LoginDto, RefreshDto, SessionTokens } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';
import { Public } from './auth.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly rpc: RpcClient) {}

  /** Signs in an officer or an institution account. */
  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<SessionTokens> {
    return this.rpc.request(AgenciesSubjects.login, { ...dto, clientIp: req.ip }, contextOf(req));
  }

  /** Exchanges a refresh token for new tokens; the old refresh token stops working. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() dto: RefreshDto, @Req() req: FastifyRequest): Promise<SessionTokens> {
    return this.rpc.request(AgenciesSubjects.refresh, dto, contextOf(req));
  }

  /** Ends the session: its access and refresh tokens stop working at once. */
  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(200)
  logout(@Req() req: FastifyRequest): Promise<{ revoked: boolean }> {
    return this.rpc.request(AgenciesSubjects.logout, {}, contextOf(req));
  }

  @ApiBearerAuth()
  @Get('me')
  me(@Req() req: FastifyRequest): Actor {
    return contextOf(req).actor;
  }
}
