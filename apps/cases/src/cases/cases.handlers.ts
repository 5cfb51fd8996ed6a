import { Injectable } from '@nestjs/common';
import { AddMoneyRequestDto, CaseStepRequestDto, CaseSubjects, FileCaseDto, IdDto, ListCasesDto, MessageContext } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { CaseService } from './case.service';
import { caseProcedureTable } from './case-procedure';

/** The NATS face of administrative cases. */
@Injectable()
export class CasesHandlers {
  constructor(private readonly cases: CaseService) {}

  @RpcHandler(CaseSubjects.file, { dto: FileCaseDto })
  file(dto: FileCaseDto, ctx: MessageContext) {
    return this.cases.file(dto, ctx);
  }

  @RpcHandler(CaseSubjects.act, { dto: CaseStepRequestDto })
  act(dto: CaseStepRequestDto, ctx: MessageContext) {
    return this.cases.act(dto, ctx);
  }

  @RpcHandler(CaseSubjects.list, { dto: ListCasesDto })
  list(dto: ListCasesDto, ctx: MessageContext) {
    return this.cases.list(dto, ctx);
  }

  @RpcHandler(CaseSubjects.get, { dto: IdDto })
  get(dto: IdDto, ctx: MessageContext) {
    return this.cases.get(dto.id, ctx);
  }

  @RpcHandler(CaseSubjects.addMoney, { dto: AddMoneyRequestDto })
  addMoney(dto: AddMoneyRequestDto, ctx: MessageContext) {
    return this.cases.addMoney(dto, ctx);
  }

  @RpcHandler(CaseSubjects.procedure)
  procedure() {
    return caseProcedureTable();
  }
}
