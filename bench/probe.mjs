// Runs in the page before any of its scripts (Playwright init script), on the page's own clock
// (performance.now(), 0 = navigation start). Results are kept in window.__bench.
export function probe(title) {
  const state = {
    shownAt: null, // first frame showing the banner title
    clickAt: null, // the "Accept all" click
    hiddenAt: null, // first frame after the click without the banner title
    trackerBeforeClick: false,
    longTasks: [], // { start, duration } of each task over 50 ms
    layoutShift: 0,
    readyAt: null, // consentwidget:ready: Consent Widget's wasm runs every control
    lcp: null, // the last Largest Contentful Paint candidate before the first input
  };
  window.__bench = state;
  window.addEventListener('consentwidget:ready', () => { state.readyAt = performance.now(); });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      state.lcp = { at: entry.startTime, element: entry.element ? entry.element.localName : entry.url ? 'img' : '?' };
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true });

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) state.layoutShift += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });

  // Capture phase on window: runs before any product's own handler. The click event's timeStamp
  // is when the button was activated (the release of the press), so time the main thread was busy
  // before handling it counts too.
  const onClick = (event) => {
    if (state.clickAt !== null || !event.isTrusted) return;
    state.clickAt = event.timeStamp;
    state.trackerBeforeClick = window.__trackerRanAt !== undefined;
  };
  window.addEventListener('click', onClick, true);

  // Every element whose own text holds the title, looking into open shadow roots too.
  function titles(root, found = []) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.data.includes(title)) found.push(node.parentElement);
      } else if (node.shadowRoot) {
        titles(node.shadowRoot, found);
      }
    }
    return found;
  }

  // Shown: a non-empty box, not visibility:hidden, and no zero opacity up the ancestor chain
  // (crossing shadow roots to their hosts), so a banner fading in counts from its first frame.
  function shown(element) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (getComputedStyle(element).visibility === 'hidden') return false;
    for (let node = element; node; node = node.parentElement || node.getRootNode().host) {
      if (Number(getComputedStyle(node).opacity) === 0) return false;
    }
    return true;
  }

  // A frame's time is taken in its callback, after the check (which forces that frame's style and
  // layout), so it is close to the paint. The callback's own timestamp is when the frame began,
  // which on a busy main thread can be before the input or script that changed the page in it.
  function frame() {
    const visible = document.documentElement !== null && titles(document.documentElement).some(shown);
    const now = performance.now();
    if (state.shownAt === null && visible) state.shownAt = now;
    if (state.clickAt !== null && state.hiddenAt === null && !visible) state.hiddenAt = now;
    if (state.hiddenAt === null) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
}
