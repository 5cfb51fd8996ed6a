import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@lianban/contracts';
import { route } from './routing';

const sender = 'mi-bureau';
const police = 'police-station';
const procuratorate = 'procuratorate';

function transferEvent(type: string, actingAgency: string, to: string, extra: Record<string, unknown> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    source: 'clue-transfer',
    actor: { kind: 'officer', id: 'o', agencyId: actingAgency },
    correlationId: 'c',
    payload: { transferId: 't', number: 'YS-1', route: 'mi_to_police', from: 'x', to, senderAgencyId: sender, receiverAgencyId: police, procuratorateAgencyId: procuratorate, ...extra },
  };
}

describe('who hears about a transfer step', () => {
  it.each([
    ['transfer.submitted', sender, 'awaiting_approval', [sender]],
    ['transfer.approved', sender, 'approved', [sender]],
    ['transfer.rejected', sender, 'rejected', [sender]],
    ['transfer.receipted', police, 'received', [sender]],
    ['transfer.filing_declined', police, 'declined', [sender]],
    ['transfer.reconsideration_requested', sender, 'reconsideration_requested', [police]],
    ['transfer.supervision_opened', procuratorate, 'under_supervision', [sender, police]],
    ['transfer.supervision_requested', sender, 'supervision_requested', [procuratorate]],
  ])('%s by %s reaches %j', (type, actor, to, expected) => {
    expect(route(transferEvent(type, actor, to))?.agencyIds).toEqual(expected);
  });

  it('sends a transfer to the police with the statutory copy to the procuratorate', () => {
    expect(route(transferEvent('transfer.sent', sender, 'sent', { copyTo: [procuratorate] }))?.agencyIds).toEqual([police, procuratorate]);
  });

  it('says nothing about a draft', () => {
    expect(route(transferEvent('transfer.drafted', sender, 'drafted'))).toBeNull();
  });

  it('escalates an overdue clock to the agencies of its rule in its region, marked high', () => {
    const d = route({
      ...transferEvent('clock.overdue', sender, ''),
      payload: { subjectType: 'transfer', subjectId: 't', step: 'filing_decision', label: '公安决定是否立案', dutyAgencyId: police, regionCode: '620702', dueAt: 'x', escalateTo: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'] },
    });
    expect(d).toMatchObject({ agencyIds: [police], byKind: { kinds: ['PROCURATORATE', 'LEADING_GROUP_OFFICE'], regionCode: '620702' }, priority: 'high' });
  });
});
