// A resident reads a module's lessons and passes its quiz on a phone, once with JavaScript and
// once without. The right answers are read from the module's quiz.toml, as an author wrote them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { BASE, launch, newPage, register } from './helpers.mjs';

const MODULE = 'cong-dich-vu-cong';
const quiz = parse(
  readFileSync(new URL(`../../content/modules/${MODULE}/quiz.toml`, import.meta.url), 'utf8'),
);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function readEveryLesson(page) {
  await page.goto(`${BASE}/learn/${MODULE}`);
  await Promise.all([page.waitForURL(/\/learn\/cong-dich-vu-cong\/.+/), page.click('main a.button')]);
  // The lesson reader: text, then "done" moves on, until the quiz.
  for (let i = 0; i < 20 && !page.url().includes('/quiz/'); i += 1) {
    assert.ok((await page.locator('article.lesson').innerText()).length > 200, 'a lesson has text');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${page.url()} overflows a 360 px screen by ${overflow}px`);
    const before = page.url();
    await page.click('form.form button[type=submit]');
    await page.waitForURL((url) => url.toString() !== before);
  }
  assert.equal(new URL(page.url()).pathname, `/quiz/${MODULE}`);
}

async function answerCorrectly(page) {
  for (const q of quiz.questions) {
    const name = `q-${q.id}`;
    if (q.kind === 'single' || q.kind === 'multiple') {
      for (const option of q.options.filter((o) => o.correct)) {
        await page.check(`#${name}-${option.id}`);
      }
    } else if (q.kind === 'true_false') {
      await page.check(`#${name}-${q.answer}`);
    } else if (q.kind === 'ordering') {
      for (const [index, item] of q.items.entries()) {
        await page.selectOption(`#${name}-${item.id}`, String(index + 1));
      }
    }
  }
  await Promise.all([page.waitForURL(/\/result\//), page.click('form.quiz button[type=submit]')]);
}

for (const javaScript of [true, false]) {
  test(`a resident reads the lessons and passes the quiz (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const page = await newPage(browser, { javaScript });
    await register(page, 'Trần Thị Mai');
    await readEveryLesson(page);

    // The quiz page never holds the answers.
    const html = await page.content();
    assert.ok(!html.includes('correct'), 'no answer key in the page');

    // Submitting with a question left blank keeps what was chosen and says what is missing.
    const first = quiz.questions[0];
    const firstRight = first.options?.find((o) => o.correct);
    if (firstRight) {
      await page.check(`#q-${first.id}-${firstRight.id}`);
      await page.click('form.quiz button[type=submit]');
      await page.locator('.error-summary').waitFor();
      assert.match(await page.locator('.error-summary').innerText(), /Bạn chưa trả lời câu này/);
      assert.equal(await page.isChecked(`#q-${first.id}-${firstRight.id}`), true);
    }

    await answerCorrectly(page);
    const panel = page.locator('#quiz-result');
    assert.match(await panel.innerText(), /Chúc mừng! Bạn đã đạt/);
    assert.match(await panel.innerText(), /\(100%\)/);

    // Back in the catalog the module shows as passed.
    await page.goto(`${BASE}/learn`);
    assert.match(await page.locator('main').innerText(), /Đã đạt bài kiểm tra \(100%\)/);
    await page.context().close();
  });
}

test('a wrong answer is explained, with the lesson to reread', async () => {
  const page = await newPage(browser);
  await register(page, 'Lê Văn Hùng');
  await page.goto(`${BASE}/quiz/${MODULE}`);
  // Answer everything wrong where a wrong option exists, else right.
  for (const q of quiz.questions) {
    const name = `q-${q.id}`;
    if (q.kind === 'single') {
      await page.check(`#${name}-${q.options.find((o) => !o.correct).id}`);
    } else if (q.kind === 'multiple') {
      await page.check(`#${name}-${q.options[0].id}`);
    } else if (q.kind === 'true_false') {
      await page.check(`#${name}-${!q.answer}`);
    } else {
      for (const [index, item] of q.items.entries()) {
        await page.selectOption(`#${name}-${item.id}`, String(q.items.length - index));
      }
    }
  }
  await Promise.all([page.waitForURL(/\/result\//), page.click('form.quiz button[type=submit]')]);
  assert.match(await page.locator('#quiz-result').innerText(), /Bạn chưa đạt/);
  // Which were wrong, not what is right: the right answers come with a pass.
  assert.doesNotMatch(await page.locator('main').innerText(), /Đáp án đúng:/);
  assert.ok(await page.locator('#answers-after-pass').isVisible());
  assert.ok((await page.locator('text=Làm lại bài kiểm tra').count()) > 0);
  await page.context().close();
});
