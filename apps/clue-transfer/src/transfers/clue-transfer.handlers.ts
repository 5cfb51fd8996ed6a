import { Injectable } from '@nestjs/common';
import {
  AdvanceClueRequestDto,
  ClueSubjects,
  CreateClueDto,
  DraftTransferDto,
  IdDto,
  ListCluesQueryDto,
  ListTransfersQueryDto,
  MessageContext,
  TransferStepRequestDto,
  TransferSubjects,
} from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { ClueService } from '../clues/clue.service';
import { procedureTable } from './procedures';
import { TransferService } from './transfer.service';

/** The NATS face of the clue-transfer service. */
@Injectable()
export class ClueTransferHandlers {
  constructor(
    private readonly clues: ClueService,
    private readonly transfers: TransferService,
  ) {}

  @RpcHandler(ClueSubjects.create, { dto: CreateClueDto })
  createClue(dto: CreateClueDto, ctx: MessageContext) {
    return this.clues.create(dto, ctx);
  }

  @RpcHandler(ClueSubjects.list, { dto: ListCluesQueryDto })
  listClues(dto: ListCluesQueryDto, ctx: MessageContext) {
    return this.clues.list(ctx, dto);
  }

  @RpcHandler(ClueSubjects.get, { dto: IdDto })
  getClue(dto: IdDto, ctx: MessageContext) {
    return this.clues.get(dto.id, ctx);
  }

  @RpcHandler(ClueSubjects.advance, { dto: AdvanceClueRequestDto })
  advanceClue(dto: AdvanceClueRequestDto, ctx: MessageContext) {
    return this.clues.advance(dto, ctx);
  }

  @RpcHandler(ClueSubjects.revealReporter, { dto: IdDto })
  revealReporter(dto: IdDto, ctx: MessageContext) {
    return this.clues.revealReporter(dto.id, ctx);
  }

  @RpcHandler(TransferSubjects.draft, { dto: DraftTransferDto })
  draft(dto: DraftTransferDto, ctx: MessageContext) {
    return this.transfers.draft(dto, ctx);
  }

  @RpcHandler(TransferSubjects.act, { dto: TransferStepRequestDto })
  act(dto: TransferStepRequestDto, ctx: MessageContext) {
    return this.transfers.act(dto, ctx);
  }

  @RpcHandler(TransferSubjects.list, { dto: ListTransfersQueryDto })
  list(dto: ListTransfersQueryDto, ctx: MessageContext) {
    return this.transfers.list(ctx, dto);
  }

  @RpcHandler(TransferSubjects.get, { dto: IdDto })
  get(dto: IdDto, ctx: MessageContext) {
    return this.transfers.get(dto.id, ctx);
  }

  @RpcHandler(TransferSubjects.procedures)
  procedures() {
    return procedureTable();
  }
}
