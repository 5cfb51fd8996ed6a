import { createTransport, Transporter } from 'nodemailer';

export const MAILER = Symbol('MAILER');

export interface Mailer {
  /** False when no SMTP server is configured: the email channel and digests are then off. */
  readonly enabled: boolean;
  send(to: string, subject: string, text: string): Promise<void>;
}

/** nodemailer over SMTP_URL; a well-kept library instead of a hand-written SMTP client. */
export function smtpMailer(url: string | undefined, from: string, timeoutMs: number): Mailer {
  if (!url) return { enabled: false, send: () => Promise.reject(new Error('no SMTP server configured')) };
  const transport: Transporter = createTransport(url, { from });
  Object.assign(transport.options, { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  return {
    enabled: true,
    send: async (to, subject, text) => {
      await transport.sendMail({ to, subject, text });
    },
  };
}
