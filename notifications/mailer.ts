import nodemailer from 'nodemailer';

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

export interface Mailer {
  readonly from: string;
  send(mail: OutgoingMail): Promise<{ messageId: string; response: string }>;
  close(): void;
}

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
    ? nodemailer.createTransport({ ...common, pool: true, maxConnections: 5, maxMessages: 100 })
    : nodemailer.createTransport(common);
  return {
    from: settings.from,
    async send(mail) {
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
    },
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
