/* Busy feedback for long actions (issuing every notice, the annual report,
   exports): the button is disabled and a status line says the work is
   under way, so nobody stares at a frozen page or clicks twice. A file
   script, not an inline one: the Content-Security-Policy forbids those. */
document.addEventListener('submit', function (event) {
  var form = event.target;
  if (!form.hasAttribute('data-busy')) { return; }
  var button = form.querySelector('button[type=submit]');
  var note = form.querySelector('.busy-note');
  form.setAttribute('aria-busy', 'true');
  if (note) { note.hidden = false; }
  // disable after the submission has taken the button's value
  window.setTimeout(function () { if (button) { button.disabled = true; } }, 0);
  // a download does not leave the page: give the button back
  window.setTimeout(function () {
    if (button) { button.disabled = false; }
    form.removeAttribute('aria-busy');
    if (note) { note.hidden = true; }
  }, 20000);
});
