import nodemailer from 'nodemailer';
import pLimit from 'p-limit';

/**
 * The e-mail transport the delivery activity depends on: one narrow interface,
 * built once per process by the composition root (no module-level mailer).
 */
export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Deterministic per delivery (see README): a receiver can drop a duplicate by it. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface SendOptions {
  /**
   * Runs when a connection is free, right before the message is written to it
   * (never while it waits for one): the caller claims the delivery here. False:
   * the message is not sent and send() resolves null.
   */
  handover?(): Promise<boolean>;
  /** Aborted while the message still waits for a connection: it is not sent (send() resolves null). */
  signal?: AbortSignal;
}

export interface Mailer {
  readonly from: string;
  send(mail: OutgoingMail, options?: SendOptions): Promise<{ messageId: string; response: string } | null>;
  close(): void;
}

/** Messages handed to the SMTP server at once: one per pooled connection. */
export const SMTP_CONNECTIONS = 5;

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** Keep connections open between messages (production); tests use one connection per message. */
  pool?: boolean;
  /** Milliseconds before a connection, greeting or idle socket counts as failed. */
  timeoutMs?: number;
}

/** A nodemailer SMTP transport behind the Mailer interface. */
export function createSmtpMailer(settings: SmtpSettings): Mailer {
  const timeout = settings.timeoutMs ?? 30_000;
  const auth = settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined;
  const common = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(auth ? { auth } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
  const transport = settings.pool
    ? nodemailer.createTransport({ ...common, pool: true, maxConnections: SMTP_CONNECTIONS, maxMessages: 100 })
    : nodemailer.createTransport(common);
  // Messages wait for a connection here, in our own queue, and not in nodemailer's: a message
  // still waiting has not been claimed, so a crash leaves it to be sent again (notifications/README.md).
  const handOver = pLimit(SMTP_CONNECTIONS);
  return {
    from: settings.from,
    send: (mail, options = {}) =>
      handOver(async () => {
        if (options.signal?.aborted) return null;
        if (options.handover && !(await options.handover())) return null;
        const info = await transport.sendMail({
          from: settings.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: mail.headers,
        });
        return { messageId: String(info.messageId ?? mail.messageId), response: String(info.response ?? '') };
      }),
    close() {
      transport.close();
    },
  };
}

/** The mailer from process config, or null when SMTP_HOST is unset (e-mail is then recorded as skipped). */
export function mailerFromConfig(config: {
  SMTP_HOST?: string;
  SMTP_PORT: number;
  SMTP_SECURE: boolean;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  SMTP_FROM: string;
}): Mailer | null {
  if (!config.SMTP_HOST) return null;
  return createSmtpMailer({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    user: config.SMTP_USER,
    password: config.SMTP_PASSWORD,
    from: config.SMTP_FROM,
    pool: true,
  });
}
