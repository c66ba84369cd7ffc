// Runs before first paint (ui.md P5): applies the saved theme (or the system's) and language to <html>.
// Reads the same versioned `chitchats.settings` JSON as src/web/lib/settings.ts; keep the two in step.
(function () {
  var root = document.documentElement;
  var settings = {};
  try {
    var parsed = JSON.parse(localStorage.getItem('chitchats.settings') || '{}');
    if (parsed && parsed.v === 1) settings = parsed;
  } catch (e) {}
  var dark =
    settings.theme === 'dark' ||
    (settings.theme !== 'light' && !!window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.classList.toggle('dark', dark);
  root.style.colorScheme = dark ? 'dark' : 'light';
  var language = settings.language;
  if (language !== 'en' && language !== 'ko') {
    var first = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    language = /^ko\b/i.test(first) ? 'ko' : 'en';
  }
  root.lang = language;
})();
