// The 45-day campaign on a phone. An organizer imports a roster without JavaScript (a plain
// file upload, a preview, an import) and the dashboard's coverage moves; importing the same
// file again changes nothing. An organizer deploys the demo's ready volunteer, who logs a
// session on their shift, and the unit's report counts it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, freshPhone, launch, login, newPage, noSideScroll } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The dashboard's officials: in the city, and in one unit ("met/all"). */
async function officials(page, unit) {
  await page.goto(`${BASE}/campaign`);
  await noSideScroll(page);
  const city = Number(
    (await page.locator('#coverage-table tr[data-cohort="official"] .members').innerText()).replace(/\./g, ''),
  );
  const cell = (await page.locator(`#units-table tr[data-unit="${unit}"] td.officials`).innerText()).trim();
  return { city, unit: Number(cell.split('/')[1].replace(/\./g, '')) };
}

async function upload(page, name, csv) {
  await page.goto(`${BASE}/roster`);
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  await Promise.all([page.waitForURL(/\/roster\/\d+$/), page.click('#roster-form button[type=submit]')]);
  await noSideScroll(page);
}

test('an organizer imports a roster without JavaScript and the coverage moves', async () => {
  const page = await newPage(browser, { javaScript: false });
  await login(page, 'tochuc@hocso.test', 'to-chuc-demo-2025', '/people');
  await page.goto(`${BASE}/campaign`);
  assert.match(await page.locator('#campaign-day').innerText(), /Ngày \d+\/45/);
  assert.ok((await page.locator('svg.burnup').count()) >= 4, 'burn-up charts are drawn on the server');
  const before = await officials(page, '00008');

  const run = Date.now() % 1000000;
  const rows = [
    ['Nguyễn Văn Hưng', 'mot-cua'],
    ['Trần Thị Thu', 'tu-phap-ho-tich'],
    ['Lê Minh Tuấn', ''],
  ].map(([name, position], i) => `E2E-${run}-${i},${name},cán bộ,00008,${position},,${freshPhone()}`);
  const csv = `\ufeffmã số,họ tên,đối tượng,mã đơn vị,vị trí,trường,liên hệ\n${rows.join('\n')}\n`;

  // A broken copy first: every bad row is named by its number, and nothing is imported.
  const broken = csv.replace('cán bộ,00008,mot-cua', 'cán bộ,99999,mot-cua').replace('Lê Minh Tuấn', 'Lê Minh 7');
  await upload(page, 'danh-sach-loi.csv', broken);
  const errors = await page.locator('#roster-errors').innerText();
  assert.match(errors, /Dòng 2, cột mã đơn vị/, errors);
  assert.match(errors, /Dòng 4, cột họ tên/, errors);
  assert.equal(await page.locator('#roster-confirm').count(), 0);

  await upload(page, 'danh-sach.csv', csv);
  assert.match(await page.locator('#roster-counts').innerText(), /Thêm mới 3, cập nhật 0, không đổi 0/);
  await Promise.all([page.waitForURL(/\?done=1$/), page.click('#roster-confirm')]);
  assert.match(await page.locator('#imported').innerText(), /Danh sách đã được nhập/);

  const afterImport = await officials(page, '00008');
  assert.equal(afterImport.city, before.city + 3, 'the city counts three more officials');
  assert.equal(afterImport.unit, before.unit + 3, 'and so does their ward');

  // The same file again: previewed as unchanged, imported, nothing moves.
  await upload(page, 'danh-sach.csv', csv);
  assert.match(await page.locator('#roster-counts').innerText(), /Thêm mới 0, cập nhật 0, không đổi 3/);
  await Promise.all([page.waitForURL(/\?done=1$/), page.click('#roster-confirm')]);
  assert.deepEqual(await officials(page, '00008'), afterImport);
  await page.context().close();
});

test('an organizer deploys a ready volunteer, who logs a session on their shift', async () => {
  const organizer = await newPage(browser);
  await login(organizer, 'tochuc@hocso.test', 'to-chuc-demo-2025', '/people');
  await organizer.goto(`${BASE}/deploy`);
  await noSideScroll(organizer);
  const option = organizer.locator('#volunteer option', { hasText: 'Phan Minh Châu' });
  await organizer.selectOption('#volunteer', await option.getAttribute('value'));
  await organizer.selectOption('#unit', '00004');
  await organizer.selectOption('#shift', 'evening');
  await Promise.all([organizer.waitForURL(/\/deploy\?done=1/), organizer.click('#deploy-form button[type=submit]')]);
  assert.match(await organizer.locator('#shift-table').innerText(), /Phan Minh Châu/);
  await organizer.goto(`${BASE}/campaign/units/00004`);
  const sessionsBefore = Number(await organizer.locator('dd[data-metric="assists"]').innerText());

  const volunteer = await newPage(browser, { javaScript: false });
  await login(volunteer, 'tnv.sansang@hocso.test', 'tnv-san-sang-demo-2025', '/learn');
  await volunteer.goto(`${BASE}/shifts`);
  await noSideScroll(volunteer);
  await volunteer.fill('#household', 'Số 8 ngõ 12 Đội Cấn');
  await volunteer.selectOption('#procedure', 'dang-ky-khai-sinh');
  await volunteer.selectOption('#outcome', 'online');
  await volunteer.fill('#minutes', '30');
  await Promise.all([volunteer.waitForURL(/\/shifts\?logged=1/), volunteer.click('#assist-form button[type=submit]')]);
  assert.match(await volunteer.locator('#logged').innerText(), /Đã ghi lượt hỗ trợ/);
  assert.match(await volunteer.locator('#assist-list').innerText(), /số 8 ngõ 12 đội cấn/);

  await organizer.goto(`${BASE}/campaign/units/00004`);
  await noSideScroll(organizer);
  assert.equal(Number(await organizer.locator('dd[data-metric="assists"]').innerText()), sessionsBefore + 1);
  await organizer.context().close();
  await volunteer.context().close();
});
