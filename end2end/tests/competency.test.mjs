// The competency engine on a phone, with and without JavaScript: a demo official's passport
// shows a gap against their position; they pass the birth-registration exam; the gap closes,
// and their unit manager's matrix moves with it. Each variant uses its own demo official (the
// demo data gives each one quiz towards the competence, so one exam makes the second piece).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, login, newPage, noSideScroll } from './helpers.mjs';
import { fillRun, readCase, startRun } from './run.mjs';

const birth = readCase('dang-ky-khai-sinh', 'be-khang-dung-han');

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The manager's matrix cell for `name` and `competence`: its class and text. */
async function cell(page, name, competence) {
  await page.goto(`${BASE}/unit`);
  await noSideScroll(page);
  const headers = await page
    .locator('#matrix thead th')
    .evaluateAll((ths) => ths.map((th) => (th.querySelector('abbr')?.textContent ?? '').trim()));
  const column = headers.findIndex((h) => h === competence);
  assert.ok(column > 0, `the matrix has a ${competence} column: ${headers}`);
  const row = page.locator('#matrix tbody tr', { hasText: name });
  const td = row.locator('th, td').nth(column);
  return {
    cls: await td.getAttribute('class'),
    text: (await td.locator('span[aria-hidden="true"]').innerText()).trim(),
  };
}

const cases = [
  { javaScript: true, name: 'Nguyễn Thị Lan', contact: 'canbo@hocso.test', password: 'can-bo-demo-2025', competence: 'C1.1' },
  { javaScript: false, name: 'Trần Văn Bình', contact: 'tuphap@hocso.test', password: 'tu-phap-demo-2025', competence: 'C2.6' },
];

for (const c of cases) {
  test(`an official's ${c.competence} gap closes after an exam run, and the unit matrix shows it (JavaScript ${c.javaScript ? 'on' : 'off'})`, async () => {
    const official = await newPage(browser, { javaScript: c.javaScript });
    const manager = await newPage(browser, { javaScript: c.javaScript });
    await login(official, c.contact, c.password, '/learn');
    await login(manager, 'quanly@hocso.test', 'quan-ly-demo-2025', '/unit');

    await official.goto(`${BASE}/passport`);
    await noSideScroll(official);
    const line = official.locator(`section[data-competence="${c.competence}"]`);
    assert.equal(await line.getAttribute('data-status'), 'gap');
    assert.match(await line.innerText(), /Còn thiếu \d bậc/);
    assert.match(await line.innerText(), /Đăng ký khai sinh/, 'the passport names the practice that closes it');
    const before = await cell(manager, c.name, c.competence);
    assert.match(before.cls, /cell-gap/, JSON.stringify(before));

    await startRun(official, birth, 'exam');
    await fillRun(official, birth);
    assert.match(await official.locator('#run-result').innerText(), /Đạt/);

    await official.goto(`${BASE}/passport`);
    assert.equal(await line.getAttribute('data-status'), 'met');
    assert.match(await line.innerText(), /Đạt yêu cầu/);
    assert.match(await line.innerText(), /Bậc 3/);
    const after = await cell(manager, c.name, c.competence);
    assert.match(after.cls, /cell-met/, JSON.stringify(after));
    assert.equal(after.text, '3/3');
    await official.context().close();
    await manager.context().close();
  });
}

test('an organizer reads every unit and opens one; a manager cannot open another unit', async () => {
  const organizer = await newPage(browser);
  await login(organizer, 'tochuc@hocso.test', 'to-chuc-demo-2025', '/people');
  await organizer.goto(`${BASE}/units`);
  await noSideScroll(organizer);
  await Promise.all([
    organizer.waitForURL(`${BASE}/units/00004`),
    organizer.click('a[href="/units/00004"]'),
  ]);
  assert.match(await organizer.locator('h1').innerText(), /Phường Ba Đình/);
  assert.match(await organizer.locator('#matrix').innerText(), /Hoàng Thị Mai/);
  const manager = await newPage(browser);
  await login(manager, 'quanly@hocso.test', 'quan-ly-demo-2025', '/unit');
  const refused = await manager.goto(`${BASE}/units/00070`);
  assert.equal(refused.status(), 403);
  await organizer.context().close();
  await manager.context().close();
});
