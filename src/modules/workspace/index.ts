/**
 * workspace — the staff side: sign-in through the common ID, reporting rounds (entry, submission,
 * approval, publication), indicator owners, and the audit trail.
 */
export { staffRoutes, type WorkspaceDeps } from './staff.tsx';
export * as rules from './rules.ts';
export { openRound } from './commands/open-round.ts';
export { submitEntry } from './commands/submit-entry.ts';
export { reviewEntry } from './commands/review-entry.ts';
export { publishRound } from './commands/publish-round.ts';
export { assignOwner } from './commands/assign-owner.ts';
export { updateBudget } from './commands/update-budget.ts';
export { importSheet } from './commands/import-sheet.ts';
export { sendReminders } from './commands/send-reminders.ts';
export { addNode, editIndicator, renameNode, retire } from './commands/edit-structure.ts';
export { addProject, endProject, setProjectPartners, startRevision } from './commands/revise-vision.ts';
