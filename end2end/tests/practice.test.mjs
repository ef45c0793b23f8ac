// The practice sandbox on a phone: a volunteer takes the birth-registration exam, falls into the
// ethnicity trap, and the review names it, once with JavaScript and once without; both runs get
// the same score and the same review. In guided mode, the island checks a field in the browser.
// The right answers are read from the scenario as its author wrote it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage } from './helpers.mjs';
import { fillRun as fill, next, readCase, startRun as start } from './run.mjs';

const PROCEDURE = 'dang-ky-khai-sinh';
const SCENARIO = 'be-khang-dung-han';
const birth = readCase(PROCEDURE, SCENARIO);
const { procedure, scenario } = birth;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function loginAsVolunteer(page) {
  await page.goto(`${BASE}/login`);
  await page.fill('#contact', 'tinhnguyen@hocso.test');
  await page.fill('#password', 'tinh-nguyen-demo-2025');
  await Promise.all([page.waitForURL(`${BASE}/learn`), page.click('main button[type=submit]')]);
}

const startRun = (page, mode) => start(page, birth, mode);

/** Fills every screen with the scenario's right answers, but `ethnicity` for the child. */
async function fillRun(page, ethnicity) {
  await fill(page, birth, { 'child-ethnicity': ethnicity });
}

const reviews = [];
for (const javaScript of [true, false]) {
  test(`a volunteer takes the birth-registration exam and is shown the trap (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const page = await newPage(browser, { javaScript });
    await loginAsVolunteer(page);
    await startRun(page, 'exam');
    assert.match(await page.locator('.badge').innerText(), /Bài thi/);
    assert.match(await page.locator('#timer').innerText(), /Còn khoảng \d+ phút/);
    await fillRun(page, 'Việt Nam');

    const result = await page.locator('#run-result').innerText();
    assert.match(result, /bị trả lại/, result);
    assert.match(result, /Chưa đạt/);
    const traps = await page.locator('#traps').innerText();
    assert.match(traps, /Mắc bẫy: Ghi “Việt Nam” vào ô dân tộc \(Dân tộc\)/, traps);
    assert.match(traps, /Đã tránh: Bỏ trống ngày sinh viết bằng chữ/);
    const mistakes = await page.locator('#mistakes').innerText();
    assert.match(mistakes, /“Việt Nam” là quốc tịch, không phải dân tộc/, mistakes);
    assert.match(mistakes, /Đúng là: Kinh/);
    const lesson = page.locator('#mistakes a').first();
    assert.equal(await lesson.getAttribute('href'), '/learn/khai-sinh-truc-tuyen/ks-loi-thuong-gap');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the review overflows a 360 px screen by ${overflow}px`);
    // What must not differ between the two runs: the score, the traps and the mistakes.
    const score = result.match(/\d+\/\d+ điểm \(\d+%\)/)[0];
    reviews.push({ score, traps, mistakes });
    if (reviews.length === 2) assert.deepEqual(reviews[0], reviews[1]);
    await page.context().close();
  });
}

test('guided mode checks a field in the browser as the learner leaves it', async () => {
  const page = await newPage(browser, { javaScript: true });
  await loginAsVolunteer(page);
  await startRun(page, 'guided');
  await page.fill('#login', scenario.values[procedure.login_field]);
  await next(page);
  await page.check(`#procedure-${PROCEDURE}`);
  await page.check(`#authority-${procedure.authority}`);
  await next(page);
  // The declarant screen, posted empty: the server refuses it (422) with a summary.
  await Promise.all([
    page.waitForURL(/\/practice\/run\/\d+$/),
    page.click("form.practice-form .actions button[value=next]"),
  ]);
  assert.match(await page.locator('.error-summary').innerText(), /Ô này bắt buộc/);
  // The island, not the server: no navigation happens while the message appears and goes.
  const url = page.url();
  await page.fill('#declarant-id', '003091004512');
  await page.locator('#declarant-name').focus();
  await page.locator('#declarant-id-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#declarant-id-error').innerText(), /mã tỉnh/);
  await page.fill('#declarant-id', scenario.values['declarant-id']);
  await page.locator('#declarant-id-error').waitFor({ state: 'hidden' });
  assert.equal(page.url(), url);
  // Enter in a box means "continue", never "show a hint" (which would cost a point).
  const section = procedure.sections[0];
  for (const field of section.fields) {
    const value = scenario.values[field.id] ?? '';
    if (field.type === 'choice' || field.type === 'sex') await page.check(`#${field.id}-${value}`);
    else await page.fill(`#${field.id}`, value);
  }
  await Promise.all([
    page.waitForURL(/step=tre$/),
    page.locator('#declarant-phone').press('Enter'),
  ]);
  assert.doesNotMatch(await page.locator('main').innerText(), /Đã xem \d+ gợi ý/);
  await page.context().close();
});
