// The local stand-in for the export bucket's pre-signed links (docs/operations.md, "Local development helpers"):
// `GET /v1/dev/exports/{file}` serves a finished export's CSV from `.data/exports`, to the person
// who asked for it or an admin, as the billing API's GET /v1/exports/{exportId} decides
// (Caller.assertRequester). Like a pre-signed S3 link, the `url` that route answers works on its
// own until it expires (its signature: LocalExportStore); the asker's bearer token works too.
//
// File names are `<exportId>.<random>.csv` (EXPORT_FILE): anything else, a path with `..` or a
// slash included, never reaches the file system, and the name must be the export's own.
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '#domain/errors.ts';
import { exportStatusAt } from '#domain/ledger-export.ts';
import { admits, Caller, type Grant } from '#shared/auth/policy.ts';
import { principalFromClaims } from '#shared/auth/principal.ts';
import { EXPORT_FILE } from '#adapters/export-store.ts';
import { ExportRepository } from '#db/export-repo.ts';
import { verifyLocalToken } from './auth.ts';
import type { DevRoute } from './dev-routes.ts';

/** Who may download: the grants of GET /v1/exports/{exportId}. */
const GRANTS: readonly Grant[] = ['finance', 'admin'];

export const EXPORT_DEV_ROUTES: DevRoute[] = [
  {
    method: 'GET',
    path: '/v1/dev/exports/{file}',
    handle: async (req, ctx) => {
      const store = ctx.exports;
      const file = req.pathParams.file ?? '';
      // a signed link stands for the checks GET /v1/exports/{exportId} made before handing it out
      const signed = store?.signedLinkValid(file, req.query.expires, req.query.signature) ?? false;
      let caller: Caller | undefined;
      if (!signed) {
        const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
        const principal = principalFromClaims(token ? ((await verifyLocalToken(token)) ?? undefined) : undefined);
        if (!principal) throw new UnauthenticatedError();
        if (!admits(GRANTS, principal)) throw new ForbiddenError();
        caller = new Caller(principal, GRANTS);
      }
      const id = EXPORT_FILE.exec(file)?.[1];
      if (!store || id === undefined) throw new NotFoundError('export');
      const record = await new ExportRepository(ctx.doc, ctx.tableName).get(id);
      if (!record || record.file !== file) throw new NotFoundError('export');
      caller?.assertRequester({ clinicId: record.clinicId, requestedBy: record.requestedBy });
      if (exportStatusAt(record, ctx.clock.now()) !== 'ready') throw new NotFoundError('export');
      const opened = await store.open(file);
      if (!opened) throw new NotFoundError('export');
      return {
        status: 200,
        stream: opened.stream,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-length': String(opened.bytes),
          'content-disposition': `attachment; filename="ledger-${record.clinicId}-${record.from}-${record.to}.csv"`,
          // every listed client's name and payments
          'cache-control': 'no-store',
        },
      };
    },
  },
];
