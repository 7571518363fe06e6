// E-mail through an SMTP server (SMTP_URL). Without one, mail is not sent and the caller is told.

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export function smtpMailer(url: string, from: string): Mailer {
  // Loaded on first use: most starts send no mail.
  const transport = import('nodemailer').then((m) => m.default.createTransport(url));
  return {
    async send(mail) {
      await (await transport).sendMail({ from, ...mail });
    },
  };
}
