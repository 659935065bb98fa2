// RefundJob with fakes: when it asks for the payment gateway. On AWS getting the gateway reads
// Stripe's secret and loads the SDK (functions/refunds/handler.ts), so a run that finds nothing due
// must not ask, and a gateway that cannot be had must fail the run before any invoice is touched:
// not an attempt counted against the refunds waiting. What the job does with a refund is tested on
// DynamoDB Local with the real Stripe SDK (test/integration/invoice-payments.test.ts).
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { fixedClock } from '#adapters/clock.ts';
import type { AuditRepository } from '#db/audit-repo.ts';
import type { InvoiceRepository } from '#db/invoice-repo.ts';
import type { PackageRepository } from '#db/package-repo.ts';
import { RefundJob, type RefundGateway } from '#services/refund-job.ts';
import { calls, fake } from './fakes.ts';

const logger = new Logger({ serviceName: 'refund-job-test', logLevel: 'CRITICAL' });
const clock = fixedClock(Date.parse('2026-12-01T12:00:00Z'));
const packages = fake<PackageRepository>('packages', {});
const audit = fake<AuditRepository>('audit', {});

describe('RefundJob asks for the gateway', () => {
  it('not at all when no refund is due', async () => {
    const invoices = fake<InvoiceRepository>('invoices', { refundsDue: async () => [] });
    const gateway = vi.fn(async (): Promise<RefundGateway> => ({ refund: vi.fn() }));
    const result = await new RefundJob({ invoices, packages, audit, clock }, gateway, logger).run();
    expect(result).toEqual({ refunded: [], retried: [], deadLettered: [] });
    expect(gateway).not.toHaveBeenCalled();
    expect(calls(invoices, 'refundsDue')).toHaveBeenCalledOnce();
  });

  it('once per run with refunds due, before reading an invoice; when it fails the run fails and no invoice is touched', async () => {
    // any invoice read or write would throw "unexpected call" from the fake: only refundsDue is given
    const invoices = fake<InvoiceRepository>('invoices', { refundsDue: async () => ['inv_1', 'inv_2'] });
    const broken = new Error('the secret cannot be read');
    const gateway = vi.fn(async (): Promise<RefundGateway> => Promise.reject(broken));
    await expect(new RefundJob({ invoices, packages, audit, clock }, gateway, logger).run()).rejects.toBe(broken);
    expect(gateway).toHaveBeenCalledOnce();
  });
});
