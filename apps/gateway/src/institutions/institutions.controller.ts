import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ChangeAgreementDto, CreateInstitutionDto, InstitutionSubjects, InstitutionView, LeadingGroupView } from '@lianban/contracts';
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

  @Get('leading-groups')
  leadingGroups(@Req() req: FastifyRequest): Promise<LeadingGroupView[]> {
    return this.rpc.request(InstitutionSubjects.listLeadingGroups, {}, contextOf(req));
  }
}
