// Loaded as a module script (the build compiles it with `export {}` appended).
// Progressive enhancement only: every page works without this script.
// - Explore: changing the sort submits the search form.
// - "/" focuses the search box.
document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute('data-autosubmit') && target.form) target.form.requestSubmit();
});
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const active = document.activeElement;
  if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.tagName === 'SELECT')) return;
  const box = document.getElementById('q');
  if (box instanceof HTMLInputElement) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
// - Watch mode (`serve --watch`): reload the page once the catalog it shows has been replaced.
const live = document.querySelector('meta[name="ruleatlas-live"]');
if (live) {
  const shown = live.getAttribute('content');
  const poll = async () => {
    try {
      const res = await fetch('/api/version', { cache: 'no-store' });
      const { version } = await res.json();
      if (version !== shown) return location.reload();
    } catch {
      // The server is restarting or busy rebuilding: try again.
    }
    setTimeout(() => void poll(), 1000);
  };
  setTimeout(() => void poll(), 1000);
}
