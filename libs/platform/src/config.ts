import { createHash, createSecretKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { toFieldErrors, VERIFY_CHUNK } from '@lianban/contracts';
import { DEVELOPMENT_SIGNING_KEY, NatsCredentials } from '@lianban/messaging';

/** Environment every process reads once at start-up; a bad value stops it with a clear message. */
class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Matches(/^(nats|tls|ws|wss):\/\//, { each: false, message: 'NATS_URL must be a nats:// URL' })
  NATS_URL = 'nats://127.0.0.1:4222';

  /** The NATS user and password of the platform's processes (the server's authorization block). */
  @IsOptional()
  @IsString()
  NATS_USER?: string;

  @IsOptional()
  @IsString()
  NATS_PASSWORD?: string;

  /** Instead of a user: the server's authorization token. */
  @IsOptional()
  @IsString()
  NATS_TOKEN?: string;

  /** PEM file of the CA that signed the NATS servers' certificates: connects with TLS and verifies them. */
  @IsOptional()
  @IsString()
  NATS_TLS_CA_FILE?: string;

  /** PEM files of this process's client certificate and key, for servers that verify clients. */
  @IsOptional()
  @IsString()
  NATS_TLS_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  NATS_TLS_KEY_FILE?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsString()
  HOST = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Prepended to every NATS subject and stream; used to isolate test suites. */
  @Matches(/^([a-z0-9_-]+\.)?$/, { message: 'SUBJECT_PREFIX must be empty or end with a dot' })
  SUBJECT_PREFIX = '';

  /** Signs access tokens (HS256). Required in production; at least 32 characters. */
  @IsOptional()
  @IsString()
  JWT_SECRET?: string;

  /** Signs the caller's identity on messages between processes; the same in all. Required in production; at least 32 characters. */
  @IsOptional()
  @IsString()
  INTERNAL_SIGNING_KEY?: string;

  /** Encrypts personal data at rest (reporter identity, ID numbers): 32 bytes, base64. Required in production. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'PII_ENCRYPTION_KEY must be 32 bytes in base64' })
  PII_ENCRYPTION_KEY?: string;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(300)
  REFRESH_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

  /** Prepended to every service's schema name; used to isolate test suites. */
  @Matches(/^([a-z][a-z0-9_]*_)?$/, { message: 'SCHEMA_PREFIX must be empty or end with an underscore' })
  SCHEMA_PREFIX = '';

  /** How often clue-transfer looks for clocks that are due soon or overdue. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(600_000)
  CLOCK_TICK_MS = 5000;

  /** Outgoing mail for the email channel and daily digests, e.g. smtp://user:pass@mail.example:587; email is off when unset. */
  @IsOptional()
  @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  SMTP_FROM = '联办 Lianban <noreply@lianban.local>';

  /**
   * Where agencies' webhooks may post: host names, domain suffixes (.gov.cn), addresses and ranges
   * (10.20.0.0/16), comma-separated. Unset: anywhere but this machine and special addresses
   * (loopback, link-local, …), which only a listed range opens. See apps/notifications/src/webhooks/destination.ts.
   */
  @IsOptional()
  @Matches(/^[0-9A-Za-z.:/,\- ]+$/, { message: 'WEBHOOK_ALLOWED_DESTINATIONS must list host names, domain suffixes, addresses or ranges, comma-separated' })
  WEBHOOK_ALLOWED_DESTINATIONS?: string;

  /** Hour of the day (Asia/Shanghai) when daily digests go out. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(23)
  DIGEST_HOUR = 8;

  /**
   * Minutes before a deadline at which to remind, e.g. "1440,120" (a day and two hours before);
   * unset: one reminder when the last fifth of the time begins, at most a day before.
   */
  @IsOptional()
  @Matches(/^\d{1,6}(,\d{1,6})*$/, { message: 'CLOCK_REMINDER_LEADS_MINUTES must be minutes separated by commas, e.g. 1440,120' })
  CLOCK_REMINDER_LEADS_MINUTES?: string;

  /** Working days before a campaign's self-inspection closes at which institutions that have not submitted their ledger are reminded. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(30)
  CAMPAIGN_REMINDER_WORKING_DAYS = 3;

  /** Finance's SM2 private key (PKCS#8 PEM) that signs verification receipts. Required in production for invoices. */
  @IsOptional()
  @Matches(/^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----\s*$/, { message: 'RECEIPT_SIGNING_KEY must be a PKCS#8 PEM private key' })
  RECEIPT_SIGNING_KEY?: string;

  /**
   * How many invoices one agency may verify per minute: at least one batch chunk (VERIFY_CHUNK),
   * which the service takes from the allowance at once, or batches could never be verified.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(VERIFY_CHUNK, { message: `INVOICE_VERIFICATIONS_PER_MINUTE must be at least ${VERIFY_CHUNK}, the invoices of one batch chunk` })
  INVOICE_VERIFICATIONS_PER_MINUTE = 120_000;

  /** Directory where evidence files of cases are stored (the gateway writes uploads, the cases service verifies and serves them). */
  @IsString()
  EVIDENCE_STORE_DIR = '.data/evidence';

  /** Where evidence files are kept: `local` (EVIDENCE_STORE_DIR) or `s3` (S3-compatible object storage, EVIDENCE_S3_*). */
  @IsIn(['local', 's3'])
  EVIDENCE_STORE: 'local' | 's3' = 'local';

  /** S3-compatible endpoint, e.g. https://oss.example.gov.cn or http://minio:9000 (path-style requests). */
  @IsOptional()
  @Matches(/^https?:\/\/[^/]+\/?$/, { message: 'EVIDENCE_S3_ENDPOINT must be an http(s) URL without a path' })
  EVIDENCE_S3_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'EVIDENCE_S3_BUCKET must be a valid bucket name' })
  EVIDENCE_S3_BUCKET?: string;

  @IsOptional()
  @IsString()
  EVIDENCE_S3_ACCESS_KEY?: string;

  @IsOptional()
  @IsString()
  EVIDENCE_S3_SECRET_KEY?: string;

  @IsString()
  EVIDENCE_S3_REGION = 'us-east-1';

  /** Largest evidence file accepted, in bytes. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  EVIDENCE_MAX_BYTES = 200 * 1024 * 1024;

  /** Largest invoice import file finance may upload, in bytes (kept in the same store as evidence). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  INVOICE_IMPORT_MAX_BYTES = 64 * 1024 * 1024;

  /** A JSON file of public-holiday schedules laid over the shipped ones (see libs/clocks). */
  @IsOptional()
  @IsString()
  HOLIDAY_CALENDAR_FILE?: string;
}

export const DEFAULT_PORTS = {
  gateway: 3000,
  agencies: 3101,
  'clue-transfer': 3102,
  cases: 3103,
  notifications: 3104,
  invoices: 3105,
} as const;

export type ProcessName = keyof typeof DEFAULT_PORTS;

export interface ServiceConfig {
  serviceName: ProcessName;
  env: Environment['NODE_ENV'];
  databaseUrl?: string;
  natsUrl: string;
  /** NATS_USER/NATS_PASSWORD or NATS_TOKEN, and NATS_TLS_*; unset: an open server. */
  natsCredentials?: NatsCredentials;
  host: string;
  port: number;
  logLevel: string;
  subjectPrefix: string;
  /** The Postgres schema this service owns. */
  schema: string;
  jwtSecret: string;
  piiKey: Buffer;
  internalSigningKey: string;
  clockTickMs: number;
  /** Empty: the default single due-soon reminder. */
  clockReminderLeadsMinutes: number[];
  /** The self-inspection closing reminder's lead, in working days. */
  campaignReminderWorkingDays: number;
  holidayCalendarFile?: string;
  evidenceStoreDir: string;
  evidenceMaxBytes: number;
  invoiceImportMaxBytes: number;
  /** Set when EVIDENCE_STORE=s3. */
  evidenceS3?: { endpoint: string; bucket: string; accessKey: string; secretKey: string; region: string };
  smtpUrl?: string;
  receiptSigningKey?: string;
  invoiceVerificationsPerMinute: number;
  smtpFrom: string;
  /** WEBHOOK_ALLOWED_DESTINATIONS; unset: anywhere but this machine and special addresses. */
  webhookAllowedDestinations?: string;
  digestHour: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** The NATS credentials the environment names, checked for pairs that go together; undefined when it names none. */
function natsCredentialsOf(serviceName: ProcessName, env: Environment): NatsCredentials | undefined {
  const bad = (why: string) => new Error(`Invalid configuration for ${serviceName}: ${why}`);
  if (!!env.NATS_USER !== !!env.NATS_PASSWORD) throw bad('NATS_USER and NATS_PASSWORD go together');
  if (env.NATS_TOKEN && env.NATS_USER) throw bad('NATS_TOKEN and NATS_USER exclude each other: a NATS server authorizes by one or the other');
  if (!!env.NATS_TLS_CERT_FILE !== !!env.NATS_TLS_KEY_FILE) throw bad('NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE go together');
  for (const k of ['NATS_TLS_CA_FILE', 'NATS_TLS_CERT_FILE', 'NATS_TLS_KEY_FILE'] as const) {
    if (env[k] && !existsSync(env[k])) throw bad(`${k} names ${env[k]}, which does not exist`);
  }
  const tls = env.NATS_TLS_CA_FILE || env.NATS_TLS_CERT_FILE ? { caFile: env.NATS_TLS_CA_FILE, certFile: env.NATS_TLS_CERT_FILE, keyFile: env.NATS_TLS_KEY_FILE } : undefined;
  if (!env.NATS_USER && !env.NATS_TOKEN && !tls) return undefined;
  return { ...(env.NATS_USER ? { user: env.NATS_USER, pass: env.NATS_PASSWORD } : {}), ...(env.NATS_TOKEN ? { token: env.NATS_TOKEN } : {}), ...(tls ? { tls } : {}) };
}

/** Used outside production only, so a demo runs with no set-up; production refuses to start without JWT_SECRET. */
export const DEVELOPMENT_JWT_SECRET = 'lianban-development-secret-never-used-in-production';

export function readConfig(serviceName: ProcessName, source: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const env = plainToInstance(Environment, Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')));
  const errors = validateSync(env, { whitelist: false });
  if (errors.length) {
    const lines = toFieldErrors(errors).map((e) => `  ${e.field}: ${e.messages.join('; ')}`);
    throw new Error(`Invalid configuration for ${serviceName}:\n${lines.join('\n')}`);
  }
  if (serviceName !== 'gateway' && !env.DATABASE_URL) {
    throw new Error(`Invalid configuration for ${serviceName}: DATABASE_URL is required`);
  }
  if (env.NODE_ENV === 'production' && (!env.JWT_SECRET || env.JWT_SECRET.length < 32)) {
    throw new Error(`Invalid configuration for ${serviceName}: JWT_SECRET (at least 32 characters) is required in production`);
  }
  if (env.NODE_ENV === 'production' && (!env.INTERNAL_SIGNING_KEY || env.INTERNAL_SIGNING_KEY.length < 32)) {
    throw new Error(`Invalid configuration for ${serviceName}: INTERNAL_SIGNING_KEY (at least 32 characters) is required in production`);
  }
  if (env.NODE_ENV === 'production' && serviceName === 'invoices' && !env.RECEIPT_SIGNING_KEY) {
    throw new Error('Invalid configuration for invoices: RECEIPT_SIGNING_KEY (finance’s SM2 key, PKCS#8 PEM) is required in production');
  }
  if (env.EVIDENCE_STORE === 's3' && (['gateway', 'cases'] as string[]).includes(serviceName)) {
    const missing = (['EVIDENCE_S3_ENDPOINT', 'EVIDENCE_S3_BUCKET', 'EVIDENCE_S3_ACCESS_KEY', 'EVIDENCE_S3_SECRET_KEY'] as const).filter((k) => !env[k]);
    if (missing.length) throw new Error(`Invalid configuration for ${serviceName}: EVIDENCE_STORE=s3 needs ${missing.join(', ')}`);
  }
  const natsCredentials = natsCredentialsOf(serviceName, env);
  if (env.NODE_ENV === 'production' && !natsCredentials?.user && !natsCredentials?.token && !natsCredentials?.tls?.certFile) {
    throw new Error(
      `Invalid configuration for ${serviceName}: NATS credentials are required in production (NATS_USER and NATS_PASSWORD, NATS_TOKEN, or a client certificate in NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE): every event and request, personal data included, crosses NATS`,
    );
  }
  if (env.NODE_ENV === 'production' && !env.PII_ENCRYPTION_KEY) {
    throw new Error(`Invalid configuration for ${serviceName}: PII_ENCRYPTION_KEY is required in production`);
  }
  return {
    serviceName,
    env: env.NODE_ENV,
    databaseUrl: env.DATABASE_URL,
    natsUrl: env.NATS_URL,
    natsCredentials,
    host: env.HOST,
    port: env.PORT ?? DEFAULT_PORTS[serviceName],
    logLevel: env.LOG_LEVEL,
    subjectPrefix: env.SUBJECT_PREFIX,
    schema: `${env.SCHEMA_PREFIX}${serviceName.replace(/-/g, '_')}`,
    jwtSecret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    internalSigningKey: env.INTERNAL_SIGNING_KEY ?? DEVELOPMENT_SIGNING_KEY,
    clockTickMs: env.CLOCK_TICK_MS,
    clockReminderLeadsMinutes: env.CLOCK_REMINDER_LEADS_MINUTES ? [...new Set(env.CLOCK_REMINDER_LEADS_MINUTES.split(',').map(Number))].filter((n) => n > 0) : [],
    campaignReminderWorkingDays: env.CAMPAIGN_REMINDER_WORKING_DAYS,
    holidayCalendarFile: env.HOLIDAY_CALENDAR_FILE,
    evidenceStoreDir: env.EVIDENCE_STORE_DIR,
    evidenceMaxBytes: env.EVIDENCE_MAX_BYTES,
    invoiceImportMaxBytes: env.INVOICE_IMPORT_MAX_BYTES,
    evidenceS3:
      env.EVIDENCE_STORE === 's3'
        ? { endpoint: env.EVIDENCE_S3_ENDPOINT!, bucket: env.EVIDENCE_S3_BUCKET!, accessKey: env.EVIDENCE_S3_ACCESS_KEY!, secretKey: env.EVIDENCE_S3_SECRET_KEY!, region: env.EVIDENCE_S3_REGION }
        : undefined,
    smtpUrl: env.SMTP_URL,
    receiptSigningKey: env.RECEIPT_SIGNING_KEY,
    invoiceVerificationsPerMinute: env.INVOICE_VERIFICATIONS_PER_MINUTE,
    smtpFrom: env.SMTP_FROM,
    webhookAllowedDestinations: env.WEBHOOK_ALLOWED_DESTINATIONS,
    digestHour: env.DIGEST_HOUR,
    piiKey: env.PII_ENCRYPTION_KEY ? Buffer.from(env.PII_ENCRYPTION_KEY, 'base64') : createHash('sha256').update(DEVELOPMENT_JWT_SECRET + ':pii').digest(),
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
  };
}

/**
 * The access-token key as a KeyObject: jsonwebtoken otherwise re-parses a string secret on every
 * verification (trying it as a public key first), which dominated the cost of a request.
 */
export function jwtKey(config: ServiceConfig): Buffer {
  return createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer;
}
