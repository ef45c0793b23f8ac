// The frame around every page: phone layout, language switch, 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage } from './helpers.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const path of ['/', '/register', '/login']) {
  test(`${path} fits a 360 px phone without sideways scrolling`, async () => {
    const page = await newPage(browser);
    await page.goto(`${BASE}${path}`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
    // Text stays readable: the body text is at least 16 px.
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(size >= 16, `body text is ${size}px`);
    await page.context().close();
  });
}

test('the language switch changes the page to English and is remembered', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/login`);
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  await Promise.all([page.waitForURL(`${BASE}/login`), page.click('text=English')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('h1').innerText(), 'Log in');
  await page.goto(`${BASE}/register`);
  assert.equal(await page.locator('h1').innerText(), 'Create an account');
  await page.click('text=Tiếng Việt');
  await page.waitForURL(`${BASE}/register`);
  assert.equal(await page.locator('h1').innerText(), 'Đăng ký tài khoản');
  await page.context().close();
});

test('an unknown address shows a 404 page in Vietnamese', async () => {
  const page = await newPage(browser);
  const response = await page.goto(`${BASE}/khong-co-trang-nay`);
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('h1').innerText(), 'Không tìm thấy trang');
  await page.context().close();
});
