// Writes to $WENJI_TEST_REPORT what would still keep this process alive after a job has
// finished (nothing should: the CLI never calls process.exit after a build).
//   alive-after.mjs cli ARGS…   runs `wenji ARGS…` like bin/wenji.js
//   alive-after.mjs close       closes the browser right after closing a page
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const [job, ...args] = process.argv.slice(2);
let code = 0;
if (job === 'cli') {
  const { main } = await import('../../src/cli/main.ts');
  code = await main(args);
} else {
  const { launchBrowser, openSandboxedPage } = await import('../../src/browser/chromium.ts');
  const browser = await launchBrowser();
  const page = await openSandboxedPage(browser, [process.cwd()]);
  await page.close(); // starts opening a spare page for the next render
  await browser.close();
}
// Handles that have just been closed (Chromium's pipes) are freed a loop turn later: give them
// a moment, far below the 30 s timers this looks for.
await new Promise((resolve) => setTimeout(resolve, 200));
writeFileSync(process.env.WENJI_TEST_REPORT, JSON.stringify({ code, alive: process.getActiveResourcesInfo() }));
process.exitCode = code;
