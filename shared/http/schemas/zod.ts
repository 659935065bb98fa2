// The zod every schema on the Lambda path is written with: `zod/mini`, the functional API
// (z.optional(s), s.check(z.minLength(1))) over the same core as classic zod: same rules, same
// issues, same types. Classic zod's methods keep all of it in a bundle (~444 KB minified per
// function, see `npm run bench`); mini's functions tree-shake.
//
// Import it as a namespace, `import * as z from '#http/schemas/zod.ts'`, and only ever write
// `z.something`: esbuild then keeps just what is used. A namespace object used as a value (as
// `import { z } from 'zod/mini'` is) drags in all of zod, JSON Schema and every locale included.
//
// zod/mini loads no locale: every message a schema does not spell out itself would read
// "Invalid input". Classic zod loads English on import; so does this module, so that the 400
// details ("Too small: expected number to be >=0", "Invalid option: …") stay what they were.
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
