// A stand-in for an analytics tag the app holds back until its category is granted.
(window.appLog = window.appLog || []).push('analytics');
