// Shared set-up: Debian's Chromium driven by playwright-core (each launch gets a fresh,
// temporary profile), against the server that .ci/e2e started (HOCSO_E2E_URL).
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE = process.env.HOCSO_E2E_URL ?? 'http://127.0.0.1:3000';

export const PHONE = { width: 360, height: 740 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new browser context: a phone-sized screen, Vietnamese, with or without JavaScript. */
export async function newPage(browser, { javaScript = true, viewport = PHONE } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: javaScript,
    viewport,
    locale: 'vi-VN',
  });
  return context.newPage();
}

/** A phone number nobody has used in this run. */
let issued = 0;
export function freshPhone() {
  issued += 1;
  const tail = String((Date.now() * 10 + issued) % 100000000).padStart(8, '0');
  return `09${tail}`;
}

export const PASSWORD = 'Hoa sen nở tháng Năm';

/** Registers a resident through the form and returns their phone number. */
export async function register(page, name = 'Nguyễn Thị Hoa') {
  const phone = freshPhone();
  await page.goto(`${BASE}/register`);
  await page.fill('#full_name', name);
  await page.fill('#contact', phone);
  await page.selectOption('#unit_code', { label: 'Phường Hoàn Kiếm' });
  await page.fill('#password', PASSWORD);
  await page.fill('#password_confirm', PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/learn`), page.click('button[type=submit]')]);
  return phone;
}

/** Logs in through the form and waits for the role's home page. */
export async function login(page, contact, password, home) {
  await page.goto(`${BASE}/login`);
  await page.fill('#contact', contact);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${BASE}${home}`), page.click('main button[type=submit]')]);
}

/** The page fits a 360 px phone: nothing scrolls sideways. */
export async function noSideScroll(page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `${page.url()} overflows a 360 px screen by ${overflow}px`);
}
