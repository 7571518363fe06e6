// The authenticator step of an account's set-up (staff at the common ID, residents at マイページ): the
// QR code of the otpauth URI, the secret as text for typing, and the confirmation field the page gives.
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import QRCode from 'qrcode';

export async function TotpEnrolment(props: { uri: string; secret: string; children: Child }) {
  const svg = await QRCode.toString(props.uri, { type: 'svg', margin: 1 });
  return (
    <fieldset>
      <legend>認証アプリの登録</legend>
      <p>認証アプリ（Google Authenticator、Microsoft Authenticator など）でQRコードを読み取ってください。</p>
      <div class="qr" role="img" aria-label="認証アプリで読み取るQRコード">
        {raw(svg)}
      </div>
      <p>
        読み取れない場合は、次の文字列を手入力してください: <code id="totp-secret">{props.secret}</code>
      </p>
      {props.children}
    </fieldset>
  );
}
