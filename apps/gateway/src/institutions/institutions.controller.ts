import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ChangeAgreementDto, CreateInstitutionDto, InstitutionAccountView, InstitutionSubjects, InstitutionView, LeadingGroupView } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';

/** Designated institutions and their service agreements; the leading groups of a region. */
@ApiTags('institutions')
@ApiBearerAuth()
@Controller()
export class InstitutionsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('institutions')
  list(@Req() req: FastifyRequest): Promise<InstitutionView[]> {
    return this.rpc.request(InstitutionSubjects.list, {}, contextOf(req));
  }

  @Get('institutions/:id')
  get(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<InstitutionView> {
    return this.rpc.request(InstitutionSubjects.get, { id }, contextOf(req));
  }

  @Post('institutions')
  create(@Body() dto: CreateInstitutionDto, @Req() req: FastifyRequest): Promise<InstitutionView> {
    return this.rpc.request(InstitutionSubjects.create, dto, contextOf(req));
  }

  /** Suspends, terminates or renews the service agreement (服务协议). */
  @Post('institutions/:id/agreement')
  changeAgreement(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ChangeAgreementDto, @Req() req: FastifyRequest): Promise<InstitutionView> {
    return this.rpc.request(InstitutionSubjects.changeAgreement, { ...dto, id }, contextOf(req));
  }

  /**
   * Opens the institution's self-inspection portal account, or gives it a new temporary password
   * (the bureau of its jurisdiction only); said once in the answer, changed at the first sign-in.
   */
  @Post('institutions/:id/account')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  issueAccount(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<InstitutionAccountView> {
    return this.rpc.request(InstitutionSubjects.issueAccount, { id }, contextOf(req));
  }

  @Get('leading-groups')
  leadingGroups(@Req() req: FastifyRequest): Promise<LeadingGroupView[]> {
    return this.rpc.request(InstitutionSubjects.listLeadingGroups, {}, contextOf(req));
  }
}
