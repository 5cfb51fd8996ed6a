import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { NatsBus } from './nats-bus';
import { RpcClient } from './rpc-client';
import { RpcServer } from './rpc-server';

/** NATS for one service: its connection, its request handlers, and a client for other services. */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NatsBus,
          useFactory: async (opts: MessagingOptions) => {
            const bus = new NatsBus(opts);
            await bus.connect();
            return bus;
          },
          inject: [MESSAGING_OPTIONS],
        },
        RpcClient,
        RpcServer,
      ],
      exports: [NatsBus, RpcClient, MESSAGING_OPTIONS],
    };
  }
}
