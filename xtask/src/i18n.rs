//! The book's translations: gettext catalogs beside the English pages, which stay the one
//! source (Google's mdbook-i18n-helpers, as Comprehensive Rust does it).
//!
//! - `po/messages.pot`: every translatable message of the English book, extracted by
//!   `mdbook-xgettext` (a paragraph, a heading, a list item, a diagram, a code comment …).
//! - `po/ko.po`: the Korean edition: each message with its translation.
//! - `po/glossary.toml`: the Korean terms, taken from the source notes, that every
//!   translation must use.
//!
//! `cargo xtask po` extracts the messages again and merges them into `po/ko.po`, keeping
//! every translation whose English is unchanged; `cargo xtask po --check` (in CI) fails
//! while the template is stale, a message is untranslated or fuzzy, or a translation
//! leaves out a glossary term. Code and lesson output stay English in every edition (the
//! text around them explains them), so messages taken from code blocks and output samples
//! are filled with their English by `po`, and a changed one needs no translator.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use polib::catalog::Catalog;
use polib::message::Message;

use crate::book;

/// The template and the Korean catalog, relative to the repository.
pub const TEMPLATE: &str = "po/messages.pot";
pub const KOREAN: &str = "po/ko.po";
pub const GLOSSARY: &str = "po/glossary.toml";

pub fn run(check_only: bool) -> Result<ExitCode> {
    let root = crate::catalog::repo_root();
    let extracted = extract(&root)?;
    if check_only {
        let problems = check(&root, &extracted)?;
        for problem in &problems {
            println!("✗ {problem}");
        }
        println!(
            "translations: {} problem(s) in {KOREAN} and {TEMPLATE}",
            problems.len()
        );
        return Ok(if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    // Rewritten only when a message changed, so that its creation date does not make a
    // difference in git by itself.
    let unchanged = parse(&root.join(TEMPLATE)).is_ok_and(|committed| {
        parse(&extracted.pot).is_ok_and(|fresh| msgids(&fresh) == msgids(&committed))
    });
    if !unchanged {
        std::fs::copy(&extracted.pot, root.join(TEMPLATE))
            .with_context(|| format!("failed to write {TEMPLATE}"))?;
    }
    let headings = headings(&root.join("book"))?;
    let (translated, missing) = merge(&root.join(TEMPLATE), &root.join(KOREAN), &headings)?;
    println!(
        "{TEMPLATE}: {} messages; {KOREAN}: {translated} translated, {} to translate",
        translated + missing.len(),
        missing.len()
    );
    for (page, msgid) in missing.iter().take(20) {
        println!("  {page}: {}", shorten(msgid));
    }
    Ok(ExitCode::SUCCESS)
}

/// A freshly extracted template, in a temporary folder removed on drop.
struct Extracted {
    pot: PathBuf,
    _folder: tempfile_dir::Dir,
}

/// Runs `mdbook-xgettext` over the English book into a temporary folder.
fn extract(root: &Path) -> Result<Extracted> {
    let bin = book::ensure_tools(root, true)?;
    let dir = tempfile_dir::Dir::new("ptm-po")?;
    let status = Command::new(bin.join("mdbook"))
        .current_dir(root)
        .env("PATH", book::path_with(&bin))
        // The xgettext renderer only (no HTML); line numbers left out, so that editing a
        // page does not touch every message below the edit.
        .env(
            "MDBOOK_OUTPUT",
            r#"{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}"#,
        )
        .args(["build", "--dest-dir"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .context("failed to start mdbook")?;
    if !status.success() {
        bail!("mdbook-xgettext failed ({status})");
    }
    Ok(Extracted {
        pot: dir.path().join("messages.pot"),
        _folder: dir,
    })
}

/// Rewrites `po` for the messages of `template`: a translation is kept while its English
/// is unchanged, a message from code or an output sample gets its English, the rest is
/// left empty. Returns how many are translated and the untranslated ones (page, English).
fn merge(
    template: &Path,
    po: &Path,
    headings: &HashSet<String>,
) -> Result<(usize, Vec<(String, String)>)> {
    let template = parse(template)?;
    let messages: Vec<(String, String)> = template
        .messages()
        .map(|m| (m.source().to_owned(), m.msgid().to_owned()))
        .collect();
    let (metadata, kept) = if po.exists() {
        let old = parse(po)?;
        let kept: std::collections::HashMap<String, String> = old
            .messages()
            .filter(|m| !m.is_fuzzy())
            .filter_map(|m| Some((m.msgid().to_owned(), m.msgstr().ok()?.to_owned())))
            .filter(|(_, msgstr)| !msgstr.is_empty())
            .collect();
        (old.metadata, kept)
    } else {
        let mut metadata = template.metadata;
        metadata.language = "ko".into();
        (metadata, Default::default())
    };
    let mut merged = Catalog::new(metadata);
    let (mut translated, mut missing) = (0, Vec::new());
    for (source, msgid) in messages {
        let msgstr = kept.get(&msgid).cloned().or_else(|| {
            // A quoted heading (the claims appendix's `### "Threads are cheaper"`) looks
            // like a string literal but is prose.
            (stays_english(&msgid) && !headings.contains(&msgid)).then(|| msgid.clone())
        });
        match &msgstr {
            Some(_) => translated += 1,
            None => missing.push((first_page(&source), msgid.clone())),
        }
        merged.append_or_update(
            Message::build_singular()
                .with_source(source)
                .with_msgid(msgid)
                .with_msgstr(msgstr.unwrap_or_default())
                .done(),
        );
    }
    polib::po_file::write(&merged, po)
        .with_context(|| format!("failed to write {}", po.display()))?;
    Ok((translated, missing))
}

/// The text of every heading of the English pages, without its `#`s and `{#id}`: what
/// mdbook-xgettext takes as a heading's message.
fn headings(book: &Path) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    for entry in
        std::fs::read_dir(book).with_context(|| format!("failed to list {}", book.display()))?
    {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("failed to read {}", path.display()))?;
        let mut in_code = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            } else if let Some(heading) = line.strip_prefix('#').filter(|_| !in_code) {
                let heading = heading.trim_start_matches('#').trim();
                let heading = match heading.rfind(" {#") {
                    Some(at) if heading.ends_with('}') => &heading[..at],
                    _ => heading,
                };
                found.insert(heading.trim().to_owned());
            }
        }
    }
    Ok(found)
}

/// Whether a message is code or a lesson's output, which every edition shows in English:
/// a comment or a string literal from a code block, or a whole output sample.
pub fn stays_english(msgid: &str) -> bool {
    let fenced = msgid.starts_with("```") && !msgid.trim_start_matches('`').starts_with("mermaid");
    // Rust's comments, and Python's and the shell's (`# …`: a Markdown heading's message
    // never starts with its `#`s).
    let comment = msgid.starts_with("//") || msgid.starts_with("/*") || msgid.starts_with("# ");
    fenced || comment || string_literal(msgid)
}

/// A Rust string literal (`"…"`, `b"…"`, `r"…"`) or a Python docstring (`"""…"""`) as
/// mdbook-xgettext takes it from a code block: quoted whole, with no unescaped quote
/// inside (a sentence that quotes two phrases is prose).
fn string_literal(msgid: &str) -> bool {
    if let Some(inner) = msgid
        .strip_prefix("\"\"\"")
        .and_then(|rest| rest.strip_suffix("\"\"\""))
    {
        return !inner.contains('"');
    }
    ["b\"", "r\"", "\""]
        .iter()
        .find_map(|open| msgid.strip_prefix(open))
        .and_then(|rest| rest.strip_suffix('"'))
        .is_some_and(|inner| !inner.replace("\\\"", "").contains('"'))
}

/// Everything `po --check` and CI require of the catalogs.
fn check(root: &Path, extracted: &Extracted) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let fresh = parse(&extracted.pot)?;
    let committed = parse(&root.join(TEMPLATE))?;
    if msgids(&fresh) != msgids(&committed) {
        problems.push(format!(
            "{TEMPLATE} does not match the English pages (a page changed): run `cargo xtask po`, \
             then translate what it lists in {KOREAN}"
        ));
    }
    let korean = parse(&root.join(KOREAN))?;
    for message in fresh.messages() {
        let page = first_page(message.source());
        match korean.find_message(None, message.msgid(), None) {
            None => problems.push(format!(
                "{KOREAN}: not translated ({page}): {}",
                shorten(message.msgid())
            )),
            Some(m) if m.is_fuzzy() => problems.push(format!(
                "{KOREAN}: marked fuzzy ({page}): {}",
                shorten(message.msgid())
            )),
            Some(m) if m.msgstr().map_or(true, str::is_empty) => problems.push(format!(
                "{KOREAN}: not translated ({page}): {}",
                shorten(message.msgid())
            )),
            Some(_) => {}
        }
    }
    let glossary = Glossary::load(&root.join(GLOSSARY))?;
    let headings = headings(&root.join("book"))?;
    for message in korean.messages() {
        let Ok(msgstr) = message.msgstr() else {
            continue;
        };
        let page = first_page(message.source());
        if msgstr.is_empty() {
            continue;
        }
        if let Some(quote) = changed_quote(message.msgid(), msgstr) {
            problems.push(format!(
                "{KOREAN} ({page}): the source notes' words must stay as they are, but `{quote}` \
                 is not in the translation: {}",
                shorten(message.msgid())
            ));
        }
        let code = stays_english(message.msgid()) && !headings.contains(message.msgid());
        if !code && page != "references.md" && left_in_english(message.msgid(), msgstr) {
            problems.push(format!(
                "{KOREAN} ({page}): left in English: {}",
                shorten(message.msgid())
            ));
        }
        if code {
            continue;
        }
        for term in glossary.missing_in(message.msgid(), msgstr) {
            problems.push(format!(
                "{KOREAN} ({}): the English says `{}`, the Korean lacks the glossary's `{}`: {}",
                first_page(message.source()),
                term.en,
                term.ko,
                shorten(message.msgid())
            ));
        }
    }
    Ok(problems)
}

/// A piece of the source notes' Korean (four or more characters between Markdown's
/// punctuation, and before the `— note N` that names the note) that the translation does
/// not hold as it is: the notes are quoted, not translated.
fn changed_quote<'a>(msgid: &'a str, msgstr: &str) -> Option<&'a str> {
    msgid
        .split(['"', '*', '_', '(', ')', '[', ']', '`', '\n', '“', '”', '—'])
        .map(str::trim)
        .filter(|piece| piece.chars().count() >= 4 && piece.chars().any(is_hangul))
        .find(|piece| !msgstr.contains(piece))
}

/// A sentence of prose (four words or more) whose translation is the English itself.
/// Citations on the references page keep their published English and are not asked.
fn left_in_english(msgid: &str, msgstr: &str) -> bool {
    let words = msgid
        .split_whitespace()
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_alphabetic() || ",.;:'\"?!".contains(c))
        })
        .filter(|w| w.chars().any(|c| c.is_ascii_lowercase()))
        .count();
    words >= 4 && !msgstr.chars().any(is_hangul)
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// `po/glossary.toml`: the terms every translation uses.
#[derive(Debug, serde::Deserialize)]
struct Glossary {
    term: Vec<Term>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Term {
    /// A regular expression, matched case-insensitively on word boundaries.
    en: String,
    /// What the translation must contain.
    ko: String,
    /// A common alternative, for translators (given once beside the term).
    #[serde(default)]
    #[expect(dead_code, reason = "read by translators, not by the check")]
    also: Option<String>,
    /// Where the term comes from, or how to use it, for translators.
    #[serde(default)]
    #[expect(dead_code, reason = "read by translators, not by the check")]
    notes: Option<String>,
    /// Whether CI requires `ko` wherever the English has `en`.
    #[serde(default)]
    check: bool,
}

impl Glossary {
    fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("failed to read {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
    }

    /// The checked terms the English of a message uses and its translation lacks. What
    /// stays English is left out of the English first: inline code, link targets, HTML,
    /// quoted titles (`"How fast are Linux pipes anyway?"`), and the source notes' own
    /// Korean quotes (a message holding Hangul), which keep their words. A term must stand
    /// as a word of its own, not inside a name or path (`rayon-core`, `sched/core.c`).
    fn missing_in<'a>(&'a self, msgid: &str, msgstr: &str) -> Vec<&'a Term> {
        if msgid
            .chars()
            .any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
        {
            return Vec::new();
        }
        let prose = regex::Regex::new(r#"`[^`]*`|\]\([^)]*\)|<[^>]*>|"[^"]*""#)
            .expect("a valid expression")
            .replace_all(msgid, " ");
        self.term
            .iter()
            .filter(|term| term.check && !msgstr.contains(&term.ko))
            .filter(|term| {
                regex::Regex::new(&format!(r"(?i)(?:^|[^-\w/.])(?:{})(?:$|[^-\w/])", term.en))
                    .is_ok_and(|pattern| pattern.is_match(&prose))
            })
            .collect()
    }
}

/// The English of every message, in order.
fn msgids(catalog: &Catalog) -> Vec<&str> {
    catalog.messages().map(|m| m.msgid()).collect()
}

/// The header fields polib 0.2 requires (it panics on a catalog without one, so they are
/// checked first and named in an error instead).
const HEADER_FIELDS: &[&str] = &[
    "Project-Id-Version",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Language-Team",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Language",
    "Plural-Forms",
];

fn parse(path: &Path) -> Result<Catalog> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read {}", path.display()))?;
    let header = text.split("\n\n").next().unwrap_or("");
    let missing: Vec<&str> = HEADER_FIELDS
        .iter()
        .copied()
        .filter(|field| !header.contains(&format!("\"{field}:")))
        .collect();
    if !missing.is_empty() {
        bail!(
            "{}: its header lacks {} (a PO header has: {})",
            path.display(),
            missing.join(", "),
            HEADER_FIELDS.join(", ")
        );
    }
    polib::po_file::parse(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// `book/ch01-….md:12 book/…` → `ch01-….md`.
fn first_page(source: &str) -> String {
    source
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches("book/")
        .split(':')
        .next()
        .unwrap_or("")
        .to_owned()
}

/// The start of a message, on one line.
fn shorten(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(90) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

/// A temporary folder, removed when dropped.
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new(prefix: &str) -> std::io::Result<Self> {
            let path = std::env::temp_dir().join(format!(
                "{prefix}-{}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            ));
            std::fs::create_dir_all(&path)?;
            Ok(Self(path))
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_output_stay_english_and_prose_and_diagrams_do_not() {
        for english in [
            "// Touch the statics so the compiler keeps them.\n",
            "\"a Box<u64>\"",
            "b\"first message|\"",
            "b\"parent, before fork\\n\"",
            "\"echo \\\" child $$\\\"\"",
            "\"\"\"The CPU-bound loop: pure bytecode.\"\"\"",
            "```text\n── 1. Where things live ──\n```",
        ] {
            assert!(stays_english(english), "{english}");
        }
        for translated in [
            "```mermaid\nflowchart LR\n    a[\"Program\"]\n```",
            "\"Threads are cheaper\", say the notes, \"than processes\".",
            "A process is a running program.",
        ] {
            assert!(!stays_english(translated), "{translated}");
        }
    }

    #[test]
    fn a_checked_term_must_appear_unless_it_is_code() {
        let glossary: Glossary = toml::from_str(
            "[[term]]\nen = \"threads?\"\nko = \"스레드\"\ncheck = true\n\
             [[term]]\nen = \"locks?\"\nko = \"락\"\n",
        )
        .unwrap();
        let missing = |en: &str, ko: &str| -> Vec<String> {
            glossary
                .missing_in(en, ko)
                .iter()
                .map(|t| t.ko.clone())
                .collect()
        };
        assert_eq!(
            missing("Two threads share it.", "두 실이 공유합니다."),
            ["스레드"]
        );
        assert!(missing("Two Threads share it.", "두 스레드가 공유합니다.").is_empty());
        assert!(missing("Call `thread::spawn`.", "`thread::spawn`을 부릅니다.").is_empty());
        assert!(missing("See [it](threads.md).", "[이것](threads.md)을 보세요.").is_empty());
        assert!(missing("It locks.", "잠급니다.").is_empty(), "unchecked");
        assert!(missing("\"The Native POSIX Thread Library\".", "제목").is_empty());
        assert!(missing("see rayon-threads and sched/threads.c", "보세요").is_empty());
        assert!(
            missing("스레드 quoted: threads", "노트").is_empty(),
            "the notes' own words"
        );
    }

    #[test]
    fn a_quoted_heading_is_prose_to_translate() {
        let book = tempfile_dir::Dir::new("ptm-headings").unwrap();
        std::fs::write(
            book.path().join("appendix.md"),
            "# Claims\n\n### \"Threads are cheaper\" {#claim-cheaper}\n\n```text\n# not a heading\n```\n",
        )
        .unwrap();
        let found = headings(book.path()).unwrap();
        assert!(found.contains("\"Threads are cheaper\"") && found.contains("Claims"));
        assert!(!found.contains("not a heading"));
        assert!(
            stays_english("\"Threads are cheaper\""),
            "alone it looks like a literal"
        );
    }

    #[test]
    fn the_notes_quotes_stay_and_prose_is_translated() {
        let quote = "스레드는 스택만 따로 가진다. — note 3";
        assert_eq!(
            changed_quote(quote, "스레드는 스택만 따로 가진다. — 노트 3"),
            None
        );
        assert_eq!(
            changed_quote(quote, "쓰레드는 스택만 따로 가진다. — 노트 3"),
            Some("스레드는 스택만 따로 가진다.")
        );
        assert_eq!(
            changed_quote("_프로세서_를 쓴다", "*프로세서*를 쓴다"),
            None
        );
        let heading = "\"The OS cannot schedule threads\"";
        assert!(left_in_english(heading, heading));
        assert!(!left_in_english(
            heading,
            "\"OS는 스레드를 스케줄링할 수 없다\""
        ));
        let command = "`cargo xtask hint <exercise>`";
        assert!(!left_in_english(command, command));
        assert!(!left_in_english("p99 RSS", "p99 RSS"));
    }

    #[test]
    fn a_page_is_named_by_its_file() {
        assert_eq!(first_page("book/ch01-a.md:12 book/ch02-b.md"), "ch01-a.md");
        assert_eq!(first_page("book/SUMMARY.md"), "SUMMARY.md");
    }
}
