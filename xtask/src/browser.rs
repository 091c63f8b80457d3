//! The built book as a reader sees it: every chapter opened in headless Chromium, its
//! mermaid diagrams counted, its JavaScript errors caught, every internal link and anchor
//! followed, and every chapter looked up in the search index.
//!
//! What Chromium 156 (Debian) does here, tried on this machine:
//! - `--dump-dom` prints the DOM after scripts ran; each diagram mermaid drew is an
//!   `<svg … aria-roledescription="flowchart-v2">` (or `sequence`, …). A diagram mermaid
//!   could not parse is drawn too, as `aria-roledescription="error"` ("Syntax error in
//!   text"), and logs nothing: so errors are counted apart, not as rendered diagrams.
//! - `--enable-logging=stderr --v=0` prints each console message as
//!   `[pid:tid:date/time:INFO:CONSOLE:LINE] "message", source: URL (LINE)`. Uncaught
//!   exceptions and rejected promises start with `"Uncaught`. `console.error`, `warn` and
//!   `log` all print the same way (INFO, no level), so a page is held to logging nothing.
//!   Everything else on stderr (dbus, GPU, sandbox warnings) is noise of a machine without
//!   a desktop and is ignored.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

mod faults;
mod language;
pub use faults::self_test;

/// A text file, or an error that names it.
fn text_of(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))
}

/// How long one Chromium run may take before it is killed. A page takes about a second.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(30);

/// How long the page's scripts (mermaid) may run, in Chromium's virtual time (ms).
const VIRTUAL_TIME_BUDGET_MS: u32 = 10_000;

/// Checks the book built in `root/target/book/` in a real browser, and its Korean edition
/// in `target/book/ko/` (required once `po/ko.po` exists). Returns one line per problem;
/// empty means both render, link and search as they should. With `screenshots`, also saves
/// `<dir>/<page>.png` of every chapter (`<dir>/ko/<page>.png` for the Korean edition).
pub fn check_rendered_book(root: &Path, screenshots: Option<&Path>) -> Result<Vec<String>> {
    let mut problems = check_edition(root, &root.join("target/book"), None, screenshots)?;
    let korean = root.join("target/book/ko");
    if korean.join("index.html").is_file() {
        let shots = screenshots.map(|dir| dir.join("ko"));
        problems.extend(check_edition(root, &korean, Some("ko"), shots.as_deref())?);
    } else if root.join("po/ko.po").is_file() {
        problems.push(format!(
            "{} has no Korean edition; build it with `cargo xtask book --lang ko`",
            korean.display()
        ));
    }
    Ok(problems)
}

/// One edition: `translation` is its language code, or `None` for the English book. A
/// translation's problems name its pages as `<code>/<page>`.
fn check_edition(
    root: &Path,
    book: &Path,
    translation: Option<&str>,
    screenshots: Option<&Path>,
) -> Result<Vec<String>> {
    if !book.join("index.html").is_file() {
        bail!("{} has no built book; {NOT_BUILT}", book.display());
    }
    let chapters = summary_chapters(&text_of(&root.join("book/SUMMARY.md"))?);
    let chromium = find_chromium()?;
    if let Some(dir) = screenshots {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create {}", dir.display()))?;
    }
    let prefix = translation.map_or(String::new(), |code| format!("{code}/"));

    let mut problems = Vec::new();
    let mut pages = Vec::new();
    for chapter in &chapters {
        let html = html_name(chapter);
        let page = book.join(&html);
        if !page.is_file() {
            problems.push(format!(
                "{prefix}{html}: not in the built book although SUMMARY.md lists {chapter}; \
                 {NOT_BUILT}"
            ));
            continue;
        }
        let markdown = text_of(&root.join("book").join(chapter))?;
        let shown_as = format!("{prefix}{html}");
        problems.extend(check_page(
            &chromium,
            &page,
            &shown_as,
            &markdown,
            translation,
        )?);
        if let Some(dir) = screenshots {
            screenshot(&chromium, &page, &dir.join(&html).with_extension("png"))?;
        }
        pages.push(html);
    }

    // index.html is the first chapter again; toc.html is the sidebar for readers without
    // JavaScript. Both carry links a reader follows.
    let mut linking = pages.clone();
    for extra in ["index.html", "toc.html"] {
        if book.join(extra).is_file() && !linking.iter().any(|p| p == extra) {
            linking.push(extra.to_owned());
        }
    }
    let named = |problem: String| format!("{prefix}{problem}");
    problems.extend(check_links(book, &linking)?.into_iter().map(named));
    problems.extend(check_search_index(book, &pages)?.into_iter().map(named));
    if translation.is_some() {
        problems.extend(
            language::search_index_problems(book)?
                .into_iter()
                .map(named),
        );
    }
    Ok(problems)
}

/// One chapter in the browser: its diagrams and its console.
fn check_page(
    chromium: &Path,
    page: &Path,
    html: &str,
    markdown: &str,
    translation: Option<&str>,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    // A copy of the page, beside it (its relative links still work), that measures its
    // diagrams once they are drawn.
    let measured = Measured::copy_of(page)?;
    let run = run_chromium(
        chromium,
        &[
            "--enable-logging=stderr".into(),
            "--v=0".into(),
            // The reader's window the diagrams are judged at.
            "--window-size=1200,2400".into(),
            "--dump-dom".into(),
            file_url(&measured.0).into(),
        ],
    )?;
    drop(measured);
    problems.extend(
        legibility_problems(&run.stdout)
            .into_iter()
            .map(|problem| format!("{html}: {problem}")),
    );
    if translation.is_some() {
        problems.extend(
            language::problems(&run.stdout)
                .into_iter()
                .map(|problem| format!("{html}: {problem}")),
        );
    }
    let expected = mermaid_blocks(markdown);
    let diagrams = rendered_diagrams(&run.stdout);
    if diagrams.failed > 0 {
        problems.push(format!(
            "{html}: {} mermaid diagram(s) failed to parse; the page shows \"Syntax error in text\"",
            diagrams.failed
        ));
    }
    if diagrams.drawn != expected {
        problems.push(format!(
            "{html}: the markdown has {expected} mermaid block(s) but the browser drew {} diagram(s)",
            diagrams.drawn
        ));
    }
    // Name the page, not the measuring copy Chromium actually loaded.
    let file = page.file_name().and_then(|n| n.to_str()).unwrap_or(html);
    let stderr = run.stderr.replace(&format!(".measured-{file}"), file);
    for message in console_messages(&stderr) {
        if message.starts_with("\"Uncaught") {
            problems.push(format!("{html}: JavaScript error: {message}"));
        } else {
            problems.push(format!(
                "{html}: console message ({CONSOLE_IS_NOISE}): {message}"
            ));
        }
    }
    Ok(problems)
}

/// The smallest text a diagram may show in a 1200 px window, in CSS pixels. The book's
/// body text is 16 px and its code 13 px (`theme/output.css`); 12 px is the smallest
/// size browsers' own "minimum font size" settings commonly offer as readable, and the
/// size below which a reader zooms.
const SMALLEST_DIAGRAM_TEXT_PX: f64 = 12.0;

/// A copy of a page with `browser/legibility.js` run after its scripts; removed on drop.
struct Measured(PathBuf);

impl Measured {
    fn copy_of(page: &Path) -> Result<Self> {
        let html = text_of(page)?;
        let script = format!(
            "<script>{}</script><script>{}</script>",
            include_str!("browser/legibility.js"),
            include_str!("browser/language.js")
        );
        let copy = page.with_file_name(format!(
            ".measured-{}",
            page.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("page.html")
        ));
        // Before `</body>` where there is one (a page without it ends its body at its end).
        let with_script = match html.rfind("</body>") {
            Some(end) => format!("{}{script}{}", &html[..end], &html[end..]),
            None => format!("{html}{script}"),
        };
        std::fs::write(&copy, with_script)
            .with_context(|| format!("failed to write {}", copy.display()))?;
        Ok(Self(copy))
    }
}

impl Drop for Measured {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// What `legibility.js` measured of one diagram.
#[derive(Debug, serde::Deserialize)]
struct DiagramLegibility {
    diagram: usize,
    /// The smallest text on it, as shown, in CSS pixels; `None` for a diagram without text.
    px: Option<f64>,
    text: String,
    covered: Vec<String>,
}

/// What a script injected into a page left in the body's attribute `name` (as JSON), read
/// from the page's dumped DOM.
fn body_attribute(dom: &str, name: &str) -> Option<String> {
    let document = scraper::Html::parse_document(dom);
    let body = scraper::Selector::parse("body").expect("a valid selector");
    document
        .select(&body)
        .next()
        .and_then(|b| b.value().attr(name))
        .map(str::to_owned)
}

/// Diagrams whose smallest text is below [`SMALLEST_DIAGRAM_TEXT_PX`] in a 1200 px window,
/// and edge labels hidden under a box, from the body's `data-ptm-diagrams` in `dom`.
fn legibility_problems(dom: &str) -> Vec<String> {
    let Some(measured) = body_attribute(dom, "data-ptm-diagrams") else {
        return vec!["the diagrams were never measured (did the page's scripts run?)".into()];
    };
    let diagrams: Vec<DiagramLegibility> = match serde_json::from_str(&measured) {
        Ok(diagrams) => diagrams,
        Err(error) => return vec![format!("the diagrams' measurements do not read: {error}")],
    };
    let mut problems = Vec::new();
    for d in diagrams {
        if let Some(px) = d.px.filter(|px| *px < SMALLEST_DIAGRAM_TEXT_PX) {
            problems.push(format!(
                "diagram {} shows its text at {px:.1} px in a 1200 px window (\"{}\"), under \
                 the {SMALLEST_DIAGRAM_TEXT_PX} px a reader can read: a wide diagram is shrunk \
                 to the column, so make it narrower (top to bottom, shorter labels, fewer \
                 boxes side by side)",
                d.diagram, d.text
            ));
        }
        for covered in d.covered {
            problems.push(format!(
                "diagram {}: the label {covered}: a reader cannot read it; move the box, or \
                 shorten the label",
                d.diagram
            ));
        }
    }
    problems
}

fn screenshot(chromium: &Path, page: &Path, png: &Path) -> Result<()> {
    // Chromium writes relative to its own working folder and says nothing when it cannot
    // write: an absolute path, a parent that exists and no stale picture make a missing
    // file mean "it failed".
    let png = std::path::absolute(png)?;
    if let Some(parent) = png.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let _ = std::fs::remove_file(&png);
    let mut flag = OsString::from("--screenshot=");
    flag.push(&png);
    run_chromium(
        chromium,
        &[
            flag,
            "--window-size=1200,2400".into(),
            file_url(page).into(),
        ],
    )?;
    if !png.is_file() {
        bail!("chromium wrote no screenshot at {}", png.display());
    }
    Ok(())
}

/// The chapter files SUMMARY.md links to, in order: `[Title](file.md)` with or without a
/// list marker. Draft chapters (`[Title]()`) have no page and are left out.
fn summary_chapters(summary: &str) -> Vec<String> {
    let mut chapters = Vec::new();
    for line in summary.lines() {
        let Some(start) = line.find("](") else {
            continue;
        };
        let rest = &line[start + 2..];
        let Some(end) = rest.find(')') else { continue };
        let target = rest[..end].trim();
        if !target.is_empty() {
            chapters.push(percent_decode(target));
        }
    }
    chapters
}

/// The page mdBook writes for a chapter: `ch01.md` → `ch01.html`, `README.md` → `index.html`.
fn html_name(chapter: &str) -> String {
    let path = Path::new(chapter);
    let is_readme = path
        .file_stem()
        .is_some_and(|s| s.eq_ignore_ascii_case("readme"));
    let html = if is_readme {
        path.with_file_name("index.html")
    } else {
        path.with_extension("html")
    };
    html.to_string_lossy().replace('\\', "/")
}

/// How many fenced code blocks with the info string `mermaid` a page has. Fences inside
/// other fences (a markdown example showing a mermaid block) do not count.
fn mermaid_blocks(markdown: &str) -> usize {
    let mut count = 0;
    // The open fence's character and length, while inside a fenced block.
    let mut open: Option<(char, usize)> = None;
    for line in markdown.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let trimmed = &line[indent..];
        let Some(fence_char) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let length = trimmed.len() - trimmed.trim_start_matches(fence_char).len();
        if length < 3 {
            continue;
        }
        let info = trimmed[length..].trim();
        match open {
            Some((c, n)) if c == fence_char && length >= n && info.is_empty() => open = None,
            Some(_) => {}
            None => {
                open = Some((fence_char, length));
                if info.split_whitespace().next() == Some("mermaid") {
                    count += 1;
                }
            }
        }
    }
    count
}

#[derive(Debug, PartialEq)]
struct Diagrams {
    drawn: usize,
    failed: usize,
}

/// Mermaid marks each SVG it draws with `aria-roledescription` (the diagram kind), and a
/// diagram it could not parse with `aria-roledescription="error"`. Only attributes of
/// elements count, not the same words in a script.
fn rendered_diagrams(dom: &str) -> Diagrams {
    let roles = scan_html(dom).diagram_roles;
    let failed = roles.iter().filter(|role| *role == "error").count();
    Diagrams {
        drawn: roles.len() - failed,
        failed,
    }
}

/// The console messages in Chromium's stderr log: the text after `…:CONSOLE:LINE] `
/// (`CONSOLE(LINE)` in older versions), which is `"message", source: URL (LINE)`.
fn console_messages(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| {
            let line = line.trim_start();
            if !line.starts_with('[') {
                return None;
            }
            let (prefix, message) = line.split_once("] ")?;
            prefix
                .contains(":CONSOLE")
                .then(|| message.trim().to_owned())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Running Chromium

fn find_chromium() -> Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|candidate| candidate.is_file())
        .with_context(|| format!("`chromium` is not on PATH; {NO_CHROMIUM}"))
}

struct Run {
    stdout: String,
    stderr: String,
}

/// Runs headless Chromium with a fresh profile and `args`, killing it (and the renderer
/// and GPU processes it started) after `CHROMIUM_TIMEOUT`.
fn run_chromium(chromium: &Path, args: &[OsString]) -> Result<Run> {
    run_chromium_within(chromium, args, CHROMIUM_TIMEOUT)
}

fn run_chromium_within(chromium: &Path, args: &[OsString], timeout: Duration) -> Result<Run> {
    let scratch = Scratch::new()?;
    let profile = scratch.0.join("profile");
    let stdout_path = scratch.0.join("stdout");
    let stderr_path = scratch.0.join("stderr");
    let mut profile_flag = OsString::from("--user-data-dir=");
    profile_flag.push(&profile);

    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(profile_flag)
        .arg(format!("--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}"))
        .args(args)
        .stdin(Stdio::null())
        // Files, not pipes: the DOM can outgrow a pipe's buffer while we only poll.
        .stdout(File::create(&stdout_path)?)
        .stderr(File::create(&stderr_path)?);
    // Its own process group, so a timeout kills the whole browser, not only the launcher.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!("{} not found; {NO_CHROMIUM}", chromium.display())
        } else {
            anyhow::Error::new(error).context(format!("failed to start {}", chromium.display()))
        }
    })?;

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > timeout {
            let group = i32::try_from(child.id()).expect("a PID fits in i32");
            // SAFETY: kill has no memory effects; the group is the one we just created.
            unsafe { libc::kill(-group, libc::SIGKILL) };
            let _ = child.wait();
            bail!(
                "chromium did not finish within {} s on {:?}; killed it",
                timeout.as_secs_f64(),
                args.last().unwrap_or(&OsString::new())
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |path: &Path| -> Result<String> {
        Ok(String::from_utf8_lossy(&std::fs::read(path)?).into_owned())
    };
    let run = Run {
        stdout: read(&stdout_path)?,
        stderr: read(&stderr_path)?,
    };
    if !status.success() {
        bail!(
            "chromium failed ({status}) on {:?}; its log:\n{}",
            args.last().unwrap_or(&OsString::new()),
            run.stderr
        );
    }
    Ok(run)
}

fn file_url(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    /// Bytes a path keeps as they are in a URL; everything else is `%XX`.
    const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let encoded = percent_encoding::percent_encode(absolute.as_os_str().as_bytes(), ESCAPED);
    format!("file://{encoded}")
}

/// A fresh folder under the system temp folder, removed when dropped: each Chromium run
/// gets its own profile, so runs never share state or lock each other out.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "xtask-chromium-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("failed to create {}", dir.display()))?;
        Ok(Self(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---------------------------------------------------------------------------------------
// Links and anchors

/// Every relative `href` and `src` in `pages` (paths under `book`) must name a file in the
/// book, and every `#fragment` an element with that `id` in the page it points to.
fn check_links(book: &Path, pages: &[String]) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    for page in pages {
        let page_path = book.join(page);
        let text = text_of(&page_path)?;
        let scanned = scan_html(&text);
        ids.insert(page_path.clone(), scanned.ids);
        for link in scanned.links {
            if let Err(problem) = check_link(book, page, &link, &mut ids) {
                problems.push(format!("{page}: link {link}: {problem}"));
            }
        }
    }
    Ok(problems)
}

fn check_link(
    book: &Path,
    page: &str,
    link: &str,
    ids: &mut HashMap<PathBuf, HashSet<String>>,
) -> Result<(), String> {
    if link.is_empty() || is_external(link) {
        return Ok(());
    }
    let (path, fragment) = link.split_once('#').unwrap_or((link, ""));
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let target = if path.is_empty() {
        book.join(page)
    } else if path.starts_with('/') {
        return Err(
            "an absolute path; the book may be served from a sub-folder, so link relatively".into(),
        );
    } else {
        let from = Path::new(page).parent().unwrap_or(Path::new(""));
        let Some(relative) = normalise(&from.join(percent_decode(path))) else {
            return Err("points outside the book".into());
        };
        let mut target = book.join(relative);
        if target.is_dir() {
            target.push("index.html");
        }
        target
    };
    if !target.is_file() {
        return Err("no such file".into());
    }
    let fragment = percent_decode(fragment);
    if fragment.is_empty() || target.extension().is_none_or(|e| e != "html") {
        return Ok(());
    }
    if !ids.contains_key(&target) {
        let text = std::fs::read_to_string(&target).map_err(|e| e.to_string())?;
        ids.insert(target.clone(), scan_html(&text).ids);
    }
    if ids[&target].contains(&fragment) {
        Ok(())
    } else {
        Err(format!(
            "no anchor `{fragment}` in {}",
            shown(book, &target)
        ))
    }
}

/// `http:`, `mailto:`, `data:`, … and protocol-relative `//host/…`.
fn is_external(link: &str) -> bool {
    if link.starts_with("//") {
        return true;
    }
    let scheme_end = link.find(':');
    let path_start = link.find(['/', '#', '?']).unwrap_or(link.len());
    scheme_end.is_some_and(|end| {
        end > 0
            && end < path_start
            && link[..end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
}

/// Resolves `.` and `..` without touching the disk; `None` if it climbs above the start.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

fn shown(book: &Path, path: &Path) -> String {
    path.strip_prefix(book)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

#[derive(Debug, Default)]
struct Scanned {
    /// `href` of any element and `src` of scripts, images and frames, entities decoded.
    links: Vec<String>,
    /// Every `id`, and the `name` of `<a name=…>`: what a `#fragment` can land on.
    ids: HashSet<String>,
    /// Every `aria-roledescription`, which mermaid puts on each diagram it draws.
    diagram_roles: Vec<String>,
}

/// The links, ids and diagram roles of a page, parsed as a browser parses it (html5ever,
/// through scraper): text in scripts, styles and comments is not markup, entities are
/// decoded, tag and attribute names are case-insensitive.
fn scan_html(html: &str) -> Scanned {
    let document = scraper::Html::parse_document(html);
    let mut scanned = Scanned::default();
    for element in document
        .tree
        .nodes()
        .filter_map(|node| node.value().as_element())
    {
        let takes_src = matches!(
            element.name(),
            "script" | "img" | "iframe" | "source" | "audio" | "video"
        );
        for (key, value) in element.attrs() {
            match key {
                "href" => scanned.links.push(value.to_owned()),
                "src" if takes_src => scanned.links.push(value.to_owned()),
                "id" => {
                    scanned.ids.insert(value.to_owned());
                }
                "name" if element.name() == "a" => {
                    scanned.ids.insert(value.to_owned());
                }
                "aria-roledescription" => scanned.diagram_roles.push(value.to_owned()),
                _ => {}
            }
        }
    }
    scanned
}

/// `%20` → space; anything that is not a valid escape stays as written.
fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------
// Search index

/// mdBook 0.5 writes `searchindex-<hash>.js` (older versions `searchindex.js` and
/// `searchindex.json`); each chapter's page must appear in its `doc_urls`.
fn check_search_index(book: &Path, pages: &[String]) -> Result<Vec<String>> {
    let mut indexes = Vec::new();
    for entry in
        std::fs::read_dir(book).with_context(|| format!("failed to list {}", book.display()))?
    {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("searchindex") && (name.ends_with(".js") || name.ends_with(".json")) {
            indexes.push(path);
        }
    }
    let Some(index) = indexes.first() else {
        return Ok(vec![format!(
            "no search index (searchindex*.js) in {}; {NO_SEARCH_INDEX}",
            book.display()
        )]);
    };
    let text = text_of(index)?;
    Ok(pages
        .iter()
        .filter(|page| {
            !text.contains(&format!("\"{page}#")) && !text.contains(&format!("\"{page}\""))
        })
        .map(|page| format!("{page}: not in the search index {}", shown(book, index)))
        .collect())
}

const NOT_BUILT: &str = "build it first with `cargo xtask book`.";
const NO_CHROMIUM: &str = "checking the rendered book needs a real browser: install Debian's \
chromium (apt-get install chromium); .ci/run does this.";
const CONSOLE_IS_NOISE: &str = "a book page should log nothing; this Chromium prints \
console.error, console.warn and console.log alike, so any message counts";
const NO_SEARCH_INDEX: &str =
    "book.toml should keep [output.html.search] enable = true so readers can search.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lists_chapters_with_files_only() {
        let summary = "# Summary\n\n[Introduction](introduction.md)\n\n# Part I\n\n\
            - [Programs](ch01-programs.md)\n    - [Nested](sub/nested.md)\n\
            - [Draft]()\n---\n- [Spaced](my%20page.md)\n";
        assert_eq!(
            summary_chapters(summary),
            [
                "introduction.md",
                "ch01-programs.md",
                "sub/nested.md",
                "my page.md"
            ]
        );
        assert_eq!(html_name("ch01-programs.md"), "ch01-programs.html");
        assert_eq!(html_name("sub/README.md"), "sub/index.html");
    }

    #[test]
    fn small_text_and_hidden_labels_are_problems() {
        let measured = r#"[{"diagram":1,"px":16.0,"text":"ok","covered":[]},
            {"diagram":2,"px":7.3,"text":"join by a name","covered":["\"a title\" under \"a box\""]},
            {"diagram":3,"px":null,"text":"","covered":[]}]"#;
        let dom = format!(
            "<html><body data-ptm-diagrams=\"{}\"></body></html>",
            measured.replace('"', "&quot;")
        );
        let problems = legibility_problems(&dom);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("diagram 2 shows its text at 7.3 px"));
        assert!(problems[1].starts_with("diagram 2: the label \"a title\" under \"a box\""));
        assert_eq!(
            legibility_problems("<html><body></body></html>"),
            ["the diagrams were never measured (did the page's scripts run?)"]
        );
    }

    #[test]
    fn counts_mermaid_fences_but_not_examples_of_them() {
        let page = "text\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```rust\nfn main() {}\n```\n\
            ~~~ mermaid\nsequenceDiagram\n~~~\n\
            ````markdown\n```mermaid\nnot a diagram\n```\n````\n    ```mermaid (indented code)\n";
        assert_eq!(mermaid_blocks(page), 2);
        assert_eq!(mermaid_blocks("no diagrams"), 0);
    }

    #[test]
    fn rendered_diagrams_count_errors_apart() {
        let dom = r#"<svg aria-roledescription="flowchart-v2"></svg><svg aria-roledescription="error"></svg>
            <svg aria-roledescription="sequence"></svg><svg class="fa-svg"></svg>
            <script>x = '<svg aria-roledescription="flowchart-v2">'</script>"#;
        assert_eq!(
            rendered_diagrams(dom),
            Diagrams {
                drawn: 2,
                failed: 1
            }
        );
    }

    #[test]
    fn finds_console_lines_among_chromium_noise() {
        let stderr = r#"/usr/bin/chromium: 9: [: 25276510208: unexpected operator
[29747:29777:1123/160911.327500:ERROR:dbus/bus.cc:405] Failed to connect to the bus: Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory
[29791:29791:1123/160911.396781:WARNING:media/gpu/vaapi/vaapi_wrapper.cc:1655] drmGetDevices2() has not found any devices
[29747:29747:1123/160911.648139:INFO:CONSOLE:1] "Uncaught ReferenceError: undefined_fn is not defined", source: file:///tmp/bp/err.html (1)
[29747:29747:1123/160911.479691:WARNING:ui/base/idle/idle_linux.cc:111] None of the known D-Bus ScreenSaver services could be used.
[1:2:3/4.5:INFO:CONSOLE(7)] "boom", source: file:///x.html (7)
"#;
        assert_eq!(
            console_messages(stderr),
            [
                r#""Uncaught ReferenceError: undefined_fn is not defined", source: file:///tmp/bp/err.html (1)"#,
                r#""boom", source: file:///x.html (7)"#,
            ]
        );
    }

    #[test]
    fn scans_links_and_ids_but_not_scripts_or_comments() {
        let html = r#"<!DOCTYPE html><html><head><link rel="stylesheet" href="css/a.css">
            <script src="book.js"></script><script>if (a<b) { x = '<a href="no.html">'; }</script>
            <style>a<b{}</style></head><body><!-- <a href="commented.html"> -->
            <h2 id="the-idea"><a class=header href='#the-idea'>The idea</a></h2>
            <a name=old-style></a><A HREF="ch01.html#run-it&amp;x">x</A><a href=sub/x.html>y</a>
            <img src="pic.png" alt="a > b"><div data-src="not-a-link.png"></div></body></html>"#;
        let scanned = scan_html(html);
        assert_eq!(
            scanned.links,
            [
                "css/a.css",
                "book.js",
                "#the-idea",
                "ch01.html#run-it&x",
                "sub/x.html",
                "pic.png"
            ]
        );
        let mut ids: Vec<_> = scanned.ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["old-style", "the-idea"]);
    }

    #[test]
    fn external_links_are_left_alone() {
        for link in [
            "https://docs.rs",
            "http://x",
            "mailto:a@b",
            "//cdn/x.js",
            "data:,x",
        ] {
            assert!(is_external(link), "{link}");
        }
        for link in ["ch01.html", "#a:b", "sub/x.html?q=a:b", "../x.html"] {
            assert!(!is_external(link), "{link}");
        }
    }

    #[test]
    fn links_must_reach_files_and_anchors() {
        let book = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = book.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "a.html",
            r##"<h1 id="top">A</h1><a href="#top">ok</a><a href="#gone">bad</a>
            <a href="b.html#run-it">ok</a><a href="b.html#nope">bad</a><a href="c.html">bad</a>
            <a href="sub/">ok, sub/index.html</a><a href="../out.html">bad</a>
            <a href="/abs.html">bad</a><a href="https://example.com/#x">ok</a>
            <a href="my%20file.txt#whatever">ok</a>"##,
        );
        write("b.html", r#"<h2 id="run-it">Run it</h2>"#);
        write("sub/index.html", "");
        write("my file.txt", "");
        let problems = check_links(book.path(), &["a.html".to_owned()]).unwrap();
        assert_eq!(
            problems,
            [
                "a.html: link #gone: no anchor `gone` in a.html",
                "a.html: link b.html#nope: no anchor `nope` in b.html",
                "a.html: link c.html: no such file",
                "a.html: link ../out.html: points outside the book",
                "a.html: link /abs.html: an absolute path; the book may be served from a sub-folder, so link relatively",
            ]
        );
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%20b%C3%A9"), "a bé");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    #[test]
    fn search_index_must_name_every_chapter() {
        let book = tempfile::tempdir().unwrap();
        let index =
            r#"window.search = JSON.parse('{"doc_urls":["intro.html#intro","ch01.html#a"]}');"#;
        std::fs::write(book.path().join("searchindex-0123abcd.js"), index).unwrap();
        let pages = ["intro.html", "ch01.html", "ch02.html"].map(String::from);
        assert_eq!(
            check_search_index(book.path(), &pages).unwrap(),
            ["ch02.html: not in the search index searchindex-0123abcd.js"]
        );
    }

    #[test]
    fn a_browser_that_hangs_is_killed() {
        let _turn = crate::failure_modes::one_at_a_time();
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("chromium");
        // A launcher that starts a child and waits, like Chromium's wrapper script.
        std::fs::write(&fake, "#!/bin/sh\nsleep 60 &\nwait\n").unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let started = Instant::now();
        let mut attempts = 0;
        let error = loop {
            let outcome =
                run_chromium_within(&fake, &["page.html".into()], Duration::from_millis(300));
            let error = outcome.err().expect("a hanging browser is an error");
            // Another test thread's fork can hold the script open for writing a moment
            // longer ("Text file busy"): try again.
            attempts += 1;
            if attempts < 5 && format!("{error:#}").contains("Text file busy") {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            break error;
        };
        assert!(
            error.to_string().contains("did not finish within 0.3 s"),
            "{error}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// Skipped (passes) where Chromium is not installed: CI installs it, laptops may not.
    fn chromium() -> Option<PathBuf> {
        let found = find_chromium().ok();
        if found.is_none() {
            eprintln!("chromium is not installed: skipping the real-browser test");
        }
        found
    }

    #[test]
    fn real_chromium_reports_script_errors_and_console_output_only() {
        let _turn = crate::failure_modes::one_at_a_time();
        let Some(chromium) = chromium() else { return };
        let dir = tempfile::tempdir().unwrap();
        let page = |name: &str, script: &str| {
            let path = dir.path().join(name);
            std::fs::write(
                &path,
                format!("<html><body><p>hi</p>\n<script>{script}</script></body></html>"),
            )
            .unwrap();
            let run = run_chromium(
                &chromium,
                &[
                    "--enable-logging=stderr".into(),
                    "--v=0".into(),
                    "--dump-dom".into(),
                    file_url(&path).into(),
                ],
            )
            .unwrap();
            assert!(
                run.stdout.contains("<p>hi</p>"),
                "no DOM for {name}: {}",
                run.stdout
            );
            console_messages(&run.stderr)
        };
        let uncaught = page("uncaught.html", "undefined_fn()");
        assert_eq!(uncaught.len(), 1, "{uncaught:?}");
        assert!(
            uncaught[0].starts_with("\"Uncaught ReferenceError: undefined_fn"),
            "{uncaught:?}"
        );
        let logged = page("logged.html", "console.error('boom from console')");
        assert_eq!(logged.len(), 1, "{logged:?}");
        assert!(logged[0].starts_with("\"boom from console\""), "{logged:?}");
        let rejected = page("rejected.html", "Promise.reject(new Error('late'))");
        assert!(
            rejected[0].starts_with("\"Uncaught (in promise) Error: late"),
            "{rejected:?}"
        );
        assert_eq!(
            page("quiet.html", "document.title = 'fine'"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn real_chromium_checks_a_tiny_book() {
        let _turn = crate::failure_modes::one_at_a_time();
        let Some(_) = chromium() else { return };
        let root = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = root.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "book/SUMMARY.md",
            "[Intro](intro.md)\n- [One](one.md)\n- [Draft]()\n",
        );
        write("book/intro.md", "# Intro\n");
        write(
            "book/one.md",
            "# One\n```mermaid\nflowchart LR\n a --> b\n```\n```mermaid\nflowchart LR\n c --> d\n```\n",
        );
        // Stand-ins for what mermaid draws: a made-up SVG as a script would insert it.
        let svg = r#"<script>document.body.insertAdjacentHTML('beforeend', '<svg aria-roledescription="flowchart-v2"></svg>')</script>"#;
        write(
            "target/book/index.html",
            r#"<a href="one.html#one">one</a>"#,
        );
        write(
            "target/book/intro.html",
            r##"<h1 id="intro">Intro</h1><a href="#nowhere">x</a>"##,
        );
        write(
            "target/book/one.html",
            &format!("<h1 id=\"one\">One</h1><body>{svg}<script>oops()</script></body>"),
        );
        write(
            "target/book/searchindex-1.js",
            r#"{"doc_urls":["intro.html#intro"]}"#,
        );
        let shots = root.path().join("shots");
        let problems = check_rendered_book(root.path(), Some(&shots)).unwrap();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(
            problems[0].starts_with(
                "one.html: the markdown has 2 mermaid block(s) but the browser drew 1"
            ),
            "{problems:#?}"
        );
        assert!(
            problems[1].starts_with("one.html: JavaScript error: \"Uncaught ReferenceError: oops"),
            "{problems:#?}"
        );
        assert_eq!(
            problems[2],
            "intro.html: link #nowhere: no anchor `nowhere` in intro.html"
        );
        assert!(
            problems[3].starts_with("one.html: not in the search index"),
            "{problems:#?}"
        );
        assert!(shots.join("one.png").is_file() && shots.join("intro.png").is_file());
    }
}
