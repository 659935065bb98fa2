// A clinic's programs: the bundles of sessions its clients can buy as packages.
import type { Program, ProgramTier } from '#domain/packages.ts';
import { assertNoIssues } from '#domain/errors.ts';
import { assertNeutralName, programIncludesIssues, programPrice } from '#domain/programs.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { Repositories } from './context.ts';

export interface CreateProgramInput {
  name: string;
  explorations: number;
  tier: ProgramTier;
  includes: { preparation: number; exploration: number; integration: number };
  /** An explicit bundle price in minor units; default: the catalog's list prices. */
  price?: number | undefined;
}

/** What ProgramService uses: the clinic's setup (programs, catalog), the clock and ids. */
export type ProgramServiceDeps = Pick<Repositories, 'clinics'> & { clock: Clock; ids: IdGenerator };

export class ProgramService {
  constructor(private readonly deps: ProgramServiceDeps) {}

  async programs(clinicId: string): Promise<Program[]> {
    const setup = await this.deps.clinics.setup(clinicId);
    return setup.programs.filter((p) => !p.retired).sort((a, b) => a.explorations - b.explorations || a.tier.localeCompare(b.tier));
  }

  async createProgram(caller: Caller, clinicId: string, input: CreateProgramInput): Promise<Program> {
    caller.assert({ clinicId });
    assertNeutralName(input.name);
    const setup = await this.deps.clinics.setup(clinicId);
    assertNoIssues(programIncludesIssues(input.explorations, input.includes));
    const program: Program = {
      id: this.deps.ids('prg'),
      clinicId,
      name: input.name,
      explorations: input.explorations,
      tier: input.tier,
      includes: { ...input.includes },
      price: programPrice(setup.services, input.includes, setup.clinic.currency, input.price),
      retired: false,
      createdAt: this.deps.clock.now(),
    };
    await this.deps.clinics.putProgram(program);
    return program;
  }

  async retireProgram(caller: Caller, clinicId: string, programId: string): Promise<void> {
    caller.assert({ clinicId });
    await this.deps.clinics.retireProgram(clinicId, programId);
  }
}
