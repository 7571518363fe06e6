// 「この市町村を保存」 on a municipality's page: hidden until disaster-offline.js (which needs a service
// worker) shows it, so a reader without JavaScript is offered nothing that cannot work.
export function SavePack(props: { code: string }) {
  return (
    <section class="save-pack" data-save-pack={props.code} aria-labelledby="save-pack-title" hidden>
      <h2 id="save-pack-title">電波が届かないときのために</h2>
      <p>この市町村の避難場所・避難所の一覧と地図を、この端末に保存します。保存すると、電波がなくても見られます。</p>
      <button type="button">この市町村を保存</button>
      <p role="status" class="save-pack-status"></p>
    </section>
  );
}
