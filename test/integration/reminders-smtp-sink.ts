import { SMTPServer } from 'smtp-server';

/** One message as a real SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  messageId: string | null;
  raw: string;
  /** Epoch ms when the message was accepted (the reminder storm benchmark times deliveries by it). */
  at: number;
}

/**
 * A real in-process SMTP server (smtp-server) for the reminder tests: accepts
 * every message without TLS or auth, keeps it, and can be stopped and started
 * again on the same port to simulate an outage. Without a port it takes one from
 * the OS on its first start and keeps it.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Connection errors the server saw, e.g. a client killed in the middle of an exchange (ECONNRESET). */
  readonly connectionErrors: Error[] = [];
  private server: SMTPServer | null = null;

  /** `delayMs`: how long the server takes to accept each message after its data arrived (a slow relay). */
  constructor(
    private boundPort = 0,
    private readonly options: { delayMs?: number } = {},
  ) {}

  /** The port it listens on; known once it has started. */
  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ');
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(unfolded)?.[1] ?? null,
            raw,
            at: Date.now(),
          });
          if (this.options.delayMs) setTimeout(callback, this.options.delayMs);
          else callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        // A relay outlives the clients that die on it: the tests kill workers in the middle of SMTP exchanges, and
        // without a listener the server's 'error' event would be thrown into the test process.
        server.on('error', (error) => this.connectionErrors.push(error));
        resolve();
      });
    });
    const address = server.server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * What the inboxes hold: one message per recipient and Message-ID, as a
   * receiver that drops a copy it already has (by Message-ID) keeps them.
   */
  inboxes(): { to: string; messageId: string | null; copies: number }[] {
    const byKey = new Map<string, { to: string; messageId: string | null; copies: number }>();
    for (const mail of this.received) {
      for (const to of mail.to) {
        const key = `${to} ${mail.messageId ?? mail.raw}`;
        const entry = byKey.get(key) ?? { to, messageId: mail.messageId, copies: 0 };
        entry.copies += 1;
        byKey.set(key, entry);
      }
    }
    return [...byKey.values()];
  }

  /** Messages received for one address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.includes(address.toLowerCase()));
  }
}
