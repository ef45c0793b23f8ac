// Working through a practice run in the browser, screen by screen, with the right answers of a
// scenario as its author wrote them (read from content/procedures/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { BASE } from './helpers.mjs';

/** A procedure and one of its scenarios, from the content folder. */
export function readCase(procedureId, scenarioId) {
  const read = (file) =>
    parse(readFileSync(new URL(`../../content/procedures/${procedureId}/${file}`, import.meta.url), 'utf8'));
  const procedure = read('procedure.toml');
  const scenario = read('scenarios.toml').scenarios.find((s) => s.id === scenarioId);
  return { procedure, scenario };
}

/** Posts the current screen with its `button` (next or submit); no error may come back. */
export async function next(page, button = 'next') {
  const before = page.url();
  await Promise.all([
    page.waitForURL((url) => url.toString() !== before),
    page.click(`form.practice-form .actions button[value=${button}]`),
  ]);
  assert.equal(await page.locator('.error-summary').count(), 0, `no errors after ${before}`);
}

/** Starts a run of the scenario in `mode` (exam or guided), or starts an unfinished one again. */
export async function startRun(page, { procedure, scenario }, mode) {
  await page.goto(`${BASE}/practice/${procedure.id}`);
  const card = page.locator(`#scenario-${scenario.id}`);
  if ((await card.locator('form').count()) === 0) {
    await card.locator('a.button').click();
    await Promise.all([page.waitForURL(/\/practice\/run\/\d+$/), page.click('.run-controls form:first-child button')]);
  } else {
    const label = mode === 'exam' ? 'Làm bài thi' : 'Làm có hướng dẫn';
    await Promise.all([
      page.waitForURL(/\/practice\/run\/\d+/),
      card.getByRole('button', { name: label }).click(),
    ]);
  }
}

/** Fills every screen with the scenario's right answers, except those in `changes`, and
 * submits; the page is then the review. */
export async function fillRun(page, { procedure, scenario }, changes = {}) {
  await page.fill('#login', scenario.values[procedure.login_field]);
  await next(page);
  await page.check(`#procedure-${procedure.id}`);
  await page.check(`#authority-${procedure.authority}`);
  await next(page);
  for (const section of procedure.sections) {
    for (const field of section.fields) {
      const value = changes[field.id] ?? scenario.values[field.id] ?? '';
      if (field.type === 'choice' || field.type === 'sex') {
        await page.check(`#${field.id}-${value}`);
      } else {
        await page.fill(`#${field.id}`, value);
      }
    }
    await next(page);
  }
  for (const doc of scenario.documents) await page.check(`#doc-${doc}`);
  await next(page);
  await page.check(`#delivery-${scenario.delivery}`);
  await next(page);
  await page.fill('#fee', String(scenario.fee ?? 0));
  await next(page);
  await next(page, 'submit');
  assert.match(page.url(), /\/review$/);
}
