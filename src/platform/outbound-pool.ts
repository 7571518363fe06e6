/**
 * The outbound policy's kept-alive connections (outbound.ts): one pool per policy instance (an allow-list
 * never shares a socket with another), keyed by protocol, the address connected to, port and TLS name.
 * The policy resolves and checks the host on every request and asks for a socket to that checked
 * address, so a socket is reused only while the name still resolves to the address it was opened to;
 * a new DNS answer means a new, checked socket. Idle sockets close after `idleMs` (below the usual
 * 5 s server keep-alive), and at most `maxSockets` are open per key.
 */
import http from 'node:http';
import https from 'node:https';

export interface PoolOptions {
  /** Connections open at once per origin and address (default 64). */
  maxSockets?: number;
  /** An idle connection is closed after this (ms; default 4 s). */
  idleMs?: number;
}

export interface Pool {
  agent(protocol: string): http.Agent;
  /** Closes every connection (idle and in use). */
  destroy(): void;
}

export function connectionPool(o: PoolOptions = {}): Pool {
  const options = { keepAlive: true, maxSockets: o.maxSockets ?? 64, timeout: o.idleMs ?? 4000, scheduling: 'lifo' as const };
  const plain = new http.Agent(options);
  const tls = new https.Agent(options);
  return {
    agent: (protocol) => (protocol === 'https:' ? tls : plain),
    destroy() {
      plain.destroy();
      tls.destroy();
    },
  };
}
