// Small progressive enhancements; every page works without them.
// "/" focuses the search box; hovering a citation highlights its source in the list of sources.
document.addEventListener("keydown", (e) => {
  const box = document.getElementById("q");
  if (e.key === "/" && box && document.activeElement !== box) { e.preventDefault(); box.focus(); }
});
document.addEventListener("mouseover", (e) => {
  const cite = e.target.closest ? e.target.closest(".cite") : null;
  document.querySelectorAll(".hl").forEach((el) => el.classList.remove("hl"));
  if (!cite) return;
  const source = document.getElementById("src-" + cite.dataset.article);
  if (source) source.classList.add("hl");
});
