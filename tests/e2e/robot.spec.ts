import { expect, printedJob, test } from './kiosk.js';

/**
 * 问浏浏 end to end: the citizen types part of her question on the on-screen
 * pinyin keyboard ("sfz" → candidate 身份证) and the rest on a physical
 * keyboard, 浏浏 answers with the floor, department and windows, and 取号
 * issues a ticket of the service's category that the printer simulator prints.
 */
test.use({
  kioskConfig: {
    // A free port for the embedded hall queue; the tests run at any hour (developer option, never set in a hall).
    queue: { listen: { port: 0 }, ignoreOpeningHours: true },
    session: { idleTimeoutSeconds: 600, countdownSeconds: 15 },
  },
});

test('ask 浏浏 "身份证丢了怎么办" with the pinyin keyboard → floor 2, 公安局, windows 53 and 54 → 取号 prints an H ticket', async ({ kiosk }) => {
  const { page, dataDir } = kiosk;
  await page.getByTestId('start').click();
  await page.getByTestId('home-robot').click();
  await expect(page.getByTestId('robot-screen')).toBeVisible();
  // The greeting, and popular questions from the content.
  await expect(page.getByTestId('robot-bubble-robot').first()).toContainText('浏浏');
  await expect(page.getByTestId('robot-popular-0')).toBeVisible();

  // On-screen keyboard: "sfz" → the candidate 身份证 goes into the text.
  for (const key of ['s', 'f', 'z']) await page.getByTestId(`robot-input-key-${key}`).click();
  await expect(page.getByTestId('robot-input-letters')).toHaveText('sfz');
  const candidate = page.getByTestId('robot-input-candidates').getByRole('button', { name: '身份证', exact: true });
  await expect(candidate).toBeVisible({ timeout: 10_000 });
  await candidate.click();
  await expect(page.getByTestId('robot-input')).toHaveValue('身份证');

  // The rest on a physical keyboard, then Enter.
  await page.getByTestId('robot-input').focus();
  await page.keyboard.insertText('丢了怎么办');
  await expect(page.getByTestId('robot-input')).toHaveValue('身份证丢了怎么办');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('robot-bubble-citizen').last()).toHaveText('身份证丢了怎么办');
  // 浏浏 speaks with the terminal's own voice (espeak-ng on the host), with no browser voice: a WAV on the page's <audio> element.
  await expect(page.getByTestId('voice')).toHaveAttribute('src', /^data:audio\/wav;base64,.{2000,}/);
  const answer = page.getByTestId('robot-answer').last();
  await expect(answer).toBeVisible({ timeout: 20_000 });
  await expect(answer).toHaveAttribute('data-kind', 'intent');
  await expect(answer.getByTestId('robot-answer-where')).toContainText('2楼');
  await expect(answer.getByTestId('robot-answer-where')).toContainText('53、54号窗口');
  await expect(answer.getByTestId('robot-answer-text')).toContainText('公安局');
  await expect(answer.getByTestId('robot-answer-materials')).not.toBeEmpty();
  await expect(answer.getByTestId('robot-map')).toHaveAttribute('data-floor', '2');
  // Asking hid the on-screen keyboard so the answer has the room; one tap brings it back for the next question.
  await expect(page.getByTestId('robot-input-keyboard')).toBeHidden();
  await page.getByTestId('robot-input-keyboard-toggle').click();
  await expect(page.getByTestId('robot-input-key-s')).toBeVisible();
  await expect(answer.getByTestId('robot-map-target')).toHaveCount(1);
  await expect(answer.getByTestId('robot-map-target')).toContainText('户政治安服务区');
  await expect(page.getByTestId('robot-input')).toHaveValue('');

  // 取号 opens the ticket screen for the service: category 户政治安 (qc-household, prefix H).
  await answer.getByTestId('robot-action-ticket').click();
  await expect(page.getByTestId('ticket-screen')).toBeVisible();
  await expect(page.getByTestId('ticket-confirm')).toContainText('户政治安', { timeout: 15_000 });
  await page.getByTestId('ticket-take').click();
  const number = page.getByTestId('ticket-number');
  await expect(number).toHaveText(/^H\d{3,4}$/, { timeout: 20_000 });
  const displayNo = (await number.textContent()) ?? '';
  const job = await printedJob(dataDir, displayNo);
  expect(job).toContain(displayNo);
  expect(job).toContain('53、54');
});

test('浏浏 offers suggestions when unsure, declines out-of-scope questions, and calls staff', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('start').click();
  await page.getByTestId('home-robot').click();
  await expect(page.getByTestId('robot-screen')).toBeVisible();

  // Out of scope: the polite decline.
  await page.getByTestId('robot-input').fill('今天天气怎么样');
  await page.getByTestId('robot-input-submit').click();
  await expect(page.getByTestId('robot-answer').last()).toHaveAttribute('data-kind', 'out-of-scope', { timeout: 20_000 });

  // Unsure ("补办": of what? a marriage certificate, an ID card, a social-security card…): the top three as chips; a tapped chip answers that intent.
  await page.getByTestId('robot-input').fill('补办');
  await page.getByTestId('robot-input-submit').click();
  const unsure = page.getByTestId('robot-answer').last();
  await expect(unsure).toHaveAttribute('data-kind', 'unsure', { timeout: 20_000 });
  await expect(unsure.getByTestId('robot-suggestions').getByRole('button')).toHaveCount(3);
  const first = unsure.getByTestId('robot-suggestion-0');
  const suggested = (await first.textContent()) ?? '';
  await first.click();
  await expect(page.getByTestId('robot-bubble-citizen').last()).toHaveText(suggested);
  await expect(page.getByTestId('robot-answer').last()).toHaveAttribute('data-kind', 'intent', { timeout: 20_000 });

  // A popular question chip answers its intent.
  const chip = page.getByTestId('robot-popular-0');
  const label = (await chip.textContent()) ?? '';
  await chip.click();
  await expect(page.getByTestId('robot-bubble-citizen').last()).toHaveText(label);
  await expect(page.getByTestId('robot-answer').last()).toHaveAttribute('data-kind', 'intent', { timeout: 20_000 });

  // Call staff → the confirmation.
  await page.getByTestId('robot-answer').last().getByTestId('robot-action-call-staff').click();
  await expect(page.getByTestId('robot-bubble-robot').last()).toContainText('工作人员马上就来');
});

test('浏浏 declines what the hall does not do naming where to go, asks between close siblings, and understands English', async ({ kiosk }) => {
  const { page } = kiosk;
  await page.getByTestId('start').click();
  await page.getByTestId('home-robot').click();
  await expect(page.getByTestId('robot-screen')).toBeVisible();
  const ask = async (question: string) => {
    await page.getByTestId('robot-input').fill(question);
    await page.getByTestId('robot-input-submit').click();
    await expect(page.getByTestId('robot-bubble-citizen').last()).toHaveText(question);
    const answer = page.getByTestId('robot-answer').last();
    await expect(answer).toBeVisible({ timeout: 20_000 });
    return answer;
  };

  // A bank passbook is not the social-security card: the decline names the bank.
  const passbook = await ask('我的存折丢了怎么挂失');
  await expect(passbook).toHaveAttribute('data-kind', 'out-of-scope');
  await expect(passbook.getByTestId('robot-answer-text')).toContainText('银行');
  await expect(passbook.getByTestId('robot-answer-text')).toContainText('本大厅办理不了');

  // "社保卡" with "办" ("我想办社保卡"): 申领 or 补换 is left open, however sure the model is. One question built from the two services' names, the two as buttons, each label once.
  await page.getByTestId('robot-input').fill('我想办');
  await page.getByTestId('robot-input').focus();
  await page.keyboard.insertText('社保卡');
  await page.keyboard.press('Enter');
  const clarify = page.getByTestId('robot-answer').last();
  await expect(clarify).toHaveAttribute('data-kind', 'clarify', { timeout: 20_000 });
  await expect(clarify.getByTestId('robot-answer-text')).toHaveText(/^您要办理的是社会保障卡(申领|补换)，还是社会保障卡(申领|补换)？$/);
  const options = clarify.getByTestId('robot-suggestions').getByRole('button');
  await expect(options).toHaveCount(2);
  expect((await options.allTextContents()).sort()).toEqual(['社会保障卡申领', '社会保障卡补换'].sort());
  await clarify.getByRole('button', { name: '社会保障卡补换', exact: true }).click();
  const replace = page.getByTestId('robot-answer').last();
  await expect(replace).toHaveAttribute('data-kind', 'intent', { timeout: 20_000 });
  await expect(replace.getByTestId('robot-answer-text')).toContainText('补换');

  // English mode: the toilet's floor, and the robot's own sentences in English.
  await page.getByTestId('language-toggle').click();
  const toilet = await ask('where is the toilet');
  await expect(toilet).toHaveAttribute('data-kind', 'intent');
  await expect(toilet.getByTestId('robot-answer-text')).toContainText('Restrooms');
  await expect(toilet.getByTestId('robot-answer-where')).toContainText(/Floor \d/);
  await expect(toilet.getByTestId('robot-map')).toBeVisible();
  const visa = await ask('How do I get a visa for Japan?');
  await expect(visa).toHaveAttribute('data-kind', 'out-of-scope');
  await expect(visa.getByTestId('robot-answer-text')).toContainText('embassy');
});
