// The preview of a file import, as the layer and roster imports show it: every row error of a refused
// file, or the first rows with their count and a form that sends the file's text back to be imported
// (the import reads it again exactly as the preview did: nothing in the form is trusted).
import type { Context } from 'hono';
import { decodeText } from '../../platform/text.ts';
import { TableScroll } from '../../web/layout.tsx';
import { Csrf, FormAlert, type StaffEnv } from '../workspace/index.ts';

/** Every row error of a refused file (the first 200). */
export function RowErrors(props: { errors: readonly { row: number; message: string }[] }) {
  const { errors } = props;
  return (
    <>
      <FormAlert message={`このファイルには誤りが${errors.length}件あります。ファイル全体を取り込みませんでした。`} />
      <TableScroll label="誤りの一覧">
        <table>
          <thead>
            <tr>
              <th scope="col">行</th>
              <th scope="col">内容</th>
            </tr>
          </thead>
          <tbody>
            {errors.slice(0, 200).map((e) => (
              <tr>
                <td>{e.row === 0 ? 'ファイル全体' : `${e.row}行目`}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

export interface PreviewRow {
  /** The file's line. */
  row: number;
  /** The row's name (its header cell). */
  name: string;
  cells: string[];
}

/**
 * A file's first rows and the confirm form: `columns` are the name column's heading and then the
 * others'; `fields` go back as hidden fields with the file's name and text.
 */
export function ImportPreview(props: {
  c: Context<StaffEnv>;
  id: string;
  heading: string;
  lead: string;
  columns: string[];
  rows: PreviewRow[];
  action: string;
  file: { name: string; bytes: Uint8Array };
  fields?: Record<string, string>;
}) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.heading}</h2>
      <p>{props.lead}</p>
      <TableScroll label="最初の行">
        <table>
          <thead>
            <tr>
              <th scope="col">行</th>
              {props.columns.map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr>
                <td>{r.row}</td>
                <th scope="row">{r.name}</th>
                {r.cells.map((v) => (
                  <td>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <form method="post" action={props.action} enctype="multipart/form-data">
        <Csrf c={props.c} />
        {Object.entries(props.fields ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="fileName" value={props.file.name} />
        <input type="hidden" name="content" value={decodeText(props.file.bytes).text} />
        <button type="submit">この内容で取り込む</button>
      </form>
    </section>
  );
}
