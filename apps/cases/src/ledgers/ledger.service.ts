import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import {
  CreateLedgerRequestDto,
  DESIGNATED_AGREEMENT_STATUSES,
  DomainError,
  ErrorCode,
  InstitutionView,
  LedgerActionRequestDto,
  LedgerHistoryPage,
  LedgerHistoryRequestDto,
  LedgerListItem,
  LedgerProblemDto,
  LedgerProblemView,
  LedgerProgressRequestDto,
  LedgerStatus,
  LedgerStepView,
  LedgerTotals,
  LedgerView,
  LEDGER_VIEW_HISTORY_STEPS,
  likePattern,
  ListLedgersRequestDto,
  MessageContext,
  Page,
  pageOf,
  PHASE_NAMES,
  ruleError,
  sortOrder,
  UpdateLedgerRequestDto,
} from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { audit, OutboxWriter } from '@lianban/persistence';
import { CampaignRow, CampaignService, today } from '../campaigns/campaign.service';
import { filingOpen } from '../campaigns/phases';
import { RegisterClient } from '../campaigns/register.client';
import { allowedFor, checkTransition, LedgerParty, LedgerTransition, transition, validateProblems, validateProgress } from './ledger-machine';

export interface LedgerRow {
  id: string;
  campaign_id: string;
  institution_id: string;
  institution_code: string;
  institution_name: string;
  institution_kind: 'hospital' | 'pharmacy';
  ownership: 'public' | 'private';
  level: '3' | '2' | '1_or_below';
  region_code: string;
  insurance_types: LedgerView['insuranceTypes'];
  status: LedgerStatus;
  return_reasons: string | null;
  submitted_at: Date | null;
  accepted_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const STEPS = `SELECT id::float8 AS id, action, from_status AS "fromStatus", to_status AS "toStatus", actor_kind AS "actorKind", actor_id AS "actorId", agency_id AS "agencyId", at, note, changes
  FROM self_inspection_step WHERE ledger_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`;

/**
 * What one reply may carry, well inside NATS's 1 MiB (the envelope and headers take the rest). A
 * ledger's rows are bounded (200 rows of bounded text); its history is not, since every progress
 * entry keeps each changed row before and after: the history is cut to what fits.
 */
const REPLY_BYTES = 900 * 1024;

const COLUMNS = { regionCode: 'l.region_code', institutionId: 'l.institution_id' };

const PROBLEMS = `SELECT seq, category, content, violating_employees_fen::float8 AS "violatingEmployeesFen", violating_residents_fen::float8 AS "violatingResidentsFen",
  refunded_employees_fen::float8 AS "refundedEmployeesFen", refunded_residents_fen::float8 AS "refundedResidentsFen", rectified, reason
  FROM self_inspection_problem WHERE ledger_id = $1 ORDER BY seq`;

/** Sums per ledger, in SQL, for lists (float8 is exact for whole fen below 2^53). */
const TOTALS = `SELECT count(*)::int AS problems, COALESCE(sum(violating_employees_fen), 0)::float8 AS "violatingEmployeesFen", COALESCE(sum(violating_residents_fen), 0)::float8 AS "violatingResidentsFen",
  COALESCE(sum(refunded_employees_fen), 0)::float8 AS "refundedEmployeesFen", COALESCE(sum(refunded_residents_fen), 0)::float8 AS "refundedResidentsFen",
  count(*) FILTER (WHERE rectified)::int AS rectified, count(*) FILTER (WHERE NOT rectified)::int AS "notRectified" FROM self_inspection_problem p WHERE p.ledger_id = l.id`;

const SORTS: Record<string, string> = {
  institutionCode: 'l.institution_code',
  updatedAt: 'l.updated_at',
  status: `array_position(ARRAY['draft','submitted','returned','resubmitted','accepted'], l.status)`,
  violatingFen: `((t."violatingEmployeesFen") + (t."violatingResidentsFen"))`,
};

export function totalsOf(problems: LedgerProblemView[]): LedgerTotals {
  const sum = (f: keyof LedgerProblemView) => problems.reduce((s, p) => s + (p[f] as number), 0);
  return {
    problems: problems.length,
    violatingEmployeesFen: sum('violatingEmployeesFen'),
    violatingResidentsFen: sum('violatingResidentsFen'),
    refundedEmployeesFen: sum('refundedEmployeesFen'),
    refundedResidentsFen: sum('refundedResidentsFen'),
    rectified: problems.filter((p) => p.rectified).length,
    notRectified: problems.filter((p) => !p.rectified).length,
  };
}

/** Every problem rectified and every fen refunded. */
function rectificationDone(t: LedgerTotals): boolean {
  return t.notRectified === 0 && t.refundedEmployeesFen === t.violatingEmployeesFen && t.refundedResidentsFen === t.violatingResidentsFen;
}

/** Only a designated institution (its service agreement in force) files a ledger: 409 NOT_DESIGNATED otherwise. */
function stillDesignated(own: InstitutionView): void {
  if (!DESIGNATED_AGREEMENT_STATUSES.includes(own.agreementStatus)) {
    throw new DomainError(409, 'NOT_DESIGNATED', `${own.name}'s service agreement is ${own.agreementStatus}: it is no longer a designated institution and files no self-inspection ledger.`);
  }
}

/**
 * Self-inspection ledgers (自查自纠问题台账, seed 002 Annex 3): filed by an institution for a
 * campaign, reviewed by the medical insurance bureau over its region, then tracked until every
 * refund is made and every problem rectified. The institution block is copied from the register,
 * not taken from the institution's own word. Every step is audited, kept in self_inspection_step and sent
 * as an event through the outbox.
 */
@Injectable()
export class LedgerService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly register: RegisterClient,
    private readonly campaigns: CampaignService,
  ) {}

  async create(dto: CreateLedgerRequestDto, ctx: MessageContext): Promise<LedgerView> {
    const actor = ctx.actor;
    if (actor.kind !== 'institution' || !actor.institutionId) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'A self-inspection ledger is filed by the institution itself, through its portal account.');
    }
    const own = await this.register.institution(actor.institutionId, ctx);
    const rctx = { ...ctx, actor: { ...actor, regionCode: own.regionCode } };
    const campaign = await this.campaigns.row(this.ds.manager, dto.campaignId, rctx);
    if (!campaign.targets.includes(own.kind)) {
      throw new DomainError(409, 'NOT_A_CAMPAIGN_TARGET', `This campaign's self-inspection is for ${campaign.targets.join(' and ')} institutions; ${own.name} is a ${own.kind}.`);
    }
    stillDesignated(own);
    this.checkWindow('self_inspection', campaign);
    const errors = validateProblems(dto.insuranceTypes, dto.problems);
    if (errors.length) throw DomainError.validation(errors);

    return this.ds.transaction(async (m) => {
      // The unique key settles a race between two submissions of the same institution.
      const [inserted] = await m.query(
        `INSERT INTO self_inspection_ledger (campaign_id, institution_id, institution_code, institution_name, institution_kind, ownership, level, region_code, insurance_types)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (campaign_id, institution_id) DO NOTHING RETURNING id`,
        [campaign.id, own.id, own.code, own.name, own.kind, own.ownership, own.level, own.regionCode, dto.insuranceTypes],
      );
      if (!inserted) {
        const [existing] = await m.query(`SELECT id FROM self_inspection_ledger WHERE campaign_id = $1 AND institution_id = $2`, [campaign.id, own.id]);
        throw new DomainError(409, 'LEDGER_EXISTS', 'This institution has already opened its ledger for the campaign; edit that one.', { ledgerId: existing?.id });
      }
      const id: string = inserted.id;
      await this.writeProblems(m, id, dto.problems);
      await this.step(m, id, ctx, { action: 'create', from: null, to: 'draft' });
      await audit(m, { actor, action: 'ledger.create', target: id, outcome: 'succeeded', detail: { campaignId: campaign.id, problems: dto.problems.length } });
      await this.outbox.append(m, { type: 'ledger.created', payload: this.payload({ id, campaign_id: campaign.id, institution_id: own.id, institution_code: own.code, region_code: own.regionCode, status: 'draft' }) }, ctx);
      return this.view(m, await this.row(m, id, ctx), ctx);
    });
  }

  async update(dto: UpdateLedgerRequestDto, ctx: MessageContext): Promise<LedgerView> {
    return this.ds.transaction(async (m) => {
      const ledger = await this.row(m, dto.id, ctx, true);
      // Two people editing one ledger (an institution shares its portal account): the later save
      // does not silently replace rows the other one saved since it loaded the ledger.
      if (dto.updatedAt && new Date(dto.updatedAt).getTime() !== ledger.updated_at.getTime()) {
        throw new DomainError(409, 'LEDGER_CHANGED', `The ledger was changed at ${ledger.updated_at.toISOString()}, after you loaded it; reload it and make your changes again.`, { updatedAt: ledger.updated_at.toISOString() });
      }
      const campaign = await this.campaignOf(m, ledger);
      const t = checkTransition('update', ledger.status, this.party(ledger, ctx));
      this.checkWindow(t.window, campaign);
      const errors = validateProblems(dto.insuranceTypes, dto.problems);
      if (errors.length) throw DomainError.validation(errors);
      // The block follows the register as it is now (a level or a name may have changed since the
      // draft); an institution whose agreement ended meanwhile files nothing more.
      const own = await this.register.institution(ledger.institution_id, ctx);
      stillDesignated(own);
      await m.query(`DELETE FROM self_inspection_problem WHERE ledger_id = $1`, [ledger.id]);
      await this.writeProblems(m, ledger.id, dto.problems);
      await m.query(
        `UPDATE self_inspection_ledger SET insurance_types = $2, institution_name = $3, ownership = $4, level = $5, updated_at = now() WHERE id = $1`,
        [ledger.id, dto.insuranceTypes, own.name, own.ownership, own.level],
      );
      await this.step(m, ledger.id, ctx, { action: 'update', from: ledger.status, to: ledger.status });
      await audit(m, { actor: ctx.actor, action: 'ledger.update', target: ledger.id, outcome: 'succeeded', detail: { problems: dto.problems.length } });
      return this.view(m, await this.row(m, ledger.id, ctx), ctx);
    });
  }

  /** submit, resubmit (the institution); return with reasons, accept (the bureau). */
  async act(dto: LedgerActionRequestDto, ctx: MessageContext): Promise<LedgerView> {
    return this.ds.transaction(async (m) => {
      const ledger = await this.row(m, dto.id, ctx, true);
      const campaign = await this.campaignOf(m, ledger);
      const t = checkTransition(dto.action, ledger.status, this.party(ledger, ctx));
      this.checkWindow(t.window, campaign);
      if (dto.action === 'return' && !dto.note?.trim()) throw DomainError.validation([ruleError('note', 'returnNeedsReasons', 'returning a ledger for correction states the reasons')]);
      if (t.by === 'institution') stillDesignated(await this.register.institution(ledger.institution_id, ctx));
      const to = t.to as LedgerStatus;
      await m.query(
        `UPDATE self_inspection_ledger SET status = $2, updated_at = now(),
                return_reasons = CASE WHEN $2 = 'returned' THEN $3 ELSE return_reasons END,
                submitted_at = CASE WHEN $2 IN ('submitted', 'resubmitted') THEN now() ELSE submitted_at END,
                accepted_at = CASE WHEN $2 = 'accepted' THEN now() ELSE accepted_at END
          WHERE id = $1`,
        [ledger.id, to, dto.note ?? null],
      );
      await this.step(m, ledger.id, ctx, { action: dto.action, from: ledger.status, to, note: dto.note });
      await audit(m, { actor: ctx.actor, action: `ledger.${dto.action}`, target: ledger.id, outcome: 'succeeded', detail: { from: ledger.status, to, note: dto.note } });
      await this.outbox.append(m, { type: t.event!, payload: { ...this.payload({ ...ledger, status: to }), note: dto.note ?? null } }, ctx);
      return this.view(m, await this.row(m, ledger.id, ctx), ctx);
    });
  }

  /** Refunds made and problems rectified after acceptance: recorded as history, rows move forward only. */
  async progress(dto: LedgerProgressRequestDto, ctx: MessageContext): Promise<LedgerView> {
    return this.ds.transaction(async (m) => {
      const ledger = await this.row(m, dto.id, ctx, true);
      checkTransition('progress', ledger.status, this.party(ledger, ctx));
      const current: LedgerProblemView[] = await m.query(PROBLEMS, [ledger.id]);
      const wasDone = rectificationDone(totalsOf(current));
      const errors = validateProgress(current, dto.problems);
      if (errors.length) throw DomainError.validation(errors);
      const changes = [];
      for (const u of dto.problems) {
        const before = current.find((r) => r.seq === u.seq)!;
        // The reason is Annex 3's 整改中或未整改请备注原因: a rectified row has none.
        const after = { refundedEmployeesFen: u.refundedEmployeesFen, refundedResidentsFen: u.refundedResidentsFen, rectified: u.rectified, reason: u.rectified ? null : (u.reason ?? before.reason) };
        const was = { refundedEmployeesFen: before.refundedEmployeesFen, refundedResidentsFen: before.refundedResidentsFen, rectified: before.rectified, reason: before.reason };
        if (JSON.stringify(after) === JSON.stringify(was)) continue;
        changes.push({ seq: u.seq, before: was, after });
        await m.query(`UPDATE self_inspection_problem SET refunded_employees_fen = $3, refunded_residents_fen = $4, rectified = $5, reason = $6 WHERE ledger_id = $1 AND seq = $2`, [
          ledger.id,
          u.seq,
          after.refundedEmployeesFen,
          after.refundedResidentsFen,
          after.rectified,
          after.reason,
        ]);
      }
      if (!changes.length) throw new DomainError(409, 'NOTHING_CHANGED', 'The progress repeats what the ledger already records.');
      await m.query(`UPDATE self_inspection_ledger SET updated_at = now() WHERE id = $1`, [ledger.id]);
      await this.step(m, ledger.id, ctx, { action: 'progress', from: 'accepted', to: 'accepted', note: dto.note, changes });
      await audit(m, { actor: ctx.actor, action: 'ledger.progress', target: ledger.id, outcome: 'succeeded', detail: { rows: changes.map((c) => c.seq) } });
      const totals = totalsOf(await m.query(PROBLEMS, [ledger.id]));
      await this.outbox.append(m, { type: 'ledger.progress_recorded', payload: { ...this.payload(ledger), rows: changes.map((c) => c.seq), totals } }, ctx);
      // Once, when the last problem is rectified and the last fen refunded.
      if (!wasDone && rectificationDone(totals)) await this.outbox.append(m, { type: 'ledger.rectification_completed', payload: { ...this.payload(ledger), totals } }, ctx);
      return this.view(m, await this.row(m, ledger.id, ctx), ctx);
    });
  }

  async get(id: string, ctx: MessageContext): Promise<LedgerView> {
    return this.view(this.ds.manager, await this.row(this.ds.manager, id, ctx), ctx);
  }

  /** The ledger's history older than `before`, newest first, one reply's worth (at least one step). */
  async history(dto: LedgerHistoryRequestDto, ctx: MessageContext): Promise<LedgerHistoryPage> {
    const ledger = await this.row(this.ds.manager, dto.id, ctx);
    return this.steps(this.ds.manager, ledger.id, REPLY_BYTES, dto.before ?? null, true);
  }

  /** One page of a campaign's ledgers the caller may read, by institution code unless sorted otherwise. */
  async list(dto: ListLedgersRequestDto, ctx: MessageContext): Promise<Page<LedgerListItem>> {
    await this.campaigns.row(this.ds.manager, dto.campaignId, ctx);
    const order = sortOrder(dto.sort, SORTS, 'l.institution_code ASC, l.id');
    const { page, pageSize, offset } = pageOf(dto);
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Ledger', COLUMNS, 2);
    if (!filter) return { items: [], total: 0, page, pageSize };
    const params: unknown[] = [dto.campaignId, ...filter.params];
    const where = ['l.campaign_id = $1', filter.sql];
    if (dto.status) where.push(`l.status = $${params.push(dto.status)}`);
    if (dto.kind) where.push(`l.institution_kind = $${params.push(dto.kind)}`);
    if (dto.regionCode) where.push(`l.region_code = $${params.push(dto.regionCode)}`);
    if (dto.q?.trim()) where.push(`(l.institution_name ILIKE $${params.push(likePattern(dto.q))} OR l.institution_code ILIKE $${params.length})`);
    const from = `FROM self_inspection_ledger l CROSS JOIN LATERAL (${TOTALS}) t WHERE ${where.join(' AND ')}`;
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM self_inspection_ledger l WHERE ${where.join(' AND ')}`, params);
    const rows = await this.ds.query(`SELECT l.*, row_to_json(t) AS totals ${from} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${offset}`, params);
    return { items: rows.map((r: LedgerRow & { totals: LedgerTotals }) => ({ ...this.head(r), totals: r.totals })), total, page, pageSize };
  }

  /** The ledger, or 404 when it does not exist or the caller may not read it. */
  async row(m: EntityManager, id: string, ctx: MessageContext, lock = false): Promise<LedgerRow> {
    const [row] = (await m.query(`SELECT * FROM self_inspection_ledger WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])) as LedgerRow[];
    if (!row || !defineAbilityFor(ctx.actor).can('read', subject('Ledger', { regionCode: row.region_code, institutionId: row.institution_id }))) throw DomainError.notFound('The ledger');
    return row;
  }

  async problems(m: EntityManager, id: string): Promise<LedgerProblemView[]> {
    return m.query(PROBLEMS, [id]);
  }

  async campaignOf(m: EntityManager, ledger: LedgerRow): Promise<CampaignRow> {
    // The ledger's readers read its campaign; the check was made on the ledger.
    const [c] = await m.query(`SELECT id, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on,
        (SELECT json_agg(json_build_object('kind', p.kind, 'name', p.name, 'startsOn', to_char(p.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(p.ends_on, 'YYYY-MM-DD')) ORDER BY p.seq) FROM campaign_phase p WHERE p.campaign_id = c.id) AS phases
        FROM campaign c WHERE id = $1`, [ledger.campaign_id]);
    return c;
  }

  /** Who the caller is to this ledger: the institution itself, or the bureau that reviews it. */
  private party(ledger: LedgerRow, ctx: MessageContext): LedgerParty | 'reader' {
    const ability = defineAbilityFor(ctx.actor);
    if (ctx.actor.kind === 'institution' && ability.can('update', subject('Ledger', { institutionId: ledger.institution_id }))) return 'institution';
    if (ability.can('review', subject('Ledger', { regionCode: ledger.region_code }))) return 'bureau';
    return 'reader';
  }

  /** Whether the calendar allows a step of this window today. */
  private windowOpen(window: LedgerTransition['window'], c: Pick<CampaignRow, 'starts_on' | 'ends_on' | 'phases'>, day = today()): boolean {
    if (window === 'self_inspection') return filingOpen(day, c.phases);
    if (window === 'campaign') return c.starts_on <= day && day <= c.ends_on;
    return true;
  }

  private checkWindow(window: LedgerTransition['window'], c: Pick<CampaignRow, 'starts_on' | 'ends_on' | 'phases'>): void {
    const day = today();
    if (this.windowOpen(window, c, day)) return;
    if (window === 'self_inspection') {
      const si = c.phases.find((p) => p.kind === 'self_inspection')!;
      const when = day < si.startsOn ? `has not started yet (it runs ${si.startsOn} to ${si.endsOn})` : `ended on ${si.endsOn}`;
      throw new DomainError(409, 'FILING_CLOSED', `Ledgers are filed during the campaign's ${PHASE_NAMES.self_inspection} phase, which ${when}.`, { today: day, selfInspection: si });
    }
    throw new DomainError(409, 'CAMPAIGN_CLOSED', `The campaign runs ${c.starts_on} to ${c.ends_on}; today is ${day}.`, { today: day });
  }

  private async writeProblems(m: EntityManager, ledgerId: string, problems: LedgerProblemDto[]): Promise<void> {
    for (const [i, p] of problems.entries()) {
      await m.query(
        `INSERT INTO self_inspection_problem (ledger_id, seq, category, content, violating_employees_fen, violating_residents_fen, refunded_employees_fen, refunded_residents_fen, rectified, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [ledgerId, i + 1, p.category, p.content, p.violatingEmployeesFen, p.violatingResidentsFen, p.refundedEmployeesFen, p.refundedResidentsFen, p.rectified, p.reason ?? null],
      );
    }
  }

  private async step(m: EntityManager, ledgerId: string, ctx: MessageContext, s: { action: string; from: LedgerStatus | null; to: LedgerStatus; note?: string; changes?: unknown }): Promise<void> {
    await m.query(`INSERT INTO self_inspection_step (ledger_id, action, from_status, to_status, actor_kind, actor_id, agency_id, note, changes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
      ledgerId,
      s.action,
      s.from,
      s.to,
      ctx.actor.kind,
      ctx.actor.id,
      ctx.actor.agencyId ?? null,
      s.note ?? null,
      s.changes ? JSON.stringify(s.changes) : null,
    ]);
  }

  private payload(l: Pick<LedgerRow, 'id' | 'campaign_id' | 'institution_id' | 'institution_code' | 'region_code' | 'status'>) {
    return { ledgerId: l.id, campaignId: l.campaign_id, institutionId: l.institution_id, institutionCode: l.institution_code, regionCode: l.region_code, status: l.status };
  }

  private head(l: LedgerRow): Omit<LedgerListItem, 'totals'> {
    return {
      id: l.id,
      campaignId: l.campaign_id,
      status: l.status,
      institution: { id: l.institution_id, code: l.institution_code, name: l.institution_name, kind: l.institution_kind, ownership: l.ownership, level: l.level, regionCode: l.region_code },
      insuranceTypes: l.insurance_types,
      returnReasons: l.status === 'accepted' ? null : l.return_reasons,
      submittedAt: l.submitted_at?.toISOString() ?? null,
      acceptedAt: l.accepted_at?.toISOString() ?? null,
      createdAt: l.created_at.toISOString(),
      updatedAt: l.updated_at.toISOString(),
    };
  }

  /**
   * Steps older than `before`, newest first, while their JSON fits `budget` bytes; with
   * `atLeastOne` the newest is given whatever its size (one step is bounded: 200 rows).
   */
  private async steps(m: EntityManager, ledgerId: string, budget: number, before: number | null, atLeastOne = false, most = Infinity): Promise<LedgerHistoryPage> {
    const [{ total }] = await m.query(`SELECT count(*)::int AS total FROM self_inspection_step WHERE ledger_id = $1`, [ledgerId]);
    const items: LedgerStepView[] = [];
    let used = 0;
    let cursor = before;
    for (;;) {
      const batch: (LedgerStepView & { at: Date })[] = await m.query(STEPS, [ledgerId, cursor, 20]);
      for (const s of batch) {
        const step = { ...s, at: s.at.toISOString() };
        const bytes = Buffer.byteLength(JSON.stringify(step)) + 1;
        // The next page starts at the step that did not fit.
        if (items.length >= most || (used + bytes > budget && !(atLeastOne && !items.length))) return { items, total, before: s.id + 1 };
        items.push(step);
        used += bytes;
      }
      if (batch.length < 20) return { items, total, before: null };
      cursor = batch[batch.length - 1].id;
    }
  }

  private async view(m: EntityManager, l: LedgerRow, ctx: MessageContext): Promise<LedgerView> {
    const problems = await this.problems(m, l.id);
    const party = this.party(l, ctx);
    // The steps the caller may take today: by the workflow table and by the campaign's calendar.
    const campaign = await this.campaignOf(m, l);
    const rest = {
      ...this.head(l),
      problems,
      totals: totalsOf(problems),
      allowedActions: party === 'reader' ? [] : allowedFor(l.status, party).filter((a) => this.windowOpen(transition(a).window, campaign)),
    };
    // The latest steps that fit beside the rows; older ones are paged by `history`.
    const page = await this.steps(m, l.id, REPLY_BYTES - Buffer.byteLength(JSON.stringify(rest)), null, false, LEDGER_VIEW_HISTORY_STEPS);
    return { ...rest, history: page.items.reverse(), historyTotal: page.total, historyBefore: page.before };
  }
}
