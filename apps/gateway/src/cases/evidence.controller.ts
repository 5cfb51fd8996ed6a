import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import {
  AttachVerificationReceiptDto,
  CaseSubjects,
  CustodyPage,
  CustodyQueryDto,
  PageNumberDto,
  Page,
  StoredFileGrant,
  EvidenceUploadTicket,
  EvidenceView,
  InvoiceSubjects,
  MessageContext,
  VerificationReceipt,
  verificationReceiptFileName,
} from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { BLOB_STORE, BlobStore } from '@lianban/platform';
import { contextOf } from '../http/request-context';
import { sendStoredFile, storeUpload, uploadBody } from '../http/files';

class UploadEvidenceQuery {
  /** File name as the officer knows it, e.g. 询问笔录.pdf */
  @IsString()
  @Length(1, 255)
  name: string;

  /** Media type of the file, e.g. application/pdf (the request itself is application/octet-stream). */
  @Matches(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i)
  mediaType: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

/**
 * Evidence files of a case. Bytes never cross NATS: an upload streams from the request into the
 * blob store while SHA-256 and SM3 are computed, then the cases service — which owns the record —
 * recomputes both from the stored bytes and registers the file. A download is granted by the
 * cases service (permission, custody log, audit, digests verified) and streamed from the store,
 * checked again on the way out.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases/:id/evidence')
export class EvidenceController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  @Post()
  @ApiConsumes('application/octet-stream')
  async upload(@Param('id', new ParseUUIDPipe()) caseId: string, @Query() query: UploadEvidenceQuery, @Req() req: FastifyRequest): Promise<EvidenceView> {
    const body = uploadBody(req);
    const ctx = contextOf(req);
    const ticket = await this.rpc.request<EvidenceUploadTicket>(CaseSubjects.evidenceUploadTicket, { caseId, name: query.name, mediaType: query.mediaType }, ctx);
    return this.keep(caseId, ticket, body, query, ctx);
  }

  /**
   * Files a verification receipt of the caller's agency (finance-signed, see the invoices service)
   * as evidence of the case: the file holds the receipt as GET /invoices/verifications/{id}/receipt
   * gives it (receipt, signature, finance's key), so it checks offline with tools/verify-receipt.mjs.
   * Who may add evidence to the case is asked first; a receipt already filed with the case is refused.
   */
  @Post('invoice-receipts')
  async attachReceipt(@Param('id', new ParseUUIDPipe()) caseId: string, @Body() dto: AttachVerificationReceiptDto, @Req() req: FastifyRequest): Promise<EvidenceView> {
    const ctx = contextOf(req);
    const file = { name: verificationReceiptFileName(dto.verificationId), mediaType: 'application/json' };
    const ticket = await this.rpc.request<EvidenceUploadTicket>(CaseSubjects.evidenceUploadTicket, { caseId, ...file, receiptOf: dto.verificationId }, ctx);
    const receipt = await this.rpc.request<VerificationReceipt>(InvoiceSubjects.receipt, { id: dto.verificationId }, ctx);
    const { code, number, verdict } = JSON.parse(receipt.receipt) as { code: string; number: string; verdict: string };
    const description = `发票查验回执：票据代码 ${code}，票据号码 ${number}，查验结论 ${verdict}`;
    // Filed once per case: the cases service checks it with the case locked (409 RECEIPT_ALREADY_ATTACHED).
    return this.keep(caseId, ticket, Readable.from([Buffer.from(`${JSON.stringify(receipt, null, 2)}\n`, 'utf8')]), { ...file, description, receiptOf: dto.verificationId }, ctx);
  }

  /** Streams the bytes into the store under the ticket's key with their digests, then has the cases service register them; nothing stays stored if it refuses. */
  private async keep(caseId: string, ticket: EvidenceUploadTicket, bytes: Readable, file: { name: string; mediaType: string; description?: string; receiptOf?: number }, ctx: MessageContext): Promise<EvidenceView> {
    const digests = await storeUpload(this.store, ticket.storageKey, bytes, ticket.maxBytes, 'An evidence file');
    try {
      return await this.rpc.request<EvidenceView>(
        CaseSubjects.evidenceRegister,
        { caseId, evidenceId: ticket.evidenceId, storageKey: ticket.storageKey, ...file, ...digests },
        ctx,
        60_000,
      );
    } catch (e) {
      await this.store.delete(ticket.storageKey);
      throw e;
    }
  }

  /**
   * The case's files in the order added, each with the latest entries of its chain of custody
   * (`custodyTotal` says how many there are): the first 500 as an array, or with `page` or
   * `pageSize` one page `{ items, total, page, pageSize }`.
   */
  @Get()
  list(@Param('id', new ParseUUIDPipe()) caseId: string, @Query() query: PageNumberDto, @Req() req: FastifyRequest): Promise<EvidenceView[] | Page<EvidenceView>> {
    return this.rpc.request(CaseSubjects.evidenceList, { ...query, caseId }, contextOf(req));
  }

  /** A file's whole chain of custody, oldest first, a stretch at a time: `?afterSeq=` from `nextAfterSeq`. */
  @Get(':evidenceId/custody')
  custody(@Param('id', new ParseUUIDPipe()) caseId: string, @Param('evidenceId', new ParseUUIDPipe()) evidenceId: string, @Query() query: CustodyQueryDto, @Req() req: FastifyRequest): Promise<CustodyPage> {
    return this.rpc.request(CaseSubjects.evidenceCustody, { ...query, caseId, evidenceId }, contextOf(req));
  }

  /** The file, after the cases service verified its digests and logged the download. */
  @Get(':evidenceId/content')
  @ApiProduces('application/octet-stream')
  async download(@Param('id', new ParseUUIDPipe()) caseId: string, @Param('evidenceId', new ParseUUIDPipe()) evidenceId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const grant = await this.rpc.request<StoredFileGrant>(CaseSubjects.evidenceDownload, { caseId, evidenceId }, contextOf(req), 60_000);
    await sendStoredFile(this.store, grant, reply, 'evidence');
  }

  /** 封存: verified and sealed, recorded in the chain of custody. */
  @Post(':evidenceId/seal')
  seal(@Param('id', new ParseUUIDPipe()) caseId: string, @Param('evidenceId', new ParseUUIDPipe()) evidenceId: string, @Req() req: FastifyRequest): Promise<EvidenceView> {
    return this.rpc.request(CaseSubjects.evidenceSeal, { caseId, evidenceId }, contextOf(req));
  }
}
