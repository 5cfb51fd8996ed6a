import { Injectable } from '@nestjs/common';
import { AgenciesSubjects, ChangeAgreementRequestDto, ChangePasswordRequestDto, CreateInstitutionDto, CreateOfficerDto, FindAgencyDto, FindDesignatedInstitutionsDto, FindOfficersDto, IdDto, InstitutionSubjects, LoginRequestDto, MessageContext, RefreshDto, RenameOfficerDto, SetOfficerRolesDto, UpdateAgencyContactsDto, VerifySessionDto } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { AuthService } from '../auth/auth.service';
import { InstitutionsService } from '../institutions/institutions.service';
import { DirectoryService } from './directory.service';

/** The NATS face of the agencies service: every subject it answers, and nothing else. */
@Injectable()
export class AgenciesHandlers {
  constructor(
    private readonly auth: AuthService,
    private readonly directory: DirectoryService,
    private readonly institutions: InstitutionsService,
  ) {}

  @RpcHandler(AgenciesSubjects.login, { dto: LoginRequestDto })
  login(dto: LoginRequestDto) {
    return this.auth.login(dto);
  }

  @RpcHandler(AgenciesSubjects.refresh, { dto: RefreshDto })
  refresh(dto: RefreshDto) {
    return this.auth.refresh(dto);
  }

  @RpcHandler(AgenciesSubjects.logout)
  logout(_: unknown, ctx: MessageContext) {
    return this.auth.logout(ctx);
  }

  @RpcHandler(AgenciesSubjects.changePassword, { dto: ChangePasswordRequestDto })
  changePassword(dto: ChangePasswordRequestDto, ctx: MessageContext) {
    return this.auth.changePassword(dto, ctx);
  }

  @RpcHandler(AgenciesSubjects.verifySession, { dto: VerifySessionDto })
  verify(dto: VerifySessionDto) {
    return this.auth.verify(dto.sessionId);
  }

  @RpcHandler(AgenciesSubjects.listRegions)
  regions(_: unknown, ctx: MessageContext) {
    return this.directory.regions(ctx);
  }

  @RpcHandler(AgenciesSubjects.listAgencies)
  agencies(_: unknown, ctx: MessageContext) {
    return this.directory.agencies(ctx);
  }

  @RpcHandler(AgenciesSubjects.getAgency, { dto: IdDto })
  agency(dto: IdDto, ctx: MessageContext) {
    return this.directory.agency(dto.id, ctx);
  }

  @RpcHandler(AgenciesSubjects.updateAgencyContacts, { dto: UpdateAgencyContactsDto })
  updateAgencyContacts({ id, ...contacts }: UpdateAgencyContactsDto, ctx: MessageContext) {
    return this.directory.updateContacts(id, contacts, ctx);
  }

  @RpcHandler(AgenciesSubjects.resolveAgency, { dto: IdDto })
  resolveAgency(dto: IdDto) {
    return this.directory.resolve(dto.id);
  }

  @RpcHandler(AgenciesSubjects.findAgency, { dto: FindAgencyDto })
  findAgency(dto: FindAgencyDto) {
    return this.directory.find(dto.kind, dto.regionCode);
  }

  @RpcHandler(AgenciesSubjects.findOfficers, { dto: FindOfficersDto })
  findOfficers(dto: FindOfficersDto, ctx: MessageContext) {
    return this.directory.withRole(dto.agencyId, dto.role, ctx);
  }

  @RpcHandler(AgenciesSubjects.listOfficers)
  officers(_: unknown, ctx: MessageContext) {
    return this.directory.officers(ctx);
  }

  @RpcHandler(AgenciesSubjects.listOfficerNames)
  officerNames(_: unknown, ctx: MessageContext) {
    return this.directory.officerNames(ctx);
  }

  @RpcHandler(AgenciesSubjects.disableOfficer, { dto: IdDto })
  disableOfficer(dto: IdDto, ctx: MessageContext) {
    return this.directory.disableOfficer(dto.id, ctx);
  }

  @RpcHandler(AgenciesSubjects.enableOfficer, { dto: IdDto })
  enableOfficer(dto: IdDto, ctx: MessageContext) {
    return this.directory.enableOfficer(dto.id, ctx);
  }

  @RpcHandler(AgenciesSubjects.renameOfficer, { dto: RenameOfficerDto })
  renameOfficer(dto: RenameOfficerDto, ctx: MessageContext) {
    return this.directory.renameOfficer(dto.id, dto.displayName, ctx);
  }

  @RpcHandler(AgenciesSubjects.setOfficerRoles, { dto: SetOfficerRolesDto })
  setOfficerRoles(dto: SetOfficerRolesDto, ctx: MessageContext) {
    return this.directory.setOfficerRoles(dto.id, dto.roles, ctx);
  }

  @RpcHandler(AgenciesSubjects.createOfficer, { dto: CreateOfficerDto })
  createOfficer(dto: CreateOfficerDto, ctx: MessageContext) {
    return this.directory.createOfficer(dto, ctx);
  }

  @RpcHandler(AgenciesSubjects.resetOfficerPassword, { dto: IdDto })
  resetOfficerPassword(dto: IdDto, ctx: MessageContext) {
    return this.directory.resetOfficerPassword(dto.id, ctx);
  }

  @RpcHandler(InstitutionSubjects.list)
  listInstitutions(_: unknown, ctx: MessageContext) {
    return this.institutions.list(ctx);
  }

  @RpcHandler(InstitutionSubjects.get, { dto: IdDto })
  getInstitution(dto: IdDto, ctx: MessageContext) {
    return this.institutions.get(dto.id, ctx);
  }

  @RpcHandler(InstitutionSubjects.create, { dto: CreateInstitutionDto })
  createInstitution(dto: CreateInstitutionDto, ctx: MessageContext) {
    return this.institutions.create(dto, ctx);
  }

  @RpcHandler(InstitutionSubjects.changeAgreement, { dto: ChangeAgreementRequestDto })
  changeAgreement(dto: ChangeAgreementRequestDto, ctx: MessageContext) {
    return this.institutions.changeAgreement(dto, ctx);
  }

  @RpcHandler(InstitutionSubjects.findDesignated, { dto: FindDesignatedInstitutionsDto })
  findDesignated(dto: FindDesignatedInstitutionsDto, ctx: MessageContext) {
    return this.institutions.designated(dto, ctx);
  }

  @RpcHandler(InstitutionSubjects.issueAccount, { dto: IdDto })
  issueInstitutionAccount(dto: IdDto, ctx: MessageContext) {
    return this.institutions.issueAccount(dto.id, ctx);
  }

  @RpcHandler(InstitutionSubjects.listLeadingGroups)
  leadingGroups(_: unknown, ctx: MessageContext) {
    return this.institutions.leadingGroups(ctx);
  }
}
