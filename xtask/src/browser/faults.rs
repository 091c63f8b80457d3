//! The browser check's own proof: twelve faults a real edit or build could make are put into a
//! copy of the built book, the whole check runs on the copy, and each fault must be
//! reported, and nothing else. `cargo xtask book --check --self-test` runs it, and so does
//! a step of `cargo xtask test`.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{NOT_BUILT, Scratch, check_rendered_book, html_name, mermaid_blocks};
use super::{summary_chapters, text_of};

/// What `self_test` found.
#[derive(Debug)]
pub struct SelfTest {
    pub faults: Vec<Outcome>,
    /// Reported lines no fault explains: the unbroken book has a problem, or a fault was
    /// reported in an unexpected way.
    pub unexplained: Vec<String>,
}

#[derive(Debug)]
pub struct Outcome {
    pub what: String,
    /// The reports that name it.
    pub reported: Vec<String>,
    /// The reports it should have caused but did not; empty means caught.
    pub missed: Vec<String>,
}

impl SelfTest {
    pub fn passed(&self) -> bool {
        self.unexplained.is_empty() && self.faults.iter().all(|f| f.missed.is_empty())
    }
}

impl std::fmt::Display for SelfTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for fault in &self.faults {
            if fault.missed.is_empty() {
                writeln!(f, "✓ caught: {}", fault.what)?;
            } else {
                writeln!(f, "✗ missed: {}; no report containing:", fault.what)?;
            }
            for line in &fault.missed {
                writeln!(f, "      {line}")?;
            }
            for line in &fault.reported {
                writeln!(f, "      reported: {line}")?;
            }
        }
        for line in &self.unexplained {
            writeln!(f, "✗ reported, but no deliberate fault explains it: {line}")?;
        }
        let caught = self.faults.iter().filter(|f| f.missed.is_empty()).count();
        write!(
            f,
            "browser check self-test: {caught} of {} deliberate faults caught, {} unexplained report(s)",
            self.faults.len(),
            self.unexplained.len()
        )
    }
}

/// One deliberate fault and what the check must say about it.
struct Fault {
    what: String,
    /// Each must be part of some reported line.
    required: Vec<String>,
    /// Knock-on reports it also explains (a deleted page's incoming links), by substring.
    explains: Vec<String>,
}

impl Fault {
    /// A fault in `page`, to be reported in lines starting `page: ` and going on with each
    /// of `reports`.
    fn on(page: &str, what: &str, reports: &[&str]) -> Self {
        Fault {
            what: format!("{page}: {what}"),
            required: reports.iter().map(|r| format!("{page}: {r}")).collect(),
            explains: Vec::new(),
        }
    }
}

/// Copies the built book (and its markdown) into a scratch folder, breaks the copy, runs the
/// whole check on it, and says which faults it reported.
pub fn self_test(root: &Path) -> Result<SelfTest> {
    if !root.join("target/book/index.html").is_file() {
        bail!("no built book to break; {NOT_BUILT}");
    }
    let scratch = Scratch::new()?;
    let copy = scratch.0.join("root");
    copy_dir(&root.join("book"), &copy.join("book"))?;
    copy_dir(&root.join("target/book"), &copy.join("target/book"))?;
    // The faults go into the English edition; the Korean one is checked as it was built,
    // by the check itself, not again here.
    let _ = std::fs::remove_dir_all(copy.join("target/book/ko"));
    let faults = break_book(&copy)?;
    let problems = check_rendered_book(&copy, None)?;
    let containing = |needles: &[String]| -> Vec<String> {
        (problems.iter())
            .filter(|line| needles.iter().any(|n| line.contains(n.as_str())))
            .cloned()
            .collect()
    };
    let explained: Vec<String> = (faults.iter())
        .flat_map(|f| f.required.iter().chain(&f.explains).cloned())
        .collect();
    let unexplained = (problems.iter())
        .filter(|line| !explained.iter().any(|n| line.contains(n.as_str())))
        .cloned()
        .collect();
    let faults = (faults.into_iter())
        .map(|fault| Outcome {
            reported: containing(&fault.required),
            missed: (fault.required.iter())
                .filter(|r| !problems.iter().any(|line| line.contains(r.as_str())))
                .cloned()
                .collect(),
            what: fault.what,
        })
        .collect();
    Ok(SelfTest {
        faults,
        unexplained,
    })
}

/// Puts the twelve faults into the built HTML of the book at `root` (its markdown stays as it
/// was, as when a build goes wrong). Fails where the book has no place for one, rather than
/// test less than it says.
fn break_book(root: &Path) -> Result<Vec<Fault>> {
    let book = root.join("target/book");
    let mut pages = Vec::new(); // (page, mermaid blocks in its markdown)
    for chapter in summary_chapters(&text_of(&root.join("book/SUMMARY.md"))?) {
        let html = html_name(&chapter);
        if book.join(&html).is_file() {
            let markdown = text_of(&root.join("book").join(&chapter))?;
            pages.push((html, mermaid_blocks(&markdown)));
        }
    }
    let with_diagrams: Vec<&(String, usize)> = pages.iter().filter(|(_, n)| *n > 0).collect();
    let [
        (bad_diagram, _),
        (lost_diagram, diagrams),
        (tiny_diagram, _),
        (hidden_label, _),
        ..,
    ] = with_diagrams[..]
    else {
        bail!("the self-test needs four chapters with mermaid diagrams");
    };
    let others: Vec<&str> = (pages.iter())
        .map(|(page, _)| page.as_str())
        .filter(|page| {
            ![bad_diagram, lost_diagram, tiny_diagram, hidden_label]
                .iter()
                .any(|d| d.as_str() == *page)
        })
        .collect();
    let Some((deleted, hosts)) = others.split_last().filter(|(_, rest)| !rest.is_empty()) else {
        bail!("the self-test needs two chapters without diagrams to break");
    };
    let mut hosts = hosts.iter().copied().cycle();
    let mut faults = Vec::new();

    // A diagram line mermaid cannot parse: the page shows "Syntax error in text".
    edit(&book, bad_diagram, |html| {
        let line_end = html.find(MERMAID_PRE)? + html[html.find(MERMAID_PRE)?..].find('\n')?;
        Some(format!(
            "{}\n    a --> --> b{}",
            &html[..line_end],
            &html[line_end..]
        ))
    })?;
    let mut fault = Fault::on(
        bad_diagram,
        "a mermaid line that does not parse",
        &["1 mermaid diagram(s) failed to parse"],
    );
    fault
        .explains
        .push(format!("{bad_diagram}: the markdown has"));
    faults.push(fault);

    // A diagram lost between the markdown and the page.
    edit(&book, lost_diagram, |html| {
        let start = html.find(MERMAID_PRE)?;
        let end = start + html[start..].find("</pre>")? + "</pre>".len();
        Some(format!("{}{}", &html[..start], &html[end..]))
    })?;
    let drew = format!(
        "the markdown has {diagrams} mermaid block(s) but the browser drew {}",
        diagrams - 1
    );
    faults.push(Fault::on(
        lost_diagram,
        "a diagram missing from the page",
        &[&drew],
    ));

    // A diagram too wide for the column, shrunk until its text cannot be read; and a
    // group's title hidden under the box below it.
    let wide = (0..14)
        .map(|i| format!("n{i}[\"a box with a label of some length {i}\"]"))
        .collect::<Vec<_>>()
        .join(" --> ");
    let overlapped = "flowchart TB\n    subgraph g[\"a group title far too long to fit in the \
                      two hundred pixels mermaid gives it\"]\n        n[\"a box\"]\n    end";
    for (page, diagram, what, report) in [
        (
            tiny_diagram,
            format!("flowchart LR\n    {wide}"),
            "a diagram too wide to read",
            "diagram 1 shows its text at",
        ),
        (
            hidden_label,
            overlapped.to_owned(),
            "a group's title under a box",
            "diagram 1: the label \"a group title far too long",
        ),
    ] {
        edit(&book, page, |html| {
            let start = html.find(MERMAID_PRE)? + MERMAID_PRE.len();
            let end = start + html[start..].find("</pre>")?;
            Some(format!("{}{diagram}{}", &html[..start], &html[end..]))
        })?;
        faults.push(Fault::on(page, what, &[report]));
    }

    // Markup added at the end of a page's body: what it is, and what must be reported.
    let missing_section = format!(
        "link {lost_diagram}#no-such-section: no anchor `no-such-section` in {lost_diagram}"
    );
    let appended: [(&str, String, Vec<&str>); 5] = [
        (
            "a script that throws",
            "<script>no_such_function();</script>".into(),
            vec![r#"JavaScript error: "Uncaught ReferenceError: no_such_function"#],
        ),
        (
            "a console message left in",
            "<script>console.log('left-over debug output');</script>".into(),
            vec!["console message"],
        ),
        (
            "dead links (a page that does not exist, outside the book, absolute)",
            r#"<a href="no-such-page.html">a</a><a href="../out.html">b</a><a href="/index.html">c</a>"#.into(),
            vec![
                "link no-such-page.html: no such file",
                "link ../out.html: points outside the book",
                "link /index.html: an absolute path",
            ],
        ),
        (
            "a link to a section another chapter does not have",
            format!(r#"<a href="{lost_diagram}#no-such-section">x</a>"#),
            vec![&missing_section],
        ),
        (
            "an image never copied into the book",
            r#"<img src="images/no-such-figure.png" alt="">"#.into(),
            vec!["link images/no-such-figure.png: no such file"],
        ),
    ];
    for (what, markup, reports) in appended {
        let page = hosts.next().expect("a cycle over a non-empty list");
        edit(&book, page, |html| {
            let end = html.rfind("</body>")?;
            Some(format!("{}{markup}\n{}", &html[..end], &html[end..]))
        })?;
        faults.push(Fault::on(page, what, &reports));
    }

    // A heading renamed while its own link (and perhaps others) still point at the old id.
    let page = hosts.next().expect("a cycle over a non-empty list");
    let mut heading = String::new();
    edit(&book, page, |html| {
        let marker = r##"class="header" href="#"##;
        let at = html.find(marker)? + marker.len();
        heading = html[at..at + html[at..].find('"')?].to_owned();
        let id = format!(r#"id="{heading}""#);
        html.contains(&id)
            .then(|| html.replacen(&id, &format!(r#"id="{heading}-renamed""#), 1))
    })?;
    let own_link = format!("link #{heading}: no anchor `{heading}` in {page}");
    let mut fault = Fault::on(page, "a heading's id changed under its links", &[&own_link]);
    fault.explains.push(format!("no anchor `{heading}`"));
    faults.push(fault);

    // A chapter SUMMARY.md lists, missing from the build.
    std::fs::remove_file(book.join(deleted))?;
    let mut fault = Fault::on(
        deleted,
        "a chapter missing from the build",
        &["not in the built book although SUMMARY.md lists"],
    );
    // The sidebar and the neighbours' next/previous buttons still link to it.
    fault.explains.push(format!("link {deleted}"));
    faults.push(fault);

    // A chapter left out of the search index.
    let page = hosts.next().expect("a cycle over a non-empty list");
    let index = std::fs::read_dir(&book)?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .find(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("searchindex") && name.ends_with(".js")
        })
        .context("the built book has no searchindex*.js")?;
    let text = text_of(&index)?;
    let without = text
        .replace(&format!("\"{page}#"), "\"removed.html#")
        .replace(&format!("\"{page}\""), "\"removed.html\"");
    if without == text {
        bail!(
            "the self-test found no entry for {page} in {}",
            index.display()
        );
    }
    std::fs::write(&index, without)?;
    faults.push(Fault::on(
        page,
        "a chapter left out of the search index",
        &["not in the search index"],
    ));
    Ok(faults)
}

/// How mdbook-mermaid writes a diagram into the page.
const MERMAID_PRE: &str = r#"<pre class="mermaid">"#;

/// Rewrites `book/page` with `change`, which returns `None` where it found no place for
/// its fault.
fn edit(book: &Path, page: &str, change: impl FnOnce(&str) -> Option<String>) -> Result<()> {
    let path = book.join(page);
    let changed = change(&text_of(&path)?)
        .with_context(|| format!("the self-test found no place for its fault in {page}"))?;
    std::fs::write(&path, changed).with_context(|| format!("failed to write {}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.with_context(|| format!("failed to list {}", from.display()))?;
        let target = to.join(entry.path().strip_prefix(from)?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .with_context(|| format!("failed to create {}", target.display()))?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("failed to copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Needs Chromium and the built book, so it is not in the default run; `cargo xtask
    /// test` runs the same self-test as a step. By hand: `cargo xtask book --check
    /// --self-test`, or `cargo test -p xtask -- --ignored deliberate_faults`.
    #[test]
    #[ignore = "needs chromium and the built book (cargo xtask book)"]
    fn deliberate_faults_in_the_built_book_are_all_reported() {
        let report = self_test(&crate::catalog::repo_root()).unwrap();
        assert!(report.passed(), "{report}");
        assert_eq!(report.faults.len(), 12, "{report}");
    }
}
