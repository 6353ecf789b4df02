// Teams pages: a <select data-autosubmit> submits its form when changed (no inline handlers: CSP).
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form && select.form.submit());
});
