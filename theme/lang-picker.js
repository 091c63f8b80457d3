// The language picker: a link in the menu bar to the same page in the book's other
// edition. The English book is built into target/book/ and each translation inside it, in
// target/book/<code>/ (`cargo xtask book --lang ko`), and published the same way, so the
// other edition of a page is found from this page's place below its book's root.
(function () {
    "use strict";
    const editions = [
        { code: "en", name: "English", folder: "" },
        { code: "ko", name: "한국어", folder: "ko/" },
    ];
    const here = editions.find((e) => e.code === document.documentElement.lang) || editions[0];
    // mdbook sets `path_to_root` on every page: from this page to its book's root.
    const bookRoot = new URL(path_to_root || "./", window.location.href);
    const page = window.location.href.slice(bookRoot.href.length);
    const englishRoot = new URL(here.folder ? "../" : "./", bookRoot);
    const buttons = document.querySelector(".right-buttons");
    if (!buttons) {
        return;
    }
    const picker = document.createElement("span");
    picker.className = "lang-picker";
    picker.setAttribute("role", "navigation");
    picker.setAttribute("aria-label", "Language · 언어");
    for (const edition of editions) {
        if (edition.code === here.code) {
            const current = document.createElement("span");
            current.className = "lang-current";
            current.lang = edition.code;
            current.textContent = edition.name;
            picker.appendChild(current);
        } else {
            const link = document.createElement("a");
            link.href = new URL(edition.folder + page, englishRoot).href;
            link.hreflang = edition.code;
            link.lang = edition.code;
            link.textContent = edition.name;
            link.title = edition.code === "ko" ? "이 쪽을 한국어로 읽기" : "Read this page in English";
            picker.appendChild(link);
        }
    }
    buttons.prepend(picker);
})();
