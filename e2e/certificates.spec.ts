/**
 * A secured OPC UA connection meets a server for the first time: ParX refuses it, asks in a
 * dialog (subject, validity, thumbprint), and connects once the engineer trusts it. The
 * Certificates pane then lists the server as trusted.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, SCREENS, startParx, tempWorkspace, type ParxProcess } from './processes';

const running: ParxProcess[] = [];
test.afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

test('first-use prompt: untrusted server certificate → Trust → connected', async ({ page }) => {
  // node-opcua loads in the simulator and the engine, and ParX makes its own key pair on first use.
  test.setTimeout(180_000);
  const t0 = Date.now();
  const stage = (what: string): void => console.log(`${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const opcPort = await freePort();
  // A free Modbus port too: the simulator serves Modbus beside OPC UA, on 502 unless told otherwise.
  const sim = startParx(['sim', '--opcua', String(opcPort), '--modbus', String(await freePort())]);
  running.push(sim);
  const [, endpointUrl] = await sim.waitFor(/OPC UA at (opc\.tcp:\/\/\S+)/, 60_000);
  const workspace = await tempWorkspace({
    version: 1,
    connections: [{ name: 'Line OPC UA', protocol: 'opcua', endpointUrl, securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256', timeoutMs: 2000 }],
    signals: [{ name: 'Line Speed', unit: 'm/min', connection: 'Line OPC UA', address: 'ns=1;s=Line.LineSpeed', timebaseMs: 100 }],
  });
  const server = startParx(['serve', '--port', '0', '--workspace', workspace]);
  running.push(server);
  const [, url] = await server.waitFor(/ParX at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
  await page.goto(url as string);
  stage('page open');

  const prompt = page.getByTestId('certificate-prompt');
  await expect(prompt).toBeVisible({ timeout: 45_000 });
  await expect(prompt).toContainText('Line OPC UA');
  await expect(page.getByTestId('certificate-subject')).toContainText('CN=');
  await expect(page.getByTestId('certificate-thumbprint')).toHaveText(/^([0-9A-F]{4} ){9}[0-9A-F]{4}$/);
  const thumbprint = await prompt.getAttribute('data-thumbprint');
  stage('prompt shown');
  await page.screenshot({ path: path.join(SCREENS, 'certificate-prompt.png') });

  await page.getByTestId('certificate-trust').click();
  await expect(prompt).toHaveCount(0);
  await page.getByRole('tab', { name: 'Health' }).click();
  await expect(page.getByTestId('health-connection').first()).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });

  stage('connected after trust');
  await page.getByTestId('open-pane').selectOption('certificates');
  const row = page.getByTestId('certificate-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'trusted');
  await expect(row).toHaveAttribute('data-thumbprint', thumbprint as string);
  await page.screenshot({ path: path.join(SCREENS, 'certificates-pane.png') });
});
