// The analytics script every product must hold back until consent: it records when it ran
// (on the page's own clock, from navigation start) and sets a first-party cookie.
window.__trackerRanAt = performance.now();
document.cookie = '_bench_ga=1; Path=/; SameSite=Lax; Max-Age=3600';
