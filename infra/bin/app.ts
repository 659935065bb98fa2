// CDK app entry (cdk.json: `npx tsx infra/bin/app.ts`). Everything else is in infra/lib.
import { createKapstoneApp } from '../lib/kapstone-app.ts';

createKapstoneApp();
