document.addEventListener("DOMContentLoaded", function () {
  if (window.katex) {
    document.querySelectorAll(".math").forEach(function (el) {
      katex.render(el.textContent, el, { displayMode: el.classList.contains("display"), throwOnError: false });
    });
  }
  document.querySelectorAll("pre").forEach(function (pre) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.className = "copy"; button.type = "button"; button.textContent = "Copy";
    pre.classList.add("copyable");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.querySelector("code").textContent).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
    });
    pre.appendChild(button);
  });
  if (window.matchMedia("(max-width: 56rem)").matches) {
    document.querySelectorAll("nav.toc details").forEach(function (d) { d.open = false; });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && location.hash.indexOf("#zoom-") === 0) { location.hash = "#figure-" + location.hash.slice(6); }
  });
});
