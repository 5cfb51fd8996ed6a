import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logging';

describe('log redaction', () => {
  it('never writes a password, a temporary password or a token, wherever it sits in a logged object', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    log.info({ body: { username: 'ganzhou-mi-wang', password: 'Lianban@2026' } }, 'sign-in');
    log.info({ body: { currentPassword: 'Abcd-Efgh-Jk23', newPassword: 'Gansu#Zhangye2026' } }, 'change');
    log.info({ reply: { temporaryPassword: 'Abcd-Efgh-Jk23', refreshToken: 'r.t' } }, 'issued');
    const text = lines.join('');
    for (const secret of ['Lianban@2026', 'Abcd-Efgh-Jk23', 'Gansu#Zhangye2026', 'r.t']) expect(text).not.toContain(secret);
    expect(text).toContain('ganzhou-mi-wang');
    expect(text.match(/\[redacted\]/g)).toHaveLength(5);
  });
});
