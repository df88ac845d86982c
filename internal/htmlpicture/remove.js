// Removes an output's picture (htmlpicture.Prepend) where scripts run: there the output's own
// scripts show the live output in its place. Where scripts do not run (a sanitized or untrusted
// notebook, an HTML export without JavaScript), the picture stays. The Go side appends the call
// with the picture's element id.
(function (id) {
  "use strict";
  const img = document.getElementById(id);
  if (img) img.remove();
})
