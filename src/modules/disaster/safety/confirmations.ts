// 安否確認 as a source for the 避難行動要支援者名簿 (roster/followups.ts ConfirmationSource): a person on
// the roster whose linked resident account marked 無事 or 避難中 (a check-in marks 避難中 with the
// shelter) since the confirmation round began is confirmed. 負傷 is not: they may still need someone.
// Only the status and its time are read; the sealed place and note stay sealed.
import type { ConfirmationSource } from '../roster/followups.ts';
import { statusesOf } from './repository-safety.ts';

const confirming: Record<string, 'safe' | 'checked-in'> = { safe: 'safe', evacuating: 'checked-in' };

export const safetyConfirmations: ConfirmationSource = async (tx, entries, since) => {
  const linked = entries.filter((e): e is typeof e & { residentId: string } => !!e.residentId);
  const rows = await statusesOf(
    tx,
    linked.map((e) => e.residentId),
  );
  const byResident = new Map(rows.map((r) => [r.residentId, r]));
  const out = new Map<string, { kind: 'safe' | 'checked-in'; at: string }>();
  for (const e of linked) {
    const r = byResident.get(e.residentId);
    const kind = r?.status ? confirming[r.status] : undefined;
    if (!kind || !r?.markedAt || Date.parse(r.markedAt) < Date.parse(since)) continue;
    out.set(e.id, { kind, at: new Date(r.markedAt).toISOString() });
  }
  return out;
};
