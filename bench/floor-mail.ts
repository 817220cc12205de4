import { createSmtpMailer } from '../notifications/mailer';

/**
 * The floor's one activity (bench/workflows/timer-mail.ts): one e-mail through
 * the app's own mailer with the app's pooling, so that P3's floor and the
 * system pay the same SMTP cost.
 */
export function createFloorMailActivities(smtpPort: number) {
  const mailer = createSmtpMailer({ host: '127.0.0.1', port: smtpPort, secure: false, from: 'bench <bench@par-index.local>', pool: true });
  return {
    activities: {
      async sendFloorMail(to: string): Promise<void> {
        await mailer.send({ to: { name: to, address: to }, subject: 'Nhắc hạn (floor)', text: 'floor', html: '<p>floor</p>', messageId: `<floor-${to}>` });
      },
    },
    close: () => mailer.close(),
  };
}

export type FloorMailActivities = ReturnType<typeof createFloorMailActivities>['activities'];
