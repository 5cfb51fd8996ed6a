import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import {
  CUSTODY_IN_LIST,
  CUSTODY_IN_VIEW,
  CustodyEntry,
  CustodyPage,
  CustodyRequestDto,
  DomainError,
  ErrorCode,
  EVIDENCE_LIST_MAX,
  EvidenceRefDto,
  EvidenceRegisterDto,
  EvidenceTicketDto,
  EvidenceUploadTicket,
  EvidenceView,
  ListEvidenceDto,
  MessageContext,
  Page,
  pageOf,
  ruleError,
  StoredFileGrant,
  verificationReceiptFileName,
  wantsPage,
} from '@lianban/contracts';
import { defineAbilityFor } from '@lianban/authz';
import { audit, OutboxWriter } from '@lianban/persistence';
import { BLOB_STORE, BlobStore, checkStored } from '@lianban/platform';
import { CaseRow, CaseService } from '../cases/case.service';

export const EVIDENCE_SETTINGS = Symbol('EVIDENCE_SETTINGS');

interface EvidenceRow {
  id: string;
  case_id: string;
  storage_key: string;
  name: string;
  media_type: string;
  size_bytes: string;
  sha256: string;
  sm3: string;
  added_by: string;
  added_by_agency_id: string;
  added_at: Date;
  description: string | null;
  receipt_of: string | null;
  sealed_at: Date | null;
}

/** A name a plain upload may not take: the one finance's receipts are filed under (verificationReceiptFileName). */
const RECEIPT_NAME = /^\s*发票查验回执-\d+\.json\s*$/i;

const evidenceSubject = (c: CaseRow) => subject('CaseEvidence', { regionCode: c.region_code, agencyId: c.agency_id });

/**
 * Evidence of a case: the record (digests, who added it, when) and its chain of custody. The
 * bytes sit in the blob store; this service never takes a digest on trust — it recomputes SHA-256
 * and SM3 from the stored bytes when a file is registered, sealed, and on every download.
 */
@Injectable()
export class EvidenceService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly cases: CaseService,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @Inject(EVIDENCE_SETTINGS) private readonly settings: { maxBytes: number },
  ) {}

  private async caseFor(m: EntityManager, caseId: string, action: 'read' | 'update', ctx: MessageContext, lock = false): Promise<CaseRow> {
    const c = await this.cases.load(m, caseId, ctx, lock);
    const ability = defineAbilityFor(ctx.actor);
    if (!ability.can('read', evidenceSubject(c))) throw DomainError.notFound('The case');
    if (action === 'update' && !ability.can('update', evidenceSubject(c))) throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the bureau that handles the case adds its evidence.');
    return c;
  }

  /** Step 1 of an upload: may the caller add evidence to this case, and under which key. */
  async ticket(dto: EvidenceTicketDto, ctx: MessageContext): Promise<EvidenceUploadTicket> {
    const c = await this.caseFor(this.ds.manager, dto.caseId, 'update', ctx);
    if (c.state === 'archived') throw new DomainError(409, 'CASE_ARCHIVED', 'An archived case takes no more evidence.');
    // Checked again when the file is registered, with the case locked; here so nothing is stored in vain.
    await this.checkReceipt(this.ds.manager, c.id, dto);
    const evidenceId = randomUUID();
    return { evidenceId, storageKey: `cases/${c.id}/${evidenceId}`, maxBytes: this.settings.maxBytes };
  }

  /** Step 3: the bytes are stored; their digests are recomputed here and the record written. */
  async register(dto: EvidenceRegisterDto, ctx: MessageContext): Promise<EvidenceView> {
    if (dto.storageKey !== `cases/${dto.caseId}/${dto.evidenceId}`) throw DomainError.validation([{ field: 'storageKey', messages: ['not the key of this upload ticket'] }]);
    await this.caseFor(this.ds.manager, dto.caseId, 'update', ctx);
    const { found: stored, intact } = await checkStored(this.store, dto.storageKey, dto);
    if (!stored) throw DomainError.validation([{ field: 'storageKey', messages: ['nothing was stored under this key'] }]);
    if (!intact) {
      await this.store.delete(dto.storageKey);
      throw new DomainError(409, 'EVIDENCE_DIGEST_MISMATCH', 'The stored bytes do not match the digests computed while uploading; nothing was registered.');
    }
    const actor = ctx.actor;
    return this.ds.transaction(async (m) => {
      const c = await this.caseFor(m, dto.caseId, 'update', ctx, true);
      // With the case locked: of two requests at once to file one receipt, the second finds the first's.
      await this.checkReceipt(m, c.id, dto);
      await m.query(
        `INSERT INTO evidence (id, case_id, storage_key, name, media_type, description, size_bytes, sha256, sm3, added_by, added_by_agency_id, receipt_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [dto.evidenceId, c.id, dto.storageKey, dto.name, dto.mediaType, dto.description ?? null, dto.sizeBytes, stored.sha256, stored.sm3, actor.id, actor.agencyId, dto.receiptOf ?? null],
      );
      await this.custody(m, dto.evidenceId, 'added', ctx, `sha256 ${stored.sha256}`);
      await audit(m, { actor, action: 'case.evidence.add', target: dto.evidenceId, outcome: 'succeeded', detail: { caseId: c.id, sha256: stored.sha256, sm3: stored.sm3, sizeBytes: stored.sizeBytes } });
      await this.outbox.append(m, { type: 'case.evidence_added', payload: { caseId: c.id, evidenceId: dto.evidenceId, sha256: stored.sha256, sm3: stored.sm3, sizeBytes: stored.sizeBytes, agencyId: c.agency_id } }, ctx);
      return this.view(m, dto.evidenceId);
    });
  }

  /**
   * A case's evidence in the order it was added, each with the latest entries of its chain of
   * custody: one page (`page`, `pageSize`) with the total, or without them the first
   * EVIDENCE_LIST_MAX files as an array. Bounded either way, so a case with many files and many
   * downloads still answers (a reply past the bus's limit would not).
   */
  async list(dto: ListEvidenceDto, ctx: MessageContext): Promise<EvidenceView[] | Page<EvidenceView>> {
    const c = await this.caseFor(this.ds.manager, dto.caseId, 'read', ctx);
    const paged = wantsPage(dto);
    const { page, pageSize, offset } = paged ? pageOf(dto) : { page: 1, pageSize: EVIDENCE_LIST_MAX, offset: 0 };
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM evidence WHERE case_id = $1 ORDER BY added_at, id LIMIT $2 OFFSET $3`, [c.id, pageSize, offset]);
    const items = await Promise.all(rows.map((r) => this.view(this.ds.manager, r.id, CUSTODY_IN_LIST)));
    if (!paged) return items;
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM evidence WHERE case_id = $1`, [c.id]);
    return { items, total, page, pageSize };
  }

  /** An evidence file's whole chain of custody, a stretch at a time (by `seq`). */
  async custodyOf(dto: CustodyRequestDto, ctx: MessageContext): Promise<CustodyPage> {
    const c = await this.caseFor(this.ds.manager, dto.caseId, 'read', ctx);
    const e = await this.row(this.ds.manager, dto.evidenceId, c.id);
    const limit = dto.limit ?? 200;
    const rows = await this.custodyRows(this.ds.manager, `evidence_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [e.id, dto.afterSeq ?? 0, limit + 1]);
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM evidence_custody WHERE evidence_id = $1`, [e.id]);
    const items = rows.slice(0, limit);
    return { items, total, nextAfterSeq: rows.length > limit ? items[items.length - 1].seq : null };
  }

  private async custodyRows(m: EntityManager, where: string, params: unknown[]): Promise<CustodyEntry[]> {
    const rows: (Omit<CustodyEntry, 'at'> & { at: Date })[] = await m.query(
      `SELECT seq, event, actor_id AS "actorId", agency_id AS "agencyId", at, note FROM evidence_custody WHERE ${where}`,
      params,
    );
    return rows.map((x) => ({ ...x, at: x.at.toISOString() }));
  }

  /**
   * A download: permission-checked, the stored bytes verified against both digests first, then
   * logged in the chain of custody and audited. A file that fails verification is not served:
   * the failure is logged, audited and answered 409 EVIDENCE_INTEGRITY_FAILED.
   */
  async download(dto: EvidenceRefDto, ctx: MessageContext): Promise<StoredFileGrant> {
    const c = await this.caseFor(this.ds.manager, dto.caseId, 'read', ctx);
    const e = await this.row(this.ds.manager, dto.evidenceId, c.id);
    await this.verify(e, ctx, 'download');
    await this.ds.transaction(async (m) => {
      await this.custody(m, e.id, 'downloaded', ctx);
      await audit(m, { actor: ctx.actor, action: 'case.evidence.download', target: e.id, outcome: 'succeeded', detail: { caseId: c.id } });
    });
    return { storageKey: e.storage_key, name: e.name, mediaType: e.media_type, sizeBytes: Number(e.size_bytes), sha256: e.sha256, sm3: e.sm3 };
  }

  /** 封存: the file is verified and sealed; the seal is in its chain of custody. */
  async seal(dto: EvidenceRefDto, ctx: MessageContext): Promise<EvidenceView> {
    const c = await this.caseFor(this.ds.manager, dto.caseId, 'update', ctx);
    const e = await this.row(this.ds.manager, dto.evidenceId, c.id);
    if (e.sealed_at) throw new DomainError(409, 'EVIDENCE_SEALED', 'The evidence is already sealed.');
    await this.verify(e, ctx, 'seal');
    return this.ds.transaction(async (m) => {
      const [locked] = await m.query(`UPDATE evidence SET sealed_at = now() WHERE id = $1 AND sealed_at IS NULL RETURNING id`, [e.id]);
      if (!locked) throw new DomainError(409, 'EVIDENCE_SEALED', 'The evidence is already sealed.');
      await this.custody(m, e.id, 'sealed', ctx, `sha256 ${e.sha256}, sm3 ${e.sm3} verified`);
      await audit(m, { actor: ctx.actor, action: 'case.evidence.seal', target: e.id, outcome: 'succeeded', detail: { caseId: c.id } });
      await this.outbox.append(m, { type: 'case.evidence_sealed', payload: { caseId: c.id, evidenceId: e.id, sha256: e.sha256, agencyId: c.agency_id } }, ctx);
      return this.view(m, e.id);
    });
  }

  /**
   * A receipt is filed under its own name, once per case, by the verification it is for (the
   * receipt_of column, not the name); a plain upload may not take a receipt's name, so the list
   * never shows a hand-made file as finance's receipt.
   */
  private async checkReceipt(m: EntityManager, caseId: string, dto: { name: string; receiptOf?: number }): Promise<void> {
    if (dto.receiptOf === undefined) {
      if (RECEIPT_NAME.test(dto.name)) {
        throw DomainError.validation([
          ruleError('name', 'receiptNameReserved', 'files named 发票查验回执-<number>.json are finance’s signed receipts, filed with POST …/evidence/invoice-receipts; name this file otherwise'),
        ]);
      }
      return;
    }
    if (dto.name !== verificationReceiptFileName(dto.receiptOf)) throw DomainError.validation([ruleError('name', 'receiptName', `a receipt is filed as ${verificationReceiptFileName(dto.receiptOf)}`)]);
    const [filed] = await m.query(`SELECT 1 FROM evidence WHERE case_id = $1 AND receipt_of = $2`, [caseId, dto.receiptOf]);
    if (filed) throw new DomainError(409, 'RECEIPT_ALREADY_ATTACHED', `The receipt of verification ${dto.receiptOf} is already evidence of this case.`, { receiptOf: dto.receiptOf });
  }

  private async verify(e: EvidenceRow, ctx: MessageContext, purpose: string): Promise<void> {
    const { found: actual, intact } = await checkStored(this.store, e.storage_key, { sha256: e.sha256, sm3: e.sm3, sizeBytes: Number(e.size_bytes) });
    if (intact) return;
    await this.ds.transaction(async (m) => {
      await this.custody(m, e.id, 'integrity_failed', ctx, actual ? `stored bytes give sha256 ${actual.sha256}, sm3 ${actual.sm3}` : 'the stored file is missing');
      await audit(m, { actor: ctx.actor, action: `case.evidence.${purpose}`, target: e.id, outcome: 'refused', detail: { caseId: e.case_id, reason: 'integrity_failed' } });
      const [owner] = (await m.query(`SELECT agency_id FROM enforcement_case WHERE id = $1`, [e.case_id])) as { agency_id: string }[];
      // The case's bureau is told (notifications); no file name or content goes into the event.
      await this.outbox.append(m, { type: 'case.evidence_integrity_failed', payload: { caseId: e.case_id, evidenceId: e.id, agencyId: owner?.agency_id ?? null } }, ctx);
    });
    throw new DomainError(409, 'EVIDENCE_INTEGRITY_FAILED', 'The stored file no longer matches its recorded SHA-256 and SM3 digests; it is not served. The failure is recorded in its chain of custody.', {
      evidenceId: e.id,
    });
  }

  private async row(m: EntityManager, id: string, caseId: string): Promise<EvidenceRow> {
    const [e] = (await m.query(`SELECT * FROM evidence WHERE id = $1 AND case_id = $2`, [id, caseId])) as EvidenceRow[];
    if (!e) throw DomainError.notFound('The evidence');
    return e;
  }

  /** The next entry of the chain; called in the transaction of what it records. */
  private async custody(m: EntityManager, evidenceId: string, event: string, ctx: MessageContext, note?: string): Promise<void> {
    // The file's row is locked first so that entries written at the same moment (two downloads,
    // a download and a seal) take their numbers one after the other instead of both taking max + 1.
    await m.query(`SELECT 1 FROM evidence WHERE id = $1 FOR UPDATE`, [evidenceId]);
    await m.query(
      `INSERT INTO evidence_custody (evidence_id, seq, event, actor_id, agency_id, note)
       VALUES ($1, (SELECT COALESCE(max(seq), 0) + 1 FROM evidence_custody WHERE evidence_id = $1), $2, $3, $4, $5)`,
      [evidenceId, event, ctx.actor.id, ctx.actor.agencyId ?? null, note ?? null],
    );
  }

  /** An evidence file with the latest `custodyShown` entries of its chain of custody, oldest first. */
  private async view(m: EntityManager, id: string, custodyShown = CUSTODY_IN_VIEW): Promise<EvidenceView> {
    const [e] = (await m.query(`SELECT * FROM evidence WHERE id = $1`, [id])) as EvidenceRow[];
    const latest = await this.custodyRows(m, `evidence_id = $1 ORDER BY seq DESC LIMIT $2`, [id, custodyShown]);
    const [{ total }] = await m.query(`SELECT count(*)::int AS total FROM evidence_custody WHERE evidence_id = $1`, [id]);
    return {
      id: e.id,
      caseId: e.case_id,
      name: e.name,
      mediaType: e.media_type,
      sizeBytes: Number(e.size_bytes),
      sha256: e.sha256,
      sm3: e.sm3,
      addedBy: e.added_by,
      addedByAgencyId: e.added_by_agency_id,
      addedAt: e.added_at.toISOString(),
      description: e.description,
      receiptOf: e.receipt_of === null ? null : Number(e.receipt_of),
      sealed: e.sealed_at !== null,
      custody: latest.reverse(),
      custodyTotal: total,
    };
  }
}
