import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { WebhookDestinations } from './destination';

describe('where webhooks may post', () => {
  it('by default refuses this machine, private and shared networks and special addresses, in any IPv6 form, and lets any other host be registered', () => {
    const open = new WebhookDestinations();
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://127.9.9.9/',
      'http://[::1]:4222/',
      'http://0.0.0.0/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
      // The networks the platform itself runs in.
      'http://10.20.3.4:8080/hook',
      'http://172.16.0.9/',
      'http://192.168.1.5/',
      'http://[fd00::1]/',
      // Shared address space (RFC 6598): Alibaba Cloud's metadata service answers at 100.100.100.200.
      'http://100.100.100.200/latest/meta-data/ram/security-credentials/',
      'http://100.64.0.1:8080/',
      'http://198.18.0.1/',
      // IPv6 forms of IPv4 loopback and metadata: mapped, translated, compatible, NAT64, 6to4.
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[0:0:0:0:0:ffff:169.254.169.254]/',
      'http://[::ffff:0:127.0.0.1]/',
      'http://[::127.0.0.1]/',
      'http://[::7f00:1]/',
      'http://[64:ff9b::127.0.0.1]/',
      'http://[64:ff9b::6464:64c8]/',
      'http://[2002:7f00:1::]/',
      'http://[2002:a9fe:a9fe::1]/',
      // Tunnels and local NAT64 that may lead anywhere.
      'http://[2001:0:4136:e378::1]/',
      'http://[64:ff9b:1::a00:1]/',
      'http://[::]:80/',
    ]) {
      expect([url, open.refusal(url)]).toEqual([url, expect.stringMatching(/this machine or a special address/)]);
    }
    for (const url of ['https://oa.zhangye.gov.cn/hooks/lianban', 'http://203.0.113.7/hook', 'http://[2001:db8::5]/', 'http://[64:ff9b::cb00:7107]/', 'http://[2002:cb00:7107::1]/', 'http://100.128.0.1/']) {
      expect([url, open.refusal(url)]).toEqual([url, null]);
    }
  });

  it('when operators list destinations, allows only those: names, domain suffixes and ranges', () => {
    const listed = new WebhookDestinations('oa.zhangye.gov.cn, .ganzhou.gov.cn, 10.20.0.0/16, 127.0.0.1/32');
    expect(listed.refusal('https://oa.zhangye.gov.cn/hook')).toBeNull();
    expect(listed.refusal('https://ganzhou.gov.cn/hook')).toBeNull();
    expect(listed.refusal('https://oa.ganzhou.gov.cn/hook')).toBeNull();
    expect(listed.refusal('http://10.20.255.1/hook')).toBeNull();
    // A listed range opens even a special address: the tests' receiver on loopback.
    expect(listed.refusal('http://127.0.0.1:9/hook')).toBeNull();
    expect(listed.refusal('https://evilganzhou.gov.cn/hook')).toMatch(/not among the destinations/);
    expect(listed.refusal('https://example.com/hook')).toMatch(/not among the destinations/);
    expect(listed.refusal('http://203.0.113.7/hook')).toMatch(/not among the destinations/);
    // A private network outside the listed range stays closed; inside it, so do its IPv6 forms' neighbours.
    expect(listed.refusal('http://10.21.0.1/hook')).toMatch(/this machine or a special address/);
    expect(listed.refusal('http://[::ffff:10.20.0.7]/hook')).toBeNull();
    expect(listed.refusal('http://127.0.0.2/hook')).toMatch(/this machine or a special address/);
    // Whatever a listed name resolves to, this machine stays closed unless its range is listed.
    expect(listed.addressRefusal('127.0.0.1', true)).toBeNull();
    expect(listed.addressRefusal('169.254.169.254', true)).toMatch(/special address/);
    expect(listed.addressRefusal('203.0.113.9', true)).toBeNull();
    expect(listed.addressRefusal('203.0.113.9', false)).toMatch(/not among the destinations/);
  });

  it('checks the operators’ list when the service starts', () => {
    expect(WebhookDestinations.malformed('oa.zhangye.gov.cn,.gov.cn,10.0.0.0/8,fd00::/8,127.0.0.1')).toBeNull();
    expect(WebhookDestinations.malformed('10.0.0.0/33')).toMatch(/not an address range/);
    expect(WebhookDestinations.malformed('not a host')).toMatch(/not a host name/);
  });

  describe('on connecting, by the addresses a name resolves to', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_, res) => res.writeHead(204).end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    const get = (destinations: WebhookDestinations) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: 'localhost', port, family: 4, lookup: destinations.lookup }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        req.end();
      });

    it('refuses a name that resolves to this machine, and connects when the range is listed', async () => {
      await expect(get(new WebhookDestinations())).rejects.toMatchObject({ code: 'EDESTINATION', message: expect.stringContaining('localhost resolves to an address it may not reach') });
      await expect(get(new WebhookDestinations('localhost'))).rejects.toMatchObject({ code: 'EDESTINATION' });
      expect(await get(new WebhookDestinations('localhost,127.0.0.0/8'))).toBe(204);
    });
  });
});
