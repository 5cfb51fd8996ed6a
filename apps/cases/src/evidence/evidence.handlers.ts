import { Injectable } from '@nestjs/common';
import { CaseSubjects, CustodyRequestDto, EvidenceRefDto, EvidenceRegisterDto, EvidenceTicketDto, ListEvidenceDto, MessageContext } from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { EvidenceService } from './evidence.service';

/** The NATS face of evidence: metadata only — bytes never travel over NATS (docs/cases.md). */
@Injectable()
export class EvidenceHandlers {
  constructor(private readonly evidence: EvidenceService) {}

  @RpcHandler(CaseSubjects.evidenceUploadTicket, { dto: EvidenceTicketDto })
  ticket(dto: EvidenceTicketDto, ctx: MessageContext) {
    return this.evidence.ticket(dto, ctx);
  }

  @RpcHandler(CaseSubjects.evidenceRegister, { dto: EvidenceRegisterDto })
  register(dto: EvidenceRegisterDto, ctx: MessageContext) {
    return this.evidence.register(dto, ctx);
  }

  @RpcHandler(CaseSubjects.evidenceList, { dto: ListEvidenceDto })
  list(dto: ListEvidenceDto, ctx: MessageContext) {
    return this.evidence.list(dto, ctx);
  }

  @RpcHandler(CaseSubjects.evidenceCustody, { dto: CustodyRequestDto })
  custody(dto: CustodyRequestDto, ctx: MessageContext) {
    return this.evidence.custodyOf(dto, ctx);
  }

  @RpcHandler(CaseSubjects.evidenceDownload, { dto: EvidenceRefDto })
  download(dto: EvidenceRefDto, ctx: MessageContext) {
    return this.evidence.download(dto, ctx);
  }

  @RpcHandler(CaseSubjects.evidenceSeal, { dto: EvidenceRefDto })
  seal(dto: EvidenceRefDto, ctx: MessageContext) {
    return this.evidence.seal(dto, ctx);
  }
}
