// The web app's hosting construct (infra/lib/web.ts) on its own: what it deploys with a built app
// and without one (a placeholder, so `cdk synth` needs no `npm run web:build`), and the CloudFront
// Function that routes the app's paths to index.html. The whole stack's assertions (bucket,
// distribution, headers, config.json) are in stack.test.ts.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { SPA_ROUTING, Web } from '#infra/lib/web.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tmp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

function synth(distDir: string) {
  const outdir = tmp('kapstone-web-cdk-');
  const stack = new Stack(new App({ outdir }), 'WebOnly');
  const web = new Web(stack, 'Web', {
    stage: 'test',
    apiBehavior: { origin: new HttpOrigin('api.example.org') },
    webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/0000',
    config: { apiUrl: '', region: 'us-east-1', userPoolId: 'us-east-1_pool', userPoolClientId: 'client' },
    distDir,
  });
  const deployments = Object.values(Template.fromStack(stack).findResources('Custom::CDKBucketDeployment')) as Array<{
    Properties: Record<string, any>;
  }>;
  // the files each deployment uploads, as CDK staged them (asset.<hash>/ folders)
  const staged = readdirSync(outdir)
    .filter((d) => d.startsWith('asset.') && !d.endsWith('.zip'))
    .flatMap((d) => readdirSync(join(outdir, d), { recursive: true, encoding: 'utf8' }));
  return { web, deployments, staged };
}

describe('deploying the files', () => {
  it('without a built app (no index.html): a placeholder page and the config, nothing else', () => {
    const { web, deployments } = synth(join(tmp('kapstone-web-none-'), 'dist'));
    expect(web.built).toBe(false);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]!.Properties).toMatchObject({ Prune: true, SystemMetadata: { 'cache-control': 'no-cache' } });
    expect(deployments[0]!.Properties.SourceObjectKeys).toHaveLength(2); // the placeholder and config.json
  });

  it('with a built app: hashed assets immutable and never pruned (source maps left out), then the rest revalidated', () => {
    const dist = tmp('kapstone-web-dist-');
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dist, 'favicon.svg'), '<svg/>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'assets', 'index-abc123.js.map'), '{}');
    const { web, deployments, staged } = synth(dist);
    expect(web.built).toBe(true);
    expect(staged).toEqual(expect.arrayContaining(['index.html', 'favicon.svg', 'index-abc123.js']));
    expect(staged.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(staged).not.toContain(join('assets', 'index-abc123.js')); // the site upload leaves assets/ to its own
    const assets = deployments.find((d) => d.Properties.DestinationBucketKeyPrefix === 'assets/')!;
    expect(assets.Properties).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    const site = deployments.find((d) => d !== assets)!;
    expect(site.Properties).toMatchObject({ Prune: true, Exclude: ['assets/*'], SystemMetadata: { 'cache-control': 'no-cache' } });
    expect(site.Properties.DistributionPaths).toEqual(['/*']);
  });
});

describe('SPA routing (CloudFront Function, viewer request)', () => {
  // the function's source, run in a context of its own (as CloudFront runs it: no Node globals)
  const handler = runInNewContext(`${SPA_ROUTING}; handler`) as (e: { request: { uri: string } }) => { uri: string };
  const route = (uri: string) => handler({ request: { uri } }).uri;

  it('serves index.html for the app’s paths (no file extension), as the local server does', () => {
    for (const uri of ['/', '/care', '/invoices/inv_1', '/packages/pkg_1', '/clinics/demo-nyc/programs/prg_1']) {
      expect(route(uri), uri).toBe('/index.html');
    }
  });

  it('leaves files alone: assets, the favicon, config.json', () => {
    for (const uri of ['/assets/index-abc123.js', '/favicon.svg', '/config.json', '/index.html']) expect(route(uri), uri).toBe(uri);
  });
});
