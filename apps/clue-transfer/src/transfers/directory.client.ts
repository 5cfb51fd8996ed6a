import { Injectable } from '@nestjs/common';
import { AgenciesSubjects, AgencyKind, AgencyView, CaseSubjects, CaseView, DomainError, MessageContext, OfficerView, Page, ruleError } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';

/** What clue-transfer asks the agencies service: it owns no copy of the directory. */
@Injectable()
export class DirectoryClient {
  constructor(private readonly rpc: RpcClient) {}

  /** The agency, or a 400 naming the field that pointed to a missing one. */
  async agency(id: string, field: string, ctx: MessageContext): Promise<AgencyView> {
    try {
      return await this.rpc.request<AgencyView>(AgenciesSubjects.resolveAgency, { id }, ctx);
    } catch (e) {
      if (e instanceof DomainError && e.status === 404) throw DomainError.validation([ruleError(field, 'agencyNotFound', `no agency with id ${id}`, { id })]);
      throw e;
    }
  }

  find(kind: AgencyKind, regionCode: string, ctx: MessageContext): Promise<AgencyView | null> {
    return this.rpc.request<AgencyView | null>(AgenciesSubjects.findAgency, { kind, regionCode }, ctx);
  }

  /** Officers of the caller's own agency (as the caller may see them). */
  colleagues(ctx: MessageContext): Promise<OfficerView[]> {
    return this.rpc.request<OfficerView[]>(AgenciesSubjects.listOfficers, {}, ctx);
  }

  /** The administrative case a transfer comes from: one the caller's own agency handles, or a 400. */
  async ownCase(caseId: string, ctx: MessageContext): Promise<void> {
    let view: CaseView | null = null;
    try {
      view = await this.rpc.request<CaseView>(CaseSubjects.get, { id: caseId }, ctx);
    } catch (e) {
      if (!(e instanceof DomainError && e.status === 404)) throw e;
    }
    if (!view || view.agencyId !== ctx.actor.agencyId) throw DomainError.validation([ruleError('caseId', 'caseNotFound', 'no case of your agency with this id', { id: caseId })]);
  }

  /** How many administrative cases the caller reads were opened from the clue. */
  async casesFromClue(clueId: string, ctx: MessageContext): Promise<number> {
    return (await this.rpc.request<Page<unknown>>(CaseSubjects.list, { clueId, page: 1, pageSize: 1 }, ctx)).total;
  }
}
