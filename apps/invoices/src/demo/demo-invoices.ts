import { createPrivateKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { Actor, canonicalInvoice, ImportResult, InvoiceRecord, InvoiceSubjects, IssuerView } from '@lianban/contracts';
import { newCorrelationId, RpcClient } from '@lianban/messaging';

const ISSUER = { code: 'H62070200001', name: '张掖市人民医院' };

type Unsigned = Omit<InvoiceRecord, 'signature'>;
const base: Unsigned = { code: '62060126', number: '', checkCode: '1a9c3f', kind: 'outpatient', issuedOn: '2026-03-02', amountFen: 128_350, issuerCode: ISSUER.code, payerName: '李某', status: 'normal' };

/**
 * The demo register, one invoice per verdict to try in the console (code 62060126, check code
 * 1a9c3f): 0000000001 valid (2026-03-02, 1,283.50 yuan; another date or amount answers mismatch),
 * 0000000002 voided, 0000000003 red-flushed by 0000000004, 0000000005 an inpatient invoice; any
 * other number is not found. The README lists them.
 */
export const DEMO_INVOICES: Unsigned[] = [
  { ...base, number: '0000000001' },
  { ...base, number: '0000000002', status: 'voided' },
  { ...base, number: '0000000003' },
  { ...base, number: '0000000004', checkCode: '00ff00', originalCode: '62060126', originalNumber: '0000000003' },
  { ...base, number: '0000000005', kind: 'inpatient', amountFen: 5_600_000, payerName: '王某' },
];

/**
 * Registers the demo issuer and imports the demo invoices through the invoices service, as the
 * city's finance officer would, unless the issuer is registered already. Idempotent, so `npm start`
 * may run it every time. The issuer's SM2 key is made here and its private half forgotten: the
 * demo register needs no further invoices from it.
 */
export async function seedDemoInvoices(rpc: RpcClient, financeOfficer: Actor): Promise<{ created: boolean; imported: number }> {
  const ctx = { actor: financeOfficer, correlationId: newCorrelationId() };
  const issuers = await rpc.request<IssuerView[]>(InvoiceSubjects.issuers, {}, ctx);
  if (issuers.some((i) => i.code === ISSUER.code)) return { created: false, imported: 0 };
  // From PEM, so OpenSSL signs SM2 proper (see signatureValid).
  const pair = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const key: KeyObject = createPrivateKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await rpc.request(InvoiceSubjects.registerIssuer, { ...ISSUER, publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() }, ctx);
  const content = DEMO_INVOICES.map((r) => JSON.stringify({ ...r, signature: sign('sm3', Buffer.from(canonicalInvoice(r), 'utf8'), key).toString('hex') })).join('\n');
  const result = await rpc.request<ImportResult>(InvoiceSubjects.importInvoices, { format: 'jsonl', content }, ctx);
  if (result.errors.length) throw new Error(`the demo invoices were refused: ${JSON.stringify(result.errors)}`);
  return { created: true, imported: result.imported };
}
