import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import {
  AgencyKind,
  AgencyView,
  DomainError,
  DraftTransferDto,
  ErrorCode,
  FieldError,
  likePattern,
  ListTransfersQueryDto,
  MessageContext,
  OfficerRole,
  Page,
  pageOf,
  ruleError,
  sortOrder,
  TransferAction,
  TransferParty,
  TransferRoute,
  TransferState,
  TransferStepRequestDto,
  TransferStepView,
  TransferView,
  wantsPage,
} from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { audit, auditRefusals, OutboxWriter } from '@lianban/persistence';
import { recordNumber } from '@lianban/platform';
import { ClockService } from '../clocks/clock.service';
import { DirectoryClient } from './directory.client';
import { ChainedStep, stepDigest, verifyChain } from './step-chain';
import { CLOCK_RULES, findTransition, ROUTE_PARTIES, TRANSFER_MACHINES, Transition, transitionsFrom } from './transfer-machine';

interface TransferRow {
  id: string;
  number: string;
  route: TransferRoute;
  state: TransferState;
  title: string;
  summary: string;
  clue_id: string | null;
  case_id: string | null;
  sender_agency_id: string;
  sender_region_code: string;
  receiver_agency_id: string;
  receiver_region_code: string;
  receiver_history: string[];
  procuratorate_agency_id: string | null;
  court_agency_id: string | null;
  prosecutor_agency_id: string | null;
  drafter_id: string;
  team_officer_ids: string[];
  created_at: Date;
  /** Selected (as ESCALATED) where a single transfer's read is checked: a deadline of it ran out and was escalated. */
  escalated?: boolean;
  /** Selected (as LATE_STEPS): the running clocks whose time has run out, by step. */
  late_steps: string[];
}

/** What a list of transfers may be sorted by. */
const NEXT_DUE = '(SELECT min(c.due_at) FROM clock c WHERE c.subject_id = transfer.id AND c.stopped_at IS NULL)';
const TRANSFER_SORT: Record<string, string> = { createdAt: 'created_at', number: 'number', state: 'state', title: 'title', route: 'route', dueAt: NEXT_DUE };

/** A transfer in a list: no steps or summary, and of its clocks only the next one due (the time left). */
type TransferSummary = Omit<TransferView, 'steps' | 'clocks' | 'summary' | 'stepsVerified'> & { nextClock: { step: string; dueAt: string } | null };

/** Whether a clock of the transfer has run out and been escalated (`clock.overdue` fired), for the leading-group office's rule. */
const ESCALATED = '(EXISTS (SELECT 1 FROM clock e WHERE e.subject_id = transfer.id AND e.overdue_fired_at IS NOT NULL))';

/** The steps of the transfer's running clocks whose time has run out (not paused). */
const LATE_STEPS = 'ARRAY(SELECT l.step FROM clock l WHERE l.subject_id = transfer.id AND l.stopped_at IS NULL AND l.paused_since IS NULL AND l.due_at <= now())';

/** The column naming the agency that stands on each side of a transfer. */
const PARTY_COLUMN: Record<TransferParty, string> = {
  sender: 'sender_agency_id',
  receiver: 'receiver_agency_id',
  procuratorate: 'procuratorate_agency_id',
  prosecutor: 'prosecutor_agency_id',
  court: 'court_agency_id',
};

/** Rule fields → columns, for filtering transfer lists in SQL from the permission rules. */
const COLUMNS = {
  senderAgencyId: 'sender_agency_id',
  receiverHistory: 'ANY:receiver_history',
  senderRegionCode: 'sender_region_code',
  receiverRegionCode: 'receiver_region_code',
  route: 'route',
  courtAgencyId: 'court_agency_id',
  procuratorateAgencyId: 'procuratorate_agency_id',
  state: 'transfer.state',
  escalated: ESCALATED,
};

/** How the permission rules see a transfer row. */
function scoped(t: TransferRow) {
  return subject('Transfer', {
    senderAgencyId: t.sender_agency_id,
    receiverHistory: t.receiver_history,
    senderRegionCode: t.sender_region_code,
    receiverRegionCode: t.receiver_region_code,
    route: t.route,
    courtAgencyId: t.court_agency_id ?? undefined,
    procuratorateAgencyId: t.procuratorate_agency_id ?? undefined,
    state: t.state,
    escalated: t.escalated ?? false,
  });
}

/** The event each step emits: `transfer.<what happened>`. */
const EVENT_OF: Record<TransferAction, string> = {
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  send: 'sent',
  receipt: 'receipted',
  forward: 'forwarded',
  file: 'filed',
  decline: 'filing_declined',
  request_reconsideration: 'reconsideration_requested',
  uphold_decline: 'decline_upheld',
  request_supervision: 'supervision_requested',
  open_supervision: 'supervision_opened',
  explain: 'explanation_given',
  accept_explanation: 'explanation_accepted',
  order_filing: 'filing_ordered',
  accept_decline: 'decline_accepted',
  hand_over: 'handed_over',
  refer_for_prosecution: 'referred_for_prosecution',
  close_investigation: 'investigation_closed',
  prosecute: 'prosecuted',
  not_prosecute: 'not_prosecuted',
  record_judgment: 'judgment_recorded',
  give_feedback: 'feedback_given',
};

/** Every transfer between agencies, step by step, each step a signed record. */
@Injectable()
export class TransferService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clocks: ClockService,
    private readonly directory: DirectoryClient,
  ) {}

  async draft(dto: DraftTransferDto, ctx: MessageContext): Promise<TransferView> {
    const actor = ctx.actor;
    const parties = ROUTE_PARTIES[dto.route];
    if (actor.kind !== 'officer' || !actor.agencyKind || !actor.agencyId || !actor.regionCode || !defineAbilityFor(actor).can('create', 'Transfer')) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only an officer of an agency may draft a transfer.');
    }
    if (!parties.sender.includes(actor.agencyKind)) {
      throw new DomainError(403, 'ROUTE_NOT_ALLOWED', `An agency of kind ${actor.agencyKind} does not send on route ${dto.route}.`);
    }
    const receiver = await this.directory.agency(dto.receiverAgencyId, 'receiverAgencyId', ctx);
    if (!parties.receiver.includes(receiver.kind)) {
      throw DomainError.validation([
        ruleError('receiverAgencyId', 'wrongReceiverKind', `route ${dto.route} goes to ${parties.receiver.join(' or ')}, not to ${receiver.kind}`, { route: dto.route, kind: receiver.kind, allowed: parties.receiver.join(', ') }),
      ]);
    }
    const team = dto.teamOfficerIds ?? [actor.id];
    if (!team.includes(actor.id)) throw DomainError.validation([ruleError('teamOfficerIds', 'drafterInTeam', 'the drafter is one of the team')]);
    if (dto.route === 'mi_to_police' && team.length < 2) {
      throw DomainError.validation([ruleError('teamOfficerIds', 'teamOfTwo', 'a transfer to police is written by a team of at least two officers (R5)', { min: 2 })]);
    }
    // The team are enforcement officers (an officer's or a head's role) of the agency, active.
    const colleagues = new Set(
      (await this.directory.colleagues(ctx)).filter((o) => o.agencyId === actor.agencyId && !o.disabled && (o.roles.includes(OfficerRole.OFFICER) || o.roles.includes(OfficerRole.HEAD))).map((o) => o.id),
    );
    const strangers = team.filter((id) => !colleagues.has(id));
    if (strangers.length) throw DomainError.validation([ruleError('teamOfficerIds', 'notOfficersOfAgency', `not active officers (officer or head) of your agency: ${strangers.join(', ')}`, { ids: strangers.join(', ') })]);
    // A transfer drafted from a case names one of the sender's own cases (the cases service decides what the caller may see).
    if (dto.caseId) await this.directory.ownCase(dto.caseId, ctx);
    // The statutory copy goes to the procuratorate at the sender's level.
    const procuratorate = dto.route === 'mi_to_police' ? await this.directory.find(AgencyKind.PROCURATORATE, actor.regionCode, ctx) : null;
    // Without it the statutory copy (R6) would go nowhere and nobody could supervise the filing.
    if (dto.route === 'mi_to_police' && !procuratorate) {
      throw new DomainError(409, 'NO_PROCURATORATE', `No procuratorate is registered in region ${actor.regionCode} to receive the statutory copy of a transfer to police; register it in the directory first.`);
    }

    return this.ds.transaction(async (m) => {
      if (dto.clueId) {
        const [clue] = await m.query(`SELECT agency_id FROM clue WHERE id = $1`, [dto.clueId]);
        if (!clue || clue.agency_id !== actor.agencyId) throw DomainError.validation([ruleError('clueId', 'clueNotFound', 'no clue of your agency with this id', { id: dto.clueId })]);
      }
      const [{ n }] = await m.query(`SELECT nextval('transfer_number_seq') AS n`);
      const number = recordNumber('YS', actor.regionCode!, n, new Date());
      const [{ id }] = await m.query(
        `INSERT INTO transfer (number, route, state, title, summary, clue_id, sender_agency_id, sender_region_code, receiver_agency_id, receiver_region_code,
                               receiver_history, procuratorate_agency_id, drafter_id, team_officer_ids, case_id)
         VALUES ($1, $2, 'drafted', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
        [number, dto.route, dto.title, dto.summary, dto.clueId ?? null, actor.agencyId, actor.regionCode, receiver.id, receiver.regionCode, [receiver.id], procuratorate?.id ?? null, actor.id, team, dto.caseId ?? null],
      );
      await this.appendStep(m, { transferId: id, action: 'draft', fromState: null, toState: 'drafted', actorId: actor.id, agencyId: actor.agencyId!, at: new Date() });
      await audit(m, { actor, action: 'transfer.draft', target: id, outcome: 'succeeded' });
      await this.outbox.append(m, { type: 'transfer.drafted', payload: { transferId: id, number, route: dto.route, senderAgencyId: actor.agencyId, receiverAgencyId: receiver.id, procuratorateAgencyId: procuratorate?.id ?? null, caseId: dto.caseId ?? null } }, ctx);
      return this.view(m, id, ctx);
    });
  }

  async act(dto: TransferStepRequestDto, ctx: MessageContext): Promise<TransferView> {
    const actor = ctx.actor;
    const now = new Date();
    // Agencies named by the step are looked up before the transaction holds the row.
    const target = dto.action === 'forward' && dto.toAgencyId ? await this.directory.agency(dto.toAgencyId, 'toAgencyId', ctx) : null;
    const court = dto.action === 'prosecute' && dto.courtAgencyId ? await this.directory.agency(dto.courtAgencyId, 'courtAgencyId', ctx) : null;

    // A refused step (not the caller's, not possible now, not found) is audited too.
    return auditRefusals(this.ds.manager, { actor, action: `transfer.${dto.action}`, target: dto.id }, () => this.step(dto, ctx, now, target, court));
  }

  private step(dto: TransferStepRequestDto, ctx: MessageContext, now: Date, target: AgencyView | null, court: AgencyView | null): Promise<TransferView> {
    const actor = ctx.actor;
    return this.ds.transaction(async (m) => {
      const t = await this.load(m, dto.id, ctx, true);
      const transition = findTransition(t.route, t.state, dto.action);
      if (!transition) {
        throw new DomainError(409, ErrorCode.ILLEGAL_TRANSITION, `A ${t.route} transfer that is ${t.state} cannot take the step "${dto.action}".`, {
          current: t.state,
          allowed: transitionsFrom(t.route, t.state).map((x) => x.action),
        });
      }
      this.authorise(t, transition, ctx, dto);
      const updates: Record<string, unknown> = {};
      if (dto.action === 'forward') {
        if (!target) throw DomainError.validation([ruleError('toAgencyId', 'forwardNeedsAgency', 'forwarding names the competent police agency')]);
        if (target.kind !== AgencyKind.POLICE || target.id === t.receiver_agency_id) {
          throw DomainError.validation([ruleError('toAgencyId', 'forwardToOtherPolice', 'a transfer is forwarded to another police agency')]);
        }
        updates.receiver_agency_id = target.id;
        updates.receiver_region_code = target.regionCode;
        updates.receiver_history = [...t.receiver_history, target.id];
      }
      if (dto.action === 'refer_for_prosecution') {
        // Reviewed for prosecution by the procuratorate over the police that investigated (after a forward, not the copy holder).
        const prosecutor = await this.directory.find(AgencyKind.PROCURATORATE, t.receiver_region_code, ctx);
        if (!prosecutor) throw new DomainError(409, 'NO_PROSECUTOR', `No procuratorate is registered in region ${t.receiver_region_code}, where the case was investigated; register it first.`);
        updates.prosecutor_agency_id = prosecutor.id;
      }
      if (dto.action === 'prosecute') {
        if (!court || court.kind !== AgencyKind.COURT) throw DomainError.validation([ruleError('courtAgencyId', 'prosecutionNeedsCourt', 'a prosecution names the court it goes to')]);
        updates.court_agency_id = court.id;
      }
      const sets = Object.keys(updates).map((k, i) => `${k} = $${i + 3}`);
      await m.query(`UPDATE transfer SET state = $2, version = version + 1, updated_at = now()${sets.map((s) => `, ${s}`).join('')} WHERE id = $1`, [
        t.id,
        transition.to,
        ...Object.values(updates),
      ]);
      await this.appendStep(m, {
        transferId: t.id,
        action: dto.action,
        fromState: t.state,
        toState: transition.to,
        actorId: actor.id,
        agencyId: actor.agencyId!,
        at: now,
        documentNumber: dto.documentNumber,
        note: dto.note,
        attachments: dto.attachments,
      });
      await this.clocks.stop(m, t.id, transition.stops ?? [], now);
      if (dto.action === 'forward') {
        // R7: within 24 hours of signing for it. Known only now, so recorded now: from that police's
        // receipt (when its filing-decision clock started) to this step.
        const [{ at: receivedAt }]: { at: Date | null }[] = await m.query(`SELECT max(started_at) AS at FROM clock WHERE subject_id = $1 AND step = 'filing_decision'`, [t.id]);
        if (receivedAt) await this.clocks.recordTaken(m, { subjectType: 'transfer', subjectId: t.id, step: 'forwarding', dutyAgencyId: t.receiver_agency_id, regionCode: t.receiver_region_code, startedAt: receivedAt }, now, ctx);
      }
      if (transition.starts) {
        const rule = CLOCK_RULES[transition.starts];
        const receiverId = (updates.receiver_agency_id as string | undefined) ?? t.receiver_agency_id;
        const receiverRegion = (updates.receiver_region_code as string | undefined) ?? t.receiver_region_code;
        const onReceiver = rule.duty === 'receiver';
        await this.clocks.start(m, {
          subjectType: 'transfer',
          subjectId: t.id,
          step: transition.starts,
          dutyAgencyId: onReceiver ? receiverId : t.sender_agency_id,
          regionCode: onReceiver ? receiverRegion : t.sender_region_code,
          startedAt: now,
        });
      }
      await audit(m, { actor, action: `transfer.${dto.action}`, target: t.id, outcome: 'succeeded', detail: { from: t.state, to: transition.to, documentNumber: dto.documentNumber } });
      await this.outbox.append(
        m,
        {
          type: `transfer.${EVENT_OF[dto.action]}`,
          payload: {
            transferId: t.id,
            number: t.number,
            route: t.route,
            from: t.state,
            to: transition.to,
            senderAgencyId: t.sender_agency_id,
            receiverAgencyId: (updates.receiver_agency_id as string | undefined) ?? t.receiver_agency_id,
            procuratorateAgencyId: t.procuratorate_agency_id,
            prosecutorAgencyId: (updates.prosecutor_agency_id as string | undefined) ?? t.prosecutor_agency_id,
            courtAgencyId: (updates.court_agency_id as string | undefined) ?? t.court_agency_id,
            // The statutory copy: the procuratorate is told of every transfer sent to police (R6).
            copyTo: dto.action === 'send' && t.route === 'mi_to_police' && t.procuratorate_agency_id ? [t.procuratorate_agency_id] : [],
            documentNumber: dto.documentNumber ?? null,
            caseId: t.case_id,
          },
        },
        ctx,
      );
      return this.view(m, t.id, ctx);
    });
  }

  /**
   * The transfers the caller may read, newest first: the latest 500 as an array, or, when a page is
   * asked for, one page of them (sorted, searched in number and title) with the total.
   */
  async list(ctx: MessageContext, query: ListTransfersQueryDto = {}): Promise<TransferSummary[] | Page<TransferSummary>> {
    const order = sortOrder(query.sort, TRANSFER_SORT, 'created_at DESC, id');
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.state?.length) where.push(`state = ANY($${params.push(query.state)})`);
    if (query.route) where.push(`route = $${params.push(query.route)}`);
    if (query.q?.trim()) where.push(`(number ILIKE $${params.push(likePattern(query.q))} OR title ILIKE $${params.length})`);
    if (query.sentBy) where.push(`sender_agency_id = $${params.push(query.sentBy)}`);
    if (query.receivedBy) where.push(`receiver_agency_id = $${params.push(query.receivedBy)}`);
    if (query.mayAct === 'true') where.push(this.mayActSql(ctx, params));
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Transfer', COLUMNS, params.length + 1);
    const paged = wantsPage(query);
    const { page, pageSize, offset } = pageOf(query);
    if (!filter) return paged ? { items: [], total: 0, page, pageSize } : [];
    const condition = [...where, filter.sql].join(' AND ');
    const all = [...params, ...filter.params];
    const rows: (TransferRow & { next_step: string | null; next_due_at: Date | null })[] = await this.ds.query(
      `SELECT transfer.*, ${LATE_STEPS} AS late_steps, next.step AS next_step, next.due_at AS next_due_at FROM transfer
         LEFT JOIN LATERAL (SELECT step, due_at FROM clock c WHERE c.subject_id = transfer.id AND c.stopped_at IS NULL ORDER BY due_at LIMIT 1) next ON true
        WHERE ${condition} ORDER BY ${order} LIMIT ${paged ? pageSize : 500} OFFSET ${paged ? offset : 0}`,
      all,
    );
    const items = rows.map((t) => ({
      ...this.summary(t),
      nextClock: t.next_step && t.next_due_at ? { step: t.next_step, dueAt: t.next_due_at.toISOString() } : null,
      allowedActions: this.allowedActions(t, ctx),
    }));
    if (!paged) return items;
    const [{ count }] = await this.ds.query(`SELECT count(*)::int AS count FROM transfer WHERE ${condition}`, all);
    return { items, total: count, page, pageSize };
  }

  async get(id: string, ctx: MessageContext): Promise<TransferView> {
    return this.view(this.ds.manager, id, ctx);
  }

  /** Records a step as the next link of the transfer's digest chain (the caller holds the row lock). */
  private async appendStep(
    m: EntityManager,
    s: { transferId: string; action: TransferAction | 'draft'; fromState: TransferState | null; toState: TransferState; actorId: string; agencyId: string; at: Date; documentNumber?: string; note?: string; attachments?: { name: string; sha256: string }[] },
  ): Promise<void> {
    const [last] = await m.query(`SELECT seq, digest FROM transfer_step WHERE transfer_id = $1 ORDER BY seq DESC LIMIT 1`, [s.transferId]);
    const step: ChainedStep = {
      transferId: s.transferId,
      seq: (last?.seq ?? 0) + 1,
      action: s.action,
      fromState: s.fromState,
      toState: s.toState,
      actorId: s.actorId,
      agencyId: s.agencyId,
      at: s.at.toISOString(),
      documentNumber: s.documentNumber ?? null,
      note: s.note ?? null,
      attachments: (s.attachments ?? []).map((a) => ({ name: a.name, sha256: a.sha256 })),
    };
    await m.query(
      `INSERT INTO transfer_step (transfer_id, seq, action, from_state, to_state, actor_id, agency_id, at, document_number, note, attachments, digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [step.transferId, step.seq, step.action, step.fromState, step.toState, step.actorId, step.agencyId, s.at, step.documentNumber, step.note, JSON.stringify(step.attachments), stepDigest(last?.digest ?? '', step)],
    );
  }

  /** Which sides of the transfer the caller's agency stands on. */
  private partiesOf(t: TransferRow, ctx: MessageContext): Set<TransferParty> {
    const a = ctx.actor.agencyId;
    const parties = new Set<TransferParty>();
    if (!a || ctx.actor.kind !== 'officer') return parties;
    if (a === t.sender_agency_id) parties.add('sender');
    if (a === t.receiver_agency_id) parties.add('receiver');
    if (a === t.procuratorate_agency_id) parties.add('procuratorate');
    if (a === t.prosecutor_agency_id) parties.add('prosecutor');
    if (a === t.court_agency_id) parties.add('court');
    return parties;
  }

  private mayTake(t: TransferRow, transition: Transition, ctx: MessageContext): string | null {
    const roles = new Set(ctx.actor.roles ?? []);
    if (!this.partiesOf(t, ctx).has(transition.by)) return `This step belongs to the ${transition.by} of the transfer.`;
    const needed = transition.roles ?? [OfficerRole.OFFICER, OfficerRole.HEAD];
    if (!needed.some((r) => roles.has(r))) return `This step needs the role ${needed.join(' or ')}.`;
    if (transition.action === 'approve' && (t.drafter_id === ctx.actor.id || t.team_officer_ids.includes(ctx.actor.id))) {
      return 'The approver may not be one of the officers who drafted the transfer.';
    }
    return null;
  }

  /** A step taken only once another side's time ran out (a filing order for an explanation that did not come). */
  private tooEarly(t: TransferRow, transition: Transition): string | null {
    if (!transition.whenLate || t.late_steps.includes(transition.whenLate)) return null;
    return `This step comes only once the time for "${CLOCK_RULES[transition.whenLate].label}" has run out, or after that step.`;
  }

  private authorise(t: TransferRow, transition: Transition, ctx: MessageContext, dto: TransferStepRequestDto): void {
    const refusal = this.mayTake(t, transition, ctx);
    if (refusal) throw new DomainError(403, transition.action === 'approve' && refusal.includes('drafted') ? 'APPROVER_IS_DRAFTER' : ErrorCode.FORBIDDEN, refusal);
    const early = this.tooEarly(t, transition);
    if (early) throw new DomainError(409, 'NOT_YET_DUE', early, { waitingFor: transition.whenLate });
    const missing: FieldError[] = [];
    if (transition.needsNote && !dto.note) missing.push(ruleError('note', 'stepNeedsNote', 'this step is recorded with written reasons or a result'));
    if (transition.needsDocument && !dto.documentNumber) missing.push(ruleError('documentNumber', 'stepNeedsDocument', 'this step is recorded with the number of its document'));
    if (missing.length) throw DomainError.validation(missing);
  }

  /**
   * `mayTake` and `tooEarly` of every transition as SQL: the transfers with a step the caller may
   * take now (non-empty `allowedActions`), so that a list can be filtered and counted by it.
   */
  private mayActSql(ctx: MessageContext, params: unknown[]): string {
    const actor = ctx.actor;
    if (!actor.agencyId || actor.kind !== 'officer') return 'false';
    const roles = new Set(actor.roles ?? []);
    // Pushed when first used: a parameter no term names has no type PostgreSQL could infer (an
    // officer with neither role acts on no transfer: no term at all).
    let agencyParam: string | undefined;
    let officerParam: string | undefined;
    const agency = () => (agencyParam ??= `$${params.push(actor.agencyId)}::uuid`);
    const officer = () => (officerParam ??= `$${params.push(actor.id)}::uuid`);
    const terms: string[] = [];
    for (const [route, transitions] of Object.entries(TRANSFER_MACHINES)) {
      for (const x of transitions) {
        if (!(x.roles ?? [OfficerRole.OFFICER, OfficerRole.HEAD]).some((r) => roles.has(r))) continue;
        // Route, state and step names come from the procedure table, never from the request.
        const term = [`route = '${route}'`, `state = '${x.from}'`, `${PARTY_COLUMN[x.by]} = ${agency()}`];
        if (x.action === 'approve') term.push(`drafter_id <> ${officer()}`, `NOT (${officer()} = ANY(team_officer_ids))`);
        if (x.whenLate) term.push(`'${x.whenLate}' = ANY(${LATE_STEPS})`);
        terms.push(`(${term.join(' AND ')})`);
      }
    }
    return terms.length ? `(${terms.join(' OR ')})` : 'false';
  }

  private allowedActions(t: TransferRow, ctx: MessageContext): TransferAction[] {
    return transitionsFrom(t.route, t.state)
      .filter((x) => this.mayTake(t, x, ctx) === null && this.tooEarly(t, x) === null)
      .map((x) => x.action);
  }

  /** Loads a transfer the caller may read; any other is "not found". */
  private async load(m: EntityManager, id: string, ctx: MessageContext, lock = false): Promise<TransferRow> {
    const [t] = (await m.query(`SELECT *, ${ESCALATED} AS escalated, ${LATE_STEPS} AS late_steps FROM transfer WHERE id = $1${lock ? ' FOR UPDATE OF transfer' : ''}`, [id])) as TransferRow[];
    if (!t || !defineAbilityFor(ctx.actor).can('read', scoped(t))) throw DomainError.notFound('The transfer');
    return t;
  }

  private summary(t: TransferRow) {
    return {
      id: t.id,
      number: t.number,
      route: t.route,
      state: t.state,
      title: t.title,
      clueId: t.clue_id,
      caseId: t.case_id,
      senderAgencyId: t.sender_agency_id,
      receiverAgencyId: t.receiver_agency_id,
      procuratorateAgencyId: t.procuratorate_agency_id,
      prosecutorAgencyId: t.prosecutor_agency_id,
      courtAgencyId: t.court_agency_id,
      regionCode: t.sender_region_code,
      drafterId: t.drafter_id,
      teamOfficerIds: t.team_officer_ids,
      createdAt: t.created_at.toISOString(),
    };
  }

  private async view(m: EntityManager, id: string, ctx: MessageContext): Promise<TransferView> {
    const t = await this.load(m, id, ctx);
    const rows: (Omit<TransferStepView, 'at'> & { at: Date })[] = await m.query(
      `SELECT seq, action, from_state AS "fromState", to_state AS "toState", actor_id AS "actorId", agency_id AS "agencyId", at, document_number AS "documentNumber", note, attachments, digest
         FROM transfer_step WHERE transfer_id = $1 ORDER BY seq`,
      [id],
    );
    const steps: TransferStepView[] = rows.map((s) => ({ ...s, at: s.at.toISOString() }));
    return {
      ...this.summary(t),
      summary: t.summary,
      steps,
      stepsVerified: verifyChain(steps.map((s) => ({ ...s, transferId: id }))),
      clocks: await this.clocks.clocksOf(id, new Date(), m),
      allowedActions: this.allowedActions(t, ctx),
    };
  }
}
