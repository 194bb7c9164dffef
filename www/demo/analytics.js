// A harmless stand-in for an analytics tag: sets a Matomo-like cookie and says it ran.
document.cookie = '_pk_id.1.demo=visitor-42; Path=/; Max-Age=34190000; SameSite=Lax';
(window.demoLog = window.demoLog || []).push('analytics');
var analyticsStatus = document.getElementById('status-analytics');
if (analyticsStatus) analyticsStatus.textContent = 'running (cookie _pk_id.1.demo set)';
