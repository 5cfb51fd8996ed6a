import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ImportInvoicesDto, ImportResult, InvoiceSubjects, RegisterIssuerDto, VerificationResult, VerifyInvoiceDto } from '@lianban/contracts';
import { RpcClient } from '@lianban/messaging';
import { contextOf } from '../http/request-context';

/** Finance's register of medical-fee e-invoices, and verification for every agency. */
@ApiTags('invoices')
@ApiBearerAuth()
@Controller('invoices')
export class InvoicesController {
  constructor(private readonly rpc: RpcClient) {}

  /** Finance registers an issuing unit and its SM2 public key. */
  @Post('issuers')
  registerIssuer(@Body() dto: RegisterIssuerDto, @Req() req: FastifyRequest): Promise<{ code: string; name: string }> {
    return this.rpc.request(InvoiceSubjects.registerIssuer, dto, contextOf(req));
  }

  /** Finance imports issued invoices (CSV or JSON lines): every row or none, with each row's problems. */
  @Post('imports')
  @HttpCode(200)
  import(@Body() dto: ImportInvoicesDto, @Req() req: FastifyRequest): Promise<ImportResult> {
    return this.rpc.request(InvoiceSubjects.importInvoices, dto, contextOf(req), 30_000);
  }

  /** Verifies one invoice: valid, not_found, mismatch, red_flushed, voided or bad_signature. */
  @Post('verifications')
  verify(@Body() dto: VerifyInvoiceDto, @Req() req: FastifyRequest): Promise<VerificationResult> {
    return this.rpc.request(InvoiceSubjects.verify, dto, contextOf(req));
  }

  /** Verifications: finance sees all, any other agency its own. */
  @Get('verifications')
  verifications(@Req() req: FastifyRequest): Promise<unknown[]> {
    return this.rpc.request(InvoiceSubjects.verifications, {}, contextOf(req));
  }
}
