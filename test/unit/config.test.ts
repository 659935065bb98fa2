// The environment check every function runs at cold start (shared/config.ts): defaults, every
// variable's rule, and one error naming every problem but never a value.
import { describe, expect, it } from 'vitest';
import { loadConfig, loadEnv, nonEmpty, url } from '#shared/config.ts';

const base = { TABLE_NAME: 'kapstone' };
const problemsOf = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
};

describe('loadConfig', () => {
  it('fills the defaults when only the table is set', () => {
    expect(loadConfig(base)).toEqual({
      TABLE_NAME: 'kapstone',
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: undefined,
      LOG_LEVEL: 'INFO',
      SMS_RATE_PER_SECOND: 1,
      SMS_DAILY_NOTICE_CAP: 50,
      SMS_ORIGINATION_NUMBER: undefined,
      SMS_SENDER_ID: undefined,
      SMS_RESCHEDULE_HINT: 'use the online booking page or call the clinic',
      USER_POOL_ID: undefined,
      USER_POOL_CLIENT_ID: undefined,
    });
  });

  it('keeps every valid value, numbers read as numbers', () => {
    const env = {
      TABLE_NAME: 't',
      AWS_REGION: 'ca-central-1',
      DYNAMODB_ENDPOINT: 'http://localhost:8000',
      LOG_LEVEL: 'DEBUG',
      SMS_RATE_PER_SECOND: '2.5',
      SMS_DAILY_NOTICE_CAP: ' 12 ',
      SMS_ORIGINATION_NUMBER: '+12125550100',
      SMS_SENDER_ID: 'Kapstone1',
      SMS_RESCHEDULE_HINT: 'call us',
      USER_POOL_ID: 'us-east-1_abc',
      USER_POOL_CLIENT_ID: 'client',
    };
    expect(loadConfig(env)).toEqual({ ...env, SMS_RATE_PER_SECOND: 2.5, SMS_DAILY_NOTICE_CAP: 12 });
  });

  it.each([
    ['TABLE_NAME', undefined, 'required'],
    ['TABLE_NAME', '', 'must not be empty'],
    ['AWS_REGION', '', 'must not be empty'],
    ['DYNAMODB_ENDPOINT', 'localhost:8000', 'must be an http(s) URL'],
    ['DYNAMODB_ENDPOINT', '', 'must be an http(s) URL'],
    ['LOG_LEVEL', 'info', 'must be one of DEBUG, INFO, WARN, ERROR'],
    ['SMS_RATE_PER_SECOND', '0', 'must be above 0 and at most 1000'],
    ['SMS_RATE_PER_SECOND', '1001', 'must be above 0 and at most 1000'],
    ['SMS_RATE_PER_SECOND', 'fast', 'must be a number'],
    ['SMS_RATE_PER_SECOND', '', 'must be a number'],
    ['SMS_DAILY_NOTICE_CAP', '0', 'must be above 0 and at most 1000'],
    ['SMS_DAILY_NOTICE_CAP', '2.5', 'must be a whole number'],
    ['SMS_DAILY_NOTICE_CAP', 'Infinity', 'must be a number'],
    ['SMS_ORIGINATION_NUMBER', '2125550100', 'must be an E.164 number'],
    ['SMS_SENDER_ID', 'Kapstone Clinic', 'must be 1 to 11 letters or digits'],
    ['SMS_RESCHEDULE_HINT', '', 'must not be empty'],
    ['SMS_RESCHEDULE_HINT', 'x'.repeat(81), 'must be at most 80 characters'],
    ['USER_POOL_ID', '', 'must not be empty'],
    ['USER_POOL_CLIENT_ID', '', 'must not be empty'],
  ])('%s=%j is refused: %s', (name, value, problem) => {
    const env: NodeJS.ProcessEnv = { ...base, [name]: value };
    if (value === undefined) delete env[name];
    expect(problemsOf(env)).toBe(`Invalid configuration: ${name}: ${problem}`);
  });

  it('names every problem at once, and no value', () => {
    const message = problemsOf({ LOG_LEVEL: 'loud', SMS_SENDER_ID: 'secret-ish value' });
    expect(message).toBe(
      'Invalid configuration: TABLE_NAME: required; LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR; SMS_SENDER_ID: must be 1 to 11 letters or digits',
    );
    expect(message).not.toContain('secret-ish');
  });
});

describe('loadEnv', () => {
  it("returns a function's own variables when each passes its check", () => {
    expect(
      loadEnv({ STRIPE_SECRET_ARN: nonEmpty, APP_BASE_URL: url }, { STRIPE_SECRET_ARN: 'arn:x', APP_BASE_URL: 'https://app.example' }),
    ).toEqual({
      STRIPE_SECRET_ARN: 'arn:x',
      APP_BASE_URL: 'https://app.example',
    });
  });

  it('every variable is required, and every problem named', () => {
    expect(() => loadEnv({ EXPORT_BUCKET: nonEmpty, APP_BASE_URL: url }, { APP_BASE_URL: '/relative' })).toThrow(
      'Invalid configuration: EXPORT_BUCKET: required; APP_BASE_URL: must be an http(s) URL',
    );
  });
});
