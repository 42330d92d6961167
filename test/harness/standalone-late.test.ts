/**
 * A plain cucumber-js run through the process adapter: a protocol violation after the last call
 * (here a second answer to shutdown) fails the AfterAll hook, so cucumber exits 1, where `run`
 * makes it the last scenario's PROTOCOL_ERROR. It used to be dropped: exit 0.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { test } from 'node:test';
import { closeStandalone, openStandalone } from '../../harness/standalone';

test('closeStandalone throws the fault that came after the last call', async () => {
  const fixture = path.join(__dirname, '..', 'fixtures', 'hostile', 'late-shutdown.js');
  await openStandalone({ adapter: 'process', tier: 'esent', command: [process.execPath, fixture], timeoutMs: 10_000 });
  await assert.rejects(closeStandalone(), /^Error: PROTOCOL_ERROR after the last scenario's last call: got a second answer to shutdown/);
});
