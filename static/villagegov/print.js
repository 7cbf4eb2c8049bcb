// Print buttons: <button data-print> prints the page. A static script, because the
// Content-Security-Policy runs no inline onclick="" handler.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});
