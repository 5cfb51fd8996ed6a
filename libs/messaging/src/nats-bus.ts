import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect, JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { inboxPrefixOf, prefixedStreamName } from './naming';

/**
 * The service's one NATS connection, used for request/reply and JetStream alike. It reconnects
 * for ever: a broker outage delays messages, it never takes the service down.
 */
@Injectable()
export class NatsBus implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsBus.name);
  private connection?: NatsConnection;
  private manager?: JetStreamManager;

  constructor(@Inject(MESSAGING_OPTIONS) readonly options: MessagingOptions) {}

  async connect(): Promise<NatsConnection> {
    if (this.connection) return this.connection;
    const { user, pass, token, tls } = this.options.credentials ?? {};
    this.connection = await connect({
      servers: this.options.servers.split(',').map((s) => s.trim()),
      ...(user !== undefined ? { user, pass } : {}),
      ...(token !== undefined ? { token } : {}),
      // A CA or a client certificate asks for TLS whatever the URL's scheme; the server's certificate is always verified.
      ...(tls && (tls.caFile || tls.certFile) ? { tls: { ...tls } } : {}),
      name: this.options.serviceName,
      // Replies come back on inboxes of this process's NATS user, which per-process permissions let only it read
      // (a tool run with a service's environment, such as the demo seed, is that service to NATS).
      inboxPrefix: inboxPrefixOf(user ?? this.options.serviceName),
      ...(this.options.connectTimeoutMs ? { timeout: this.options.connectTimeoutMs } : {}),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
      // An Error per request only to improve stack traces costs more than the request itself.
      noAsyncTraces: true,
    });
    void this.watchStatus(this.connection);
    return this.connection;
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('NATS is not connected yet');
    return this.connection;
  }

  get js(): JetStreamClient {
    return this.nc.jetstream();
  }

  async jsm(): Promise<JetStreamManager> {
    this.manager ??= await this.nc.jetstreamManager();
    return this.manager;
  }

  /** Applies this bus's prefix to a subject from the contracts. */
  subject(subject: string): string {
    return `${this.options.subjectPrefix ?? ''}${subject}`;
  }

  /** Applies this bus's prefix to a stream name (stream names allow no dots). */
  streamName(name: string): string {
    return prefixedStreamName(name, this.options.subjectPrefix);
  }

  isConnected(): boolean {
    return !!this.connection && !this.connection.isClosed() && this.connected;
  }

  private connected = true;

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        this.connected = false;
        this.logger.warn(`NATS disconnected from ${s.data}`);
      } else if (s.type === 'reconnect') {
        this.connected = true;
        this.logger.log(`NATS reconnected to ${s.data}`);
      }
    }
  }

  /**
   * Closes last: the workers that publish and acknowledge (outbox relay, consumers, clocks) stop in
   * beforeApplicationShutdown, so nothing in flight meets a closed connection.
   */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    const nc = this.connection;
    this.connection = undefined;
    if (nc && !nc.isClosed()) {
      await nc.drain().catch(() => nc.close());
    }
  }
}
