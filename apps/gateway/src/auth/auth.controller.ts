import { Body, Controller, Get, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Actor, AgenciesSubjects, ChangePasswordDto, LoginDto, RefreshDto, SessionTokens } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';
import { BeforePasswordChange, Public } from './auth.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly rpc: RpcClient) {}

  /** Signs in an officer or an institution account. */
  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<SessionTokens> {
    return this.rpc.request(AgenciesSubjects.login, { ...dto, clientIp: req.ip }, contextOf(req));
  }

  /** Exchanges a refresh token for new tokens; the old refresh token stops working. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  refresh(@Body() dto: RefreshDto, @Req() req: FastifyRequest): Promise<SessionTokens> {
    return this.rpc.request(AgenciesSubjects.refresh, dto, contextOf(req));
  }

  /** Ends the session: its access and refresh tokens stop working at once. */
  @ApiBearerAuth()
  @BeforePasswordChange()
  @Post('logout')
  @HttpCode(200)
  logout(@Req() req: FastifyRequest): Promise<{ revoked: boolean }> {
    return this.rpc.request(AgenciesSubjects.logout, {}, contextOf(req));
  }

  /**
   * Chooses a new password, giving the current one: required before anything else after signing
   * in with a temporary password. The account's other sessions end; this one goes on with the
   * new tokens in the answer.
   */
  @ApiBearerAuth()
  @BeforePasswordChange()
  @Post('password')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  changePassword(@Body() dto: ChangePasswordDto, @Req() req: FastifyRequest): Promise<SessionTokens> {
    return this.rpc.request(AgenciesSubjects.changePassword, { ...dto, clientIp: req.ip }, contextOf(req));
  }

  @ApiBearerAuth()
  @BeforePasswordChange()
  @Get('me')
  me(@Req() req: FastifyRequest): Actor {
    return contextOf(req).actor;
  }
}
