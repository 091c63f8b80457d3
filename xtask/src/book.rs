//! `cargo xtask book`: install the pinned book tools once into `.tools/`, check that
//! every `{{#include}}` resolves, then build (or serve) the book into `target/book/`, and
//! with `--lang ko` the Korean edition into `target/book/ko/` (its text from `po/ko.po`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::catalog::repo_root;

/// The book tools and the exact versions the book is tested with.
const TOOLS: &[(&str, &str)] = &[("mdbook", "0.5.4"), ("mdbook-mermaid", "0.17.1")];

/// The translation tools (`mdbook-gettext`, `mdbook-xgettext`): installed only when a
/// translation is built or its catalog updated, so a learner reading in English never
/// waits for them. 0.4.0 works with mdbook 0.5; the 0.3 releases are built on mdbook 0.4.
const I18N_TOOL: (&str, &str) = ("mdbook-i18n-helpers", "0.4.0");

/// An edition of the book: its language code, the folder below `target/book/` it is built
/// into, and its title and description (book.toml holds the English ones).
pub struct Edition {
    pub code: &'static str,
    pub folder: &'static str,
    title: &'static str,
    description: &'static str,
}

pub const ENGLISH: Edition = Edition {
    code: "en",
    folder: "",
    title: "",
    description: "",
};

pub const KOREAN: Edition = Edition {
    code: "ko",
    folder: "ko",
    title: "프로세스와 스레드, 그리고 그 아래의 기계",
    description: "프로그램이 어떻게 프로세스가 되고, 스레드가 프로세스를 어떻게 나눠 쓰며, 메모리는 어디에 \
                  있고, 전역 인터프리터 락은 왜 스레드를 제한하고, 프로세스는 어떻게 서로 통신하는지를 \
                  여러분의 컴퓨터에서 직접 측정하며 배웁니다.",
};

/// The editions, by `--lang` code.
pub fn edition(code: &str) -> Option<&'static Edition> {
    [&ENGLISH, &KOREAN].into_iter().find(|e| e.code == code)
}

/// Builds (or serves) one edition. A translation is built after the English book, which
/// it sits inside (`target/book/ko/`), so the language picker's links work both ways; a
/// served translation is served alone (its link to English leads to the last English
/// build).
pub fn run_edition(serve: bool, port: u16, edition: &Edition) -> Result<()> {
    let root = repo_root();
    if edition.code != ENGLISH.code && !serve {
        run_edition(false, port, &ENGLISH)?;
    }
    let problems = check_includes(&root)?;
    if !problems.is_empty() {
        bail!(
            "the book includes code that does not exist:\n  {}",
            problems.join("\n  ")
        );
    }
    let translated = edition.code != ENGLISH.code;
    let bin = ensure_tools(&root, translated)?;
    let mut mdbook = Command::new(bin.join("mdbook"));
    mdbook.current_dir(&root).env("PATH", path_with(&bin));
    let dest = root.join("target/book").join(edition.folder);
    if translated {
        // mdbook reads `MDBOOK_<section>__<key>` as settings: the language picks
        // `po/<code>.po` for the gettext preprocessor, which runs after the includes are
        // pulled in and before the diagrams are drawn. Declared here, not in book.toml, so
        // the English build neither needs it nor warns about it.
        mdbook
            .env("MDBOOK_BOOK__LANGUAGE", edition.code)
            .env("MDBOOK_BOOK__TITLE", edition.title)
            .env("MDBOOK_BOOK__DESCRIPTION", edition.description)
            .env(
                "MDBOOK_PREPROCESSOR__GETTEXT",
                r#"{"after": ["links"], "before": ["mermaid"]}"#,
            );
    }
    if serve {
        println!(
            "Serving the book on http://127.0.0.1:{port} (Ctrl-C to stop); it rebuilds when a page changes."
        );
        mdbook.args([
            "serve",
            "--hostname",
            "127.0.0.1",
            "--port",
            &port.to_string(),
        ]);
    } else {
        mdbook.arg("build");
    }
    mdbook.arg("--dest-dir").arg(&dest);
    // Ended with this process: `cargo xtask book --serve` stopped by SIGTERM (or killed)
    // would otherwise leave `mdbook serve` holding the port.
    end_with_parent(&mut mdbook);
    let status = run_without_version_warning(&mut mdbook)?;
    if !status.success() {
        bail!("mdbook failed ({status})");
    }
    if !serve {
        println!("The book is in {}", dest.join("index.html").display());
    }
    Ok(())
}

/// Has the kernel send `command`'s process SIGTERM when this one ends, however it ends
/// (`PR_SET_PDEATHSIG`, prctl(2)); if this process is already gone by the time the child
/// runs, the child leaves at once.
fn end_with_parent(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: between fork and exec the closure only makes two system calls (prctl,
    // getppid) and may call `_exit`: all async-signal-safe, no allocation, no locks.
    unsafe {
        command.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGTERM)?;
            if std::os::unix::process::parent_id() != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

/// What mdbook-mermaid 0.17.1 (its newest release) prints on every build under mdbook
/// 0.5.4. It compares the mdbook version in its own Cargo.lock, 0.5.0, with the caller's, so
/// with `cargo install --locked` only mdbook 0.5.0 would quiet it: four patch releases back.
/// It is harmless: mdbook-preprocessor's source is identical in 0.5.0 and 0.5.4, and
/// mdbook-core differs only in which MDBOOK_* variables it reads as settings. So this one
/// line, for exactly this pair, is dropped; another pair would show its warning.
const MERMAID_VERSION_WARNING: &str = "Warning: The mdbook-mermaid preprocessor was built \
against version 0.5.0 of mdbook, but we're being called from version 0.5.4";

/// Runs mdbook with its stderr passed through line by line, less `MERMAID_VERSION_WARNING`.
fn run_without_version_warning(mdbook: &mut Command) -> Result<std::process::ExitStatus> {
    use std::io::{BufRead, Write};
    let mut child = mdbook
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("failed to start mdbook")?;
    let stderr = child.stderr.take().expect("stderr was piped");
    for line in std::io::BufReader::new(stderr).split(b'\n') {
        let line = line.context("failed to read mdbook's output")?;
        if line.trim_ascii_end() != MERMAID_VERSION_WARNING.as_bytes() {
            let mut out = std::io::stderr().lock();
            let _ = out.write_all(&line);
            let _ = out.write_all(b"\n");
        }
    }
    child.wait().context("failed to wait for mdbook")
}

/// Installs any missing or outdated tool into `<repo>/.tools` (with `translations`, the
/// translation tools too) and returns the folder of the binaries. The first time takes
/// minutes, so it says how long and what to do meanwhile, and leaves cargo's own progress
/// on screen. All tools build in one target folder (`.tools/target`), so the crates they
/// share compile once.
pub fn ensure_tools(root: &Path, translations: bool) -> Result<PathBuf> {
    let tools = root.join(".tools");
    let bin = tools.join("bin");
    let mut missing: Vec<_> = TOOLS
        .iter()
        .filter(|(name, version)| installed_version(&bin.join(name)).as_deref() != Some(*version))
        .collect();
    // The translation tools print no version: cargo's own record of what it installed says.
    if translations && installed_crate_version(&tools, I18N_TOOL.0).as_deref() != Some(I18N_TOOL.1)
    {
        missing.push(&I18N_TOOL);
    }
    if missing.is_empty() {
        return Ok(bin);
    }
    println!(
        "Installing the book tools into {} (once; later builds reuse them): {}.\n\
         This compiles them from source: about {INSTALL_ESTIMATE} on two cores, with cargo's \
         progress below.\nMeanwhile the chapters can be read as they are written, in \
         book/ (book/ch01-programs-and-processes.md …).",
        tools.display(),
        in_words(
            &missing
                .iter()
                .map(|(name, version)| format!("{name} {version}"))
                .collect::<Vec<_>>()
        )
    );
    for (name, version) in missing {
        install(&tools, name, version)?;
    }
    Ok(bin)
}

/// `a`, `a and b`, `a, b and c`.
fn in_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `cargo install --locked <name>@<version>` into `tools` (`<repo>/.tools`), building in
/// `tools/target`, with cargo's progress on screen.
pub fn install(tools: &Path, name: &str, version: &str) -> Result<()> {
    println!("\n▶ cargo install {name}@{version}");
    let status = Command::new(env!("CARGO"))
        .args(["install", "--locked", "--root"])
        .arg(tools)
        .arg(format!("{name}@{version}"))
        .env("CARGO_TARGET_DIR", tools.join("target"))
        .status()
        .with_context(|| format!("failed to start `cargo install {name}`"))?;
    if !status.success() {
        bail!("`cargo install {name}@{version}` failed; is crates.io reachable?");
    }
    Ok(())
}

/// What the first install took on this project's 2-core machine, rounded up (see the
/// closing note of issue 19 for the runs).
const INSTALL_ESTIMATE: &str = "3 minutes";

/// The version a tool prints (`mdbook v0.5.4`, `mdbook-mermaid 0.17.1`), if it runs.
pub fn installed_version(binary: &Path) -> Option<String> {
    let output = Command::new(binary).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    Some(
        text.split_whitespace()
            .last()?
            .trim_start_matches('v')
            .to_owned(),
    )
}

/// The version of `krate` that `cargo install --root tools` installed, from cargo's record
/// of it (`.crates.toml`: `"<name> <version> (<source>)" = [binaries]`).
fn installed_crate_version(tools: &Path, krate: &str) -> Option<String> {
    let record = std::fs::read_to_string(tools.join(".crates.toml")).ok()?;
    record.lines().find_map(|line| {
        let mut words = line.trim_start_matches('"').split_whitespace();
        (words.next()? == krate).then(|| words.next().map(str::to_owned))?
    })
}

pub fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("PATH entries have no separator in them")
}

/// Every `{{#include path:anchor}}` in the book must name an existing file and, when it
/// names an anchor, a file with `ANCHOR: anchor` and `ANCHOR_END: anchor` lines. Returns
/// one line per problem.
pub fn check_includes(root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for page in book_pages(root)? {
        let text = std::fs::read_to_string(&page)
            .with_context(|| format!("failed to read {}", page.display()))?;
        let shown = page
            .strip_prefix(root)
            .unwrap_or(&page)
            .display()
            .to_string();
        for include in includes_in(&text) {
            if let Err(problem) = check_include(page.parent().unwrap_or(root), &include) {
                problems.push(format!("{shown}: {{{{#include {include}}}}}: {problem}"));
            }
        }
    }
    Ok(problems)
}

/// Every Markdown page under `book/`, in path order.
fn book_pages(root: &Path) -> Result<Vec<PathBuf>> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("book")).sort_by_file_name() {
        let entry = entry.context("failed to list the book's pages")?;
        if !entry.file_type().is_dir() && entry.path().extension().is_some_and(|e| e == "md") {
            pages.push(entry.into_path());
        }
    }
    Ok(pages)
}

/// The argument of each `{{#include …}}` / `{{#rustdoc_include …}}` in a page.
fn includes_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{#") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let directive = &after[..end];
        for keyword in ["include ", "rustdoc_include "] {
            if let Some(argument) = directive.strip_prefix(keyword) {
                found.push(argument.trim().to_owned());
            }
        }
        rest = &after[end..];
    }
    found
}

fn check_include(page_dir: &Path, include: &str) -> Result<(), String> {
    let (path, selector) = include.split_once(':').unwrap_or((include, ""));
    let file = page_dir.join(path);
    let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {path}: {e}"))?;
    let is_line_range = selector.chars().all(|c| c.is_ascii_digit() || c == ':');
    if is_line_range {
        return Ok(());
    }
    let has = |marker: &str| text.lines().any(|line| line.trim().ends_with(marker));
    if !has(&format!("ANCHOR: {selector}")) || !has(&format!("ANCHOR_END: {selector}")) {
        return Err(format!(
            "{path} has no anchor `{selector}` (ANCHOR: {selector} … ANCHOR_END: {selector})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_include_directives() {
        let page = "a {{#include ../x.rs:story}} b {{#rustdoc_include y.rs}} {{#title T}} {{#include z.rs:3:5}}";
        assert_eq!(includes_in(page), ["../x.rs:story", "y.rs", "z.rs:3:5"]);
    }

    #[test]
    fn missing_files_and_anchors_are_problems() {
        let dir = repo_root().join("lessons/lesson-01/src");
        assert!(check_include(&dir, "main.rs:story").is_ok());
        assert!(check_include(&dir, "main.rs:10:20").is_ok());
        assert!(
            check_include(&dir, "main.rs:nope")
                .unwrap_err()
                .contains("no anchor `nope`")
        );
        assert!(
            check_include(&dir, "gone.rs")
                .unwrap_err()
                .contains("cannot read gone.rs")
        );
    }

    #[test]
    fn the_shipped_book_includes_only_what_exists() {
        assert_eq!(check_includes(&repo_root()).unwrap(), Vec::<String>::new());
    }
}
