import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import { AgencyKind, DomainError, ErrorCode, IssueSupervisionDto, ListSupervisionsDto, MessageContext, Page, ruleError, SupervisionCloseRequestDto, SupervisionReportRequestDto, SupervisionView } from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { audit, OutboxWriter } from '@lianban/persistence';
import { CaseService } from '../cases/case.service';
import { CaseClockService } from '../clocks/case-clock.service';

interface OrderRow {
  id: string;
  case_id: string;
  case_number: string;
  kind: 'supervision' | 'listed';
  status: 'open' | 'closed';
  issuing_agency_id: string;
  supervised_agency_id: string;
  region_code: string;
  document_number: string;
  requirements: string;
  deadline: Date;
  report_every_working_days: number;
  created_at: Date;
}

const COLUMNS = { regionCode: 'o.region_code', supervisedAgencyId: 'o.supervised_agency_id' };
const scoped = (o: Pick<OrderRow, 'region_code' | 'supervised_agency_id'>) => subject('Supervision', { regionCode: o.region_code, supervisedAgencyId: o.supervised_agency_id });

/**
 * Supervision (督办) and listed supervision of major cases (挂牌督办) by the leading-group office:
 * an order on a case with a deadline and a progress report due every so many working days. The
 * supervised bureau sees its orders and files the reports; both deadlines are clocks of the
 * shared engine, so a late report shows as overdue and is escalated like any missed deadline.
 */
@Injectable()
export class SupervisionService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly cases: CaseService,
    private readonly clocks: CaseClockService,
  ) {}

  async issue(dto: IssueSupervisionDto, ctx: MessageContext): Promise<SupervisionView> {
    const actor = ctx.actor;
    if (actor.kind !== 'officer' || actor.agencyKind !== AgencyKind.LEADING_GROUP_OFFICE) throw new DomainError(403, ErrorCode.FORBIDDEN, 'Supervision orders are issued by the leading-group office.');
    const now = new Date();
    const deadline = new Date(dto.deadline);
    if (!(deadline > now)) throw DomainError.validation([ruleError('deadline', 'deadlineNotFuture', 'the deadline lies in the future')]);
    return this.ds.transaction(async (m) => {
      const c = await this.cases.load(m, dto.caseId, ctx, true);
      if (!defineAbilityFor(actor).can('create', subject('Supervision', { regionCode: c.region_code }))) throw new DomainError(403, ErrorCode.FORBIDDEN, 'The case lies outside the office’s region.');
      if (['archived', 'closed'].includes(c.state)) throw new DomainError(409, 'CASE_CONCLUDED', 'The case is concluded: there is nothing left to supervise.');
      if (dto.kind === 'listed' && !c.major) throw new DomainError(409, 'LISTED_SUPERVISION_NEEDS_MAJOR_CASE', 'Listed supervision (挂牌督办) is for major cases.');
      const [open] = await m.query(`SELECT id FROM supervision_order WHERE case_id = $1 AND status = 'open'`, [c.id]);
      if (open) throw new DomainError(409, 'SUPERVISION_ALREADY_OPEN', 'The case is already under an open supervision order.', { supervisionId: open.id });
      const [{ id }] = await m.query(
        `INSERT INTO supervision_order (case_id, kind, issuing_agency_id, supervised_agency_id, region_code, document_number, requirements, deadline, report_every_working_days, issued_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [c.id, dto.kind, actor.agencyId, c.agency_id, c.region_code, dto.documentNumber, dto.requirements, deadline, dto.reportEveryWorkingDays, actor.id, now],
      );
      await this.startReportClock(m, id, c.agency_id, c.region_code, dto.reportEveryWorkingDays, now);
      await this.clocks.start(m, { subjectType: 'supervision', subjectId: id, step: 'supervision_deadline', dutyAgencyId: c.agency_id, regionCode: c.region_code, startedAt: now, dueAt: deadline });
      await audit(m, { actor, action: 'supervision.issue', target: id, outcome: 'succeeded', detail: { caseId: c.id, kind: dto.kind, documentNumber: dto.documentNumber } });
      await this.outbox.append(m, { type: 'supervision.issued', payload: { supervisionId: id, caseId: c.id, kind: dto.kind, supervisedAgencyId: c.agency_id, regionCode: c.region_code, deadline: deadline.toISOString() } }, ctx);
      return this.view(m, id, ctx);
    });
  }

  /** The supervised bureau reports progress; a report after its due time is marked late. */
  async report(dto: SupervisionReportRequestDto, ctx: MessageContext): Promise<SupervisionView> {
    const now = new Date();
    return this.ds.transaction(async (m) => {
      const o = await this.load(m, dto.id, ctx, true);
      if (!defineAbilityFor(ctx.actor).can('update', scoped(o))) throw new DomainError(403, ErrorCode.FORBIDDEN, 'Progress is reported by the supervised bureau.');
      if (o.status !== 'open') throw new DomainError(409, 'SUPERVISION_CLOSED', 'The supervision order is closed.');
      const [clock] = await m.query(`SELECT due_at FROM clock WHERE subject_id = $1 AND step = 'supervision_report' AND stopped_at IS NULL`, [o.id]);
      const late = clock ? now >= clock.due_at : false;
      await m.query(
        `INSERT INTO supervision_report (order_id, seq, progress, document_number, actor_id, agency_id, at, late)
         VALUES ($1, (SELECT COALESCE(max(seq), 0) + 1 FROM supervision_report WHERE order_id = $1), $2, $3, $4, $5, $6, $7)`,
        [o.id, dto.progress, dto.documentNumber ?? null, ctx.actor.id, ctx.actor.agencyId, now, late],
      );
      await this.clocks.stop(m, o.id, ['supervision_report'], now);
      await this.startReportClock(m, o.id, o.supervised_agency_id, o.region_code, o.report_every_working_days, now);
      await audit(m, { actor: ctx.actor, action: 'supervision.report', target: o.id, outcome: 'succeeded', detail: { late } });
      await this.outbox.append(m, { type: 'supervision.progress_reported', payload: { supervisionId: o.id, caseId: o.case_id, late, issuingAgencyId: o.issuing_agency_id, regionCode: o.region_code } }, ctx);
      return this.view(m, o.id, ctx);
    });
  }

  async close(dto: SupervisionCloseRequestDto, ctx: MessageContext): Promise<SupervisionView> {
    const now = new Date();
    return this.ds.transaction(async (m) => {
      const o = await this.load(m, dto.id, ctx, true);
      // Only the office that issued it: a district office does not end the city office's 挂牌督办.
      if (!defineAbilityFor(ctx.actor).can('create', scoped(o)) || ctx.actor.agencyId !== o.issuing_agency_id) {
        throw new DomainError(403, ErrorCode.FORBIDDEN, 'The leading-group office that issued a supervision order closes it.');
      }
      if (o.status !== 'open') throw new DomainError(409, 'SUPERVISION_CLOSED', 'The supervision order is already closed.');
      await m.query(`UPDATE supervision_order SET status = 'closed', closed_at = $2, close_note = $3 WHERE id = $1`, [o.id, now, dto.note]);
      await this.clocks.stopAll(m, o.id, now);
      await audit(m, { actor: ctx.actor, action: 'supervision.close', target: o.id, outcome: 'succeeded' });
      await this.outbox.append(m, { type: 'supervision.closed', payload: { supervisionId: o.id, caseId: o.case_id, supervisedAgencyId: o.supervised_agency_id, regionCode: o.region_code } }, ctx);
      return this.view(m, o.id, ctx);
    });
  }

  /** The orders the caller may read, newest first, narrowed to a status and to one case when asked. */
  async list(ctx: MessageContext, q: ListSupervisionsDto = {}): Promise<Page<SupervisionView>> {
    const { page = 1, pageSize = 20 } = q;
    const params: unknown[] = [];
    const where: string[] = [];
    if (q.status) where.push(`o.status = $${params.push(q.status)}`);
    if (q.caseId) where.push(`o.case_id = $${params.push(q.caseId)}`);
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Supervision', COLUMNS, params.length + 1);
    if (!filter) return { items: [], total: 0 };
    const condition = [...where, filter.sql].join(' AND ');
    params.push(...filter.params);
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM supervision_order o WHERE ${condition}`, params);
    const rows: { id: string }[] = await this.ds.query(`SELECT o.id FROM supervision_order o WHERE ${condition} ORDER BY o.created_at DESC, o.id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`, params);
    return { items: await Promise.all(rows.map((r) => this.view(this.ds.manager, r.id, ctx))), total };
  }

  get(id: string, ctx: MessageContext): Promise<SupervisionView> {
    return this.view(this.ds.manager, id, ctx);
  }

  private startReportClock(m: EntityManager, id: string, agencyId: string, regionCode: string, every: number, at: Date) {
    return this.clocks.start(m, { subjectType: 'supervision', subjectId: id, step: 'supervision_report', dutyAgencyId: agencyId, regionCode, startedAt: at, limit: { amount: every, unit: 'working_days' } });
  }

  private async load(m: EntityManager, id: string, ctx: MessageContext, lock = false): Promise<OrderRow> {
    const [o] = (await m.query(
      `SELECT o.*, c.number AS case_number FROM supervision_order o JOIN enforcement_case c ON c.id = o.case_id WHERE o.id = $1${lock ? ' FOR UPDATE OF o' : ''}`,
      [id],
    )) as OrderRow[];
    if (!o || !defineAbilityFor(ctx.actor).can('read', scoped(o))) throw DomainError.notFound('The supervision order');
    return o;
  }

  private async view(m: EntityManager, id: string, ctx: MessageContext): Promise<SupervisionView> {
    const o = await this.load(m, id, ctx);
    const now = new Date();
    const [clock] = await m.query(`SELECT due_at FROM clock WHERE subject_id = $1 AND step = 'supervision_report' AND stopped_at IS NULL`, [id]);
    const reports: { seq: number; progress: string; documentNumber: string | null; actorId: string; agencyId: string; at: Date; late: boolean }[] = await m.query(
      `SELECT seq, progress, document_number AS "documentNumber", actor_id AS "actorId", agency_id AS "agencyId", at, late FROM supervision_report WHERE order_id = $1 ORDER BY seq`,
      [id],
    );
    return {
      id: o.id,
      caseId: o.case_id,
      caseNumber: o.case_number,
      kind: o.kind,
      status: o.status,
      issuingAgencyId: o.issuing_agency_id,
      supervisedAgencyId: o.supervised_agency_id,
      regionCode: o.region_code,
      documentNumber: o.document_number,
      requirements: o.requirements,
      deadline: o.deadline.toISOString(),
      reportEveryWorkingDays: o.report_every_working_days,
      nextReportDueAt: clock ? clock.due_at.toISOString() : null,
      reportOverdue: o.status === 'open' && !!clock && now >= clock.due_at,
      deadlineOverdue: o.status === 'open' && now >= o.deadline,
      reports: reports.map((r) => ({ ...r, at: r.at.toISOString() })),
      createdAt: o.created_at.toISOString(),
    };
  }
}
