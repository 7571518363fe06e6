// The staff CLI's messages for people, in Japanese and naming the option to correct: the options are
// checked here before the commands run (the commands' own checks stay, but say 「アカウント: …」 and,
// for a role, only zod's English).
import { roleLabels } from '../modules/identity/index.ts';

const roleList = Object.keys(roleLabels).join(', ');

export interface AccountOptions {
  email?: string;
  name?: string;
  roles: readonly string[];
  department?: string;
  municipality?: string;
}

/** The first problem with the options of `create` / `create-admin`, or null. */
export function accountOptionProblem(o: AccountOptions): string | null {
  if (!o.email?.trim()) return '--email: メールアドレスを指定してください（例: --email kikaku@example.jp）。';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(o.email.trim()))
    return `--email: 「${o.email}」はメールアドレスの形式ではありません（例: kikaku@example.jp）。`;
  if (!o.name?.trim()) return '--name: 氏名を指定してください（例: --name "企画 花子"）。';
  if (o.roles.length === 0) return `--roles: 役割を1つ以上、カンマ区切りで指定してください。役割は ${roleList} のいずれかです。`;
  const unknown = o.roles.filter((r) => !(r in roleLabels));
  if (unknown.length) return `--roles: 「${unknown.join('」「')}」という役割はありません。役割は ${roleList} のいずれかです。`;
  if (o.roles.includes('department_editor') && !o.department?.trim())
    return '--department: 部局編集者（department_editor）には担当部局・課を組織のIDで指定してください（例: --department sogo-seisaku.dx-suishin）。';
  if (o.roles.includes('municipality_editor') && o.municipality === undefined)
    return '--municipality: 市町村編集者（municipality_editor）には市町村コードを指定してください（例: --municipality 02201）。';
  if (o.municipality !== undefined && !/^\d{5}$/.test(o.municipality))
    return `--municipality: 市町村コードは5桁の数字です（例: 02201）。「${o.municipality}」は使えません。`;
  return null;
}

/** node:util parseArgs' errors (English, with a code) as a Japanese line. */
export function argumentProblem(err: unknown): string | null {
  const code = (err as { code?: string } | null)?.code;
  const option = /'(-{1,2}[^'\s,]+)/.exec(String((err as Error | null)?.message ?? ''))?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `${option}: そのようなオプションはありません。使い方は npm run staff で表示します。`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${option}: 値を指定してください。`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'コマンドの後に余分な引数があります。';
  return null;
}
