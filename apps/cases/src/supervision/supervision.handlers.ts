import { Injectable } from '@nestjs/common';
import { IdDto, IssueSupervisionDto, ListSupervisionsDto, MessageContext, SupervisionCloseRequestDto, SupervisionReportRequestDto, SupervisionSubjects } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { SupervisionService } from './supervision.service';

/** The NATS face of supervision orders. */
@Injectable()
export class SupervisionHandlers {
  constructor(private readonly supervision: SupervisionService) {}

  @RpcHandler(SupervisionSubjects.issue, { dto: IssueSupervisionDto })
  issue(dto: IssueSupervisionDto, ctx: MessageContext) {
    return this.supervision.issue(dto, ctx);
  }

  @RpcHandler(SupervisionSubjects.report, { dto: SupervisionReportRequestDto })
  report(dto: SupervisionReportRequestDto, ctx: MessageContext) {
    return this.supervision.report(dto, ctx);
  }

  @RpcHandler(SupervisionSubjects.close, { dto: SupervisionCloseRequestDto })
  close(dto: SupervisionCloseRequestDto, ctx: MessageContext) {
    return this.supervision.close(dto, ctx);
  }

  @RpcHandler(SupervisionSubjects.list, { dto: ListSupervisionsDto })
  list(dto: ListSupervisionsDto, ctx: MessageContext) {
    return this.supervision.list(ctx, dto);
  }

  @RpcHandler(SupervisionSubjects.get, { dto: IdDto })
  get(dto: IdDto, ctx: MessageContext) {
    return this.supervision.get(dto.id, ctx);
  }
}
