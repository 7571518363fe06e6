// The staff commands as the staff forms call them, for tests: the form parsed with the command's
// schema (a bad form is a 400 with the form's message), then the typed input.
import { parse } from '../src/platform/http.ts';
import type { Actor } from '../src/modules/identity/index.ts';
import {
  addNodeInput,
  addProjectInput,
  endProjectInput,
  indicatorInput,
  ownerInput,
  partnersInput,
  renameInput,
  retireInput,
  revisionInput,
  type PlansModule,
} from '../src/modules/plans/index.ts';
import { entryInput, openRoundInput, publishInput, reviewInput, type WorkspaceModule } from '../src/modules/workspace/index.ts';

export function staffCommands(t: { plans: PlansModule; workspace: WorkspaceModule }) {
  const p = t.plans.commands;
  const w = t.workspace.commands;
  return {
    assignOwner: async (a: Actor, planId: string, indicatorCode: string, form: unknown) =>
      p.assignOwner(a, { planId, indicatorCodes: [indicatorCode], ...parse(ownerInput, form, '担当部局') }),
    openRound: async (a: Actor, planId: string, form: unknown) =>
      w.openRound(a, { planId, ...parse(openRoundInput, form, '報告ラウンド') }),
    submitEntry: async (a: Actor, roundId: number, indicatorCode: string, form: unknown) =>
      w.submitEntry(a, { roundId, indicatorCode, ...parse(entryInput, form, '入力') }),
    reviewEntry: async (a: Actor, roundId: number, entryId: number, form: unknown) =>
      w.reviewEntry(a, { roundId, entryId, ...parse(reviewInput, form, '審査') }),
    publishRound: async (a: Actor, roundId: number, form: unknown = {}) =>
      w.publishRound(a, { roundId, ...parse(publishInput, form, '公表') }),
    editIndicator: async (a: Actor, planId: string, code: string, form: unknown) =>
      p.editIndicator(a, { planId, code, ...parse(indicatorInput, form, '指標') }),
    renameNode: async (a: Actor, planId: string, code: string, form: unknown) =>
      p.renameNode(a, { planId, code, ...parse(renameInput, form, '名称') }),
    addNode: async (a: Actor, planId: string, form: unknown) => {
      const v = parse(addNodeInput, form, '追加');
      return p.addNode(a, { planId, ...v, indicator: v.kind === 'indicator' ? parse(indicatorInput, form, '指標') : undefined });
    },
    retire: async (a: Actor, planId: string, code: string, form: unknown) =>
      p.retire(a, { planId, code, ...parse(retireInput, form, '廃止') }),
    startRevision: async (a: Actor, planId: string, form: unknown) => p.startRevision(a, { planId, ...parse(revisionInput, form, '版') }),
    addProject: async (a: Actor, planId: string, form: unknown) => p.addProject(a, { planId, ...parse(addProjectInput, form, '事業') }),
    endProject: async (a: Actor, planId: string, code: string, form: unknown) =>
      p.endProject(a, { planId, code, ...parse(endProjectInput, form, '終了') }),
    setProjectPartners: async (a: Actor, planId: string, code: string, form: unknown) =>
      p.setProjectPartners(a, { planId, code, ...parse(partnersInput, form, '連携町村') }),
  };
}
