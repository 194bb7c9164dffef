// axe-core in the page under test: the WCAG 2.2 AA rules and best practices.
import { createRequire } from 'node:module';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The rules the page breaks, as `rule: elements`. Needs `bypassCSP` (the page's CSP blocks injected scripts). */
export async function axeViolations(page, options = {}) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async (options) => {
    const result = await window.axe.run(document, {
      ...options,
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, options);
}
