import { Injectable } from '@nestjs/common';
import { AgenciesSubjects, AgencyView, InstitutionSubjects, InstitutionView, MessageContext, RegionView } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';

/**
 * What the cases service asks the agencies service. Each call carries the caller's own identity,
 * so the register answers with what the caller may see; cases keeps no copy of the register.
 */
@Injectable()
export class RegisterClient {
  constructor(private readonly rpc: RpcClient) {}

  institution(id: string, ctx: MessageContext): Promise<InstitutionView> {
    return this.rpc.request<InstitutionView>(InstitutionSubjects.get, { id }, ctx);
  }

  /** The designated institutions within the caller's reach. */
  institutions(ctx: MessageContext): Promise<InstitutionView[]> {
    return this.rpc.request<InstitutionView[]>(InstitutionSubjects.list, {}, ctx);
  }

  regions(ctx: MessageContext): Promise<RegionView[]> {
    return this.rpc.request<RegionView[]>(AgenciesSubjects.listRegions, {}, ctx);
  }

  agency(id: string, ctx: MessageContext): Promise<AgencyView> {
    return this.rpc.request<AgencyView>(AgenciesSubjects.getAgency, { id }, ctx);
  }
}
