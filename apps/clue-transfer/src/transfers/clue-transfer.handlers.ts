import { Injectable } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import {
  AdvanceClueRequestDto,
  ClueSubjects,
  CreateClueDto,
  DraftTransferDto,
  IdDto,
  MessageContext,
  TRANSFER_STATES,
  TransferState,
  TransferStepRequestDto,
  TransferSubjects,
} from '@lianban/contracts';
import { RpcHandler } from '@lianban/messaging';
import { ClueService } from '../clues/clue.service';
import { procedureTable } from './procedures';
import { TransferService } from './transfer.service';

class ListTransfersDto {
  @IsOptional()
  @IsIn(TRANSFER_STATES)
  state?: TransferState;
}

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

  @RpcHandler(ClueSubjects.list)
  listClues(_: unknown, ctx: MessageContext) {
    return this.clues.list(ctx);
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

  @RpcHandler(TransferSubjects.list, { dto: ListTransfersDto })
  list(dto: ListTransfersDto, ctx: MessageContext) {
    return this.transfers.list(ctx, dto.state);
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
