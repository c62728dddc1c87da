// The portal's forms answer 422 with the section re-rendered around the messages next to
// each field; htmx leaves 4xx responses unswapped unless told otherwise.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
