import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { subject } from '@casl/ability';
import { DataSource, EntityManager } from 'typeorm';
import {
  AddMoneyRequestDto,
  AgenciesSubjects,
  AgencyKind,
  CaseAction,
  CaseMoney,
  CaseMoneyEntryView,
  CaseState,
  CaseStepRequestDto,
  CaseStepView,
  CaseSummaryView,
  CaseTransferLink,
  CaseView,
  ClueSubjects,
  DomainError,
  ErrorCode,
  FieldError,
  FileCaseDto,
  ListCasesDto,
  MessageContext,
  OfficerRole,
  OfficerView,
  Page,
  PenaltyDto,
  ruleError,
  UNSENT_TRANSFER_STATES,
} from '@lianban/contracts';
import { defineAbilityFor, sqlFilter } from '@lianban/authz';
import { RpcClient } from '@lianban/messaging';
import { audit, OutboxWriter } from '@lianban/persistence';
import { recordNumber } from '@lianban/platform';
import { CaseClockService } from '../clocks/case-clock.service';
import {
  CASE_EVENT_OF,
  CaseFacts,
  CaseParty,
  caseTransitionsFrom,
  CaseTransition,
  conclusionLimit,
  findCaseTransition,
  heavierThan,
  MAX_COLLECTIVE_EXTENSION_DAYS,
  penaltyErrors,
  POLICE_TRANSFER_STATES_ALLOWING_FINE,
} from './case-machine';
import { caseStepDigest, ChainedCaseStep, verifyCaseChain } from './case-step-chain';

export interface CaseRow {
  id: string;
  number: string;
  title: string;
  party_name: string;
  party_institution_code: string | null;
  facts: string;
  state: CaseState;
  major: boolean;
  agency_id: string;
  region_code: string;
  officer_ids: string[];
  clue_ids: string[];
  linked_agency_ids: string[];
  notified_penalty: PenaltyDto | null;
  rights_used: boolean;
  decided_penalty: PenaltyDto | null;
  extension: CaseFacts['extension'];
  extension_days: number;
  pause_kind: string | null;
  created_at: Date;
  closed_at: Date | null;
  conclusion_due_at?: Date | null;
}

/** Rule fields → columns, for filtering case lists in SQL from the permission rules. */
export const CASE_COLUMNS = { regionCode: 'region_code', agencyId: 'agency_id', linkedAgencyIds: 'ANY:linked_agency_ids' };

/** How the permission rules see a case row. */
export function scopedCase(c: Pick<CaseRow, 'region_code' | 'agency_id' | 'linked_agency_ids'>) {
  return subject('Case', { regionCode: c.region_code, agencyId: c.agency_id, linkedAgencyIds: c.linked_agency_ids });
}

const SORTS: Record<string, string> = { createdAt: 'created_at', number: 'number', state: 'state', dueAt: 'conclusion_due_at' };

const CONCLUSION_DUE = `(SELECT due_at FROM clock k WHERE k.subject_id = c.id AND k.step = 'conclusion' ORDER BY k.started_at DESC LIMIT 1)`;

/** Administrative enforcement cases, step by step, each step a signed and audited record. */
@Injectable()
export class CaseService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clocks: CaseClockService,
    private readonly rpc: RpcClient,
  ) {}

  /** 立案: a case opened by a bureau, from zero or more of its clues, with at least two of its officers. */
  async file(dto: FileCaseDto, ctx: MessageContext): Promise<CaseView> {
    const actor = ctx.actor;
    if (actor.kind !== 'officer' || actor.agencyKind !== AgencyKind.MEDICAL_INSURANCE || !actor.agencyId || !actor.regionCode || !defineAbilityFor(actor).can('create', 'Case')) {
      throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only a medical insurance bureau files administrative cases.');
    }
    if (!dto.officerIds.includes(actor.id)) throw DomainError.validation([ruleError('officerIds', 'filerAmongOfficers', 'the filing officer is one of the case officers')]);
    // The officers are enforcement officers of this bureau (the agencies service knows them).
    const colleagues = await this.rpc.request<OfficerView[]>(AgenciesSubjects.listOfficers, {}, ctx);
    const enforcement = new Set(colleagues.filter((o) => !o.disabled && [OfficerRole.OFFICER, OfficerRole.HEAD, OfficerRole.LEGAL_REVIEWER].some((r) => o.roles.includes(r))).map((o) => o.id));
    const strangers = dto.officerIds.filter((id) => !enforcement.has(id));
    if (strangers.length) throw DomainError.validation([ruleError('officerIds', 'notEnforcementOfficers', `not enforcement officers of your bureau: ${strangers.join(', ')}`, { ids: strangers.join(', ') })]);
    // The clues must be ones the bureau can read (clue-transfer decides; a 404 there is a 400 here).
    for (const clueId of dto.clueIds ?? []) {
      try {
        await this.rpc.request(ClueSubjects.get, { id: clueId }, ctx);
      } catch (e) {
        if (e instanceof DomainError && (e.status === 404 || e.status === 403)) throw DomainError.validation([ruleError('clueIds', 'clueNotFound', `no clue of your reach with id ${clueId}`, { id: clueId })]);
        throw e;
      }
    }
    const now = new Date();
    return this.ds.transaction(async (m) => {
      const [{ n }] = await m.query(`SELECT nextval('case_number_seq') AS n`);
      const number = recordNumber('AJ', actor.regionCode!, n, now);
      const [{ id }] = await m.query(
        `INSERT INTO enforcement_case (number, title, party_name, party_institution_code, facts, state, major, agency_id, region_code, officer_ids, clue_ids, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, 'investigating', $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [number, dto.title, dto.partyName, dto.partyInstitutionCode ?? null, dto.facts, dto.major ?? false, actor.agencyId, actor.regionCode, dto.officerIds, dto.clueIds ?? [], actor.id, now],
      );
      await this.appendStep(m, id, { action: 'file', from: null, to: 'investigating', actorId: actor.id, agencyId: actor.agencyId!, at: now, documentNumber: dto.documentNumber, detail: { officerIds: dto.officerIds, clueIds: dto.clueIds ?? [] } });
      await this.clocks.start(m, { subjectType: 'case', subjectId: id, step: 'conclusion', dutyAgencyId: actor.agencyId!, regionCode: actor.regionCode!, startedAt: now });
      await audit(m, { actor, action: 'case.file', target: id, outcome: 'succeeded', detail: { number, documentNumber: dto.documentNumber } });
      await this.outbox.append(m, { type: 'case.filed', payload: { caseId: id, number, agencyId: actor.agencyId, regionCode: actor.regionCode, clueIds: dto.clueIds ?? [], major: dto.major ?? false } }, ctx);
      return this.view(m, id, ctx);
    });
  }

  async act(dto: CaseStepRequestDto, ctx: MessageContext): Promise<CaseView> {
    const actor = ctx.actor;
    const now = new Date();
    return this.ds.transaction(async (m) => {
      const c = await this.load(m, dto.id, ctx, true);
      const facts = this.facts(c);
      const transition = findCaseTransition(c.state, dto.action, facts);
      if (!transition) {
        throw new DomainError(409, ErrorCode.ILLEGAL_TRANSITION, `A case that is ${c.state} cannot take the step "${dto.action}" now.`, {
          current: c.state,
          allowed: caseTransitionsFrom(c.state, facts).map((t) => t.action),
        });
      }
      const refusal = this.mayTake(c, transition, ctx);
      if (refusal) throw new DomainError(403, refusal.code, refusal.message);
      this.checkInputs(c, transition, dto);
      const updates: Record<string, unknown> = {};
      const detail: Record<string, unknown> = {};

      if (dto.action === 'notify_penalty') {
        // Once the party has used the right to be heard, a new notice may not be heavier than the last.
        if (c.rights_used && c.notified_penalty) {
          const heavier = heavierThan(dto.penalty!, c.notified_penalty);
          if (heavier.length) throw new DomainError(409, 'PENALTY_HEAVIER_THAN_NOTIFIED', `The party used the right to state a defence or be heard: the new notice may not be heavier (${heavier.join(', ')}).`, { heavier });
        }
        updates.notified_penalty = JSON.stringify(dto.penalty);
        detail.penalty = dto.penalty;
      }
      // The hearing pauses the 90 days. A test or appraisal already pausing them goes on through it,
      // and is ended by its own resume_clock, not by the end of the hearing.
      if (dto.action === 'request_hearing') {
        updates.rights_used = true;
        if (c.pause_kind === null) {
          updates.pause_kind = 'hearing';
          await this.clocks.pause(m, c.id, 'conclusion', now);
        } else {
          detail.pausedFor = c.pause_kind;
        }
      }
      if (dto.action === 'conclude_hearing' && c.pause_kind === 'hearing') {
        updates.pause_kind = null;
        await this.clocks.resume(m, c.id, 'conclusion', now);
      }
      if (dto.action === 'submit_for_review') updates.rights_used = true;
      if (dto.action === 'decide') {
        await this.checkDecision(m, c, dto.penalty!);
        updates.decided_penalty = JSON.stringify(dto.penalty);
        updates.closed_at = now;
        detail.penalty = dto.penalty;
      }
      if (dto.action === 'close_without_penalty') updates.closed_at = now;
      if (dto.action === 'extend_by_head') {
        updates.extension = 'head';
        await this.clocks.setLimit(m, c.id, 'conclusion', conclusionLimit('head', 0), now);
        detail.limitDays = conclusionLimit('head', 0).amount;
      }
      if (dto.action === 'extend_after_collective') {
        updates.extension = 'collective';
        updates.extension_days = dto.days;
        await this.clocks.setLimit(m, c.id, 'conclusion', conclusionLimit('collective', dto.days!), now);
        detail.limitDays = conclusionLimit('collective', dto.days!).amount;
      }
      if (dto.action === 'pause_clock') {
        updates.pause_kind = dto.pauseKind;
        detail.pauseKind = dto.pauseKind;
        await this.clocks.pause(m, c.id, 'conclusion', now);
      }
      if (dto.action === 'resume_clock') {
        detail.pauseKind = c.pause_kind;
        updates.pause_kind = null;
        await this.clocks.resume(m, c.id, 'conclusion', now);
      }

      const sets = Object.keys(updates).map((k, i) => `, ${k} = $${i + 3}`);
      await m.query(`UPDATE enforcement_case SET state = $2, version = version + 1, updated_at = now()${sets.join('')} WHERE id = $1`, [c.id, transition.to, ...Object.values(updates)]);
      await this.appendStep(m, c.id, { action: dto.action, from: c.state, to: transition.to, actorId: actor.id, agencyId: actor.agencyId!, at: now, documentNumber: dto.documentNumber, note: dto.note, detail });
      await this.clocks.stop(m, c.id, transition.stops ?? [], now);
      if (transition.starts) await this.clocks.start(m, { subjectType: 'case', subjectId: c.id, step: transition.starts, dutyAgencyId: c.agency_id, regionCode: c.region_code, startedAt: now });
      await audit(m, { actor, action: `case.${dto.action}`, target: c.id, outcome: 'succeeded', detail: { from: c.state, to: transition.to, documentNumber: dto.documentNumber } });
      await this.outbox.append(
        m,
        { type: `case.${CASE_EVENT_OF[dto.action]}`, payload: { caseId: c.id, number: c.number, agencyId: c.agency_id, regionCode: c.region_code, officerIds: c.officer_ids, from: c.state, to: transition.to, documentNumber: dto.documentNumber ?? null, ...detail } },
        ctx,
      );
      return this.view(m, c.id, ctx);
    });
  }

  /**
   * A decision is within the fine multiples, never heavier than what the party was told, and
   * never a fine standing in for a crime (不得以罚代刑): while a transfer of the case to police is
   * under way, filed, or anywhere short of a final refusal to file, no fine is imposed.
   */
  private async checkDecision(m: EntityManager, c: CaseRow, p: PenaltyDto): Promise<void> {
    if (!c.notified_penalty) throw new DomainError(409, 'PENALTY_NOT_NOTIFIED', 'The party has not been told of the intended penalty.');
    const heavier = heavierThan(p, c.notified_penalty);
    if (heavier.length) {
      throw new DomainError(409, 'PENALTY_HEAVIER_THAN_NOTIFIED', `The decision may not be heavier than the penalty the party was told of (${heavier.join(', ')}); a heavier one needs a new notice.`, { heavier });
    }
    if (p.fineFen > 0) {
      const open: { transfer_id: string; state: string }[] = await m.query(
        `SELECT transfer_id, state FROM case_transfer WHERE case_id = $1 AND route = 'mi_to_police' AND NOT (state = ANY($2))`,
        [c.id, POLICE_TRANSFER_STATES_ALLOWING_FINE],
      );
      if (open.length) {
        throw new DomainError(409, 'FINE_IN_PLACE_OF_CRIMINAL_PENALTY', 'The case was transferred to the police and they have not finally declined to file: a fine may not stand in for a criminal penalty (不得以罚代刑).', {
          transfers: open.map((t) => ({ transferId: t.transfer_id, state: t.state })),
        });
      }
    }
  }

  private checkInputs(c: CaseRow, t: CaseTransition, dto: CaseStepRequestDto): void {
    const missing: FieldError[] = [];
    if (t.needsNote && !dto.note) missing.push(ruleError('note', 'stepNeedsNote', 'this step is recorded with written reasons, an opinion or a record'));
    if (t.needsDocument && !dto.documentNumber) missing.push(ruleError('documentNumber', 'stepNeedsDocument', 'this step is recorded with the number of its document'));
    if (t.needsPenalty && !dto.penalty) missing.push(ruleError('penalty', 'stepNeedsPenalty', 'this step states the penalty'));
    if (dto.action === 'pause_clock' && (!dto.pauseKind || dto.pauseKind === 'hearing')) {
      missing.push(ruleError('pauseKind', 'pauseKindNeeded', 'test, appraisal, public_notice or expert_review (a hearing pauses through request_hearing)'));
    }
    if (dto.action === 'extend_after_collective' && !dto.days) missing.push(ruleError('days', 'extensionDaysNeeded', `the days added, at most ${MAX_COLLECTIVE_EXTENSION_DAYS}`, { max: MAX_COLLECTIVE_EXTENSION_DAYS }));
    if (dto.penalty) missing.push(...penaltyErrors(dto.penalty));
    if (missing.length) throw DomainError.validation(missing);
    void c;
  }

  /** Which roles on the case the caller holds. */
  private partiesOf(c: CaseRow, ctx: MessageContext): Set<CaseParty> {
    const a = ctx.actor;
    const parties = new Set<CaseParty>();
    if (a.kind !== 'officer' || a.agencyId !== c.agency_id) return parties;
    const roles = new Set(a.roles ?? []);
    if (c.officer_ids.includes(a.id)) parties.add('case_officer');
    if (roles.has(OfficerRole.HEAD)) parties.add('head');
    if (roles.has(OfficerRole.LEGAL_REVIEWER) && !c.officer_ids.includes(a.id)) parties.add('legal_reviewer');
    return parties;
  }

  private mayTake(c: CaseRow, t: CaseTransition, ctx: MessageContext): { code: string; message: string } | null {
    if (!defineAbilityFor(ctx.actor).can('update', scopedCase(c))) return { code: ErrorCode.FORBIDDEN, message: 'Only the bureau that filed the case handles it.' };
    if (this.partiesOf(c, ctx).has(t.by)) return null;
    if (t.by === 'legal_reviewer' && c.officer_ids.includes(ctx.actor.id)) return { code: 'REVIEWER_IS_CASE_OFFICER', message: 'The legal reviewer may not be one of the case officers.' };
    const who = { case_officer: 'one of the case officers', head: 'the head of the bureau', legal_reviewer: 'a legal reviewer (法制审核) who is not a case officer' }[t.by];
    return { code: ErrorCode.FORBIDDEN, message: `This step is taken by ${who}.` };
  }

  private facts(c: CaseRow): CaseFacts {
    return { major: c.major, extension: c.extension, paused: c.pause_kind !== null };
  }

  private allowedActions(c: CaseRow, ctx: MessageContext): CaseAction[] {
    return caseTransitionsFrom(c.state, this.facts(c))
      .filter((t) => this.mayTake(c, t, ctx) === null)
      .map((t) => t.action);
  }

  async list(dto: ListCasesDto, ctx: MessageContext): Promise<Page<CaseSummaryView>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (dto.stage) {
      params.push(dto.stage);
      conditions.push(`c.state = $${params.length}`);
    }
    if (dto.clueId) {
      params.push(dto.clueId);
      conditions.push(`$${params.length} = ANY(c.clue_ids)`);
    }
    if (dto.q) {
      params.push(`%${dto.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      conditions.push(`(c.number ILIKE $${params.length} OR c.title ILIKE $${params.length} OR c.party_name ILIKE $${params.length})`);
    }
    const filter = sqlFilter(defineAbilityFor(ctx.actor), 'read', 'Case', CASE_COLUMNS, params.length + 1);
    if (!filter) return { items: [], total: 0 };
    conditions.push(filter.sql);
    params.push(...filter.params);
    const where = conditions.join(' AND ');
    const sort = dto.sort ?? '-createdAt';
    const order = `${SORTS[sort.replace(/^-/, '')]} ${sort.startsWith('-') ? 'DESC' : 'ASC'} NULLS LAST, c.id`;
    const page = dto.page ?? 1;
    const pageSize = dto.pageSize ?? 20;
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM enforcement_case c WHERE ${where}`, params);
    const rows: CaseRow[] = await this.ds.query(
      `SELECT * FROM (SELECT c.*, ${CONCLUSION_DUE} AS conclusion_due_at FROM enforcement_case c WHERE ${where}) c ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      params,
    );
    return { items: rows.map((r) => this.summary(r)), total };
  }

  async get(id: string, ctx: MessageContext): Promise<CaseView> {
    return this.view(this.ds.manager, id, ctx);
  }

  /** Records money of the case (violating funds found, refunds, fines paid, recoveries after judgment). */
  async addMoney(dto: AddMoneyRequestDto, ctx: MessageContext): Promise<CaseView> {
    return this.ds.transaction(async (m) => {
      const c = await this.load(m, dto.id, ctx, true);
      if (!defineAbilityFor(ctx.actor).can('update', scopedCase(c))) throw new DomainError(403, ErrorCode.FORBIDDEN, 'Only the bureau that filed the case keeps its ledger.');
      if (c.state === 'archived') throw new DomainError(409, 'CASE_ARCHIVED', 'An archived case takes no more entries.');
      await this.checkMoneyEntry(m, c, dto);
      await m.query(`INSERT INTO case_money (case_id, kind, amount_fen, document_number, note, actor_id, agency_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        c.id,
        dto.kind,
        dto.amountFen,
        dto.documentNumber ?? null,
        dto.note ?? null,
        ctx.actor.id,
        ctx.actor.agencyId,
      ]);
      const [{ total }] = await m.query(`SELECT COALESCE(sum(amount_fen), 0)::bigint AS total FROM case_money WHERE case_id = $1 AND kind = $2`, [c.id, dto.kind]);
      if (Number(total) < 0) {
        throw DomainError.validation([ruleError('amountFen', 'totalBelowZero', `the ${dto.kind} total of the case would fall below zero`, { kind: dto.kind, totalFen: Number(total) - dto.amountFen })]);
      }
      await audit(m, { actor: ctx.actor, action: 'case.money', target: c.id, outcome: 'succeeded', detail: { kind: dto.kind, amountFen: dto.amountFen, documentNumber: dto.documentNumber } });
      await this.outbox.append(
        m,
        { type: 'case.money_recorded', payload: { caseId: c.id, kind: dto.kind, amountFen: dto.amountFen, documentNumber: dto.documentNumber ?? null, agencyId: c.agency_id, regionCode: c.region_code } },
        ctx,
      );
      return this.view(m, c.id, ctx);
    });
  }

  /**
   * What an entry may not do, beyond keeping each kind's total at zero or above; the caller holds
   * the case's row lock, so two entries at once are checked one after the other. A correction
   * (negative) is always taken: it is how a wrong entry is undone.
   */
  private async checkMoneyEntry(m: EntityManager, c: CaseRow, dto: AddMoneyRequestDto): Promise<void> {
    if (dto.amountFen < 0) return;
    if (dto.documentNumber) {
      // One document is recorded once per kind; once corrected to nothing it may be recorded again.
      const [{ net }] = await m.query(`SELECT COALESCE(sum(amount_fen), 0)::text AS net FROM case_money WHERE case_id = $1 AND kind = $2 AND btrim(document_number) = btrim($3)`, [
        c.id,
        dto.kind,
        dto.documentNumber,
      ]);
      if (Number(net) > 0) {
        throw new DomainError(409, 'MONEY_DOCUMENT_RECORDED', `${dto.documentNumber} is already recorded as ${dto.kind} of this case (${net} fen); to change it, record a correction (a negative entry) first.`, {
          kind: dto.kind,
          documentNumber: dto.documentNumber,
          recordedFen: Number(net),
        });
      }
    }
    if (dto.kind === 'fine_paid') {
      const decidedFen = c.decided_penalty?.fineFen ?? 0;
      if (!decidedFen) throw new DomainError(409, 'NO_FINE_DECIDED', 'No fine has been decided in this case: a fine paid is recorded once a decision imposes it.');
      const [{ paid }] = await m.query(`SELECT COALESCE(sum(amount_fen), 0)::text AS paid FROM case_money WHERE case_id = $1 AND kind = 'fine_paid'`, [c.id]);
      if (Number(paid) + dto.amountFen > decidedFen) {
        throw new DomainError(409, 'FINE_PAID_ABOVE_DECIDED', `The fine decided is ${decidedFen} fen and ${paid} fen of it is recorded as paid: ${dto.amountFen} fen more would exceed it.`, {
          fineDecidedFen: decidedFen,
          finePaidFen: Number(paid),
          amountFen: dto.amountFen,
        });
      }
    }
  }

  /** Loads a case the caller may read; any other is "not found". */
  async load(m: EntityManager, id: string, ctx: MessageContext, lock = false): Promise<CaseRow> {
    const [c] = (await m.query(`SELECT * FROM enforcement_case WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])) as CaseRow[];
    if (!c || !defineAbilityFor(ctx.actor).can('read', scopedCase(c))) throw DomainError.notFound('The case');
    return c;
  }

  private async appendStep(
    m: EntityManager,
    caseId: string,
    s: { action: CaseAction | 'file'; from: CaseState | null; to: CaseState; actorId: string; agencyId: string; at: Date; documentNumber?: string; note?: string; detail?: Record<string, unknown> },
  ): Promise<void> {
    // The caller holds the case's row lock, so the chain cannot fork.
    const [last] = await m.query(`SELECT seq, digest FROM case_step WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`, [caseId]);
    // As it will be read back from jsonb (no undefined members); the digest sorts its keys.
    const detail = JSON.parse(JSON.stringify(s.detail ?? {}));
    const step: ChainedCaseStep = {
      caseId,
      seq: (last?.seq ?? 0) + 1,
      action: s.action,
      fromState: s.from,
      toState: s.to,
      actorId: s.actorId,
      agencyId: s.agencyId,
      at: s.at.toISOString(),
      documentNumber: s.documentNumber ?? null,
      note: s.note ?? null,
      detail,
    };
    await m.query(
      `INSERT INTO case_step (case_id, seq, action, from_state, to_state, actor_id, agency_id, at, document_number, note, detail, digest)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [caseId, step.seq, s.action, s.from, s.to, s.actorId, s.agencyId, s.at, step.documentNumber, step.note, detail, caseStepDigest(last?.digest ?? '', step)],
    );
  }

  private summary(c: CaseRow): CaseSummaryView {
    return {
      id: c.id,
      number: c.number,
      title: c.title,
      partyName: c.party_name,
      state: c.state,
      major: c.major,
      agencyId: c.agency_id,
      regionCode: c.region_code,
      createdAt: c.created_at.toISOString(),
      conclusionDueAt: c.conclusion_due_at?.toISOString() ?? null,
    };
  }

  async money(m: EntityManager, c: CaseRow): Promise<CaseMoney> {
    const rows: { kind: string; total: string }[] = await m.query(`SELECT kind, sum(amount_fen)::text AS total FROM case_money WHERE case_id = $1 GROUP BY kind`, [c.id]);
    const of = (k: string) => Number(rows.find((r) => r.kind === k)?.total ?? 0);
    const money = {
      violatingEmployeesFen: of('violating_employees'),
      violatingResidentsFen: of('violating_residents'),
      refundedFen: of('refunded'),
      finePaidFen: of('fine_paid'),
      recoveredAfterJudgmentFen: of('recovered_after_judgment'),
      fineDecidedFen: c.decided_penalty?.fineFen ?? 0,
      refundOrderedFen: c.decided_penalty?.refundFen ?? 0,
    };
    return {
      ...money,
      violatingTotalFen: money.violatingEmployeesFen + money.violatingResidentsFen,
      recoveredTotalFen: money.refundedFen + money.finePaidFen + money.recoveredAfterJudgmentFen,
    };
  }

  private async view(m: EntityManager, id: string, ctx: MessageContext): Promise<CaseView> {
    const c = await this.load(m, id, ctx);
    const [{ due }] = await m.query(`SELECT ${CONCLUSION_DUE.replace('c.id', '$1')} AS due`, [id]);
    const steps: (Omit<CaseStepView, 'at'> & { at: Date })[] = await m.query(
      `SELECT seq, action, from_state AS "fromState", to_state AS "toState", actor_id AS "actorId", agency_id AS "agencyId", at, document_number AS "documentNumber", note, detail, digest
         FROM case_step WHERE case_id = $1 ORDER BY seq`,
      [id],
    );
    // A transfer not yet sent is the bureau's internal business: other readers of the case (police, the office) do not see it.
    const transfers: CaseTransferLink[] = await m.query(
      `SELECT transfer_id AS "transferId", number, route, state, receiver_agency_id AS "receiverAgencyId" FROM case_transfer
        WHERE case_id = $1 AND ($2 OR NOT (state = ANY($3))) ORDER BY updated_at`,
      [id, c.agency_id === ctx.actor.agencyId, [...UNSENT_TRANSFER_STATES]],
    );
    const shown: CaseStepView[] = steps.map((s) => ({ ...s, at: s.at.toISOString() }));
    return {
      ...this.summary({ ...c, conclusion_due_at: due }),
      partyInstitutionCode: c.party_institution_code,
      facts: c.facts,
      officerIds: c.officer_ids,
      clueIds: c.clue_ids,
      transfers,
      notifiedPenalty: c.notified_penalty,
      decidedPenalty: c.decided_penalty,
      extension: { level: c.extension, days: c.extension_days },
      money: await this.money(m, c),
      moneyEntries: (
        await m.query(
          `SELECT id::text, kind, amount_fen::text AS "amountFen", document_number AS "documentNumber", note, actor_id AS "actorId", agency_id AS "agencyId", at
             FROM case_money WHERE case_id = $1 ORDER BY at, id`,
          [id],
        )
      ).map((e: Omit<CaseMoneyEntryView, 'amountFen' | 'at'> & { amountFen: string; at: Date }) => ({ ...e, amountFen: Number(e.amountFen), at: e.at.toISOString() })),
      steps: shown,
      stepsVerified: verifyCaseChain(shown.map((s) => ({ ...s, caseId: id }))),
      clocks: await this.clocks.clocksOf(id, new Date(), m),
      allowedActions: this.allowedActions(c, ctx),
    };
  }
}
