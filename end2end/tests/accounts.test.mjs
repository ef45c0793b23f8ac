// What a resident does first: register, log in, log out, in Vietnamese, on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, register, PASSWORD } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a resident registers, lands on the learner home, logs out and back in', async () => {
  const page = await newPage(browser);
  const phone = await register(page);
  assert.match(await page.locator('h1').innerText(), /Xin chào, Nguyễn Thị Hoa/);
  assert.match(await page.locator('main').innerText(), /Phường Hoàn Kiếm/);

  await Promise.all([page.waitForURL(`${BASE}/`), page.click('text=Đăng xuất')]);
  await page.goto(`${BASE}/learn`);
  assert.equal(new URL(page.url()).pathname, '/login', 'logged out: sent to log in');

  await page.fill('#contact', phone);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/learn`), page.click('button[type=submit]')]);
  await page.context().close();
});

test('a wrong password is explained in Vietnamese and the phone number stays filled in', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/login`);
  await page.fill('#contact', '0912345678');
  await page.fill('#password', 'không phải mật khẩu này');
  await page.click('button[type=submit]');
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Số điện thoại, email hoặc mật khẩu không đúng/);
  assert.equal(await page.inputValue('#contact'), '0912345678');
  assert.equal(await page.inputValue('#password'), '', 'the password is never sent back');
  await page.context().close();
});

test('the password field wakes up: its show/hide button reveals what was typed', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/login`);
  const toggle = page.locator('#password ~ button.toggle-password');
  // Hidden until the island has hydrated; then it works.
  await toggle.waitFor({ state: 'visible' });
  await page.fill('#password', 'bí mật');
  assert.equal(await page.getAttribute('#password', 'type'), 'password');
  await toggle.click();
  assert.equal(await page.getAttribute('#password', 'type'), 'text');
  assert.equal(await toggle.innerText(), 'Ẩn mật khẩu');
  await toggle.click();
  assert.equal(await page.getAttribute('#password', 'type'), 'password');
  await page.context().close();
});

test('without JavaScript: register, log out, log in, and a wrong password, all by plain form posts', async () => {
  const page = await newPage(browser, { javaScript: false });
  const phone = await register(page, 'Lê Văn Tám');
  assert.match(await page.locator('h1').innerText(), /Xin chào, Lê Văn Tám/);
  // The show/hide button needs JavaScript, so it stays hidden.
  await Promise.all([page.waitForURL(`${BASE}/`), page.click('text=Đăng xuất')]);
  await page.goto(`${BASE}/login`);
  assert.equal(await page.locator('button.toggle-password').isVisible(), false);

  await page.fill('#contact', phone);
  await page.fill('#password', 'sai mật khẩu rồi');
  await page.click('button[type=submit]');
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /không đúng/);

  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/learn`), page.click('button[type=submit]')]);
  assert.match(await page.locator('h1').innerText(), /Xin chào, Lê Văn Tám/);
  await page.context().close();
});

test('the demo accounts reach their role homes', async () => {
  const cases = [
    ['admin@hocso.test', 'quan-tri-demo-2025', '/people'],
    ['quanly@hocso.test', 'quan-ly-demo-2025', '/unit'],
    ['0912345678', 'nguoi-dan-demo-2025', '/learn'],
  ];
  for (const [contact, password, home] of cases) {
    const page = await newPage(browser);
    await page.goto(`${BASE}/login`);
    await page.fill('#contact', contact);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(`${BASE}${home}`), page.click('button[type=submit]')]);
    await page.context().close();
  }
});
