import { Actor, CampaignSubjects, CampaignView, CreateCampaignDto, Page } from '@lianban/contracts';
import { shanghaiDate } from '@lianban/clocks';
import { newCorrelationId, RpcClient } from '@lianban/messaging';

const NAME = '张掖市打击欺诈骗保专项整治行动（演示）';

/** A Shanghai calendar day `days` after `from`. */
function plus(from: string, days: number): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The demo campaign, shaped like seed 002's (动员部署 → 自查自纠 → 督导检查 → 巩固提升 → 总结), with its
 * dates placed so that the self-inspection phase runs on the day the demo starts.
 */
export function demoCampaign(today: string): CreateCampaignDto {
  return {
    name: NAME,
    documentNumber: '张医保发〔2026〕21号（演示）',
    regionCode: '620700',
    targets: ['hospital', 'pharmacy'],
    auditPeriodFrom: `${Number(today.slice(0, 4)) - 1}-01-01`,
    auditPeriodTo: plus(today, -15),
    startsOn: plus(today, -14),
    endsOn: plus(today, 150),
    phases: [
      { kind: 'mobilisation', startsOn: plus(today, -14), endsOn: plus(today, -1) },
      { kind: 'self_inspection', startsOn: today, endsOn: plus(today, 30) },
      { kind: 'inspection', startsOn: plus(today, 31), endsOn: plus(today, 100) },
      { kind: 'consolidation', startsOn: plus(today, 101), endsOn: plus(today, 140) },
      { kind: 'summary', startsOn: plus(today, 141), endsOn: plus(today, 150) },
    ],
  } as CreateCampaignDto;
}

/**
 * Creates the demo campaign through the cases service, as the city bureau's officer would, unless
 * it exists already. Idempotent, so `npm start` may run it every time.
 */
export async function seedDemoCampaign(rpc: RpcClient, bureauOfficer: Actor, now = new Date()): Promise<{ created: boolean; campaign: CampaignView }> {
  const ctx = { actor: bureauOfficer, correlationId: newCorrelationId() };
  const existing = await rpc.request<Page<CampaignView>>(CampaignSubjects.list, { regionCode: '620700', q: NAME, pageSize: 1 }, ctx);
  if (existing.items[0]) return { created: false, campaign: existing.items[0] };
  return { created: true, campaign: await rpc.request<CampaignView>(CampaignSubjects.create, demoCampaign(shanghaiDate(now)), ctx) };
}
