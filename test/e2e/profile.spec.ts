// Journey (e): the profile — phone, consent to texts, the ride-home contact.
import { expect, signUp, test } from './fixtures.ts';

test('change phone, text consent and the ride-home contact; a bad number is explained @phone', async ({ page, look }) => {
  await signUp(page);
  await page.getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect(page.getByLabel('Mobile phone')).toHaveValue('(212) 555-0177');
  await look('profile');

  await page.getByLabel('Their name').fill('Sam Tester');
  await page.getByLabel('Their phone').fill('12');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('Your profile was not saved');
  await expect(page.getByLabel('Their phone')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Their phone')).toBeFocused(); // the field to correct, not the page's start
  await look('profile-error');

  // a toll-free number is a US number, but not one for a person: said so, not "Enter a US or Canadian phone number"
  await page.getByLabel('Their phone').fill('(800) 555-0199');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByLabel('Their phone')).toHaveAccessibleDescription(
    'Enter a US or Canadian mobile or landline number: toll-free and other special numbers can’t be used.',
  );
  await expect(page.getByLabel('Their phone')).toBeFocused();

  await page.getByLabel('Mobile phone').fill('212 555 0188');
  await page.getByLabel('Text me confirmations and reminders').uncheck();
  await page.getByLabel('Their phone').fill('(646) 555-0199');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your profile was saved.' })).toBeFocused();

  await page.reload();
  await expect(page.getByLabel('Mobile phone')).toHaveValue('(212) 555-0188');
  await expect(page.getByLabel('Text me confirmations and reminders')).not.toBeChecked();
  await expect(page.getByLabel('Their name')).toHaveValue('Sam Tester');
  await expect(page.getByLabel('Their phone')).toHaveValue('(646) 555-0199');
});
