// The CDK app as bin/app.ts runs it, as a function so the infra tests synthesize exactly the
// same thing: context read and checked once, one stack, cdk-nag's AWS Solutions and HIPAA
// Security rules.
//
// Context (cdk.json or `-c key=value`):
//   stage        dev (default) | any lower-case name: the stack is Kapstone-<stage>
//   logLevel     DEBUG | INFO (default) | WARN | ERROR, the functions' LOG_LEVEL
//   corsOrigins  comma-separated browser origins; default: local dev servers outside prod, none in prod
//   appBaseUrl   the clients' web app (where Stripe Checkout returns the browser); default: the web distribution
//   webDist      the built web app to deploy (default web/dist; a placeholder page when it holds no build)
//   sms          { ratePerSecond, originationNumber, senderId, dailyNoticeCap, rescheduleHint }: the
//                reminder job's settings (shared/config.ts checks them again at cold start)
import { resolve } from 'node:path';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { KapstoneStack, type LogLevel, type SmsSettings } from './kapstone-stack.ts';

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
/** Vite's and the local API server's default ports. */
const DEV_ORIGINS = ['http://localhost:5173', 'http://localhost:3000'];

export interface KapstoneApp {
  app: App;
  stack: KapstoneStack;
}

export function createKapstoneApp(props: AppProps = {}): KapstoneApp {
  const app = new App(props);
  const ctx = (key: string): unknown => app.node.tryGetContext(key);

  const stage = ctx('stage') ?? 'dev';
  if (typeof stage !== 'string' || !STAGE.test(stage)) {
    throw new Error(`Context 'stage' must match ${STAGE} (it names the stack and resources), got ${JSON.stringify(stage)}`);
  }
  const logLevel = ctx('logLevel') ?? 'INFO';
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new Error(`Context 'logLevel' must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  }

  const stack = new KapstoneStack(app, `Kapstone-${stage}`, {
    stage,
    logLevel: logLevel as LogLevel,
    corsOrigins: parseOrigins(ctx('corsOrigins')) ?? (stage === 'prod' ? [] : DEV_ORIGINS),
    ...appBaseUrlOf(ctx('appBaseUrl')),
    ...webDistOf(ctx('webDist')),
    ...smsOf(ctx('sms')),
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  return { app, stack };
}

function parseOrigins(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (!list) throw new Error(`Context 'corsOrigins' must be a list or a comma-separated string`);
  const origins = list.map((o) => String(o).trim()).filter((o) => o !== '');
  for (const o of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o)) throw new Error(`CORS origin '${o}' must be scheme://host[:port], without a path`);
  }
  return origins;
}

function appBaseUrlOf(raw: unknown): { appBaseUrl?: string } {
  if (raw === undefined) return {};
  if (typeof raw !== 'string' || !/^https:\/\/[^\s]+$/.test(raw))
    throw new Error(`Context 'appBaseUrl' must be an https URL, got ${JSON.stringify(raw)}`);
  return { appBaseUrl: raw };
}

function webDistOf(raw: unknown): { webDist?: string } {
  if (raw === undefined) return {};
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error(`Context 'webDist' must be a folder path, got ${JSON.stringify(raw)}`);
  return { webDist: resolve(raw) };
}

const SMS_KEYS: ReadonlySet<string> = new Set(['ratePerSecond', 'originationNumber', 'senderId', 'dailyNoticeCap', 'rescheduleHint']);

function smsOf(raw: unknown): { sms?: SmsSettings } {
  if (raw === undefined) return {};
  const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw; // `-c sms='{"ratePerSecond":5}'`
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.keys(parsed).every((k) => SMS_KEYS.has(k))) {
    throw new Error(`Context 'sms' must be an object with only ${[...SMS_KEYS].join(', ')}`);
  }
  return { sms: parsed };
}
