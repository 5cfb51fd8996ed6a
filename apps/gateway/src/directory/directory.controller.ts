import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AgenciesSubjects, AgencyContactsDto, AgencyView, CreateOfficerDto, NewOfficerCredentialsView, OfficerNameDto, OfficerNameView, OfficerRolesDto, OfficerView, RegionView, TemporaryPasswordView } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';

/** Regions, agencies and officers; what each caller sees is decided by the agencies service. */
@ApiTags('directory')
@ApiBearerAuth()
@Controller()
export class DirectoryController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('regions')
  regions(@Req() req: FastifyRequest): Promise<RegionView[]> {
    return this.rpc.request(AgenciesSubjects.listRegions, {}, contextOf(req));
  }

  @Get('agencies')
  agencies(@Req() req: FastifyRequest): Promise<AgencyView[]> {
    return this.rpc.request(AgenciesSubjects.listAgencies, {}, contextOf(req));
  }

  @Get('agencies/:id')
  agency(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<AgencyView> {
    return this.rpc.request(AgenciesSubjects.getAgency, { id }, contextOf(req));
  }

  /**
   * Changes how other agencies reach the caller's agency (its administrator only): telephone and
   * address. A field left out stays as it is; `null` removes it.
   */
  @Patch('agencies/:id')
  updateContacts(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: AgencyContactsDto, @Req() req: FastifyRequest): Promise<AgencyView> {
    return this.rpc.request(AgenciesSubjects.updateAgencyContacts, { ...dto, id }, contextOf(req));
  }

  @Get('officers')
  officers(@Req() req: FastifyRequest): Promise<OfficerView[]> {
    return this.rpc.request(AgenciesSubjects.listOfficers, {}, contextOf(req));
  }

  /** Names (and agencies) of the officers of the agencies the caller's directory shows: no contact data. */
  @Get('officers/names')
  officerNames(@Req() req: FastifyRequest): Promise<OfficerNameView[]> {
    return this.rpc.request(AgenciesSubjects.listOfficerNames, {}, contextOf(req));
  }

  /**
   * Opens an account for a new officer of the caller's agency (its administrator only), with a
   * temporary password said once in the answer; the officer chooses their own at the first sign-in.
   */
  @Post('officers')
  @Header('Cache-Control', 'no-store')
  create(@Body() dto: CreateOfficerDto, @Req() req: FastifyRequest): Promise<NewOfficerCredentialsView> {
    return this.rpc.request(AgenciesSubjects.createOfficer, dto, contextOf(req));
  }

  /** A new temporary password for an officer of the caller's agency (its administrator only); the officer's sessions end. */
  @Post('officers/:id/password-reset')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  resetPassword(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<TemporaryPasswordView> {
    return this.rpc.request(AgenciesSubjects.resetOfficerPassword, { id }, contextOf(req));
  }

  @Post('officers/:id/disable')
  disable(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<OfficerView> {
    return this.rpc.request(AgenciesSubjects.disableOfficer, { id }, contextOf(req));
  }

  /**
   * Lets a disabled officer of the caller's agency back in (its administrator only), with the
   * roles the account had and a temporary password said once in the answer.
   */
  @Post('officers/:id/enable')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  enable(@Param('id', new ParseUUIDPipe()) id: string, @Req() req: FastifyRequest): Promise<NewOfficerCredentialsView> {
    return this.rpc.request(AgenciesSubjects.enableOfficer, { id }, contextOf(req));
  }

  /**
   * Corrects how an officer of the caller's agency is named (its administrator only), active or
   * disabled; the steps the officer signed are shown under the new name.
   */
  @Patch('officers/:id')
  rename(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: OfficerNameDto, @Req() req: FastifyRequest): Promise<OfficerView> {
    return this.rpc.request(AgenciesSubjects.renameOfficer, { ...dto, id }, contextOf(req));
  }

  /**
   * Gives an officer of the caller's agency their roles, all of them (the agency's administrator
   * only). The officer's sessions end: the new roles count from the next sign-in.
   */
  @Put('officers/:id/roles')
  setRoles(@Param('id', new ParseUUIDPipe()) id: string, @Body() dto: OfficerRolesDto, @Req() req: FastifyRequest): Promise<OfficerView> {
    return this.rpc.request(AgenciesSubjects.setOfficerRoles, { ...dto, id }, contextOf(req));
  }
}
