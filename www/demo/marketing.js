// A harmless stand-in for an advertising tag: sets a Google-Ads-like cookie and says it ran.
document.cookie = '_gcl_au=1.1.demo; Path=/; Max-Age=7776000; SameSite=Lax';
(window.demoLog = window.demoLog || []).push('marketing');
var marketingStatus = document.getElementById('status-marketing');
if (marketingStatus) marketingStatus.textContent = 'running (cookie _gcl_au set)';
