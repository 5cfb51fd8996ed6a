import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import {
  AdvanceClueRequestDto,
  AgencyKind,
  AgencyView,
  ClueAction,
  ClueOutcome,
  ClueStatus,
  ClueStepView,
  ClueView,
  CreateClueDto,
  DomainError,
  ErrorCode,
  FieldError,
  likePattern,
  ListCluesQueryDto,
  maskIdNumber,
  MessageContext,
  Page,
  pageOf,
  REPEATED_PARTY_THRESHOLD,
  ReporterDto,
  ruleError,
  sortOrder,
  TIP_OFF_SOURCES,
  UNSENT_TRANSFER_STATES,
  wantsPage,
} from '@lianban/contracts';
import { defineAbilityFor, regionReaches, sqlFilter } from '@lianban/authz';
import { audit, auditRefusals, OutboxWriter } from '@lianban/persistence';
import { deadlineInstant } from '@lianban/clocks';
import { PiiCipher, recordNumber } from '@lianban/platform';
import { ClockService } from '../clocks/clock.service';
import { DirectoryClient } from '../transfers/directory.client';

export const CLUE_CIPHER = Symbol('CLUE_CIPHER');

/** A report-back date (a date alone runs to 24:00 of that day in Shanghai, deadlineInstant), in the future. */
function reportBackDate(value: string, problems: FieldError[]): Date | null {
  const at = deadlineInstant(value);
  if (Number.isNaN(at.getTime())) problems.push(ruleError('reportBackBy', 'deadlineFormat', 'reportBackBy is a date (2026-03-31) or a date and time (2026-03-31T17:00, Shanghai time unless a zone is given)'));
  else if (at <= new Date()) problems.push(ruleError('reportBackBy', 'deadlineNotFuture', 'reportBackBy is in the past'));
  else return at;
  return null;
}

interface ClueRow {
  id: string;
  number: string;
  agency_id: string;
  region_code: string;
  source: ClueView['source'];
  subject_kind: string;
  subject_name: string;
  subject_institution_code: string | null;
  subject_id_number_enc: Buffer | null;
  subject_id_index: Buffer | null;
  categories: string[];
  period_from: string;
  period_to: string;
  amount_fen: string | null;
  description: string;
  reporter_enc: Buffer | null;
  report_back_by: Date | null;
  assignment_reference: string | null;
  assigned_by_agency_id: string | null;
  status: ClueStatus;
  outcome: ClueView['outcome'];
  filing_decision_due_at: Date;
  created_at: Date;
}

/** Who takes a step: the bureau handling the clue, or the bureau that assigned it down (交办). */
type ClueParty = 'handler' | 'assigner';

/**
 * Clue status machine: action → from → to, and whose step it is. A clue assigned down on the
 * platform is `reported` when concluded, and concluded only when the assigning bureau accepts.
 */
const CLUE_STEPS: Record<Exclude<ClueAction, 'notify_reporter'>, { from: ClueStatus[]; to: ClueStatus; by: ClueParty; event: string }> = {
  triage: { from: ['received'], to: 'triaged', by: 'handler', event: 'clue.triaged' },
  start_verification: { from: ['triaged'], to: 'verifying', by: 'handler', event: 'clue.verification_started' },
  conclude: { from: ['triaged', 'verifying'], to: 'concluded', by: 'handler', event: 'clue.concluded' },
  accept_report: { from: ['reported'], to: 'concluded', by: 'assigner', event: 'clue.report_accepted' },
  return_report: { from: ['reported'], to: 'verifying', by: 'assigner', event: 'clue.report_returned' },
};

/** What a list of clues may be sorted by. */
const CLUE_SORT: Record<string, string> = { createdAt: 'created_at', number: 'number', status: 'status', source: 'source', amountFen: 'amount_fen', subject: 'subject_name' };

/** The blind index of a subject's ID number (PiiCipher.blindIndex). */
const SUBJECT_ID = 'clue.subject.id_number';

const SELECT = `SELECT id, number, agency_id, region_code, source, subject_kind, subject_name, subject_institution_code, subject_id_number_enc, subject_id_index, categories,
  to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to, amount_fen, description, reporter_enc,
  report_back_by, assignment_reference, assigned_by_agency_id, status, outcome, filing_decision_due_at, created_at FROM clue`;

/**
 * Clues (线索): intake from every source, triage, verification and outcome. The identity of a
 * tip-off's reporter is sealed at rest, never leaves this service in a view or an event, and is
 * shown only to the receiving bureau's tip-off desk, each time audited.
 */
@Injectable()
export class ClueService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClueService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clocks: ClockService,
    @Inject(CLUE_CIPHER) private readonly cipher: PiiCipher,
    private readonly directory: DirectoryClient,
  ) {}

  /** Clues recorded before the blind index existed get theirs (their ID numbers are decrypted here, in the service, once). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const indexed = await this.indexSubjectIds();
      if (indexed) this.logger.log(`${indexed} clues' subject ID numbers indexed for matching`);
    } catch (e) {
      this.logger.error(`clues' subject ID numbers were not indexed: ${(e as Error).message}`);
    }
  }

  /** Writes the blind index of every subject ID number that lacks one, 500 clues a statement; how many. */
  async indexSubjectIds(): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let indexed = 0;
    for (;;) {
      const rows: { id: string; subject_id_number_enc: Buffer }[] = await this.ds.query(
        `SELECT id, subject_id_number_enc FROM clue WHERE subject_id_number_enc IS NOT NULL AND subject_id_index IS NULL AND id > $1 ORDER BY id LIMIT 500`,
        [after],
      );
      if (!rows.length) return indexed;
      after = rows[rows.length - 1].id;
      const ids: string[] = [];
      const indexes: Buffer[] = [];
      for (const r of rows) {
        try {
          indexes.push(this.cipher.blindIndex(this.cipher.decrypt(r.subject_id_number_enc, `clue:${r.id}:subject`), SUBJECT_ID));
          ids.push(r.id);
        } catch (e) {
          this.logger.error(`clue ${r.id}: the subject's ID number does not decrypt (${(e as Error).message}); left unindexed`);
        }
      }
      await this.ds.query(`UPDATE clue SET subject_id_index = x.ix FROM unnest($1::uuid[], $2::bytea[]) AS x(id, ix) WHERE clue.id = x.id AND clue.subject_id_index IS NULL`, [ids, indexes]);
      indexed += ids.length;
    }
  }

  async create(dto: CreateClueDto, ctx: MessageContext): Promise<ClueView> {
    const actor = ctx.actor;
    if (!actor.regionCode || !actor.agencyId || !defineAbilityFor(actor).can('create', subject('Clue', { regionCode: actor.regionCode }))) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Clues are taken in by the medical insurance bureau.');
    }
    const problems: FieldError[] = [];
    const assignee = dto.assignToAgencyId ? await this.assignee(dto, ctx, problems) : null;
    if (dto.periodTo < dto.periodFrom) problems.push(ruleError('periodTo', 'endsBeforeStart', 'periodTo is before periodFrom', { startsOn: dto.periodFrom }));
    if (dto.reporter && !TIP_OFF_SOURCES.includes(dto.source)) problems.push(ruleError('reporter', 'reporterOnlyForTipOff', 'only a tip-off has a reporter'));
    if (dto.source === 'assigned' && !dto.reportBackBy) problems.push(ruleError('reportBackBy', 'reportBackNeeded', 'an assigned clue carries the date its result is due back'));
    if (dto.source !== 'assigned' && dto.reportBackBy) problems.push(ruleError('reportBackBy', 'reportBackOnlyAssigned', 'only a clue assigned by a higher level is reported back'));
    if (dto.subject.kind === 'institution' && !dto.subject.institutionCode) problems.push(ruleError('subject.institutionCode', 'institutionCodeNeeded', 'name the designated institution by its code'));
    const reportBackAt = dto.reportBackBy ? reportBackDate(dto.reportBackBy, problems) : null;
    if (problems.length) throw DomainError.validation(problems);

    const id = randomUUID();
    const now = new Date();
    // Assigned down, the clue is the assigned bureau's from the start: its number, its clocks.
    const agencyId = assignee?.id ?? actor.agencyId;
    const regionCode = assignee?.regionCode ?? actor.regionCode;
    return this.ds.transaction(async (m) => {
      const [{ n }] = await m.query(`SELECT nextval('clue_number_seq') AS n`);
      const number = recordNumber('XS', regionCode, n, now);
      await m.query(
        `INSERT INTO clue (id, number, agency_id, region_code, source, subject_kind, subject_name, subject_institution_code, subject_id_number_enc, categories,
                           period_from, period_to, amount_fen, description, reporter_enc, report_back_by, assignment_reference, attachments, filing_decision_due_at, created_by, created_at,
                           assigned_by_agency_id, subject_id_index)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
        [
          id,
          number,
          agencyId,
          regionCode,
          dto.source,
          dto.subject.kind,
          dto.subject.name,
          dto.subject.institutionCode ?? null,
          dto.subject.idNumber ? this.cipher.encrypt(dto.subject.idNumber, `clue:${id}:subject`) : null,
          dto.categories,
          dto.periodFrom,
          dto.periodTo,
          dto.amountFen ?? null,
          dto.description,
          dto.reporter ? this.cipher.encrypt(JSON.stringify(dto.reporter), `clue:${id}:reporter`) : null,
          reportBackAt,
          dto.assignmentReference ?? null,
          JSON.stringify(dto.attachments ?? []),
          new Date(0), // replaced below, once the clock has computed it
          actor.id,
          now,
          assignee ? actor.agencyId : null,
          dto.subject.idNumber ? this.cipher.blindIndex(dto.subject.idNumber, SUBJECT_ID) : null,
        ],
      );
      await this.clocks.start(m, { subjectType: 'clue', subjectId: id, step: 'clue_filing_decision', dutyAgencyId: agencyId, regionCode, startedAt: now });
      // The assigning bureau awaits the report: it hears when the date nears and passes, as the district does.
      const alsoTell = assignee ? [actor.agencyId!] : [];
      if (reportBackAt) await this.clocks.start(m, { subjectType: 'clue', subjectId: id, step: 'report_back', dutyAgencyId: agencyId, regionCode, startedAt: now, dueAt: reportBackAt, alsoTell });
      await m.query(`UPDATE clue SET filing_decision_due_at = (SELECT due_at FROM clock WHERE subject_id = $1 AND step = 'clue_filing_decision') WHERE id = $1`, [id]);
      await this.recordStep(m, id, assignee ? 'assign' : 'receive', null, 'received', ctx);
      await audit(m, { actor, action: 'clue.create', target: id, outcome: 'succeeded', detail: assignee ? { assignedTo: assignee.id } : undefined });
      // The event names the subject, never the reporter.
      await this.outbox.append(
        m,
        {
          type: 'clue.received',
          payload: {
            clueId: id,
            number,
            source: dto.source,
            agencyId,
            regionCode,
            subjectKind: dto.subject.kind,
            institutionCode: dto.subject.institutionCode ?? null,
            assignedByAgencyId: assignee ? actor.agencyId : null,
            reportBackBy: reportBackAt?.toISOString() ?? null,
          },
        },
        ctx,
      );
      return this.view(m, await this.row(m, id, ctx), ctx, true);
    });
  }

  /**
   * The clues the caller may read, newest first: the latest 500 as an array, or, when a page is
   * asked for, one page of them (sorted, searched in number and subject) with the total.
   */
  async list(ctx: MessageContext, query: ListCluesQueryDto = {}): Promise<ClueView[] | Page<ClueView>> {
    const order = sortOrder(query.sort, CLUE_SORT, 'created_at DESC, id');
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status?.length) where.push(`status = ANY($${params.push(query.status)})`);
    if (query.source?.length) where.push(`source = ANY($${params.push(query.source)})`);
    if (query.assignedBy) where.push(`assigned_by_agency_id = $${params.push(query.assignedBy)}`);
    if (query.q?.trim()) where.push(`(number ILIKE $${params.push(likePattern(query.q))} OR subject_name ILIKE $${params.length} OR subject_institution_code ILIKE $${params.length})`);
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Clue', { regionCode: 'region_code' }, params.length + 1);
    const paged = wantsPage(query);
    const { page, pageSize, offset } = pageOf(query);
    if (!filter) return paged ? { items: [], total: 0, page, pageSize } : [];
    const condition = [...where, filter.sql].join(' AND ');
    const all = [...params, ...filter.params];
    const rows: ClueRow[] = await this.ds.query(`${SELECT} WHERE ${condition} ORDER BY ${order} LIMIT ${paged ? pageSize : 500} OFFSET ${paged ? offset : 0}`, all);
    const items = await Promise.all(rows.map((r) => this.view(this.ds.manager, r, ctx)));
    if (!paged) return items;
    const [{ count }] = await this.ds.query(`SELECT count(*)::int AS count FROM clue WHERE ${condition}`, all);
    return { items, total: count, page, pageSize };
  }

  async get(id: string, ctx: MessageContext): Promise<ClueView> {
    return this.view(this.ds.manager, await this.row(this.ds.manager, id, ctx), ctx, true);
  }

  async advance(dto: AdvanceClueRequestDto, ctx: MessageContext): Promise<ClueView> {
    const now = new Date();
    // A refused step (not the caller's, not possible now, not found) is audited too.
    return auditRefusals(this.ds.manager, { actor: ctx.actor, action: `clue.${dto.action}`, target: dto.id }, () => this.step(dto, ctx, now));
  }

  private step(dto: AdvanceClueRequestDto, ctx: MessageContext, now: Date): Promise<ClueView> {
    return this.ds.transaction(async (m) => {
      const clue = await this.row(m, dto.id, ctx, true);
      const ability = defineAbilityFor(ctx.actor);
      const by: ClueParty = dto.action === 'notify_reporter' ? 'handler' : CLUE_STEPS[dto.action].by;
      if (!ability.can('update', subject('Clue', { regionCode: clue.region_code })) || ctx.actor.agencyId !== (by === 'handler' ? clue.agency_id : clue.assigned_by_agency_id)) {
        throw new DomainError(
          403,
          ErrorCode.FORBIDDEN,
          by === 'handler' ? 'Only the bureau that took the clue in handles it.' : 'Only the bureau that assigned the clue down accepts or returns its report.',
        );
      }
      if (dto.action === 'notify_reporter') {
        if (!(await this.reporterNoticePending(m, clue.id))) throw new DomainError(409, ErrorCode.ILLEGAL_TRANSITION, 'There is no pending notice to a real-name reporter on this clue.', { current: clue.status, allowed: this.allowed(clue, false, 'handler') });
        await this.clocks.stop(m, clue.id, ['reporter_notice'], now);
        await this.recordStep(m, clue.id, 'notify_reporter', clue.status, clue.status, ctx, dto.note);
        await audit(m, { actor: ctx.actor, action: 'clue.notify_reporter', target: clue.id, outcome: 'succeeded' });
        return this.view(m, await this.row(m, clue.id, ctx), ctx, true);
      }
      const step = CLUE_STEPS[dto.action];
      if (!step.from.includes(clue.status)) {
        const pending = await this.reporterNoticePending(m, clue.id);
        throw new DomainError(409, ErrorCode.ILLEGAL_TRANSITION, `A clue that is ${clue.status} cannot take the step "${dto.action}".`, { current: clue.status, allowed: this.allowed(clue, pending, by) });
      }
      // A returned report goes back with the reasons and a new date to report by.
      let reportBackAt: Date | null = null;
      if (dto.action === 'return_report') {
        const problems: FieldError[] = [];
        if (!dto.note?.trim()) problems.push(ruleError('note', 'returnReasonNeeded', 'a returned report says what is to be verified again'));
        if (!dto.reportBackBy) problems.push(ruleError('reportBackBy', 'reportBackNeeded', 'a returned report carries the new date its result is due back'));
        else reportBackAt = reportBackDate(dto.reportBackBy, problems);
        if (problems.length) throw DomainError.validation(problems);
      }
      if (dto.action === 'conclude') await this.checkOutcome(m, clue, dto.outcome, ctx);
      // Assigned down on the platform, a concluded clue waits for the assigning bureau's acceptance.
      const to = dto.action === 'conclude' && clue.assigned_by_agency_id ? 'reported' : step.to;
      const outcome = dto.action === 'conclude' ? dto.outcome! : dto.action === 'accept_report' ? clue.outcome : null;
      await m.query(`UPDATE clue SET status = $2, outcome = $3, concluded_at = CASE WHEN $2 = 'concluded' THEN now() END, report_back_by = coalesce($4, report_back_by) WHERE id = $1`, [
        clue.id,
        to,
        outcome,
        reportBackAt,
      ]);
      await this.recordStep(m, clue.id, dto.action, clue.status, to, ctx, dto.note);
      if (dto.action === 'conclude') {
        await this.clocks.stop(m, clue.id, ['clue_filing_decision', 'report_back'], now);
        // A real-name reporter is told of the decision within 5 working days.
        if (clue.reporter_enc) {
          await this.clocks.start(m, { subjectType: 'clue', subjectId: clue.id, step: 'reporter_notice', dutyAgencyId: clue.agency_id, regionCode: clue.region_code, startedAt: now });
        }
      }
      if (reportBackAt) {
        await this.clocks.start(m, { subjectType: 'clue', subjectId: clue.id, step: 'report_back', dutyAgencyId: clue.agency_id, regionCode: clue.region_code, startedAt: now, dueAt: reportBackAt, alsoTell: [clue.assigned_by_agency_id!] });
      }
      await audit(m, { actor: ctx.actor, action: `clue.${dto.action}`, target: clue.id, outcome: 'succeeded', detail: { outcome: outcome ?? undefined, reportBackBy: reportBackAt?.toISOString() } });
      await this.outbox.append(
        m,
        {
          type: to === 'reported' ? 'clue.reported' : step.event,
          payload: { clueId: clue.id, number: clue.number, outcome, agencyId: clue.agency_id, assignedByAgencyId: clue.assigned_by_agency_id, reportBackBy: reportBackAt?.toISOString() ?? null },
        },
        ctx,
      );
      return this.view(m, await this.row(m, clue.id, ctx), ctx, true);
    });
  }

  /**
   * A clue is cleared (线索清零) with an outcome the record bears out: `transferred` once a transfer
   * from it has been sent, `case_opened` once a case names it (the cases service says), `unfounded`
   * only when neither happened.
   */
  private async checkOutcome(m: EntityManager, clue: ClueRow, outcome: ClueOutcome | undefined, ctx: MessageContext): Promise<void> {
    if (!outcome) throw DomainError.validation([ruleError('outcome', 'outcomeNeeded', 'concluding a clue records its outcome')]);
    const [{ sent }] = (await m.query(`SELECT count(*)::int AS sent FROM transfer WHERE clue_id = $1 AND state <> ALL($2)`, [clue.id, UNSENT_TRANSFER_STATES])) as { sent: number }[];
    const cases = outcome === 'transferred' ? 0 : await this.directory.casesFromClue(clue.id, ctx);
    if (outcome === 'transferred' && !sent) throw DomainError.validation([ruleError('outcome', 'outcomeWithoutTransfer', 'no transfer from this clue has been sent: send it first, then conclude the clue as transferred')]);
    if (outcome === 'case_opened' && !cases) throw DomainError.validation([ruleError('outcome', 'outcomeWithoutCase', 'no case names this clue: file the case with the clue first, then conclude the clue as case opened')]);
    if (outcome === 'unfounded' && (sent || cases)) {
      throw DomainError.validation([ruleError('outcome', 'outcomeContradicted', `the clue is not unfounded: ${sent ? 'a transfer from it was sent' : 'a case was opened from it'}`, { found: sent ? 'transfer' : 'case' })]);
    }
  }

  /**
   * The reporter of a tip-off, for the receiving bureau's tip-off desk only. Every attempt is
   * audited, one on a clue the caller cannot see (or that does not exist) too, which is answered
   * 404 as any other request for it.
   */
  async revealReporter(id: string, ctx: MessageContext): Promise<ReporterDto | null> {
    return this.ds
      .transaction(async (m) => {
        const clue = await this.row(m, id, ctx).catch((e: unknown) => {
          if (e instanceof DomainError && e.status === 404) return undefined;
          throw e;
        });
        const refusal = !clue ? 'not_found' : defineAbilityFor(ctx.actor).can('read', subject('ReporterIdentity', { agencyId: clue.agency_id })) ? undefined : 'forbidden';
        if (refusal) {
          await audit(m, { actor: ctx.actor, action: 'clue.reveal_reporter', target: id, outcome: 'refused', detail: { reason: refusal } });
          // The refusal must survive the transaction's rollback: commit it, then refuse.
          return { refusal };
        }
        await audit(m, { actor: ctx.actor, action: 'clue.reveal_reporter', target: id, outcome: 'succeeded' });
        return { reporter: clue!.reporter_enc ? (JSON.parse(this.cipher.decrypt(clue!.reporter_enc, `clue:${id}:reporter`)) as ReporterDto) : null };
      })
      .then(({ refusal, reporter }) => {
        if (refusal === 'not_found') throw DomainError.notFound('The clue');
        if (refusal) throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the tip-off desk of the bureau that received the clue may see who reported it.');
        return reporter ?? null;
      });
  }

  private async row(m: EntityManager, id: string, ctx: MessageContext, lock = false): Promise<ClueRow> {
    const [row] = (await m.query(`${SELECT} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])) as ClueRow[];
    if (!row || !defineAbilityFor(ctx.actor).can('read', subject('Clue', { regionCode: row.region_code }))) throw DomainError.notFound('The clue');
    return row;
  }

  /** Records a step of the clue (clue_step, shown as its 办理记录) by the calling officer for their agency. */
  private async recordStep(m: EntityManager, clueId: string, action: ClueStepView['action'], from: ClueStatus | null, to: ClueStatus, ctx: MessageContext, note?: string): Promise<void> {
    await m.query(`INSERT INTO clue_step (clue_id, action, from_status, to_status, actor_id, agency_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      clueId,
      action,
      from,
      to,
      ctx.actor.id,
      ctx.actor.agencyId,
      note ?? null,
    ]);
  }

  /** Whether a real-name reporter is still owed the notice of the decision (its clock runs). */
  private async reporterNoticePending(m: EntityManager, clueId: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM clock WHERE subject_id = $1 AND step = 'reporter_notice' AND stopped_at IS NULL`, [clueId])).length > 0;
  }

  /** The steps one side may take now: the handling bureau's, or the assigning bureau's. */
  private allowed(clue: ClueRow, reporterNoticePending: boolean, by: ClueParty): ClueAction[] {
    const actions = (Object.keys(CLUE_STEPS) as (keyof typeof CLUE_STEPS)[]).filter((a) => CLUE_STEPS[a].by === by && CLUE_STEPS[a].from.includes(clue.status)) as ClueAction[];
    return reporterNoticePending ? [...actions, 'notify_reporter'] : actions;
  }

  /**
   * The bureau a clue is assigned down to (交办): a medical insurance bureau below the caller's, in
   * the caller's jurisdiction. Assigning is the officers' and heads' decision, not the tip-off desk's.
   */
  private async assignee(dto: CreateClueDto, ctx: MessageContext, problems: FieldError[]): Promise<AgencyView | null> {
    const actor = ctx.actor;
    if (!defineAbilityFor(actor).can('update', subject('Clue', { regionCode: actor.regionCode! }))) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Assigning a clue down is for the officers and heads of the bureau.');
    }
    if (dto.source !== 'assigned') {
      problems.push(ruleError('assignToAgencyId', 'assignOnlyAssigned', 'only a clue of source "assigned" is assigned down'));
      return null;
    }
    const agency = await this.directory.agency(dto.assignToAgencyId!, 'assignToAgencyId', ctx);
    if (agency.kind !== AgencyKind.MEDICAL_INSURANCE || agency.regionCode === actor.regionCode || !regionReaches(actor.regionCode!, agency.regionCode)) {
      problems.push(ruleError('assignToAgencyId', 'assigneeNotSubordinate', 'a clue is assigned down to a medical insurance bureau below yours', { id: agency.id }));
      return null;
    }
    return agency;
  }

  /**
   * The clue's steps, oldest first. The note on the notice to a real-name reporter (how they were
   * told, which may name them) is for the tip-off desk that may see the reporter; others see that
   * and when the reporter was told, not the note.
   */
  private async steps(m: EntityManager, c: ClueRow, ctx: MessageContext): Promise<ClueStepView[]> {
    const rows: { id: string; action: ClueStepView['action']; from_status: ClueStatus | null; to_status: ClueStatus; actor_id: string; agency_id: string | null; at: Date; note: string | null }[] = await m.query(
      `SELECT id, action, from_status, to_status, actor_id, agency_id, at, note FROM clue_step WHERE clue_id = $1 ORDER BY id`,
      [c.id],
    );
    const desk = defineAbilityFor(ctx.actor).can('read', subject('ReporterIdentity', { agencyId: c.agency_id }));
    return rows.map((r, i) => {
      const withheld = r.action === 'notify_reporter' && r.note !== null && !desk;
      return {
        seq: i + 1,
        action: r.action,
        fromStatus: r.from_status,
        toStatus: r.to_status,
        actorId: r.actor_id,
        agencyId: r.agency_id,
        at: r.at.toISOString(),
        note: withheld ? null : r.note,
        noteWithheld: withheld,
      };
    });
  }

  private async view(m: EntityManager, c: ClueRow, ctx: MessageContext, withSteps = false): Promise<ClueView> {
    // The same party: an institution by its code, a person by the ID number (its blind index: two
    // people of one name are not the same party, one person written two ways is), and where a clue
    // names nobody by number, by kind and name.
    const same = c.subject_institution_code
      ? { sql: 'subject_institution_code = $1', params: [c.subject_institution_code] as unknown[] }
      : c.subject_id_index
        ? { sql: '(subject_id_index = $1 OR (subject_id_index IS NULL AND subject_kind = $2 AND subject_name = $3))', params: [c.subject_id_index, c.subject_kind, c.subject_name] }
        : { sql: 'subject_kind = $1 AND subject_name = $2', params: [c.subject_kind, c.subject_name] };
    const k = same.params.length;
    // Only clues the caller may open: another district's clue on the same party is not theirs to know of.
    const ability = defineAbilityFor(ctx.actor);
    const readableFrom = (param: number) => sqlFilter(ability, 'read', 'Clue', { regionCode: 'region_code' }, param);
    const readable = readableFrom(k + 6);
    const duplicates = readable
      ? await m.query(
          `SELECT id, number, to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo" FROM clue
            WHERE ${same.sql} AND id <> $${k + 1} AND created_at < $${k + 2} AND period_from <= $${k + 4} AND period_to >= $${k + 3} AND region_code LIKE $${k + 5}
              AND ${readable.sql}
            ORDER BY created_at`,
          [...same.params, c.id, c.created_at, c.period_from, c.period_to, `${c.region_code.slice(0, 4)}%`, ...readable.params],
        )
      : [];
    // Counted among the same clues: how often another district heard of the party is not the caller's to know either.
    const counted = readableFrom(k + 1);
    const n = counted ? ((await m.query(`SELECT count(*)::int AS n FROM clue WHERE ${same.sql} AND ${counted.sql}`, [...same.params, ...counted.params])) as { n: number }[])[0].n : 0;
    const handles = ability.can('update', subject('Clue', { regionCode: c.region_code }));
    const mine = handles && ctx.actor.agencyId === c.agency_id;
    const assigner = handles && ctx.actor.agencyId === c.assigned_by_agency_id;
    const pending = mine && (await this.reporterNoticePending(m, c.id));
    return {
      id: c.id,
      number: c.number,
      agencyId: c.agency_id,
      regionCode: c.region_code,
      source: c.source,
      subject: {
        kind: c.subject_kind,
        name: c.subject_name,
        institutionCode: c.subject_institution_code,
        idNumber: c.subject_id_number_enc ? maskIdNumber(this.cipher.decrypt(c.subject_id_number_enc, `clue:${c.id}:subject`)) : null,
      },
      categories: c.categories,
      periodFrom: c.period_from,
      periodTo: c.period_to,
      amountFen: c.amount_fen === null ? null : Number(c.amount_fen),
      description: c.description,
      status: c.status,
      outcome: c.outcome,
      hasReporter: c.reporter_enc !== null,
      reportBackBy: c.report_back_by?.toISOString() ?? null,
      assignmentReference: c.assignment_reference,
      assignedByAgencyId: c.assigned_by_agency_id,
      filingDecisionDueAt: c.filing_decision_due_at.toISOString(),
      duplicates,
      repeatedParty: n >= REPEATED_PARTY_THRESHOLD,
      createdAt: c.created_at.toISOString(),
      allowedActions: mine ? this.allowed(c, pending, 'handler') : assigner ? this.allowed(c, false, 'assigner') : [],
      ...(withSteps ? { steps: await this.steps(m, c, ctx) } : {}),
    };
  }
}
